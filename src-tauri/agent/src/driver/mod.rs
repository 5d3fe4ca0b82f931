//! The agent's one timer task: owns the state, runs the core's state machines, and turns
//! their effects into work for the shell (tray, notifications, window) and for the file
//! worker.
//!
//! Rooms: this file holds the state and the event loop; [`requests`] handles every
//! [`Command`] (one `handle` for all surfaces); [`effects`] carries out what the state
//! machines ask for; [`history`] keeps the log's figures in memory and writes events;
//! [`files`] does file work off the runtime thread.
//!
//! It sleeps until the earliest deadline of the scheduler, the session and the heat / ice
//! timer, capped at [`MAX_SLEEP`], or until an input arrives. It decides expiry by reading
//! the clock after waking, never by trusting the sleep: after a suspend the sleep may be
//! far off.

mod effects;
pub mod files;
mod history;
mod requests;
mod windows;

use crate::clock::Clock;
use crate::ports::{ConnId, Input, Notice, Presence, Shell};
use crate::tray::TrayModel;
use files::{AfterRoutines, Files, Job, Then};
use limber_core::catalog::{Catalog, CatalogError};
use limber_core::protocol::{
    CatalogSnapshot, Event, SettingsSnapshot, Snapshot, Status, View, PROTOCOL_VERSION,
};
use limber_core::schedule::{Config, Schedule};
use limber_core::session::{Session, SessionRecord};
use limber_core::settings::{self, Settings};
use limber_core::store::{settings_file, Paths};
use limber_core::therapy::{Pain, Therapy};
use limber_core::VERSION;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};

/// The longest the driver sleeps: also how often it reads idle time and refreshes the
/// tray when nothing is due.
pub const MAX_SLEEP: Duration = Duration::from_secs(60);

pub struct Agent<C: Clock, S: Shell> {
    clock: C,
    shell: S,
    paths: Paths,
    files: Files,
    /// Finished file work, in the order it was sent.
    finished: mpsc::UnboundedReceiver<files::Done>,
    settings: Settings,
    /// The settings a save in flight will bring; changes build on them.
    pending_settings: Option<Settings>,
    /// False when an unusable settings file could not be moved aside: then writing would
    /// destroy the user's file.
    settings_writable: bool,
    settings_notice: Option<String>,
    schedule: Schedule,
    events: broadcast::Sender<Event>,
    window_conns: HashSet<ConnId>,
    /// The view a window we are starting should open on, handed over when it subscribes.
    pending_view: Option<View>,
    /// A window started unseen for a coming break (see [`windows`]).
    standby: windows::Standby,
    /// The connection of that window while it is unseen: not "open", never watched.
    unseen_conn: Option<ConnId>,
    tray_online: bool,
    last_tray: Option<TrayModel>,
    /// The last idle reading succeeded.
    idle_readable: bool,
    quitting: bool,
    catalog: Catalog,
    /// The built-in exercises, shared with the file worker that validates routine files.
    exercises: Arc<Vec<limber_core::catalog::Exercise>>,
    /// Custom routine files that did not validate (shown on the Routines screen).
    routine_errors: Vec<CatalogError>,
    session: Option<Session>,
    /// The session that ended last, until its end screen is closed.
    last_session: Option<SessionRecord>,
    therapy: Option<Therapy>,
    history: history::History,
    /// Tests shorten the heat / ice timer to this (see `run.rs`); `None` in real use.
    therapy_length_override: Option<chrono::Duration>,
    /// The protocol version the agent says it speaks (tests of an upgrade change it).
    protocol: u32,
    /// What the login entry runs (see `run.rs`).
    autostart_program: String,
    /// Started by the login entry: no window when there is no tray.
    started_at_login: bool,
}

