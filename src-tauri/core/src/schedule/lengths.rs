//! The lengths a user gives: how long a pause or a snooze lasts. Each exists only valid and
//! has one text form, used by the CLI, the socket and the window alike.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How long a pause lasts, as chosen in the tray, the window or on the command line.
///
/// Its text form is what the CLI takes and the socket carries: `30m`, `1h`, `1h30m`,
/// `90` (minutes), `2 hours`, `tomorrow`, `forever`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum PauseLength {
    Minutes {
        minutes: u32,
    },
    /// Until the next working day's start, or the next local 06:00.
    Tomorrow,
    UntilResumed,
}

/// Longest pause given in minutes: one week. Longer is what "until I resume" is for.
pub const MAX_PAUSE_MIN: u32 = 7 * 24 * 60;

/// Why a pause length was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PauseLengthError {
    #[error("'{0}' is not a pause length: use 30m, 1h, 2h, a duration such as 1h30m or 45 (minutes), tomorrow, or forever")]
    Unreadable(String),
    #[error("a pause must last from 1 minute to 7 days (got {0}); use 'forever' to pause until you resume")]
    OutOfRange(String),
    #[error("a pause is given in whole minutes (got {0})")]
    NotWholeMinutes(String),
}

impl PauseLength {
    /// The lengths offered in the tray and the window, with their labels.
    pub const CHOICES: [(&'static str, PauseLength); 5] = [
        ("30 min", PauseLength::Minutes { minutes: 30 }),
        ("1 hour", PauseLength::Minutes { minutes: 60 }),
        ("2 hours", PauseLength::Minutes { minutes: 120 }),
        ("Until tomorrow", PauseLength::Tomorrow),
        ("Until I resume", PauseLength::UntilResumed),
    ];

    /// Parses the text form; durations go through `humantime`, a bare number is minutes.
    pub fn parse(text: &str) -> Result<Self, PauseLengthError> {
        let text = text.trim().to_ascii_lowercase();
        match text.as_str() {
            "tomorrow" => return Ok(Self::Tomorrow),
            "forever" | "resume" | "until-resumed" => return Ok(Self::UntilResumed),
            _ => {}
        }
        let out_of_range = || PauseLengthError::OutOfRange(text.clone());
        let minutes: u64 = if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            // Only overflow can fail here: the text is all digits.
            text.parse().map_err(|_| out_of_range())?
        } else {
            let duration = humantime::parse_duration(&text).map_err(|e| match e {
                humantime::DurationError::NumberOverflow => out_of_range(),
                _ => PauseLengthError::Unreadable(text.clone()),
            })?;
            if duration.as_secs() % 60 != 0 || duration.subsec_nanos() != 0 {
                return Err(PauseLengthError::NotWholeMinutes(text.clone()));
            }
            duration.as_secs() / 60
        };
        match u32::try_from(minutes) {
            Ok(minutes) if (1..=MAX_PAUSE_MIN).contains(&minutes) => Ok(Self::Minutes { minutes }),
            _ => Err(out_of_range()),
        }
    }
}

impl fmt::Display for PauseLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PauseLength::Tomorrow => f.write_str("tomorrow"),
            PauseLength::UntilResumed => f.write_str("forever"),
            PauseLength::Minutes { minutes } => match (minutes / 60, minutes % 60) {
                (0, m) => write!(f, "{m}m"),
                (h, 0) => write!(f, "{h}h"),
                (h, m) => write!(f, "{h}h{m}m"),
            },
        }
    }
}

impl std::str::FromStr for PauseLength {
    type Err = PauseLengthError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        PauseLength::parse(text)
    }
}

impl TryFrom<String> for PauseLength {
    type Error = PauseLengthError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        PauseLength::parse(&text)
    }
}

impl From<PauseLength> for String {
    fn from(length: PauseLength) -> String {
        length.to_string()
    }
}

/// Longest snooze accepted from any surface, in minutes.
pub const MAX_SNOOZE_MIN: u32 = 120;

/// A snooze's length in whole minutes, 1 to [`MAX_SNOOZE_MIN`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct SnoozeMinutes(u32);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a snooze lasts 1 to {MAX_SNOOZE_MIN} minutes (got {0})")]
pub struct SnoozeLengthError(pub u32);

impl TryFrom<u32> for SnoozeMinutes {
    type Error = SnoozeLengthError;
    fn try_from(minutes: u32) -> Result<Self, Self::Error> {
        if (1..=MAX_SNOOZE_MIN).contains(&minutes) {
            Ok(SnoozeMinutes(minutes))
        } else {
            Err(SnoozeLengthError(minutes))
        }
    }
}

impl From<SnoozeMinutes> for u32 {
    fn from(minutes: SnoozeMinutes) -> u32 {
        minutes.0
    }
}

impl SnoozeMinutes {
    pub fn get(self) -> u32 {
        self.0
    }
}

impl std::str::FromStr for SnoozeMinutes {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let minutes: u32 = text.trim().parse().map_err(|_| {
            format!("a snooze is a whole number of minutes, 1 to {MAX_SNOOZE_MIN} (got '{text}')")
        })?;
        SnoozeMinutes::try_from(minutes).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_pause_lengths() {
        let cases: &[(&str, Result<PauseLength, &str>)] = &[
            ("30m", Ok(PauseLength::Minutes { minutes: 30 })),
            ("1h", Ok(PauseLength::Minutes { minutes: 60 })),
            ("2H", Ok(PauseLength::Minutes { minutes: 120 })),
            ("1h30m", Ok(PauseLength::Minutes { minutes: 90 })),
            ("45", Ok(PauseLength::Minutes { minutes: 45 })),
            ("tomorrow", Ok(PauseLength::Tomorrow)),
            ("forever", Ok(PauseLength::UntilResumed)),
            ("0m", Err("from 1 minute to 7 days")),
            ("8000h", Err("from 1 minute to 7 days")),
            ("99999999999999999999h", Err("from 1 minute to 7 days")),
            ("soon", Err("not a pause length")),
            ("", Err("not a pause length")),
            ("1h30", Err("not a pause length")),
            ("h", Err("not a pause length")),
            ("-5m", Err("not a pause length")),
            ("2 hours", Ok(PauseLength::Minutes { minutes: 120 })),
            ("90s", Err("whole minutes")),
        ];
        for (text, want) in cases {
            match (PauseLength::parse(text), want) {
                (Ok(got), Ok(want)) => assert_eq!(got, *want, "{text}"),
                (Err(got), Err(fragment)) => {
                    assert!(got.to_string().contains(fragment), "{text}: {got}")
                }
                (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
            }
        }
    }
}
