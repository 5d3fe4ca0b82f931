//! The tray icon and its menu (StatusNotifierItem + dbusmenu through `ksni`, no GTK).
//!
//! The menu is a pure function of a [`TrayModel`]; the driver builds the model from the
//! schedule snapshot and pushes it only when it changes, at most once a minute when idle.

use crate::driver::{Input, TrayAction};
use crate::icons;
use chrono::DateTime;
use ksni::menu::{MenuItem, StandardItem, SubMenu};
use limber_core::history::TherapyKind;
use limber_core::protocol::View;
use limber_core::schedule::{PauseLength, ScheduleSnapshot, State};
use tokio::sync::{mpsc, watch};

/// What the tray shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrayModel {
    /// The disabled first line: "Next break in 42 min", "Break due", "Paused until 14:30".
    pub headline: String,
    pub state: State,
    /// The snooze setting, shown in the "Snooze N min" item.
    pub snooze_min: u32,
    /// The running session: its routine's name, and whether it is paused.
    pub session: Option<(String, bool)>,
    /// Routines to start: (id, "Hourly break · 3 min").
    pub routines: Vec<(String, String)>,
    /// The heat / ice timer, in words ("Ice pack until 14:35").
    pub therapy: Option<String>,
}

/// "14:30" from an RFC 3339 time, in the offset it carries (the agent's local zone).
fn clock_time(rfc3339: &str) -> Option<String> {
    DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|t| t.format("%H:%M").to_string())
}

fn in_minutes(seconds: i64) -> String {
    // Rounded up: "in 1 min" until the break is due, never "in 0 min".
    let minutes = (seconds.max(0) + 59) / 60;
    if minutes <= 1 {
        "in 1 min".to_owned()
    } else {
        format!("in {minutes} min")
    }
}

impl TrayModel {
    pub fn from_snapshot(snapshot: &ScheduleSnapshot, snooze_min: u32) -> Self {
        let seconds = snapshot.next_break_in_s.unwrap_or(0);
        let headline = match snapshot.state {
            State::Active => format!("Next break {}", in_minutes(seconds)),
            State::Snoozed => format!("Snoozed · next break {}", in_minutes(seconds)),
            State::Due => "Break due".to_owned(),
            State::Paused => match snapshot.paused_until.as_deref().and_then(clock_time) {
                Some(time) => format!("Paused until {time}"),
                None => "Paused until you resume".to_owned(),
            },
            State::OffHours => "Outside working hours".to_owned(),
            State::InSession => "Stretching now".to_owned(),
        };
        Self {
            headline,
            state: snapshot.state,
            snooze_min,
            session: None,
            routines: Vec::new(),
            therapy: None,
        }
    }
}

/// The ksni tray. Menu callbacks only forward an action to the driver.
pub struct LimberTray {
    pub model: TrayModel,
    inputs: mpsc::UnboundedSender<Input>,
}

impl LimberTray {
    pub fn new(model: TrayModel, inputs: mpsc::UnboundedSender<Input>) -> Self {
        Self { model, inputs }
    }

    fn send(&self, action: TrayAction) {
        // Fails only while the agent is shutting down.
        let _ = self.inputs.send(Input::Tray(action));
    }
}

fn item(label: &str, enabled: bool, action: TrayAction) -> MenuItem<LimberTray> {
    StandardItem {
        label: label.to_owned(),
        enabled,
        activate: Box::new(move |tray: &mut LimberTray| tray.send(action.clone())),
        ..Default::default()
    }
    .into()
}

/// The lengths offered under "Snooze for".
pub const SNOOZE_CHOICES: [u32; 3] = [5, 10, 15];