impl<C: Clock, S: Shell> Agent<C, S> {
    /// Loads settings (moving an unusable file aside), starts the schedule, and queues the
    /// first file work: stale temporary files, the history log, the routines folder.
    pub fn new(clock: C, shell: S, paths: Paths, events: broadcast::Sender<Event>) -> Self {
        let (files, finished) = Files::start();
        // The settings file is small and needed before anything else can be decided.
        files.send(
            Job::CleanTemp(vec![
                paths.config_dir.clone(),
                paths.data_dir.clone(),
                paths.routines_dir(),
            ]),
            Then::Nothing,
        );
        let now = clock.now();
        let load = settings_file::load_settings(&paths.settings_file(), &now.wall);
        let (settings_notice, settings_writable) = match &load.problem {
            Some(problem) => (
                Some(problem.notice(&paths.settings_file())),
                problem.moved_to.is_some(),
            ),
            None => (None, true),
        };
        let schedule = Schedule::new(Config::from(&load.settings), &now);
        let catalog = Catalog::builtin().unwrap_or_else(|e| {
            // Compiled in and tested; reaching this is a bug, but not a reason to stop
            // reminding the user to move.
            log::error!("the built-in exercises are broken: {e}");
            Catalog {
                exercises: Vec::new(),
                routines: Vec::new(),
            }
        });
        let exercises = Arc::new(catalog.exercises.clone());
        let history = history::History::new(paths.history_file());
        let mut agent = Self {
            clock,
            shell,
            paths,
            files,
            finished,
            settings: load.settings,
            pending_settings: None,
            settings_writable,
            settings_notice,
            schedule,
            events,
            window_conns: HashSet::new(),
            standby: windows::Standby::None,
            unseen_conn: None,
            pending_view: None,
            tray_online: true,
            last_tray: None,
            idle_readable: false,
            quitting: false,
            catalog,
            exercises,
            routine_errors: Vec::new(),
            session: None,
            last_session: None,
            therapy: None,
            history,
            therapy_length_override: None,
            protocol: PROTOCOL_VERSION,
            autostart_program: "limber".to_owned(),
            started_at_login: false,
        };
        let natural_break_min = agent.settings.natural_break_min;
        agent.shell.set_natural_break(natural_break_min);
        agent.follow_login_entry();
        agent.history.load(&agent.files);
        agent.reload_routines(AfterRoutines::Publish);
        if let Some(text) = agent.settings_notice.clone() {
            log::warn!("{text}");
            agent.shell.notify(Notice::Info {
                summary: "Limber started with default settings".to_owned(),
                body: text,
            });
        }
        agent
    }

    /// Says this protocol version in `hello` (tests of an upgrade only).
    pub fn with_protocol(mut self, protocol: u32) -> Self {
        self.protocol = protocol;
        self
    }

    /// What the login entry runs: `limber`, or the absolute path of this binary.
    pub fn with_autostart_program(mut self, program: String) -> Self {
        self.autostart_program = program;
        self
    }

    /// Started at login (`limber --login`).
    pub fn with_login(mut self, at_login: bool) -> Self {
        self.started_at_login = at_login;
        self
    }

    /// The login entry may have been added or removed outside Limber (a desktop's
    /// "Startup Applications"): the setting follows the file, never the other way round.
    fn follow_login_entry(&mut self) {
        let present = self.paths.autostart_file().exists();
        if present != self.settings.start_at_login && self.settings_writable {
            log::info!(
                "the login entry is {}: start_at_login follows it",
                if present { "there" } else { "gone" }
            );
            let mut values = serde_json::Map::new();
            values.insert("start_at_login".to_owned(), present.into());
            // Its value equals the file's, so nothing is written there.
            self.settings.start_at_login = present;
            self.set_settings(
                &values,
                crate::ports::Responder::detached(crate::ports::Origin::Agent),
            );
        }
    }

    /// Makes every heat / ice timer last `length` instead of its minutes (tests only).
    pub fn with_therapy_length(mut self, length: Option<chrono::Duration>) -> Self {
        self.therapy_length_override = length;
        self
    }

    /// Runs until `quit` or until every input sender is gone.
    pub async fn run(mut self, mut inputs: mpsc::UnboundedReceiver<Input>) {
        self.refresh_tray();
        while !self.quitting {
            let wait = self.time_to_deadline();
            tokio::select! {
                () = tokio::time::sleep(wait) => self.on_timer().await,
                input = inputs.recv() => match input {
                    // The compositor said idle or resumed: read it now.
                    Some(Input::Presence(Presence::IdleChanged)) => self.on_timer().await,
                    // An inhibitor that ended may leave time without input that now
                    // counts: read idle time again.
                    Some(input @ Input::Busy(_)) => {
                        self.input(input);
                        self.on_timer().await;
                    }
                    Some(input) => self.input(input),
                    None => break,
                },
                Some(done) = self.finished.recv() => self.file_done(done),
            }
        }
        let _ = self.events.send(Event::Quit);
    }

    fn time_to_deadline(&self) -> Duration {
        let now = self.clock.now();
        let session = self.session.as_ref().and_then(|s| s.time_to_deadline(&now));
        let therapy = self.therapy.as_ref().and_then(|t| t.time_to_deadline(&now));
        [self.schedule.time_to_deadline(&now), session, therapy]
            .into_iter()
            .flatten()
            .filter_map(|d| d.to_std().ok())
            .chain(self.standby_deadline(&now))
            .min()
            .map_or(MAX_SLEEP, |d| d.min(MAX_SLEEP))
    }

