//! The agent's one timer task: owns the state, runs the core, and turns effects into work
//! for the shell (tray, notifications, window).
//!
//! It sleeps until the scheduler's next deadline, capped at [`MAX_SLEEP`], or until an
//! input arrives. It decides expiry by reading the clock after waking, never by trusting
//! the sleep: after a suspend the sleep may be far off.

use crate::clock::Clock;
use crate::tray::TrayModel;
use futures_util::future::BoxFuture;
use limber_core::catalog::{self, Catalog, CatalogError, Origin};
use limber_core::history::TherapyKind;
use limber_core::history::{EventKind, HistoryEvent, MAX_NOTE_CHARS};
use limber_core::protocol::{
    Area, CheckInArgs, Command, ErrorBody, ErrorCode, Event, Outcome, Role, SaveRoutineArgs,
    SessionAction, StartArgs, Status, View, PROTOCOL_VERSION,
};
use limber_core::protocol::{TherapyAction, TherapyArgs};
use limber_core::schedule::{Config, Effect, PauseLength, Schedule, ScheduleCommand, State};
use limber_core::session::{Session, SessionCommand, SessionEffect, SessionRecord};
use limber_core::settings::{self, BreakStyle, Settings};
use limber_core::store::{self, Paths};
use limber_core::therapy::{self, Therapy, TherapyCommand, TherapyEnd};
use limber_core::VERSION;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, oneshot};

/// The longest the driver sleeps: also how often it refreshes the tray when nothing is due.
pub const MAX_SLEEP: Duration = Duration::from_secs(60);

/// Longest snooze accepted from the CLI or the socket.
pub const MAX_SNOOZE_MIN: u32 = 120;

pub type ConnId = u64;

/// What a tray menu item asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum TrayAction {
    /// Start a routine (the default one when `None`).
    StartRoutine(Option<String>),
    PauseSession,
    ResumeSession,
    EndSession,
    StartTherapy(TherapyKind),
    StopTherapy,
    /// Minutes, or the snooze setting.
    Snooze(Option<u32>),
    Skip,
    Pause(PauseLength),
    Resume,
    Open(Option<View>),
    Quit,
}

/// Everything that can wake the driver.
#[derive(Debug)]
pub enum Input {
    Request {
        conn: ConnId,
        command: Command,
        reply: oneshot::Sender<Outcome>,
    },
    Disconnected {
        conn: ConnId,
    },
    Tray(TrayAction),
    /// A StatusNotifierWatcher appeared (`true`) or is gone (`false`).
    TrayHost {
        online: bool,
        detail: String,
    },
    /// The user clicked an action of a break notification.
    NotificationAction(String),
    /// A notification could not be shown (no daemon): fall back to the window.
    NotificationFailed(String),
    WindowExited {
        pid: u32,
        detail: String,
    },
}

/// A notification the shell shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// A break is due; actions Start stretch / Snooze / Skip.
    BreakDue { sitting_min: u32, snooze_min: u32 },
    /// A posture check: one cue, closing itself after a few seconds.
    Posture { cue: String },
    /// Plain information (e.g. the settings file was unusable).
    Info { summary: String, body: String },
    /// A heat or ice timer ran its length: time to take the pack off.
    TherapyDone { kind: TherapyKind, minutes: u32 },
}

/// The side effects the driver asks for; the real shell talks to D-Bus and spawns
/// processes, the test shell records.
pub trait Shell: Send + 'static {
    fn notify(&mut self, notice: Notice);
    /// Starts a window process unless one started by us is still running.
    fn spawn_window(&mut self, view: Option<View>) -> Result<(), String>;
    fn window_exited(&mut self, pid: u32);
    fn update_tray(&mut self, model: &TrayModel);
    /// Milliseconds since the user's last input, if it can be read.
    fn idle_ms(&mut self) -> BoxFuture<'_, Option<u64>>;
    /// Where idle time comes from, for `status` ("none: …" when it cannot be read).
    fn idle_description(&self) -> String;
}

