//! User settings: defaults, validation with errors that name the field, and the
//! "only what differs from the defaults" form that is written to disk.
//!
//! Every change goes through [`Settings::apply`], whether it comes from the settings file,
//! the Settings screen or `limber config set`: one set of rules, one set of messages.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// How a due break is brought to the user's attention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakStyle {
    Notification,
    Window,
    Both,
}

impl BreakStyle {
    const NAMES: [&'static str; 3] = ["notification", "window", "both"];

    fn parse(name: &str) -> Option<Self> {
        match name {
            "notification" => Some(Self::Notification),
            "window" => Some(Self::Window),
            "both" => Some(Self::Both),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Minutes of sitting between movement breaks.
    pub break_interval_min: u32,
    /// Minutes a snooze (and a repeated reminder of an ignored break) waits.
    pub snooze_min: u32,
    /// Minutes without input that count as a natural break.
    pub natural_break_min: u32,
    /// Minutes between posture checks; 0 turns them off.
    pub posture_interval_min: u32,
    pub break_style: BreakStyle,
    /// Sound cues in guided sessions.
    pub sound: bool,
    /// Whether reminders keep to working hours.
    pub working_hours: bool,
    /// Working days, as "mon" … "sun", in week order.
    pub work_days: Vec<String>,
    /// Start and end of the working day, local "HH:MM"; the end is after the start.
    pub work_start: String,
    pub work_end: String,
    /// The local date the current back pain started ("YYYY-MM-DD"), or "" when not given:
    /// the Guide names the stage and suggests ice or heat from it.
    pub pain_started: String,
    /// Whether the first-run welcome was shown and closed.
    pub welcomed: bool,
}

/// Day names as stored, Monday first (chrono's `num_days_from_monday` order).
pub const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// "HH:MM" (24-hour) to a time of day.
pub fn parse_clock(text: &str) -> Option<chrono::NaiveTime> {
    let (h, m) = text.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    chrono::NaiveTime::from_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            break_interval_min: 60,
            snooze_min: 10,
            natural_break_min: 5,
            posture_interval_min: 20,
            break_style: BreakStyle::Both,
            sound: true,
            working_hours: false,
            work_days: DAY_NAMES[..5].iter().map(|d| (*d).to_owned()).collect(),
            work_start: "09:00".to_owned(),
            work_end: "17:00".to_owned(),
            pain_started: String::new(),
            welcomed: false,
        }
    }
}

/// What kind of value a setting takes, with its allowed range: the Settings screen shows
/// this, and validation uses it, so the two cannot disagree.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FieldKind {
    /// Whole minutes in `min..=max`; if `zero_means_off`, 0 is allowed too.
    Minutes {
        min: u32,
        max: u32,
        zero_means_off: bool,
    },
    Choice {
        options: Vec<&'static str>,
    },
    Bool,
    /// A local time of day, "HH:MM".
    Time,
    /// A set of weekdays from `options`.
    Days {
        options: Vec<&'static str>,
    },
    /// A calendar date, "YYYY-MM-DD", or "" for none.
    Date,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    #[serde(flatten)]
    pub kind: FieldKind,
    /// Set elsewhere (the Guide, the welcome), not on the Settings screen.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
}

/// A rejected value: which setting, and why, in words a user can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingError {
    pub key: String,
    pub message: String,
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.key, self.message)
    }
}

impl std::error::Error for SettingError {}