    /// A deadline passed or a minute went by: read idle time once, then let the state
    /// machines look at the clock.
    async fn on_timer(&mut self) {
        let idle = self.shell.idle_ms().await;
        let now = self.clock.now();
        let readable = std::mem::replace(&mut self.idle_readable, idle.is_some());
        let mut effects = match idle {
            Some(idle_ms) => self.schedule.observe_idle(idle_ms, &now),
            None if readable => {
                log::info!("idle time can no longer be read: breaks follow the clock");
                self.schedule.idle_lost(&now)
            }
            None => Vec::new(),
        };
        effects.extend(self.schedule.handle_timeout(&now));
        let session_effects = match self.session.as_mut() {
            Some(session) => session.handle_timeout(&now),
            None => Vec::new(),
        };
        let therapy_end = self.therapy.as_mut().and_then(|t| t.handle_timeout(&now));
        self.end_unused_window(&now);
        let changed = !effects.is_empty() || !session_effects.is_empty() || therapy_end.is_some();
        self.apply(effects);
        self.apply_session(session_effects);
        if let Some(end) = therapy_end {
            self.therapy_ended(end);
        }
        if changed {
            self.publish_status();
        }
        self.refresh_tray();
    }

    fn input(&mut self, input: Input) {
        match input {
            Input::Command { command, reply } => self.handle(command, reply),
            Input::Disconnected { conn } => self.window_left(conn),
            Input::TrayHost { online, detail } => {
                let was = std::mem::replace(&mut self.tray_online, online);
                if online {
                    log::info!("tray host available: {detail}");
                } else if self.started_at_login {
                    // At every login a window would be a nuisance; the panel may also come
                    // up after us. `LoginTrayCheck` says, once, how to reach Limber.
                    log::info!("no tray host at login ({detail})");
                } else {
                    log::warn!(
                        "no tray host ({detail}); opening the window so Limber stays visible"
                    );
                    if was {
                        self.open_window(None);
                    }
                }
                self.publish_status();
            }
            Input::Busy(busy) => {
                let now = self.clock.now();
                let effects = self.schedule.set_busy(busy, &now);
                match busy.reason() {
                    Some(reason) => log::info!("the user is busy ({reason:?})"),
                    None => log::info!("the user is no longer busy"),
                }
                self.apply(effects);
                self.publish_status();
                self.refresh_tray();
            }
            Input::Presence(presence) => self.presence(presence),
            Input::LoginTrayCheck => self.login_tray_check(),
            Input::NotificationFailed(detail) => {
                log::warn!("notification not shown ({detail}); showing the window instead");
                self.open_window(Some(View::Session));
            }
            Input::WindowExited { pid, detail } => self.window_exited(pid, &detail),
        }
    }

    /// A while after a start at login: still no tray, so say once how to reach Limber.
    fn login_tray_check(&mut self) {
        let shown = self.pending_settings.as_ref().unwrap_or(&self.settings);
        if self.tray_online || shown.tray_help_shown {
            return;
        }
        let gnome = std::env::var("XDG_CURRENT_DESKTOP")
            .is_ok_and(|d| d.split(':').any(|part| part.eq_ignore_ascii_case("gnome")));
        let tray = if gnome {
            "For an icon in the top bar, install GNOME's AppIndicator extension (package \
             gnome-shell-extension-appindicator), then log out and back in."
        } else {
            "For an icon, add a system tray (status notifier) area to your panel."
        };
        self.shell.notify(Notice::Info {
            summary: "Limber is running without a tray icon".to_owned(),
            body: format!(
                "Breaks still come. Open Limber from your applications (\"Limber\") or with \
                 `limber open`. {tray}"
            ),
        });
        self.remember("tray_help_shown");
    }

    /// A locked screen or the machine going to sleep (or back): the schedule decides
    /// whether that is away, and a break.
    fn presence(&mut self, presence: Presence) {
        let now = self.clock.now();
        let effects = match presence {
            // Handled in `run`, where reading idle time can be awaited.
            Presence::IdleChanged => return,
            Presence::Locked(locked) => {
                if locked != self.schedule.locked() {
                    log::info!(
                        "the screen was {}",
                        if locked { "locked" } else { "unlocked" }
                    );
                }
                self.schedule.observe_lock(locked, &now)
            }
            Presence::Sleep(going) => {
                log::info!(
                    "{}",
                    if going {
                        "going to sleep"
                    } else {
                        "woke from sleep"
                    }
                );
                self.schedule.observe_sleep(going, &now)
            }
            Presence::SleepSignals(available) => {
                self.schedule.set_sleep_signals(available);
                Vec::new()
            }
        };
        self.apply(effects);
        self.publish_status();
        self.refresh_tray();
    }

