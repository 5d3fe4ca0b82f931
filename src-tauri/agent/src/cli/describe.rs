//! `limber status` in words.

use limber_core::protocol::Status;
use limber_core::schedule::State;
use limber_core::session::SessionState;
use limber_core::therapy::TherapyState;

/// Text the agent sent (routine names, notes) as safe to print: control and bidi-override
/// characters become U+FFFD, so nothing can rewrite the terminal or reorder a line.
pub fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c != '\n' && limber_core::catalog::is_unsafe_char(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

pub fn describe(status: &Status) -> String {
    let schedule = &status.schedule;
    let at = |t: &Option<chrono::DateTime<chrono::FixedOffset>>| {
        t.map(|t| t.format("%H:%M").to_string()).unwrap_or_default()
    };
    // Rounded up, as in the tray: "in 1 min" until the break is due.
    let minutes = schedule.next_break_in_s.unwrap_or(0).div_ceil(60);
    let line = match schedule.state {
        State::Active => format!(
            "Next break in {minutes} min (at {})",
            at(&schedule.next_break_at)
        ),
        State::Snoozed => format!(
            "Snoozed: next break in {minutes} min (at {})",
            at(&schedule.next_break_at)
        ),
        State::Due => "A break is due now.".to_owned(),
        State::Paused if schedule.paused_until.is_some() => {
            format!("Paused until {}", at(&schedule.paused_until))
        }
        State::Paused => "Paused until you resume".to_owned(),
        State::OffHours => match schedule.working_hours_resume_at {
            Some(t) => format!(
                "Outside working hours; reminders start again {}",
                t.format("%a %H:%M")
            ),
            None => "Outside working hours".to_owned(),
        },
        State::InSession => match &status.session {
            Some(session) => format!(
                "{} · {} · {} · {}:{:02}{}",
                printable(&session.routine_name),
                printable(&session.exercise_name),
                session.cue,
                session.remaining_s / 60,
                session.remaining_s % 60,
                if session.state == SessionState::Paused {
                    " (paused)"
                } else {
                    ""
                }
            ),
            None => "Stretching now".to_owned(),
        },
    };
    let mut text = format!("Limber {}: {line}", status.version);
    if let Some(notice) = &status.settings_notice {
        text.push_str(&format!("\nNote: {notice}"));
    }
    if let Some(notice) = &status.history_notice {
        text.push_str(&format!("\nHistory: {notice}"));
    }
    if schedule.locked {
        text.push_str("\nThe screen is locked: nothing pops up until you are back.");
    }
    if schedule.away {
        text.push_str("\nYou seem to be away: that counts as a break.");
    }
    if status.idle_detection.starts_with("none") {
        text.push_str(&format!("\nIdle time: {}", status.idle_detection));
    }
    if let Some(therapy) = &status.therapy {
        text.push_str(&format!(
            "\n{} timer: {}:{:02} left{}",
            therapy.kind.label(),
            therapy.remaining_s / 60,
            therapy.remaining_s % 60,
            if therapy.state == TherapyState::Paused {
                " (paused)"
            } else {
                ""
            }
        ));
    }
    if !status.tray {
        text.push_str("\nNo tray host: the tray icon is not shown on this desktop.");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_text_cannot_steer_the_terminal() {
        assert_eq!(printable("Morning\u{1b}[2J"), "Morning\u{FFFD}[2J");
        assert_eq!(printable("abc\u{202E}def"), "abc\u{FFFD}def");
        assert_eq!(printable("Rücken · 3 min"), "Rücken · 3 min");
    }
}
