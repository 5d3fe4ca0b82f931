//! The table of settings: key, words, kind, range, and how each is read and written.
//!
//! Adding a setting is one entry here plus its field in [`Settings`]; validation, the
//! schema, the file form and `limber config` follow from the entry.

use super::values::{BreakStyle, ClockTime, WeekDays, DAY_NAMES};
use super::{SettingError, Settings};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What a number counts; decides the words of its range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Minutes,
    Seconds,
    /// A number of times.
    Times,
}

impl Unit {
    fn words(self) -> &'static str {
        match self {
            Unit::Minutes => "minutes",
            Unit::Seconds => "seconds",
            Unit::Times => "times",
        }
    }
}

/// How a setting is read and written, with its rule.
pub enum Kind {
    /// A whole number in `min..=max`; 0 too if `zero_means_off`.
    Number {
        unit: Unit,
        min: u32,
        max: u32,
        zero_means_off: bool,
        get: fn(&Settings) -> u32,
        set: fn(&mut Settings, u32),
    },
    Bool {
        get: fn(&Settings) -> bool,
        set: fn(&mut Settings, bool),
    },
    /// One of a fixed set of names (an enum's wire names).
    Choice {
        options: fn() -> Vec<String>,
        get: fn(&Settings) -> String,
        /// False when the name is not one of the options.
        set: fn(&mut Settings, &str) -> bool,
    },
    Time {
        get: fn(&Settings) -> ClockTime,
        set: fn(&mut Settings, ClockTime),
    },
    Days {
        get: fn(&Settings) -> WeekDays,
        set: fn(&mut Settings, WeekDays),
    },
    /// A calendar date, or none ("" as text).
    Date {
        get: fn(&Settings) -> Option<NaiveDate>,
        set: fn(&mut Settings, Option<NaiveDate>),
    },
    /// A routine's id; which routines exist is the agent's to check.
    Routine {
        get: fn(&Settings) -> &str,
        set: fn(&mut Settings, String),
    },
}

pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    /// Set elsewhere (the Guide, the welcome), not on the Settings screen.
    pub hidden: bool,
    pub kind: Kind,
}

/// A field as the Settings screen sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSpec {
    pub key: String,
    pub label: String,
    pub help: String,
    #[serde(flatten)]
    pub kind: KindSpec,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hidden: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum KindSpec {
    Minutes {
        min: u32,
        max: u32,
        zero_means_off: bool,
    },
    Seconds {
        min: u32,
        max: u32,
        zero_means_off: bool,
    },
    /// A number of times; 0 (when allowed) means no limit.
    Times {
        min: u32,
        max: u32,
        zero_means_off: bool,
    },
    Bool,
    Choice {
        options: Vec<String>,
    },
    /// A local time of day, "HH:MM".
    Time,
    /// A set of weekdays from `options`.
    Days {
        options: Vec<String>,
    },
    /// A calendar date, "YYYY-MM-DD", or "" for none.
    Date,
    /// A routine's id, from the catalog's routines.
    Routine,
}

fn wire_names<T: Serialize + strum::VariantArray>() -> Vec<String> {
    T::VARIANTS.iter().map(crate::wire_name).collect()
}

fn from_wire<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(Value::String(name.to_owned())).ok()
}

