//! The history log's events: one JSON object per line of `history.jsonl`, appended as
//! things happen and never rewritten.
//!
//! Reading is forgiving: a line that cannot be read (a power cut mid-write, a hand edit)
//! is skipped with a warning naming its line number, and every other line still counts.

use crate::session::SessionRecord;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Where the back hurts, for a check-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BackArea {
    Lower,
    Middle,
    Upper,
    Neck,
}

/// Heat or ice (the therapy timer).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TherapyKind {
    Ice,
    Heat,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// A break became due after this much sitting.
    BreakDue {
        sitting_min: u32,
    },
    BreakSnoozed {
        minutes: u32,
    },
    BreakSkipped,
    /// The user was away long enough (idle, locked or asleep); `was_due` when that
    /// answered a due break.
    NaturalBreak {
        away_min: u32,
        was_due: bool,
    },
    PostureCheck,
    /// A guided session ended (completed, stopped or abandoned).
    Session(SessionRecord),
    /// "How does your back feel?": 0 (no pain) to 10 (worst).
    CheckIn {
        score: u8,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        area: Option<BackArea>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        /// Given on a session's end screen (rather than on its own).
        #[serde(default)]
        after_session: bool,
    },
    /// A heat or ice timer ended; `completed` when it ran its full length.
    Therapy {
        therapy: TherapyKind,
        minutes: u32,
        completed: bool,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEvent {
    /// When it happened, with the local offset of that moment (so a day is the user's
    /// day, also across DST changes and travel).
    pub at: DateTime<FixedOffset>,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// Longest note a check-in keeps.
pub const MAX_NOTE_CHARS: usize = 280;

/// A line that could not be read, for the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedLine {
    pub line: usize,
    pub reason: String,
}

/// Parses the log's text: every readable event, and the lines skipped. Blank lines are
/// ignored without a warning.
pub fn parse_log(text: &str) -> (Vec<HistoryEvent>, Vec<SkippedLine>) {
    let mut events = Vec::new();
    let mut skipped = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<HistoryEvent>(line) {
            Ok(event) => events.push(event),
            Err(e) => skipped.push(SkippedLine {
                line: i + 1,
                reason: e.to_string(),
            }),
        }
    }
    (events, skipped)
}

/// One event as its log line (without the newline).
pub fn to_line(event: &HistoryEvent) -> Result<String, serde_json::Error> {
    serde_json::to_string(event)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Outcome;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn events_round_trip_as_one_line_each() {
        let events = vec![
            HistoryEvent {
                at: at("2026-11-23T10:00:00+01:00"),
                kind: EventKind::BreakDue { sitting_min: 60 },
            },
            HistoryEvent {
                at: at("2026-11-23T10:05:00+01:00"),
                kind: EventKind::Session(SessionRecord {
                    routine: "hourly".into(),
                    routine_name: "Hourly break".into(),
                    outcome: Outcome::Completed,
                    steps_done: 4,
                    steps_total: 4,
                    seconds: 193,
                    started_at: "2026-11-23T10:01:47+01:00".into(),
                    ended_at: "2026-11-23T10:05:00+01:00".into(),
                    from_break: true,
                }),
            },
            HistoryEvent {
                at: at("2026-11-23T10:06:00+01:00"),
                kind: EventKind::CheckIn {
                    score: 3,
                    area: Some(BackArea::Lower),
                    note: Some("stiff \"after\" lunch\nbetter now".into()),
                    after_session: true,
                },
            },
        ];
        let text: String = events.iter().map(|e| to_line(e).unwrap() + "\n").collect();
        assert_eq!(text.lines().count(), 3, "a note's newline stays escaped");
        assert!(text.starts_with(
            r#"{"at":"2026-11-23T10:00:00+01:00","type":"break_due","sitting_min":60}"#
        ));
        assert_eq!(parse_log(&text), (events, vec![]));
    }

    #[test]
    fn a_garbled_or_truncated_line_is_skipped_and_the_rest_kept() {
        let text = concat!(
            r#"{"at":"2026-11-23T10:00:00+01:00","type":"break_skipped"}"#,
            "\n",
            r#"{"at":"2026-11-23T10:"#,
            "\n\n",
            "\u{0}\u{0}garbage\n",
            r#"{"at":"2026-11-23T11:00:00+01:00","type":"posture_check"}"#,
            "\n",
            r#"{"at":"2026-11-23T12:00:00+01:00","type":"break_du"#,
        );
        let (events, skipped) = parse_log(text);
        assert_eq!(events.len(), 2);
        let lines: Vec<usize> = skipped.iter().map(|s| s.line).collect();
        assert_eq!(lines, vec![2, 4, 6]);
    }
}