pub fn schema() -> Vec<FieldSpec> {
    let minutes = |min, max, zero_means_off| FieldKind::Minutes {
        min,
        max,
        zero_means_off,
    };
    vec![
        FieldSpec {
            key: "break_interval_min",
            label: "Movement break every",
            help: "Minutes of sitting before Limber asks you to move.",
            kind: minutes(5, 240, false),
            hidden: false,
        },
        FieldSpec {
            key: "snooze_min",
            label: "Snooze for",
            help: "Minutes a snooze lasts; an ignored break reminds you again after this long.",
            kind: minutes(1, 60, false),
            hidden: false,
        },
        FieldSpec {
            key: "natural_break_min",
            label: "Natural break after",
            help: "Minutes away from keyboard and mouse (or with the screen locked or the computer asleep) that count as a break.",
            kind: minutes(1, 60, false),
            hidden: false,
        },
        FieldSpec {
            key: "posture_interval_min",
            label: "Posture check every",
            help: "Minutes between short posture reminders while you are at your desk; 0 turns them off.",
            kind: minutes(5, 120, true),
            hidden: false,
        },
        FieldSpec {
            key: "break_style",
            label: "When a break is due, show",
            help: "A desktop notification, the break window, or both.",
            kind: FieldKind::Choice {
                options: BreakStyle::NAMES.to_vec(),
            },
            hidden: false,
        },
        FieldSpec {
            key: "sound",
            label: "Sound cues",
            help: "Soft tones during guided stretches: a tick before each change, a call to switch sides, a chord at the end.",
            kind: FieldKind::Bool,
            hidden: false,
        },
        FieldSpec {
            key: "working_hours",
            label: "Keep to working hours",
            help: "Outside the days and hours below, Limber stays quiet.",
            kind: FieldKind::Bool,
            hidden: false,
        },
        FieldSpec {
            key: "work_days",
            label: "Working days",
            help: "The days on which reminders run.",
            kind: FieldKind::Days {
                options: DAY_NAMES.to_vec(),
            },
            hidden: false,
        },
        FieldSpec {
            key: "work_start",
            label: "Working day starts at",
            help: "Local time; sitting time starts counting here.",
            kind: FieldKind::Time,
            hidden: false,
        },
        FieldSpec {
            key: "work_end",
            label: "Working day ends at",
            help: "Local time; must be after the start.",
            kind: FieldKind::Time,
            hidden: false,
        },
        FieldSpec {
            key: "pain_started",
            label: "My back pain started on",
            help: "A date (YYYY-MM-DD), or empty. The Guide uses it to suggest heat or ice.",
            kind: FieldKind::Date,
            hidden: true,
        },
        FieldSpec {
            key: "welcomed",
            label: "Welcome shown",
            help: "Whether the first-run welcome was closed.",
            kind: FieldKind::Bool,
            hidden: true,
        },
    ]
}

fn spec(key: &str) -> Option<FieldSpec> {
    schema().into_iter().find(|spec| spec.key == key)
}

fn error(key: &str, message: impl Into<String>) -> SettingError {
    SettingError {
        key: key.to_owned(),
        message: message.into(),
    }
}

/// Accepts a JSON number, or a string holding one (what `limber config set` passes).
fn minutes_value(
    key: &str,
    value: &Value,
    min: u32,
    max: u32,
    zero_means_off: bool,
) -> Result<u32, SettingError> {
    let range = if zero_means_off {
        format!("0 (off) or a whole number of minutes from {min} to {max}")
    } else {
        format!("a whole number of minutes from {min} to {max}")
    };
    let number = match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    match number {
        Some(0) if zero_means_off => Ok(0),
        Some(n) if (u64::from(min)..=u64::from(max)).contains(&n) => {
            u32::try_from(n).map_err(|_| error(key, format!("must be {range}")))
        }
        _ => Err(error(key, format!("must be {range} (got {value})"))),
    }
}

/// A list of day names (JSON array, or a comma-separated string from the CLI), returned in
/// week order without repeats.
fn days_value(key: &str, value: &Value) -> Result<Vec<String>, SettingError> {
    let names: Vec<String> = match value {
        Value::Array(items) => items
            .iter()
            .map(|v| v.as_str().map(|s| s.trim().to_ascii_lowercase()))
            .collect::<Option<_>>()
            .ok_or_else(|| error(key, format!("must be a list of day names (got {value})")))?,
        Value::String(s) if s.trim().is_empty() => Vec::new(),
        Value::String(s) => s
            .split(',')
            .map(|d| d.trim().to_ascii_lowercase())
            .collect(),
        _ => {
            return Err(error(
                key,
                format!("must be a list of day names (got {value})"),
            ))
        }
    };
    if let Some(bad) = names.iter().find(|n| !DAY_NAMES.contains(&n.as_str())) {
        return Err(error(
            key,
            format!("'{bad}' is not a day; use {}", DAY_NAMES.join(", ")),
        ));
    }
    Ok(DAY_NAMES
        .iter()
        .filter(|d| names.iter().any(|n| n == *d))
        .map(|d| (*d).to_owned())
        .collect())
}

fn bool_value(key: &str, value: &Value) -> Result<bool, SettingError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if matches!(s.as_str(), "true" | "on" | "yes") => Ok(true),
        Value::String(s) if matches!(s.as_str(), "false" | "off" | "no") => Ok(false),
        _ => Err(error(key, format!("must be true or false (got {value})"))),
    }
}