pub static FIELDS: [Field; 19] = [
    Field {
        key: "break_interval_min",
        label: "Movement break every",
        help: "Minutes of sitting before Limber asks you to move.",
        hidden: false,
        kind: Kind::Number {
            unit: Unit::Minutes,
            min: 5,
            max: 240,
            zero_means_off: false,
            get: |s| s.break_interval_min,
            set: |s, v| s.break_interval_min = v,
        },
    },
    Field {
        key: "snooze_min",
        label: "Snooze for",
        help: "Minutes a snooze lasts; an ignored break reminds you again after this long.",
        hidden: false,
        kind: Kind::Number {
            unit: Unit::Minutes,
            min: 1,
            max: 60,
            zero_means_off: false,
            get: |s| s.snooze_min,
            set: |s, v| s.snooze_min = v,
        },
    },
    Field {
        key: "natural_break_min",
        label: "Natural break after",
        help: "Minutes away from keyboard and mouse (or with the screen locked or the computer asleep) that count as a break.",
        hidden: false,
        kind: Kind::Number {
            unit: Unit::Minutes,
            min: 1,
            max: 60,
            zero_means_off: false,
            get: |s| s.natural_break_min,
            set: |s, v| s.natural_break_min = v,
        },
    },
    Field {
        key: "posture_interval_min",
        label: "Posture check every",
        help: "Minutes between short posture reminders while you are at your desk; 0 turns them off.",
        hidden: false,
        kind: Kind::Number {
            unit: Unit::Minutes,
            min: 5,
            max: 120,
            zero_means_off: true,
            get: |s| s.posture_interval_min,
            set: |s, v| s.posture_interval_min = v,
        },
    },
    Field {
        key: "break_warning_s",
        label: "Warn before a break",
        help: "Seconds before a break when a quiet notice says it is coming, so you can finish what you are saying; 0 turns the warning off.",
        hidden: false,
        kind: Kind::Number {
            unit: Unit::Seconds,
            min: 30,
            max: 300,
            zero_means_off: true,
            get: |s| s.break_warning_s,
            set: |s, v| s.break_warning_s = v,
        },
    },
    Field {
        key: "max_snoozes",
        label: "Snoozes per break",
        help: "How many times one break can be put off; after that only taking it or skipping it is offered. 0 means no limit.",
        hidden: false,
        kind: Kind::Number {
            unit: Unit::Times,
            min: 1,
            max: 10,
            zero_means_off: true,
            get: |s| s.max_snoozes,
            set: |s, v| s.max_snoozes = v,
        },
    },
    Field {
        key: "hold_when_busy",
        label: "Wait while I'm busy",
        help: "Hold breaks and posture checks while a window is fullscreen, notifications are set to do-not-disturb, or a call or video keeps the screen awake; they show as soon as you are free.",
        hidden: false,
        kind: Kind::Bool {
            get: |s| s.hold_when_busy,
            set: |s, v| s.hold_when_busy = v,
        },
    },
    Field {
        key: "break_style",
        label: "When a break is due, show",
        help: "A desktop notification, the break window, or both.",
        hidden: false,
        kind: Kind::Choice {
            options: wire_names::<BreakStyle>,
            get: |s| crate::wire_name(&s.break_style),
            set: |s, name| from_wire(name).map(|v| s.break_style = v).is_some(),
        },
    },
    Field {
        key: "default_routine",
        label: "Default routine",
        help: "What \u{201c}Start stretch now\u{201d} and a break\u{2019}s first choice run. Back stretches need room on the floor; the hourly break suits a desk.",
        hidden: false,
        kind: Kind::Routine {
            get: |s| &s.default_routine,
            set: |s, id| s.default_routine = id,
        },
    },
    Field {
        key: "start_at_login",
        label: "Start at login",
        help: "Start Limber in the tray when you log in, so breaks keep coming after a restart.",
        hidden: false,
        kind: Kind::Bool {
            get: |s| s.start_at_login,
            set: |s, v| s.start_at_login = v,
        },
    },
    Field {
        key: "sound",
        label: "Sound cues",
        help: "Soft tones during guided stretches: a tick before each change, a call to switch sides, a chord at the end.",
        hidden: false,
        kind: Kind::Bool {
            get: |s| s.sound,
            set: |s, v| s.sound = v,
        },
    },
    Field {
        key: "working_hours",
        label: "Keep to working hours",
        help: "Outside the days and hours below, Limber stays quiet.",
        hidden: false,
        kind: Kind::Bool {
            get: |s| s.working_hours,
            set: |s, v| s.working_hours = v,
        },
    },
    Field {
        key: "work_days",
        label: "Working days",
        help: "The days on which reminders run.",
        hidden: false,
        kind: Kind::Days {
            get: |s| s.work_days,
            set: |s, v| s.work_days = v,
        },
    },
    Field {
        key: "work_start",
        label: "Working day starts at",
        help: "Local time; sitting time starts counting here.",
        hidden: false,
        kind: Kind::Time {
            get: |s| s.work_start,
            set: |s, v| s.work_start = v,
        },
    },
    Field {
        key: "work_end",
        label: "Working day ends at",
        help: "Local time; must be after the start.",
        hidden: false,
        kind: Kind::Time {
            get: |s| s.work_end,
            set: |s, v| s.work_end = v,
        },
    },
    Field {
        key: "pain_started",
        label: "My back pain started on",
        help: "A date (YYYY-MM-DD), or empty. The Guide uses it to suggest heat or ice.",
        hidden: true,
        kind: Kind::Date {
            get: |s| s.pain_started,
            set: |s, v| s.pain_started = v,
        },
    },
    Field {
        key: "welcomed",
        label: "Welcome shown",
        help: "Whether the first-run welcome was closed.",
        hidden: true,
        kind: Kind::Bool {
            get: |s| s.welcomed,
            set: |s, v| s.welcomed = v,
        },
    },
    Field {
        key: "heat_cautions_shown",
        label: "Heat cautions shown",
        help: "Whether the cautions before using heat were shown when heat was first started from the tray or a script.",
        hidden: true,
        kind: Kind::Bool {
            get: |s| s.heat_cautions_shown,
            set: |s, v| s.heat_cautions_shown = v,
        },
    },
    Field {
        key: "tray_help_shown",
        label: "Tray help shown",
        help: "Whether Limber, started at login on a desktop without a tray, said once how to reach it.",
        hidden: true,
        kind: Kind::Bool {
            get: |s| s.tray_help_shown,
            set: |s, v| s.tray_help_shown = v,
        },
    },
];

/// A JSON number, or a string holding one (what `limber config set` passes).
fn number(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
}

fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "on" | "yes" => Some(true),
            "false" | "off" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A list of day names: a JSON array, or a comma-separated string from the CLI.