/// The pause lengths offered under "Pause".
pub const PAUSE_CHOICES: [(&str, PauseLength); 5] = [
    ("30 min", PauseLength::Minutes { minutes: 30 }),
    ("1 hour", PauseLength::Minutes { minutes: 60 }),
    ("2 hours", PauseLength::Minutes { minutes: 120 }),
    ("Until tomorrow", PauseLength::Tomorrow),
    ("Until I resume", PauseLength::UntilResumed),
];

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
        self.send(TrayAction::Open(None));
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
                    item("Resume session", true, TrayAction::ResumeSession)
                } else {
                    item("Pause session", true, TrayAction::PauseSession)
                });
                menu.push(item("End session", true, TrayAction::EndSession));
            }
            None => {
                menu.push(item(
                    "Start stretch now",
                    true,
                    TrayAction::StartRoutine(None),
                ));
                menu.push(
                    SubMenu {
                        label: "Start a routine".to_owned(),
                        enabled: !self.model.routines.is_empty(),
                        submenu: self
                            .model
                            .routines
                            .iter()
                            .map(|(id, label)| {
                                item(label, true, TrayAction::StartRoutine(Some(id.clone())))
                            })
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
                !paused,
                TrayAction::Snooze(None),
            ),
            SubMenu {
                label: "Snooze for".to_owned(),
                enabled: !paused,
                submenu: SNOOZE_CHOICES
                    .iter()
                    .map(|m| item(&format!("{m} min"), true, TrayAction::Snooze(Some(*m))))
                    .collect(),
                ..Default::default()
            }
            .into(),
            item("Skip next break", !paused, TrayAction::Skip),
        ]);
        if paused {
            menu.push(item("Resume", true, TrayAction::Resume));
        } else {
            menu.push(
                SubMenu {
                    label: "Pause".to_owned(),
                    submenu: PAUSE_CHOICES
                        .iter()
                        .map(|(label, length)| item(label, true, TrayAction::Pause(*length)))
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
                menu.push(item("Stop heat/ice timer", true, TrayAction::StopTherapy));
            }
            None => menu.push(
                SubMenu {
                    label: "Heat or ice timer".to_owned(),
                    submenu: vec![
                        item(
                            "Ice, 15 min",
                            true,
                            TrayAction::StartTherapy(TherapyKind::Ice),
                        ),
                        item(
                            "Heat, 15 min",
                            true,
                            TrayAction::StartTherapy(TherapyKind::Heat),
                        ),
                    ],
                    ..Default::default()
                }
                .into(),
            ),
        }
        menu.extend([
            MenuItem::Separator,
            item("Open Limber", true, TrayAction::Open(None)),
            item("Settings…", true, TrayAction::Open(Some(View::Settings))),
            MenuItem::Separator,
            item("Quit", true, TrayAction::Quit),
        ]);
        menu
    }

    fn watcher_online(&self) {
        let _ = self.inputs.send(Input::TrayHost {
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
        let _ = self.inputs.send(Input::TrayHost {
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
    inputs: mpsc::UnboundedSender<Input>,
) -> Result<watch::Sender<TrayModel>, ksni::Error> {
    use ksni::TrayMethods;
    let handle = LimberTray::new(initial.clone(), inputs)
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

    fn snapshot(state: State, in_s: Option<i64>, paused_until: Option<&str>) -> ScheduleSnapshot {
        ScheduleSnapshot {
            state,
            next_break_at: None,
            next_break_in_s: in_s,
            paused_until: paused_until.map(str::to_owned),
            paused: state == State::Paused,
            due_since: None,
            break_interval_min: 60,
            away: false,
            working_hours_resume_at: None,
        }
    }

    fn check(snap: ScheduleSnapshot, expect: &str) {
        assert_eq!(TrayModel::from_snapshot(&snap, 10).headline, expect);
    }

    #[test]
    fn headlines_say_what_is_next_in_whole_minutes() {
        check(
            snapshot(State::Active, Some(3600), None),
            "Next break in 60 min",
        );
        check(
            snapshot(State::Active, Some(3541), None),
            "Next break in 60 min",
        );
        check(
            snapshot(State::Active, Some(61), None),
            "Next break in 2 min",
        );
        check(
            snapshot(State::Active, Some(5), None),
            "Next break in 1 min",
        );
        check(
            snapshot(State::Snoozed, Some(600), None),
            "Snoozed · next break in 10 min",
        );
        check(snapshot(State::Due, Some(0), None), "Break due");
        check(
            snapshot(State::Paused, None, Some("2026-11-23T14:30:00+01:00")),
            "Paused until 14:30",
        );
        check(
            snapshot(State::Paused, None, None),
            "Paused until you resume",
        );
    }
}