impl Settings {
    /// Sets one field from a JSON value after validating it; on error nothing changes.
    pub fn apply(&mut self, key: &str, value: &Value) -> Result<(), SettingError> {
        let Some(spec) = spec(key) else {
            let known: Vec<_> = schema().iter().map(|s| s.key).collect();
            return Err(error(
                key,
                format!("unknown setting; known settings are {}", known.join(", ")),
            ));
        };
        let minutes = |value: &Value| match spec.kind {
            FieldKind::Minutes {
                min,
                max,
                zero_means_off,
            } => minutes_value(key, value, min, max, zero_means_off),
            _ => Err(error(key, "is not a number of minutes")),
        };
        match key {
            "break_interval_min" => self.break_interval_min = minutes(value)?,
            "snooze_min" => self.snooze_min = minutes(value)?,
            "natural_break_min" => self.natural_break_min = minutes(value)?,
            "posture_interval_min" => self.posture_interval_min = minutes(value)?,
            "break_style" => {
                self.break_style = value.as_str().and_then(BreakStyle::parse).ok_or_else(|| {
                    error(
                        key,
                        format!(
                            "must be one of {} (got {value})",
                            BreakStyle::NAMES.join(", ")
                        ),
                    )
                })?
            }
            "sound" => self.sound = bool_value(key, value)?,
            "working_hours" => self.working_hours = bool_value(key, value)?,
            "work_days" => self.work_days = days_value(key, value)?,
            "welcomed" => self.welcomed = bool_value(key, value)?,
            "pain_started" => {
                let text = value.as_str().map(str::trim).ok_or_else(|| {
                    error(
                        key,
                        format!("must be a date as YYYY-MM-DD, or empty (got {value})"),
                    )
                })?;
                if !text.is_empty() && chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_err()
                {
                    return Err(error(
                        key,
                        format!("must be a date as YYYY-MM-DD, such as 2026-11-20, or empty (got \"{text}\")"),
                    ));
                }
                self.pain_started = text.to_owned();
            }
            "work_start" | "work_end" => {
                let text = value.as_str().unwrap_or_default();
                let time = parse_clock(text).ok_or_else(|| {
                    error(
                        key,
                        format!("must be a time of day as HH:MM, such as 09:00 (got {value})"),
                    )
                })?;
                let normal = time.format("%H:%M").to_string();
                if key == "work_start" {
                    self.work_start = normal;
                } else {
                    self.work_end = normal;
                }
            }
            _ => unreachable!("every key in schema() is handled above"),
        }
        Ok(())
    }

    /// Applies several changes at once: either all of them are valid and applied, or none
    /// is, and every problem is reported.
    pub fn with_changes(
        &self,
        changes: &Map<String, Value>,
    ) -> Result<Settings, Vec<SettingError>> {
        let mut next = self.clone();
        let mut errors: Vec<_> = changes
            .iter()
            .filter_map(|(key, value)| next.apply(key, value).err())
            .collect();
        // Rules across fields, checked on the result so both ends can change at once.
        if errors.is_empty() && next.work_end <= next.work_start {
            errors.push(error(
                "work_end",
                format!(
                    "the working day must end after it starts ({} is not after {})",
                    next.work_end, next.work_start
                ),
            ));
        }
        if errors.is_empty() && next.working_hours && next.work_days.is_empty() {
            errors.push(error(
                "work_days",
                "choose at least one working day, or turn working hours off",
            ));
        }
        if errors.is_empty() {
            Ok(next)
        } else {
            Err(errors)
        }
    }

    /// Builds settings from the file form (defaults plus the user's differences).
    pub fn from_file_map(map: &Map<String, Value>) -> Result<Settings, Vec<SettingError>> {
        Settings::default().with_changes(map)
    }

    /// The file form: only the fields that differ from the defaults.
    pub fn to_file_map(&self) -> Map<String, Value> {
        let (Value::Object(mine), Value::Object(defaults)) = (
            serde_json::to_value(self).unwrap_or(Value::Null),
            serde_json::to_value(Settings::default()).unwrap_or(Value::Null),
        ) else {
            return Map::new();
        };
        mine.into_iter()
            .filter(|(key, value)| defaults.get(key) != Some(value))
            .collect()
    }

