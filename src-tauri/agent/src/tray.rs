//! The tray icon and its menu (StatusNotifierItem + dbusmenu through `ksni`, no GTK).
//!
//! The menu is a pure function of a [`TrayModel`], which is built from the agent's status;
//! every item carries the [`Command`] it sends, so a click takes the same path as the same
//! request from the CLI or the window. The driver pushes a new model only when it
//! changes, at most once a minute when idle.

use crate::icons;
use ksni::menu::{MenuItem, StandardItem, SubMenu};
use limber_core::protocol::{
    Command, OpenArgs, PauseArgs, QuitArgs, ResumeArgs, SessionArgs, SkipArgs, SnoozeArgs,
    StartArgs, Status, TherapyAction, TherapyArgs, View, SNOOZE_CHOICES_MIN,
};
use limber_core::routine::Routine;
use limber_core::schedule::{BusyReason, PauseLength, SnoozeMinutes, State};
use limber_core::session::{SessionAction, SessionState};
use limber_core::settings::Settings;
use limber_core::therapy::{TherapyKind, TherapyState};
use tokio::sync::watch;

/// What the tray shows.
#[derive(Clone, Debug, PartialEq)]
pub struct TrayModel {
    /// The disabled first line: "Next break in 42 min", "Break due", "Paused until 14:30".
    pub headline: String,
    pub state: State,
    /// The snooze setting, shown in the "Snooze N min" item.
    pub snooze_min: u32,
    /// Whether the coming break can still be snoozed (`max_snoozes`).
    pub can_snooze: bool,
    /// The running session: its routine's name, and whether it is paused.
    pub session: Option<(String, bool)>,
    /// Routines to start: (id, "Hourly break · 3 min").
    pub routines: Vec<(String, String)>,
    /// The heat / ice timer, in words ("Ice pack until 14:35").
    pub therapy: Option<String>,
}

fn in_minutes(seconds: u64) -> String {
    // Rounded up: "in 1 min" until the break is due, never "in 0 min".
    let minutes = seconds.div_ceil(60);
    if minutes <= 1 {
        "in 1 min".to_owned()
    } else {
        format!("in {minutes} min")
    }
}

impl TrayModel {
    pub fn new(status: &Status, routines: &[Routine], settings: &Settings) -> Self {
        let schedule = &status.schedule;
        let seconds = schedule.next_break_in_s.unwrap_or(0);
        let warning = u64::from(settings.break_warning_s);
        let held = schedule.hold.as_ref().map(|hold| match hold.reason {
            BusyReason::Fullscreen => "full screen",
            BusyReason::DoNotDisturb => "do not disturb",
            BusyReason::Inhibited => "in a call or a video",
        });
        let headline = match (schedule.state, held) {
            (State::Due, Some(why)) => format!("Break waiting ({why})"),
            (State::Active | State::Snoozed, _) if warning > 0 && seconds <= warning => {
                format!("Break coming {}", in_minutes(seconds))
            }
            (State::Active, _) => format!("Next break {}", in_minutes(seconds)),
            (State::Snoozed, _) => format!("Snoozed · next break {}", in_minutes(seconds)),
            (State::Due, None) => "Break due".to_owned(),
            (State::Paused, _) => match &schedule.paused_until {
                Some(until) => format!("Paused until {}", until.format("%H:%M")),
                None => "Paused until you resume".to_owned(),
            },
            (State::OffHours, _) => "Outside working hours".to_owned(),
            (State::InSession, _) => "Stretching now".to_owned(),
        };
        Self {
            headline,
            state: schedule.state,
            snooze_min: settings.snooze_min,
            can_snooze: schedule.snoozes_left != Some(0),
            session: status
                .session
                .as_ref()
                .map(|s| (s.routine_name.clone(), s.state == SessionState::Paused)),
            routines: routines
                .iter()
                .map(|r| (r.id.clone(), format!("{} · {} min", r.name, r.minutes())))
                .collect(),
            therapy: status.therapy.as_ref().map(|t| {
                let kind = t.kind.label();
                match (t.state, t.ends_at) {
                    (TherapyState::Running, Some(at)) => {
                        format!("{kind} pack until {}", at.format("%H:%M"))
                    }
                    _ => format!("{kind} timer paused"),
                }
            }),
        }
    }
}

/// What the tray reports: a clicked item's command, or a tray host coming or going.
#[derive(Debug)]
pub enum TrayEvent {
    Clicked(Command),
    Host { online: bool, detail: String },
}

/// Where the tray reports to (the agent turns it into its inputs).
pub type Sink = Box<dyn Fn(TrayEvent) + Send + Sync>;

/// The ksni tray. Menu callbacks only report the item's command.
pub struct LimberTray {
    pub model: TrayModel,
    sink: Sink,
}

impl LimberTray {
    pub fn new(model: TrayModel, sink: Sink) -> Self {
        Self { model, sink }
    }

