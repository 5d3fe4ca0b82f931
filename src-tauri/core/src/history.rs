//! The history log's events: one JSON object per line of `history.jsonl`, appended as
//! things happen and never rewritten.
//!
//! Reading is forgiving: a line that cannot be read (a power cut mid-write, a hand edit)
//! is skipped with a warning naming its line number, and every other line still counts.

use crate::session::SessionRecord;
use crate::therapy::TherapyKind;
use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Deserializer, Serialize};

/// Where the back hurts, for a check-in.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum BackArea {
    Lower,
    Middle,
    Upper,
    Neck,
}

impl BackArea {
    /// Its wire name ("lower").
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// How the back feels, 0 (no pain) to 10 (worst). Exists only in range, so a check-in of
/// 99 is refused from every surface and a history line holding one is skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Score(u8);

pub const MAX_SCORE: u8 = 10;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a score is 0 (no pain) to {MAX_SCORE} (worst) (got {0})")]
pub struct ScoreError(pub u8);

impl TryFrom<u8> for Score {
    type Error = ScoreError;
    fn try_from(score: u8) -> Result<Self, ScoreError> {
        if score <= MAX_SCORE {
            Ok(Score(score))
        } else {
            Err(ScoreError(score))
        }
    }
}

impl From<Score> for u8 {
    fn from(score: Score) -> u8 {
        score.0
    }
}

impl Score {
    pub fn get(self) -> u8 {
        self.0
    }
}

impl std::str::FromStr for Score {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let n: u8 = text.trim().parse().map_err(|_| {
            format!("a score is a whole number from 0 to {MAX_SCORE} (got '{text}')")
        })?;
        Score::try_from(n).map_err(|e| e.to_string())
    }
}

/// Longest note a check-in keeps, in characters.
pub const MAX_NOTE_CHARS: usize = 280;

/// A check-in's note: trimmed, not empty, at most [`MAX_NOTE_CHARS`] characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Note(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    #[error("a note cannot be empty")]
    Empty,
    #[error("a note is at most {MAX_NOTE_CHARS} characters (got {0})")]
    TooLong(usize),
}

impl TryFrom<String> for Note {
    type Error = NoteError;
    fn try_from(text: String) -> Result<Self, NoteError> {
        let trimmed = text.trim();
        let chars = trimmed.chars().count();
        if chars == 0 {
            Err(NoteError::Empty)
        } else if chars > MAX_NOTE_CHARS {
            Err(NoteError::TooLong(chars))
        } else {
            Ok(Note(trimmed.to_owned()))
        }
    }
}

impl From<Note> for String {
    fn from(note: Note) -> String {
        note.0
    }
}

impl Note {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A note field where an empty or blank text means "no note" (the window sends "").
    pub fn deserialize_optional<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Note>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            Some(text) if !text.trim().is_empty() => Note::try_from(text)
                .map(Some)
                .map_err(serde::de::Error::custom),
            _ => Ok(None),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(tag = "type", rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EventKind {
    /// A break became due after this much sitting.
    BreakDue {
        sitting_min: u32,
    },
    BreakSnoozed {
        #[serde(alias = "minutes")]
        snooze_min: u32,
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
        score: Score,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        area: Option<BackArea>,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            deserialize_with = "Note::deserialize_optional"
        )]
        note: Option<Note>,
        /// Given on a session's end screen (rather than on its own).
        #[serde(default)]
        after_session: bool,
    },
    /// A heat or ice timer ended; `completed` when it ran its full length.
    Therapy {
        therapy: TherapyKind,
        #[serde(alias = "minutes")]
        length_min: u32,
        completed: bool,
    },
}