pub struct Agent<C: Clock, S: Shell> {
    clock: C,
    shell: S,
    paths: Paths,
    settings: Settings,
    /// False when an unusable settings file could not be moved aside: then writing would
    /// destroy the user's file.
    settings_writable: bool,
    notice: Option<String>,
    schedule: Schedule,
    events: broadcast::Sender<Event>,
    window_conns: HashSet<ConnId>,
    /// The view a window we are starting should open on, handed over when it subscribes.
    pending_view: Option<View>,
    tray_online: bool,
    last_tray: Option<TrayModel>,
    quitting: bool,
    catalog: Catalog,
    /// Custom routine files that did not validate (shown on the Routines screen).
    routine_errors: Vec<CatalogError>,
    session: Option<Session>,
    /// The session that ended last, until its end screen is closed.
    last_session: Option<SessionRecord>,
    /// Bumped on every history append, so windows know to ask for new figures.
    history_revision: u64,
    therapy: Option<Therapy>,
    /// Tests shorten the heat / ice timer to this (see `run.rs`); `None` in real use.
    therapy_length_override: Option<chrono::Duration>,
}

fn error(code: ErrorCode, message: impl Into<String>) -> Outcome {
    Outcome::Error(ErrorBody::new(code, message))
}

fn ok(value: Value) -> Outcome {
    Outcome::Ok(value)
}

impl<C: Clock, S: Shell> Agent<C, S> {
    /// Loads settings (moving an unusable file aside) and starts the schedule.
    pub fn new(clock: C, shell: S, paths: Paths, events: broadcast::Sender<Event>) -> Self {
        let now = clock.now();
        let load = store::load_settings(&paths.settings_file(), &now.wall);
        let (notice, settings_writable) = match &load.problem {
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
        let mut agent = Self {
            clock,
            shell,
            paths,
            settings: load.settings,
            settings_writable,
            notice,
            schedule,
            events,
            window_conns: HashSet::new(),
            pending_view: None,
            tray_online: true,
            last_tray: None,
            quitting: false,
            catalog,
            routine_errors: Vec::new(),
            session: None,
            last_session: None,
            history_revision: 0,
            therapy: None,
            therapy_length_override: None,
        };
        agent.reload_routines();
        if let Some(text) = agent.notice.clone() {
            log::warn!("{text}");
            agent.shell.notify(Notice::Info {
                summary: "Limber started with default settings".to_owned(),
                body: text,
            });
        }
        agent
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
                    Some(input) => self.handle(input),
                    None => break,
                },
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
            .min()
            .map_or(MAX_SLEEP, |d| d.min(MAX_SLEEP))
    }

    /// A deadline passed or a minute went by: read idle time once, then let the
    /// scheduler look at the clock.
    async fn on_timer(&mut self) {
        let idle = self.shell.idle_ms().await;
        let now = self.clock.now();
        let mut effects = match idle {
            Some(idle_ms) => self.schedule.observe_idle(idle_ms, &now),
            None => Vec::new(),
        };
        effects.extend(self.schedule.handle_timeout(&now));
        let session_effects = match self.session.as_mut() {
            Some(session) => session.handle_timeout(&now),
            None => Vec::new(),
        };
        let therapy_end = self.therapy.as_mut().and_then(|t| t.handle_timeout(&now));
        let changed = !effects.is_empty() || !session_effects.is_empty() || therapy_end.is_some();
        self.apply(effects);
        self.apply_session(session_effects);
        if let Some(end) = therapy_end {
            self.therapy_ended(end);
        }
        if changed {
            self.publish(Area::Status);
        }
        self.refresh_tray();
    }

    pub fn status(&self) -> Status {
        Status {
            version: VERSION.to_owned(),
            protocol: PROTOCOL_VERSION,
            schedule: self.schedule.snapshot(&self.clock.now()),
            settings_notice: self.notice.clone(),
            tray: self.tray_online,
            window_open: !self.window_conns.is_empty(),
            idle_detection: self.shell.idle_description(),
            pid: std::process::id(),
            session: self
                .session
                .as_ref()
                .and_then(|s| s.snapshot(&self.clock.now())),
            last_session: self.last_session.clone(),
            therapy: self.therapy.as_ref().map(|t| t.snapshot(&self.clock.now())),
        }
    }