    fn send(&self, command: Command) {
        (self.sink)(TrayEvent::Clicked(command));
    }
}

fn item(label: &str, enabled: bool, command: impl Into<Command>) -> MenuItem<LimberTray> {
    let command = command.into();
    StandardItem {
        label: label.to_owned(),
        enabled,
        activate: Box::new(move |tray: &mut LimberTray| tray.send(command.clone())),
        ..Default::default()
    }
    .into()
}

fn open(view: Option<View>) -> OpenArgs {
    OpenArgs { view }
}

fn session(action: SessionAction, open: bool) -> SessionArgs {
    SessionArgs { action, open }
}

fn start(routine: Option<String>) -> StartArgs {
    StartArgs {
        routine,
        open: true,
    }
}

impl ksni::Tray for LimberTray {
    fn id(&self) -> String {
        "limber".to_owned()
    }

    fn title(&self) -> String {
        "Limber".to_owned()
    }

    fn category(&self) -> ksni::Category {
        ksni::Category::ApplicationStatus
    }

    fn status(&self) -> ksni::Status {
        match self.model.state {
            State::Due => ksni::Status::NeedsAttention,
            _ => ksni::Status::Active,
        }
    }

    fn icon_pixmap(&self) -> Vec<ksni::Icon> {
        icons::tray_icon(self.model.state)
    }

    fn attention_icon_pixmap(&self) -> Vec<ksni::Icon> {
        icons::tray_icon(State::Due)
    }

    fn tool_tip(&self) -> ksni::ToolTip {
        ksni::ToolTip {
            title: "Limber".to_owned(),
            description: self.model.headline.clone(),
            ..Default::default()
        }
    }

    fn activate(&mut self, _x: i32, _y: i32) {
        self.send(open(None).into());
    }

    fn menu(&self) -> Vec<MenuItem<Self>> {
        let paused = self.model.state == State::Paused;
        let headline = match &self.model.session {
            Some((name, true)) => format!("Session paused: {name}"),
            Some((name, false)) => format!("Stretching: {name}"),
            None => self.model.headline.clone(),
        };
        let mut menu = vec![
            StandardItem {
                label: headline,
                enabled: false,
                ..Default::default()
            }
            .into(),
            MenuItem::Separator,
        ];
        match &self.model.session {
            Some((_, is_paused)) => {
                menu.push(if *is_paused {
                    item("Resume session", true, session(SessionAction::Resume, true))
                } else {
                    item("Pause session", true, session(SessionAction::Pause, false))
                });
                menu.push(item(
                    "End session",
                    true,
                    session(SessionAction::Stop, false),
                ));
            }
            None => {
                menu.push(item("Start stretch now", true, start(None)));
                menu.push(
                    SubMenu {
                        label: "Start a routine".to_owned(),
                        enabled: !self.model.routines.is_empty(),
                        submenu: self
                            .model
                            .routines
                            .iter()
                            .map(|(id, label)| item(label, true, start(Some(id.clone()))))
                            .collect(),
                        ..Default::default()
                    }
                    .into(),
                );
            }
        }
        menu.extend([
            item(
                &format!("Snooze {} min", self.model.snooze_min),
                !paused && self.model.can_snooze,
                SnoozeArgs { minutes: None },
            ),
            SubMenu {
                label: "Snooze for".to_owned(),
                enabled: !paused && self.model.can_snooze,
                submenu: SNOOZE_CHOICES_MIN
                    .iter()
                    .filter_map(|m| SnoozeMinutes::try_from(*m).ok())
                    .map(|m| {
                        item(
                            &format!("{} min", m.get()),
                            true,
                            SnoozeArgs { minutes: Some(m) },
                        )
                    })
                    .collect(),
                ..Default::default()
            }
            .into(),
            item("Skip next break", !paused, SkipArgs {}),
        ]);
        if paused {
            menu.push(item("Resume", true, ResumeArgs {}));
        } else {
            menu.push(
                SubMenu {
                    label: "Pause".to_owned(),
                    submenu: PauseLength::CHOICES
                        .iter()
                        .map(|(label, length)| item(label, true, PauseArgs { length: *length }))
                        .collect(),
                    ..Default::default()
                }
                .into(),
            );
        }
        menu.push(MenuItem::Separator);
        match &self.model.therapy {
            Some(text) => {
                menu.push(
                    StandardItem {
                        label: text.clone(),
                        enabled: false,
                        ..Default::default()
                    }
                    .into(),
                );
                menu.push(item(
                    "Stop heat/ice timer",
                    true,
                    TherapyArgs::control(TherapyAction::Stop),
                ));
            }
            None => menu.push(
                SubMenu {
                    label: "Heat or ice timer".to_owned(),
                    submenu: vec![
                        item(
                            "Ice, 15 min",
                            true,
                            TherapyArgs::start(TherapyKind::Ice, None),
                        ),
                        item(
                            "Heat, 15 min",
                            true,
                            TherapyArgs::start(TherapyKind::Heat, None),
                        ),
                    ],
                    ..Default::default()
                }
                .into(),
            ),
        }
        menu.extend([
            MenuItem::Separator,
            item("Open Limber", true, open(None)),
            item("Settings…", true, open(Some(View::Settings))),
            MenuItem::Separator,
            item("Quit", true, QuitArgs {}),
        ]);
        menu
    }