    // ---------- what is published ----------

    pub fn status(&self) -> Status {
        let now = self.clock.now();
        Status {
            version: VERSION.to_owned(),
            protocol: self.protocol,
            schedule: self.schedule.snapshot(&now),
            settings_notice: self.settings_notice.clone(),
            history_notice: self.history.notice(),
            tray: self.tray_online,
            window_open: self
                .window_conns
                .iter()
                .any(|&c| Some(c) != self.unseen_conn),
            idle_detection: self.shell.idle_description(),
            lock_detection: self.shell.lock_description(),
            pid: std::process::id(),
            session: self.session.as_ref().and_then(|s| s.snapshot(&now)),
            last_session: self.last_session.clone(),
            therapy: self.therapy.as_ref().map(|t| t.snapshot(&now)),
            pain: self
                .settings
                .pain_started
                .map(|started| Pain::from_dates(started, now.wall.date_naive())),
        }
    }

    fn settings_snapshot(&self) -> SettingsSnapshot {
        SettingsSnapshot {
            values: self.settings.clone(),
            schema: settings::schema(),
            path: self.paths.settings_file(),
            writable: self.settings_writable,
            notice: self.settings_notice.clone(),
        }
    }

    fn catalog_snapshot(&self) -> CatalogSnapshot {
        CatalogSnapshot {
            exercises: self.catalog.exercises.clone(),
            routines: self.catalog.routines.clone(),
            default_routine: self.default_routine(),
            errors: self.routine_errors.clone(),
            dir: self.paths.routines_dir(),
        }
    }

    /// The routine a break starts: the user's choice while it exists (a custom routine
    /// may have been deleted), else the built-in default.
    fn default_routine(&self) -> String {
        let chosen = &self.settings.default_routine;
        if self.catalog.routine(chosen).is_some() {
            chosen.clone()
        } else {
            limber_core::catalog::DEFAULT_ROUTINE.to_owned()
        }
    }

    fn snapshots(&self) -> Vec<Snapshot> {
        vec![
            Snapshot::Status(Box::new(self.status())),
            Snapshot::Settings(Box::new(self.settings_snapshot())),
            Snapshot::Catalog(Box::new(self.catalog_snapshot())),
            Snapshot::History(Box::new(self.history.snapshot(self.today()))),
        ]
    }

    fn today(&self) -> chrono::NaiveDate {
        self.clock.now().wall.date_naive()
    }

    fn publish(&self, snapshot: Snapshot) {
        // No receivers is fine: nobody is subscribed.
        let _ = self.events.send(Event::Snapshot(snapshot));
    }

    fn publish_status(&self) {
        self.publish(Snapshot::Status(Box::new(self.status())));
    }

    fn publish_settings(&self) {
        self.publish(Snapshot::Settings(Box::new(self.settings_snapshot())));
    }

    fn publish_catalog(&self) {
        self.publish(Snapshot::Catalog(Box::new(self.catalog_snapshot())));
    }

    fn publish_history(&self) {
        self.publish(Snapshot::History(Box::new(
            self.history.snapshot(self.today()),
        )));
    }

    /// Builds the tray from the status and pushes it, only when something visible changed:
    /// an idle agent sends nothing over D-Bus.
    fn refresh_tray(&mut self) {
        let model = TrayModel::new(&self.status(), &self.catalog.routines, &self.settings);
        if self.last_tray.as_ref() != Some(&model) {
            self.shell.update_tray(&model);
            self.last_tray = Some(model);
        }
    }

    /// Reads the routines folder again (off the runtime thread), then does `then`.
    fn reload_routines(&mut self, then: AfterRoutines) {
        self.files.send(
            Job::LoadRoutines {
                dir: self.paths.routines_dir(),
                exercises: self.exercises.clone(),
            },
            Then::AfterRoutines(then),
        );
    }

    /// Settings changed (saved): the schedule and everything shown follow them at once.
    fn settings_changed(&mut self, next: Settings) {
        let routine_changed = next.default_routine != self.settings.default_routine;
        self.settings = next;
        self.shell
            .set_natural_break(self.settings.natural_break_min);
        let now = self.clock.now();
        let effects = self.schedule.set_config(Config::from(&self.settings), &now);
        self.apply(effects);
        // Status first: a page that sees the new settings finds the status (the pain's
        // stage, the next break) already following them.
        self.publish_status();
        self.publish_settings();
        if routine_changed {
            self.publish_catalog();
        }
        self.refresh_tray();
    }
}