    fn catalog_snapshot(&self) -> Value {
        json!({
            "exercises": self.catalog.exercises,
            "routines": self.catalog.routines,
            "default_routine": catalog::DEFAULT_ROUTINE,
            "errors": self.routine_errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "dir": self.paths.routines_dir(),
        })
    }

    /// Reads the user's routine files again (they may have been edited by hand).
    fn reload_routines(&mut self) {
        let (custom, errors) =
            store::load_routines(&self.paths.routines_dir(), &self.catalog.exercises);
        self.catalog
            .routines
            .retain(|r| r.origin == Origin::BuiltIn);
        let mut problems = errors;
        for routine in custom {
            let file = match &routine.origin {
                Origin::Custom { file } => file.clone(),
                Origin::BuiltIn => String::new(),
            };
            if let Err(message) = self.catalog.add_custom(routine) {
                problems.push(CatalogError {
                    file: format!("routines/{file}"),
                    at: "id".to_owned(),
                    message,
                });
            }
        }
        for problem in &problems {
            log::warn!("routine not loaded: {problem}");
        }
        self.routine_errors = problems;
    }

    /// Appends to the history log. A failure is logged, never fatal: reminders matter more
    /// than their record.
    fn record(&mut self, kind: EventKind) {
        let event = HistoryEvent {
            at: self.clock.now().wall.fixed_offset(),
            kind,
        };
        if let Err(e) = store::append_history(&self.paths.history_file(), &event) {
            log::warn!(
                "could not write to {}: {e}",
                self.paths.history_file().display()
            );
            return;
        }
        self.history_revision += 1;
        self.publish(Area::History);
    }

    fn settings_snapshot(&self) -> Value {
        json!({
            "values": self.settings,
            "schema": settings::schema(),
            "path": self.paths.settings_file(),
            "writable": self.settings_writable,
            "notice": self.notice,
        })
    }

    fn snapshot(&self, area: Area) -> Value {
        match area {
            Area::Status => serde_json::to_value(self.status()).unwrap_or(Value::Null),
            Area::Settings => self.settings_snapshot(),
            Area::Catalog => self.catalog_snapshot(),
            Area::History => json!({"revision": self.history_revision}),
        }
    }

    fn publish(&self, area: Area) {
        // No receivers is fine: nobody is subscribed.
        let _ = self.events.send(Event::Snapshot {
            area,
            data: self.snapshot(area),
        });
    }

    fn refresh_tray(&mut self) {
        let mut model = TrayModel::from_snapshot(
            &self.schedule.snapshot(&self.clock.now()),
            self.settings.snooze_min,
        );
        model.session = self
            .session
            .as_ref()
            .map(|s| (s.routine().name.clone(), s.is_paused()));
        model.therapy = self.therapy.as_ref().map(|t| {
            let kind = if t.kind() == TherapyKind::Ice {
                "Ice"
            } else {
                "Heat"
            };
            match t.ends_at() {
                Some(at) => format!(
                    "{kind} pack until {}",
                    at.with_timezone(&chrono::Local).format("%H:%M")
                ),
                None => format!("{kind} timer paused"),
            }
        });
        model.routines = self
            .catalog
            .routines
            .iter()
            .map(|r| {
                (
                    r.id.clone(),
                    format!("{} · {} min", r.name, minutes_label(r.total_s)),
                )
            })
            .collect();
        // Only a visible change reaches D-Bus, so an idle agent sends nothing.
        if self.last_tray.as_ref() != Some(&model) {
            self.shell.update_tray(&model);
            self.last_tray = Some(model);
        }
    }

    fn open_window(&mut self, view: Option<View>) {
        if !self.window_conns.is_empty() {
            let _ = self.events.send(Event::Show { view });
            return;
        }
        self.pending_view = view.or(self.pending_view);
        if let Err(e) = self.shell.spawn_window(view) {
            log::error!("could not start the Limber window: {e}");
        }
    }