    fn watcher_online(&self) {
        (self.sink)(TrayEvent::Host {
            online: true,
            detail: "a StatusNotifierWatcher appeared".to_owned(),
        });
    }

    fn watcher_offline(&self, reason: ksni::OfflineReason) -> bool {
        let detail = match reason {
            ksni::OfflineReason::No => "the StatusNotifierWatcher went away".to_owned(),
            ksni::OfflineReason::Error(e) => e.to_string(),
            _ => "the StatusNotifierWatcher is offline".to_owned(),
        };
        (self.sink)(TrayEvent::Host {
            online: false,
            detail,
        });
        // Keep the service: the icon registers again when a host appears.
        true
    }
}

/// Starts the tray service and a task that applies model updates in order. Returns the
/// sender for updates; on error (no session bus at all) the caller falls back to the window.
pub async fn spawn(
    initial: TrayModel,
    sink: Sink,
) -> Result<watch::Sender<TrayModel>, ksni::Error> {
    use ksni::TrayMethods;
    let handle = LimberTray::new(initial.clone(), sink)
        .assume_sni_available(true)
        .spawn()
        .await?;
    let (tx, mut rx) = watch::channel(initial);
    tokio::spawn(async move {
        while rx.changed().await.is_ok() {
            let model = rx.borrow_and_update().clone();
            if handle.update(|tray| tray.model = model).await.is_none() {
                break;
            }
        }
        handle.shutdown().await;
    });
    Ok(tx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;
    use limber_core::schedule::ScheduleSnapshot;

    fn status(state: State, in_s: Option<u64>, paused_until: Option<&str>) -> Status {
        Status {
            version: String::new(),
            protocol: 2,
            schedule: ScheduleSnapshot {
                state,
                next_break_at: None,
                next_break_in_s: in_s,
                paused_until: paused_until.map(|t| DateTime::parse_from_rfc3339(t).unwrap()),
                paused: state == State::Paused,
                due_since: None,
                break_interval_min: 60,
                away: false,
                locked: false,
                working_hours_resume_at: None,
                snoozes_left: Some(3),
                hold: None,
            },
            settings_notice: None,
            history_notice: None,
            tray: true,
            window_open: false,
            idle_detection: String::new(),
            lock_detection: String::new(),
            pid: 1,
            session: None,
            last_session: None,
            therapy: None,
            pain: None,
        }
    }

    fn check(status: Status, expect: &str) {
        let model = TrayModel::new(&status, &[], &Settings::default());
        assert_eq!(model.headline, expect);
    }

    #[test]
    fn headlines_say_what_is_next_in_whole_minutes() {
        check(
            status(State::Active, Some(3600), None),
            "Next break in 60 min",
        );
        check(
            status(State::Active, Some(3541), None),
            "Next break in 60 min",
        );
        check(status(State::Active, Some(61), None), "Next break in 2 min");
        // Within the warning (a minute, by default), the tray says it is coming.
        check(
            status(State::Active, Some(5), None),
            "Break coming in 1 min",
        );
        check(
            status(State::Snoozed, Some(600), None),
            "Snoozed · next break in 10 min",
        );
        check(status(State::Due, Some(0), None), "Break due");
        check(
            status(State::Paused, None, Some("2026-11-23T14:30:00+01:00")),
            "Paused until 14:30",
        );
        check(status(State::Paused, None, None), "Paused until you resume");
        check(
            status(State::Active, Some(50), None),
            "Break coming in 1 min",
        );
        let mut held = status(State::Due, Some(0), None);
        held.schedule.hold = Some(limber_core::schedule::HoldSnapshot {
            reason: BusyReason::Inhibited,
            since: DateTime::parse_from_rfc3339("2026-11-23T14:30:00+01:00").unwrap(),
        });
        check(held, "Break waiting (in a call or a video)");
    }

    #[test]
    fn snooze_is_offered_only_while_snoozes_are_left() {
        let mut at_cap = status(State::Due, Some(0), None);
        at_cap.schedule.snoozes_left = Some(0);
        assert!(!TrayModel::new(&at_cap, &[], &Settings::default()).can_snooze);
        at_cap.schedule.snoozes_left = None;
        assert!(TrayModel::new(&at_cap, &[], &Settings::default()).can_snooze);
    }
}
