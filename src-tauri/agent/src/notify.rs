//! Desktop notifications through notify-rust's zbus backend (no GTK, no libnotify).

use crate::driver::{Input, Notice};
use notify_rust::{Notification, NotificationResponse, Timeout};
use tokio::sync::mpsc;

/// The words of a break notification: (summary, body, actions as (id, label)).
pub fn break_text(sitting_min: u32, snooze_min: u32) -> (String, String, Vec<(String, String)>) {
    (
        format!("Time to move — {sitting_min} min at your desk"),
        "Stand up and stretch for a minute or three: your back will thank you.".to_owned(),
        vec![
            ("start".to_owned(), "Start stretch".to_owned()),
            ("snooze".to_owned(), format!("Snooze {snooze_min} min")),
            ("skip".to_owned(), "Skip".to_owned()),
        ],
    )
}

/// The words of the heat / ice timer's end: take the pack off (15 to 20 minutes at a
/// time; a heating pad is switched off: seeds 002 and 001).
pub fn therapy_text(kind: limber_core::history::TherapyKind, minutes: u32) -> (String, String) {
    match kind {
        limber_core::history::TherapyKind::Ice => (
            "Time to take the ice pack off".to_owned(),
            format!("{minutes} minutes are up. Give your skin a rest before any next round."),
        ),
        limber_core::history::TherapyKind::Heat => (
            "Time to take the heat pack off".to_owned(),
            format!("{minutes} minutes are up. If it was a heating pad, switch it off now."),
        ),
    }
}

/// Shows `notice` in the background. A break notification reports the clicked action back
/// to the driver; if it cannot be shown at all (no notification daemon), the driver hears
/// `NotificationFailed` and shows the window instead.
pub fn show(notice: Notice, inputs: mpsc::UnboundedSender<Input>) {
    tokio::spawn(async move {
        let mut notification = Notification::new();
        notification.appname("Limber").icon("limber");
        let is_break = matches!(notice, Notice::BreakDue { .. });
        match &notice {
            Notice::BreakDue {
                sitting_min,
                snooze_min,
            } => {
                let (summary, body, actions) = break_text(*sitting_min, *snooze_min);
                notification
                    .summary(&summary)
                    .body(&body)
                    .timeout(Timeout::Never);
                for (id, label) in &actions {
                    notification.action(id, label);
                }
            }
            Notice::Posture { cue } => {
                notification
                    .summary("Posture check")
                    .body(cue)
                    .timeout(Timeout::Milliseconds(8_000));
            }
            Notice::Info { summary, body } => {
                notification.summary(summary).body(body);
            }
            Notice::TherapyDone { kind, minutes } => {
                let (summary, body) = therapy_text(*kind, *minutes);
                notification
                    .summary(&summary)
                    .body(&body)
                    .timeout(Timeout::Never);
            }
        }
        match notification.show_async().await {
            Ok(handle) if is_break => {
                handle
                    .wait_for_action_async(|response: &NotificationResponse| {
                        let action = match response {
                            NotificationResponse::Default => "default".to_owned(),
                            NotificationResponse::Action(action) => action.clone(),
                            _ => return,
                        };
                        let _ = inputs.send(Input::NotificationAction(action));
                    })
                    .await;
            }
            Ok(_) => {}
            Err(e) if is_break => {
                let _ = inputs.send(Input::NotificationFailed(e.to_string()));
            }
            Err(e) => log::warn!("notification not shown: {e}"),
        }
    });
}