impl EventKind {
    /// The event's `type` in the log ("break_due").
    pub fn type_name(&self) -> &'static str {
        self.into()
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEvent {
    /// When it happened, with the local offset of that moment (so a day is the user's
    /// day, also across DST changes and travel).
    pub at: DateTime<FixedOffset>,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// A line that could not be read, for the log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkippedLine {
    pub line: usize,
    pub reason: String,
}

/// One line of the log: its event, `None` for a blank line, or why it cannot be read.
pub fn parse_line(line: &str) -> Result<Option<HistoryEvent>, String> {
    let line = line.trim();
    if line.is_empty() {
        return Ok(None);
    }
    serde_json::from_str::<HistoryEvent>(line)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Parses the log's text: every readable event, and the lines skipped. Blank lines are
/// ignored without a warning.
pub fn parse_log(text: &str) -> (Vec<HistoryEvent>, Vec<SkippedLine>) {
    let mut events = Vec::new();
    let mut skipped = Vec::new();
    for (i, line) in text.lines().enumerate() {
        match parse_line(line) {
            Ok(Some(event)) => events.push(event),
            Ok(None) => {}
            Err(reason) => skipped.push(SkippedLine {
                line: i + 1,
                reason,
            }),
        }
    }
    (events, skipped)
}

/// One event as its log line (without the newline).
pub fn to_line(event: &HistoryEvent) -> Result<String, serde_json::Error> {
    serde_json::to_string(event)
}

/// A posture check at 10:`minute` on Monday 23 November 2026, UTC+1: an event for the
/// history file tests.
#[cfg(test)]
pub(crate) fn posture_check_at(minute: u32) -> HistoryEvent {
    HistoryEvent {
        at: DateTime::parse_from_rfc3339(&format!("2026-11-23T10:{minute:02}:00+01:00"))
            .expect("a valid instant"),
        kind: EventKind::PostureCheck,
    }
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
                    active_s: 193,
                    started_at: at("2026-11-23T10:01:47+01:00"),
                    ended_at: at("2026-11-23T10:05:00+01:00"),
                    from_break: true,
                }),
            },
            HistoryEvent {
                at: at("2026-11-23T10:06:00+01:00"),
                kind: EventKind::CheckIn {
                    score: Score::try_from(3).unwrap(),
                    area: Some(BackArea::Lower),
                    note: Some(
                        Note::try_from("stiff \"after\" lunch\nbetter now".to_owned()).unwrap(),
                    ),
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

    #[test]
    fn version_1_lines_still_read_and_out_of_range_values_are_skipped() {
        let text = concat!(
            r#"{"at":"2026-11-23T10:00:00+01:00","type":"break_snoozed","minutes":10}"#,
            "\n",
            r#"{"at":"2026-11-23T10:00:00+01:00","type":"therapy","therapy":"ice","minutes":15,"completed":true}"#,
            "\n",
            r#"{"at":"2026-11-23T10:00:00+01:00","type":"session","routine":"hourly","routine_name":"Hourly","outcome":"completed","steps_done":4,"steps_total":4,"seconds":193,"started_at":"2026-11-23T09:57:00+01:00","ended_at":"2026-11-23T10:00:00+01:00","from_break":false}"#,
            "\n",
            r#"{"at":"2026-11-23T10:00:00+01:00","type":"check_in","score":99}"#,
            "\n",
            r#"{"at":"2026-11-23T10:00:00+01:00","type":"check_in","score":4,"note":"  "}"#,
            "\n",
        );
        let (events, skipped) = parse_log(text);
        assert_eq!(events[0].kind, EventKind::BreakSnoozed { snooze_min: 10 });
        assert!(matches!(
            events[1].kind,
            EventKind::Therapy { length_min: 15, .. }
        ));
        assert!(matches!(&events[2].kind, EventKind::Session(r) if r.active_s == 193));
        assert!(matches!(
            &events[3].kind,
            EventKind::CheckIn { note: None, .. }
        ));
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].line, 4);
        assert!(
            skipped[0].reason.contains("0 (no pain) to 10"),
            "{}",
            skipped[0].reason
        );
    }

    #[test]
    fn scores_and_notes_exist_only_valid() {
        assert!(Score::try_from(10).is_ok());
        assert_eq!(Score::try_from(11), Err(ScoreError(11)));
        assert_eq!("7".parse::<Score>().map(u8::from), Ok(7));
        assert!("-1".parse::<Score>().is_err());
        assert_eq!(Note::try_from("  hi ".to_owned()).unwrap().as_str(), "hi");
        assert_eq!(Note::try_from(" ".to_owned()), Err(NoteError::Empty));
        assert_eq!(
            Note::try_from("x".repeat(281)),
            Err(NoteError::TooLong(281))
        );
    }
}