    /// One field as JSON, for `limber config get KEY`.
    pub fn get(&self, key: &str) -> Option<Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map.get(key).cloned(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check_apply(key: &str, value: Value, expect: Result<Value, &str>) {
        let mut settings = Settings::default();
        let before = settings.clone();
        match (settings.apply(key, &value), expect) {
            (Ok(()), Ok(want)) => assert_eq!(settings.get(key), Some(want), "{key}={value}"),
            (Err(err), Err(fragment)) => {
                assert_eq!(err.key, key);
                assert!(
                    err.message.contains(fragment),
                    "{key}={value}: {:?} lacks {fragment:?}",
                    err.message
                );
                assert_eq!(settings, before, "a rejected value must change nothing");
            }
            (got, want) => panic!("{key}={value}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn apply_validates_every_field() {
        check_apply("break_interval_min", json!(45), Ok(json!(45)));
        check_apply("break_interval_min", json!("90"), Ok(json!(90)));
        check_apply("break_interval_min", json!(4), Err("from 5 to 240"));
        check_apply("break_interval_min", json!(241), Err("from 5 to 240"));
        check_apply("break_interval_min", json!(-1), Err("from 5 to 240"));
        check_apply("break_interval_min", json!(30.5), Err("whole number"));
        check_apply("break_interval_min", json!("soon"), Err("got \"soon\""));
        check_apply("break_interval_min", json!(null), Err("from 5 to 240"));
        check_apply("posture_interval_min", json!(0), Ok(json!(0)));
        check_apply("posture_interval_min", json!(3), Err("0 (off)"));
        check_apply("snooze_min", json!(0), Err("from 1 to 60"));
        check_apply("break_style", json!("window"), Ok(json!("window")));
        check_apply(
            "break_style",
            json!("popup"),
            Err("notification, window, both"),
        );
        check_apply("sound", json!("off"), Ok(json!(false)));
        check_apply("sound", json!(3), Err("true or false"));
        check_apply("volume", json!(3), Err("unknown setting"));
        check_apply("work_start", json!("8:30"), Ok(json!("08:30")));
        check_apply("work_start", json!("25:00"), Err("HH:MM"));
        check_apply("work_end", json!("5pm"), Err("HH:MM"));
        check_apply(
            "work_days",
            json!(["fri", "mon", "mon"]),
            Ok(json!(["mon", "fri"])),
        );
        check_apply("work_days", json!("sat,sun"), Ok(json!(["sat", "sun"])));
        check_apply("work_days", json!(["funday"]), Err("'funday' is not a day"));
        check_apply("working_hours", json!(true), Ok(json!(true)));
        check_apply("pain_started", json!("2026-11-20"), Ok(json!("2026-11-20")));
        check_apply("pain_started", json!(""), Ok(json!("")));
        check_apply("pain_started", json!("20/11/2026"), Err("YYYY-MM-DD"));
        check_apply("pain_started", json!("2026-02-30"), Err("YYYY-MM-DD"));
        check_apply("welcomed", json!(true), Ok(json!(true)));
    }

    #[test]
    fn file_form_holds_only_differences_and_round_trips() {
        let mut settings = Settings::default();
        assert!(settings.to_file_map().is_empty());
        settings.apply("break_interval_min", &json!(50)).unwrap();
        let map = settings.to_file_map();
        assert_eq!(
            Value::Object(map.clone()),
            json!({"break_interval_min": 50})
        );
        assert_eq!(Settings::from_file_map(&map), Ok(settings));
    }

    #[test]
    fn with_changes_is_all_or_nothing_and_reports_every_error() {
        let changes = json!({"break_interval_min": 30, "snooze_min": 99, "sound": "loud"});
        let errors = Settings::default()
            .with_changes(changes.as_object().unwrap())
            .unwrap_err();
        let keys: Vec<_> = errors.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["snooze_min", "sound"]);
    }

    #[test]
    fn the_working_day_must_end_after_it_starts() {
        let change = |v: Value| Settings::default().with_changes(v.as_object().unwrap());
        let errors = change(json!({"work_start": "18:00"})).unwrap_err();
        assert_eq!(errors[0].key, "work_end");
        assert!(errors[0].message.contains("17:00 is not after 18:00"));
        assert!(change(json!({"work_start": "18:00", "work_end": "23:30"})).is_ok());
        let errors = change(json!({"working_hours": true, "work_days": []})).unwrap_err();
        assert_eq!(errors[0].key, "work_days");
    }

    #[test]
    fn schema_covers_every_field() {
        let serialized = serde_json::to_value(Settings::default()).unwrap();
        let fields: Vec<_> = serialized.as_object().unwrap().keys().cloned().collect();
        let mut keys: Vec<_> = schema().iter().map(|s| s.key.to_owned()).collect();
        keys.sort();
        let mut fields = fields;
        fields.sort();
        assert_eq!(keys, fields);
    }
}