    fn apply(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::BreakDue { sitting_min } | Effect::BreakReminder { sitting_min } => {
                    if matches!(effect, Effect::BreakDue { .. }) {
                        self.record(EventKind::BreakDue { sitting_min });
                    }
                    let style = self.settings.break_style;
                    if matches!(style, BreakStyle::Notification | BreakStyle::Both) {
                        self.shell.notify(Notice::BreakDue {
                            sitting_min,
                            snooze_min: self.settings.snooze_min,
                        });
                    }
                    if matches!(style, BreakStyle::Window | BreakStyle::Both) {
                        self.open_window(Some(View::Session));
                    }
                }
                Effect::PauseEnded => log::info!("pause ended; breaks are scheduled again"),
                Effect::NaturalBreak { away_min, was_due } => {
                    log::info!(
                        "natural break: away {away_min} min{}",
                        if was_due {
                            ", answering a due break"
                        } else {
                            ""
                        }
                    );
                    self.record(EventKind::NaturalBreak { away_min, was_due });
                }
                Effect::PostureCheck { cue } => {
                    self.shell.notify(Notice::Posture {
                        cue: limber_core::posture::cue(cue).to_owned(),
                    });
                    self.record(EventKind::PostureCheck);
                }
                Effect::WorkingHoursStarted => log::info!("working hours began"),
                Effect::WorkingHoursEnded => log::info!("working hours ended; Limber is quiet"),
            }
        }
    }

    fn apply_session(&mut self, effects: Vec<SessionEffect>) {
        for effect in effects {
            if let SessionEffect::Finished(record) = effect {
                log::info!(
                    "session {} {:?}: {} of {} exercises, {} s",
                    record.routine,
                    record.outcome,
                    record.steps_done,
                    record.steps_total,
                    record.seconds
                );
                self.session = None;
                let now = self.clock.now();
                let schedule_effects = self.schedule.handle(ScheduleCommand::SessionEnded, &now);
                self.apply(schedule_effects);
                self.record(EventKind::Session(record.clone()));
                self.last_session = Some(record);
            }
        }
    }

    fn schedule_command(&mut self, command: ScheduleCommand) {
        let now = self.clock.now();
        match command {
            ScheduleCommand::Snooze { minutes } if self.schedule.state() != State::Paused => self
                .record(EventKind::BreakSnoozed {
                    minutes: minutes.unwrap_or(self.settings.snooze_min),
                }),
            ScheduleCommand::Skip => self.record(EventKind::BreakSkipped),
            _ => {}
        }
        let effects = self.schedule.handle(command, &now);
        self.apply(effects);
        self.publish(Area::Status);
        self.refresh_tray();
    }

    /// Starts a guided session (the default routine when `routine` is `None`).
    fn start_session(&mut self, args: StartArgs) -> Outcome {
        if let Some(running) = &self.session {
            return error(
                ErrorCode::Conflict,
                format!(
                    "a session is already running ({}); end it first with `limber session stop`",
                    running.routine().name
                ),
            );
        }
        self.reload_routines();
        let id = args
            .routine
            .unwrap_or_else(|| catalog::DEFAULT_ROUTINE.to_owned());
        let Some(routine) = self.catalog.routine(&id).cloned() else {
            let known: Vec<&str> = self
                .catalog
                .routines
                .iter()
                .map(|r| r.id.as_str())
                .collect();
            return error(
                ErrorCode::NotFound,
                format!("no routine \"{id}\"; the routines are {}", known.join(", ")),
            );
        };
        let now = self.clock.now();
        let from_break = self.schedule.state() == State::Due;
        let effects = self.schedule.handle(ScheduleCommand::SessionStarted, &now);
        self.apply(effects);
        let exercises = self.catalog.exercises_of(&routine);
        log::info!(
            "session {} started{}",
            routine.id,
            if from_break { " from a due break" } else { "" }
        );
        self.session = Some(Session::start(routine, exercises, from_break, &now));
        self.last_session = None;
        if args.open {
            self.open_window(Some(View::Session));
        }
        self.publish(Area::Status);
        self.refresh_tray();
        ok(self.snapshot(Area::Status))
    }

    fn therapy_ended(&mut self, end: TherapyEnd) {
        self.therapy = None;
        log::info!(
            "{:?} timer {}",
            end.kind,
            if end.completed { "done" } else { "stopped" }
        );
        if end.completed {
            self.shell.notify(Notice::TherapyDone {
                kind: end.kind,
                minutes: end.minutes,
            });
        }
        self.record(EventKind::Therapy {
            therapy: end.kind,
            minutes: end.minutes,
            completed: end.completed,
        });
    }

    fn therapy_command(&mut self, args: TherapyArgs) -> Outcome {
        let now = self.clock.now();
        let end = match (args.action, self.therapy.as_mut()) {
            (TherapyAction::Start, Some(running)) => {
                return error(
                    ErrorCode::Conflict,
                    format!(
                        "a {} timer is already running; stop it first with `limber therapy stop`",
                        if running.kind() == TherapyKind::Ice { "ice" } else { "heat" }
                    ),
                )
            }
            (TherapyAction::Start, None) => {
                let Some(kind) = args.kind else {
                    return error(ErrorCode::BadArgs, "say which: ice or heat");
                };
                let minutes = match therapy::check_minutes(
                    args.minutes.unwrap_or(therapy::DEFAULT_MINUTES),
                ) {
                    Ok(minutes) => minutes,
                    Err(message) => return error(ErrorCode::InvalidValue, message),
                };
                let length = self
                    .therapy_length_override
                    .unwrap_or_else(|| chrono::Duration::minutes(i64::from(minutes)));
                self.therapy = Some(Therapy::start(kind, minutes, length, &now));
                None
            }
            (_, None) => {
                return error(
                    ErrorCode::Conflict,
                    "no heat or ice timer is running; start one with `limber therapy ice` or `limber therapy heat`",
                )
            }
            (TherapyAction::Pause, Some(t)) => t.handle(TherapyCommand::Pause, &now),
            (TherapyAction::Resume, Some(t)) => t.handle(TherapyCommand::Resume, &now),
            (TherapyAction::Stop, Some(t)) => t.handle(TherapyCommand::Stop, &now),
        };
        if let Some(end) = end {
            self.therapy_ended(end);
        }
        self.publish(Area::Status);
        self.refresh_tray();
        ok(self.snapshot(Area::Status))
    }

    fn session_command(&mut self, action: SessionAction) -> Outcome {
        let command = match action {
            SessionAction::Pause => SessionCommand::Pause,
            SessionAction::Resume => SessionCommand::Resume,
            SessionAction::Skip => SessionCommand::Skip,
            SessionAction::Back => SessionCommand::Back,
            SessionAction::Stop => SessionCommand::Stop,
        };
        let now = self.clock.now();
        let Some(session) = self.session.as_mut() else {
            return error(
                ErrorCode::Conflict,
                "no session is running; start one with `limber start`",
            );
        };
        let effects = session.handle(command, &now);
        self.apply_session(effects);
        self.publish(Area::Status);
        self.refresh_tray();
        ok(self.snapshot(Area::Status))
    }

    fn save_routine(&mut self, args: &SaveRoutineArgs) -> Outcome {
        let parsed = catalog::parse_routine(
            &args.text,
            "the routine",
            &self.catalog.exercises,
            Origin::Custom {
                file: String::new(),
            },
        );
        let mut routine = match parsed {
            Ok(routine) => routine,
            Err(e) => return error(ErrorCode::InvalidValue, e.to_string()),
        };
        if let Err(message) = self.catalog.check_custom_id(&routine.id) {
            return error(ErrorCode::InvalidValue, message);
        }
        routine.origin = Origin::Custom {
            file: format!("{}.json", routine.id),
        };
        match store::save_routine(&self.paths.routines_dir(), &routine, args.overwrite) {
            Ok(path) => log::info!("saved routine {}", path.display()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                return error(
                    ErrorCode::Exists,
                    format!(
                        "a routine with the id \"{}\" already exists; replace it, or give this one another id",
                        routine.id
                    ),
                )
            }
            Err(e) => {
                return error(
                    ErrorCode::Io,
                    format!("could not save the routine: {e}"),
                )
            }
        }
        self.reload_routines();
        self.publish(Area::Catalog);
        self.refresh_tray();
        ok(serde_json::to_value(&routine).unwrap_or(Value::Null))
    }

    fn delete_routine(&mut self, id: &str) -> Outcome {
        match self.catalog.routine(id).map(|r| r.origin.clone()) {
            None => return error(ErrorCode::NotFound, format!("no routine \"{id}\"")),
            Some(Origin::BuiltIn) => {
                return error(
                    ErrorCode::InvalidValue,
                    "built-in routines cannot be deleted",
                )
            }
            Some(Origin::Custom { .. }) => {}
        }
        if let Err(e) = store::delete_routine(&self.paths.routines_dir(), id) {
            return error(ErrorCode::Io, format!("could not delete the routine: {e}"));
        }
        self.reload_routines();
        self.publish(Area::Catalog);
        self.refresh_tray();
        ok(Value::Null)
    }

    fn check_in(&mut self, args: CheckInArgs) -> Outcome {
        if args.score > 10 {
            return error(
                ErrorCode::InvalidValue,
                format!(
                    "score: must be 0 (no pain) to 10 (worst) (got {})",
                    args.score
                ),
            );
        }
        let note = args
            .note
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        if note
            .as_ref()
            .is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS)
        {
            return error(
                ErrorCode::InvalidValue,
                format!("note: must be at most {MAX_NOTE_CHARS} characters"),
            );
        }
        self.record(EventKind::CheckIn {
            score: args.score,
            area: args.area,
            note,
            after_session: args.after_session,
        });
        if args.after_session {
            self.last_session = None;
            self.publish(Area::Status);
        }
        ok(Value::Null)
    }

    pub fn handle(&mut self, input: Input) {
        match input {
            Input::Request {
                conn,
                command,
                reply,
            } => {
                let outcome = self.request(conn, command);
                // The client may have gone; that is its business.
                let _ = reply.send(outcome);
            }
            Input::Disconnected { conn } => {
                if self.window_conns.remove(&conn) {
                    // Closing the window mid-session pauses it: nobody is watching the
                    // timer. The tray offers to resume or end it.
                    if self.window_conns.is_empty()
                        && self.session.as_ref().is_some_and(|s| !s.is_paused())
                    {
                        log::info!("the window closed during a session: pausing it");
                        let _ = self.session_command(SessionAction::Pause);
                    }
                    self.publish(Area::Status);
                }
            }
            Input::Tray(action) => self.tray_action(action),
            Input::TrayHost { online, detail } => {
                let was = std::mem::replace(&mut self.tray_online, online);
                if online {
                    log::info!("tray host available: {detail}");
                } else {
                    log::warn!(
                        "no tray host ({detail}); opening the window so Limber stays visible"
                    );
                    if was {
                        self.open_window(None);
                    }
                }
                self.publish(Area::Status);
            }
            Input::NotificationAction(action) => match action.as_str() {
                "start" => {
                    let _ = self.start_session(StartArgs {
                        routine: None,
                        open: true,
                    });
                }
                "default" => self.open_window(Some(View::Session)),
                "snooze" => self.schedule_command(ScheduleCommand::Snooze { minutes: None }),
                "skip" => self.schedule_command(ScheduleCommand::Skip),
                other => log::debug!("ignoring notification action {other:?}"),
            },
            Input::NotificationFailed(detail) => {
                log::warn!("notification not shown ({detail}); showing the window instead");
                self.open_window(Some(View::Session));
            }
            Input::WindowExited { pid, detail } => {
                log::info!("window process {pid} ended: {detail}");
                self.shell.window_exited(pid);
            }
        }
    }

    fn tray_action(&mut self, action: TrayAction) {
        match action {
            TrayAction::StartRoutine(routine) => {
                if let Outcome::Error(e) = self.start_session(StartArgs {
                    routine,
                    open: true,
                }) {
                    log::warn!("{}", e.message);
                    self.open_window(Some(View::Session));
                }
            }
            TrayAction::PauseSession => {
                let _ = self.session_command(SessionAction::Pause);
            }
            TrayAction::ResumeSession => {
                let _ = self.session_command(SessionAction::Resume);
                self.open_window(Some(View::Session));
            }
            TrayAction::EndSession => {
                let _ = self.session_command(SessionAction::Stop);
            }
            TrayAction::StartTherapy(kind) => {
                if let Outcome::Error(e) = self.therapy_command(TherapyArgs {
                    action: TherapyAction::Start,
                    kind: Some(kind),
                    minutes: None,
                }) {
                    log::warn!("{}", e.message);
                }
            }
            TrayAction::StopTherapy => {
                let _ = self.therapy_command(TherapyArgs {
                    action: TherapyAction::Stop,
                    kind: None,
                    minutes: None,
                });
            }
            TrayAction::Snooze(minutes) => {
                self.schedule_command(ScheduleCommand::Snooze { minutes })
            }
            TrayAction::Skip => self.schedule_command(ScheduleCommand::Skip),
            TrayAction::Pause(length) => self.schedule_command(ScheduleCommand::Pause(length)),
            TrayAction::Resume => self.schedule_command(ScheduleCommand::Resume),
            TrayAction::Open(view) => self.open_window(view),
            TrayAction::Quit => self.quitting = true,
        }
    }

    fn request(&mut self, conn: ConnId, command: Command) -> Outcome {
        match command {
            Command::Hello(_) => ok(json!({"version": VERSION, "protocol": PROTOCOL_VERSION})),
            Command::Status(_) => ok(self.snapshot(Area::Status)),
            Command::Open(args) => {
                self.open_window(args.view);
                ok(Value::Null)
            }
            Command::Quit(_) => {
                self.quitting = true;
                ok(Value::Null)
            }
            Command::Subscribe(args) => {
                if args.role == Role::Window && self.window_conns.insert(conn) {
                    self.publish(Area::Status);
                }
                let view = if args.role == Role::Window {
                    self.pending_view.take()
                } else {
                    None
                };
                if args.role == Role::Window {
                    self.reload_routines();
                }
                ok(json!({
                    "snapshots": [
                        {"area": Area::Status, "data": self.snapshot(Area::Status)},
                        {"area": Area::Settings, "data": self.snapshot(Area::Settings)},
                        {"area": Area::Catalog, "data": self.snapshot(Area::Catalog)},
                        {"area": Area::History, "data": self.snapshot(Area::History)},
                    ],
                    "view": view,
                }))
            }
            Command::GetSettings(args) => match args.key {
                None => ok(self.settings_snapshot()),
                Some(key) => match self.settings.get(&key) {
                    Some(value) => ok(value),
                    None => error(
                        ErrorCode::InvalidValue,
                        format!(
                            "unknown setting '{key}'; known settings are {}",
                            settings::schema()
                                .iter()
                                .map(|s| s.key)
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ),
                },
            },
            Command::SetSettings(args) => self.set_settings(&args.values),
            Command::Snooze(args) => match args.minutes {
                Some(n) if !(1..=MAX_SNOOZE_MIN).contains(&n) => error(
                    ErrorCode::BadArgs,
                    format!("a snooze lasts 1 to {MAX_SNOOZE_MIN} minutes (got {n})"),
                ),
                minutes => {
                    self.schedule_command(ScheduleCommand::Snooze { minutes });
                    ok(self.snapshot(Area::Status))
                }
            },
            Command::Skip(_) => {
                self.schedule_command(ScheduleCommand::Skip);
                ok(self.snapshot(Area::Status))
            }
            Command::Pause(args) => match PauseLength::parse(&args.length) {
                Ok(length) => {
                    self.schedule_command(ScheduleCommand::Pause(length));
                    ok(self.snapshot(Area::Status))
                }
                Err(message) => error(ErrorCode::BadArgs, message),
            },
            Command::Resume(_) => {
                self.schedule_command(ScheduleCommand::Resume);
                ok(self.snapshot(Area::Status))
            }
            Command::BreakNow(_) => {
                self.schedule_command(ScheduleCommand::BreakNow);
                ok(self.snapshot(Area::Status))
            }
            Command::Start(args) => self.start_session(args),
            Command::Session(args) => self.session_command(args.action),
            Command::Catalog(_) => {
                self.reload_routines();
                ok(self.catalog_snapshot())
            }
            Command::SaveRoutine(args) => self.save_routine(&args),
            Command::DeleteRoutine(args) => self.delete_routine(&args.id),
            Command::ExportRoutine(args) => match self.catalog.routine(&args.id) {
                Some(routine) => self.export(
                    format!("{}.json", routine.id),
                    serde_json::to_string_pretty(&catalog::routine_to_file(routine))
                        .unwrap_or_default()
                        + "\n",
                    args.save,
                ),
                None => error(ErrorCode::NotFound, format!("no routine \"{}\"", args.id)),
            },
            Command::DismissResult(_) => {
                self.last_session = None;
                self.publish(Area::Status);
                ok(Value::Null)
            }
            Command::CheckIn(args) => self.check_in(args),
            Command::History(_) => self.history_figures(),
            Command::ExportHistory(args) => self.export_history(&args.format, args.save),
            Command::Therapy(args) => self.therapy_command(args),
        }
    }

    fn history_figures(&self) -> Outcome {
        match store::load_history(&self.paths.history_file()) {
            Ok((events, skipped)) => {
                for line in &skipped {
                    log::warn!("history line {} skipped: {}", line.line, line.reason);
                }
                let today = self.clock.now().wall.date_naive();
                ok(json!({
                    "stats": limber_core::stats::compute(&events, today),
                    "skipped_lines": skipped.len(),
                    "path": self.paths.history_file(),
                }))
            }
            Err(e) => error(ErrorCode::Io, format!("could not read the history: {e}")),
        }
    }

    /// An export's answer: its file name and text, and where it was saved if `save`.
    fn export(&self, file_name: String, text: String, save: bool) -> Outcome {
        let path = if save {
            match store::save_export(&self.paths.downloads_dir, &file_name, &text) {
                Ok(path) => Some(path),
                Err(e) => {
                    return error(
                        ErrorCode::Io,
                        format!(
                            "could not save {file_name} in {}: {e}",
                            self.paths.downloads_dir.display()
                        ),
                    )
                }
            }
        } else {
            None
        };
        ok(json!({"file_name": file_name, "text": text, "path": path}))
    }

    fn export_history(&self, format: &str, save: bool) -> Outcome {
        let events = match store::load_history(&self.paths.history_file()) {
            Ok((events, _)) => events,
            Err(e) => return error(ErrorCode::Io, format!("could not read the history: {e}")),
        };
        let stamp = self.clock.now().wall.format("%Y-%m-%d");
        match format {
            "csv" => self.export(
                format!("limber-history-{stamp}.csv"),
                limber_core::stats::to_csv(&events),
                save,
            ),
            "json" => self.export(
                format!("limber-history-{stamp}.json"),
                limber_core::stats::to_json(&events),
                save,
            ),
            other => error(
                ErrorCode::BadArgs,
                format!("unknown export format \"{other}\"; use csv or json"),
            ),
        }
    }

    fn set_settings(&mut self, values: &serde_json::Map<String, Value>) -> Outcome {
        if !self.settings_writable {
            return error(
                ErrorCode::Io,
                format!(
                    "{} could not be moved aside, so Limber will not overwrite it; fix or remove it and restart Limber",
                    self.paths.settings_file().display()
                ),
            );
        }
        let next = match self.settings.with_changes(values) {
            Ok(next) => next,
            Err(fields) => {
                let message = fields
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ");
                return Outcome::Error(ErrorBody {
                    code: ErrorCode::InvalidValue,
                    message,
                    fields,
                });
            }
        };
        if let Err(e) = store::save_settings(&self.paths.settings_file(), &next) {
            return error(
                ErrorCode::Io,
                format!(
                    "could not save {}: {e}",
                    self.paths.settings_file().display()
                ),
            );
        }
        self.settings = next;
        let now = self.clock.now();
        let effects = self.schedule.set_config(Config::from(&self.settings), &now);
        self.apply(effects);
        self.publish(Area::Settings);
        self.publish(Area::Status);
        self.refresh_tray();
        ok(self.settings_snapshot())
    }
}

/// "3" from 193 seconds: routine lengths as people say them, never "0".
pub fn minutes_label(total_s: u32) -> u32 {
    ((total_s + 30) / 60).max(1)
}
