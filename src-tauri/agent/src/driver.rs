//! The agent's one timer task: owns the state, runs the core, and turns effects into work
//! for the shell (tray, notifications, window).
//!
//! It sleeps until the scheduler's next deadline, capped at [`MAX_SLEEP`], or until an
//! input arrives. It decides expiry by reading the clock after waking, never by trusting
//! the sleep: after a suspend the sleep may be far off.

use crate::clock::Clock;
use crate::tray::TrayModel;
use futures_util::future::BoxFuture;
use limber_core::protocol::{
    Area, Command, ErrorBody, ErrorCode, Event, Outcome, Role, Status, View, PROTOCOL_VERSION,
};
use limber_core::schedule::{Config, Effect, PauseLength, Schedule, ScheduleCommand};
use limber_core::settings::{self, BreakStyle, Settings};
use limber_core::store::{self, Paths};
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
    StartStretch,
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
        };
        if let Some(text) = agent.notice.clone() {
            log::warn!("{text}");
            agent.shell.notify(Notice::Info {
                summary: "Limber started with default settings".to_owned(),
                body: text,
            });
        }
        agent
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
        self.schedule
            .time_to_deadline(&self.clock.now())
            .and_then(|d| d.to_std().ok())
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
        let changed = !effects.is_empty();
        self.apply(effects);
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
        }
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
        let model = TrayModel::from_snapshot(
            &self.schedule.snapshot(&self.clock.now()),
            self.settings.snooze_min,
        );
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
                Effect::NaturalBreak { away_min, was_due } => log::info!(
                    "natural break: away {away_min} min{}",
                    if was_due {
                        ", answering a due break"
                    } else {
                        ""
                    }
                ),
                Effect::PostureCheck { cue } => self.shell.notify(Notice::Posture {
                    cue: limber_core::posture::cue(cue).to_owned(),
                }),
                Effect::WorkingHoursStarted => log::info!("working hours began"),
                Effect::WorkingHoursEnded => log::info!("working hours ended; Limber is quiet"),
            }
        }
    }

    fn schedule_command(&mut self, command: ScheduleCommand) {
        let now = self.clock.now();
        let effects = self.schedule.handle(command, &now);
        self.apply(effects);
        self.publish(Area::Status);
        self.refresh_tray();
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
                "start" | "default" => self.open_window(Some(View::Session)),
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
            TrayAction::StartStretch => self.open_window(Some(View::Session)),
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
                ok(json!({
                    "snapshots": [
                        {"area": Area::Status, "data": self.snapshot(Area::Status)},
                        {"area": Area::Settings, "data": self.snapshot(Area::Settings)},
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