fn days(value: &Value) -> Result<WeekDays, String> {
    let names: Vec<&str> = match value {
        Value::Array(items) => items
            .iter()
            .map(Value::as_str)
            .collect::<Option<_>>()
            .ok_or_else(|| format!("must be a list of day names (got {value})"))?,
        Value::String(s) if s.trim().is_empty() => Vec::new(),
        Value::String(s) => s.split(',').collect(),
        _ => return Err(format!("must be a list of day names (got {value})")),
    };
    WeekDays::from_names(names)
        .map_err(|bad| format!("'{bad}' is not a day; use {}", DAY_NAMES.join(", ")))
}

fn date(value: &Value) -> Result<Option<NaiveDate>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                format!(
                    "must be a date as YYYY-MM-DD, such as 2026-11-20, or empty (got \"{}\")",
                    s.trim()
                )
            }),
        other => Err(format!(
            "must be a date as YYYY-MM-DD, or empty (got {other})"
        )),
    }
}

impl Field {
    /// The value as JSON (the file form, `config get`, the Settings screen).
    pub fn value(&self, settings: &Settings) -> Value {
        match &self.kind {
            Kind::Number { get, .. } => Value::from(get(settings)),
            Kind::Bool { get, .. } => Value::Bool(get(settings)),
            Kind::Choice { get, .. } => Value::String(get(settings)),
            Kind::Time { get, .. } => Value::String(get(settings).to_string()),
            Kind::Days { get, .. } => Value::from(get(settings).names()),
            Kind::Date { get, .. } => Value::String(
                get(settings)
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            ),
            Kind::Routine { get, .. } => Value::String(get(settings).to_owned()),
        }
    }

    /// Validates `value` and sets it; on error nothing changes.
    pub fn apply(&self, settings: &mut Settings, value: &Value) -> Result<(), SettingError> {
        let fail = |message: String| SettingError::new(self.key, message);
        match &self.kind {
            Kind::Number {
                unit,
                min,
                max,
                zero_means_off,
                set,
                ..
            } => {
                let range = if *zero_means_off {
                    let zero = if *unit == Unit::Times {
                        "no limit"
                    } else {
                        "off"
                    };
                    format!(
                        "0 ({zero}) or a whole number of {} from {min} to {max}",
                        unit.words()
                    )
                } else {
                    format!("a whole number of {} from {min} to {max}", unit.words())
                };
                match number(value) {
                    Some(0) if *zero_means_off => set(settings, 0),
                    Some(n) if (u64::from(*min)..=u64::from(*max)).contains(&n) => {
                        // In range, so it fits.
                        set(settings, u32::try_from(n).unwrap_or(*max))
                    }
                    _ => return Err(fail(format!("must be {range} (got {value})"))),
                }
            }
            Kind::Bool { set, .. } => match boolean(value) {
                Some(b) => set(settings, b),
                None => return Err(fail(format!("must be true or false (got {value})"))),
            },
            Kind::Choice { options, set, .. } => {
                if !value
                    .as_str()
                    .is_some_and(|name| set(settings, name.trim()))
                {
                    return Err(fail(format!(
                        "must be one of {} (got {value})",
                        options().join(", ")
                    )));
                }
            }
            Kind::Time { set, .. } => {
                let time = value.as_str().and_then(ClockTime::parse).ok_or_else(|| {
                    fail(format!(
                        "must be a time of day as HH:MM, such as 09:00 (got {value})"
                    ))
                })?;
                set(settings, time);
            }
            Kind::Days { set, .. } => set(settings, days(value).map_err(fail)?),
            Kind::Date { set, .. } => set(settings, date(value).map_err(fail)?),
            Kind::Routine { set, .. } => match value.as_str().map(str::trim) {
                Some(id) if crate::routine::is_id(id) => set(settings, id.to_owned()),
                _ => {
                    return Err(fail(format!(
                        "must be a routine's id, such as back-stretches (`limber routines` \
                         lists them; got {value})"
                    )))
                }
            },
        }
        Ok(())
    }

    pub fn spec(&self) -> FieldSpec {
        let kind = match &self.kind {
            Kind::Number {
                unit,
                min,
                max,
                zero_means_off,
                ..
            } => {
                let (min, max, zero_means_off) = (*min, *max, *zero_means_off);
                match unit {
                    Unit::Minutes => KindSpec::Minutes {
                        min,
                        max,
                        zero_means_off,
                    },
                    Unit::Seconds => KindSpec::Seconds {
                        min,
                        max,
                        zero_means_off,
                    },
                    Unit::Times => KindSpec::Times {
                        min,
                        max,
                        zero_means_off,
                    },
                }
            }
            Kind::Bool { .. } => KindSpec::Bool,
            Kind::Choice { options, .. } => KindSpec::Choice { options: options() },
            Kind::Time { .. } => KindSpec::Time,
            Kind::Days { .. } => KindSpec::Days {
                options: DAY_NAMES.iter().map(|d| (*d).to_owned()).collect(),
            },
            Kind::Date { .. } => KindSpec::Date,
            Kind::Routine { .. } => KindSpec::Routine,
        };
        FieldSpec {
            key: self.key.to_owned(),
            label: self.label.to_owned(),
            help: self.help.to_owned(),
            kind,
            hidden: self.hidden,
        }
    }
}
