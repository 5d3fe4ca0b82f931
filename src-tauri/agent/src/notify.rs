//! Desktop notifications through notify-rust's zbus backend (no GTK, no libnotify).
//!
//! A notification's buttons carry commands: a click sends that command to the driver,
//! the same path as the same request from the tray, the CLI or the window.

use crate::ports::{Input, Notice, Origin};
use limber_core::protocol::{OpenArgs, View};
use limber_core::therapy::TherapyKind;
use notify_rust::{Notification, NotificationResponse, Timeout, Urgency};
use tokio::sync::mpsc;

/// The words of a break notification: (summary, body).
pub fn break_text(sitting_min: u32) -> (String, String) {
    (
        format!("Time to move — {sitting_min} min at your desk"),
        "Stand up and stretch for a minute or three: your back will thank you.".to_owned(),
    )
}

/// "2 hours", "2 hours 15 min", "45 min".
pub fn hours_and_minutes(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (1, 0) => "1 hour".to_owned(),
        (h, 0) => format!("{h} hours"),
        (1, m) => format!("1 hour {m} min"),
        (h, m) => format!("{h} hours {m} min"),
    }
}

/// The words of a break's warning: (summary, body).
pub fn soon_text(in_s: u32) -> (String, String) {
    let when = if in_s >= 90 {
        format!("in {} minutes", in_s.div_ceil(60))
    } else if in_s > 45 {
        "in a minute".to_owned()
    } else {
        format!("in {in_s} seconds")
    };
    (
        format!("A stretch break {when}"),
        "Time to finish what you are saying or typing.".to_owned(),
    )
}

/// The words of the heat / ice timer's end: take the pack off (15 to 20 minutes at a
/// time; a heating pad is switched off: seeds 002 and 001).
pub fn therapy_text(kind: TherapyKind, length_min: u32) -> (String, String) {
    match kind {
        TherapyKind::Ice => (
            "Time to take the ice pack off".to_owned(),
            format!("{length_min} minutes are up. Give your skin a rest before any next round."),
        ),
        TherapyKind::Heat => (
            "Time to take the heat pack off".to_owned(),
            format!("{length_min} minutes are up. If it was a heating pad, switch it off now."),
        ),
    }
}

/// Shows `notice` in the background. A break notification sends the command of the
/// clicked button to the driver (a click on its body opens the break window); if it
/// cannot be shown at all (no notification daemon), the driver hears `NotificationFailed`
/// and shows the window instead.
pub fn show(notice: Notice, inputs: mpsc::UnboundedSender<Input>) {
    tokio::spawn(async move {
        let mut notification = Notification::new();
        notification.appname("Limber").icon("limber");
        let mut actions = Vec::new();
        // A click on the body of a break notification opens the break.
        let mut on_click: Option<limber_core::protocol::Command> = None;
        match notice {
            Notice::BreakDue {
                sitting_min,
                actions: buttons,
            } => {
                let (summary, body) = break_text(sitting_min);
                notification
                    .summary(&summary)
                    .body(&body)
                    .timeout(Timeout::Never);
                for action in &buttons {
                    notification.action(action.id, &action.label);
                }
                actions = buttons;
                on_click = Some(
                    OpenArgs {
                        view: Some(View::Session),
                    }
                    .into(),
                );
            }
            Notice::BreakSoon {
                in_s,
                actions: buttons,
            } => {
                let (summary, body) = soon_text(in_s);
                // Quiet, and gone when the break comes.
                notification
                    .summary(&summary)
                    .body(&body)
                    .urgency(Urgency::Low)
                    .timeout(Timeout::Milliseconds(in_s.saturating_mul(1000).max(5_000)));
                for action in &buttons {
                    notification.action(action.id, &action.label);
                }
                actions = buttons;
            }
            Notice::Quiet { summary, body } => {
                notification
                    .summary(&summary)
                    .body(&body)
                    .urgency(Urgency::Low);
            }
            Notice::Posture { cue } => {
                notification
                    .summary("Posture check")
                    .body(&cue)
                    .timeout(Timeout::Milliseconds(8_000));
            }
            Notice::Info { summary, body } => {
                notification.summary(&summary).body(&body);
            }
            Notice::TherapyDone { kind, length_min } => {
                let (summary, body) = therapy_text(kind, length_min);
                notification
                    .summary(&summary)
                    .body(&body)
                    .timeout(Timeout::Never);
            }
        }
        let has_actions = !actions.is_empty();
        match notification.show_async().await {
            Ok(handle) if has_actions => {
                handle
                    .wait_for_action_async(|response: &NotificationResponse| {
                        let command = match response {
                            NotificationResponse::Default => match &on_click {
                                Some(command) => command.clone(),
                                None => return,
                            },
                            NotificationResponse::Action(id) => {
                                match actions.iter().find(|a| a.id == id.as_str()) {
                                    Some(action) => action.command.clone(),
                                    None => {
                                        log::debug!("ignoring notification action {id:?}");
                                        return;
                                    }
                                }
                            }
                            _ => return,
                        };
                        let _ = inputs.send(Input::command(Origin::Notification, command));
                    })
                    .await;
            }
            Ok(_) => {}
            Err(e) if on_click.is_some() => {
                let _ = inputs.send(Input::NotificationFailed(e.to_string()));
            }
            Err(e) => log::warn!("notification not shown: {e}"),
        }
    });
}
