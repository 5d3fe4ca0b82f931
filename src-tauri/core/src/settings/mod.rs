//! User settings: defaults, validation with errors that name the field, and the
//! "only what differs from the defaults" form that is written to disk.
//!
//! One table, [`fields::FIELDS`], says for every setting its key, words, kind, range and
//! how to read and write it. Validation, `apply`, the schema the Settings screen renders,
//! the file form and the JSON form are all driven by it, so they cannot drift apart.
//! Every change goes through [`Settings::with_changes`], whether it comes from the
//! settings file, the Settings screen or `limber config set`: one set of rules, one set
//! of messages.

pub mod fields;
pub mod values;

pub use fields::{Field, FieldSpec, FIELDS};
pub use values::{BreakStyle, ClockTime, WeekDays, DAY_NAMES};

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use std::fmt;

/// The settings in force. Fields are typed; the table in [`fields`] is the only place
/// that knows their keys and rules.
#[derive(Clone, Debug, PartialEq)]
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
    pub work_days: WeekDays,
    /// Start and end of the working day, local time; the end is after the start.
    pub work_start: ClockTime,
    pub work_end: ClockTime,
    /// The local date the current back pain started, if given: the Guide names the stage
    /// and suggests ice or heat from it.
    pub pain_started: Option<NaiveDate>,
    /// Whether the first-run welcome was shown and closed.
    pub welcomed: bool,
    /// Seconds of warning before a break; 0 for none.
    pub break_warning_s: u32,
    /// How many times one break can be snoozed; 0 for no limit.
    pub max_snoozes: u32,
    /// Hold breaks and posture checks while the user is busy (fullscreen, do-not-disturb,
    /// a call or a video).
    pub hold_when_busy: bool,
    /// The routine a break offers first and `limber start` runs (an id; the agent checks
    /// that the routine exists).
    pub default_routine: String,
    /// The heat cautions were shown once outside the window (see `therapy::HEAT_CAUTIONS`).
    pub heat_cautions_shown: bool,
    /// Start Limber at login (an XDG autostart entry, written and removed by the agent).
    pub start_at_login: bool,
    /// Started at login with no tray to show its icon, Limber said how to reach it (once).
    pub tray_help_shown: bool,
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
            work_days: WeekDays::WORKWEEK,
            work_start: ClockTime::hm(9, 0).unwrap_or_else(|| unreachable!()),
            work_end: ClockTime::hm(17, 0).unwrap_or_else(|| unreachable!()),
            pain_started: None,
            welcomed: false,
            break_warning_s: 60,
            max_snoozes: 3,
            hold_when_busy: true,
            default_routine: crate::catalog::DEFAULT_ROUTINE.to_owned(),
            heat_cautions_shown: false,
            start_at_login: false,
            tray_help_shown: false,
        }
    }
}

/// A rejected value: which setting, and why, in words a user can act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{key}: {message}")]
pub struct SettingError {
    pub key: String,
    pub message: String,
}

impl SettingError {
    pub fn new(key: &str, message: impl Into<String>) -> Self {
        SettingError {
            key: key.to_owned(),
            message: message.into(),
        }
    }
}

/// Every problem with a set of changes (nothing was applied).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct SettingErrors(pub Vec<SettingError>);

impl fmt::Display for SettingErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

/// The field of `key`, or an error listing the known keys.
pub fn field(key: &str) -> Result<&'static Field, SettingError> {
    FIELDS.iter().find(|f| f.key == key).ok_or_else(|| {
        let known: Vec<_> = FIELDS.iter().map(|f| f.key).collect();
        SettingError::new(
            key,
            format!("unknown setting; known settings are {}", known.join(", ")),
        )
    })
}

/// What the Settings screen renders: every field with its kind and range.
pub fn schema() -> Vec<FieldSpec> {
    FIELDS.iter().map(Field::spec).collect()
}

impl Settings {
    /// Sets one field from a JSON value after validating it; on error nothing changes.
    pub fn apply(&mut self, key: &str, value: &Value) -> Result<(), SettingError> {
        field(key)?.apply(self, value)
    }

    /// Applies several changes at once: either all of them are valid and applied, or none
    /// is, and every problem is reported.
    pub fn with_changes(&self, changes: &Map<String, Value>) -> Result<Settings, SettingErrors> {
        let mut next = self.clone();
        let mut errors: Vec<_> = changes
            .iter()
            .filter_map(|(key, value)| next.apply(key, value).err())
            .collect();
        // Rules across fields, checked on the result so both ends can change at once.
        if errors.is_empty() {
            errors.extend(next.cross_field_errors());
        }
        if errors.is_empty() {
            Ok(next)
        } else {
            Err(SettingErrors(errors))
        }
    }

    fn cross_field_errors(&self) -> Option<SettingError> {
        if self.work_end <= self.work_start {
            return Some(SettingError::new(
                "work_end",
                format!(
                    "the working day must end after it starts ({} is not after {})",
                    self.work_end, self.work_start
                ),
            ));
        }
        if self.working_hours && self.work_days.is_empty() {
            return Some(SettingError::new(
                "work_days",
                "choose at least one working day, or turn working hours off",
            ));
        }
        None
    }

    /// Builds settings from the file form (defaults plus the user's differences).
    pub fn from_file_map(map: &Map<String, Value>) -> Result<Settings, SettingErrors> {
        Settings::default().with_changes(map)
    }

    /// Every field as JSON, in table order.
    pub fn to_map(&self) -> Map<String, Value> {
        FIELDS
            .iter()
            .map(|f| (f.key.to_owned(), f.value(self)))
            .collect()
    }

    /// The file form: only the fields that differ from the defaults.
    pub fn to_file_map(&self) -> Map<String, Value> {
        let defaults = Settings::default();
        FIELDS
            .iter()
            .filter(|f| f.value(self) != f.value(&defaults))
            .map(|f| (f.key.to_owned(), f.value(self)))
            .collect()
    }

    /// One field as JSON, for `limber config get KEY`.
    pub fn get(&self, key: &str) -> Result<Value, SettingError> {
        Ok(field(key)?.value(self))
    }
}

impl Serialize for Settings {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_map().serialize(serializer)
    }
}

/// Reads the JSON form through the same validation as every other change.
impl<'de> Deserialize<'de> for Settings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = Map::<String, Value>::deserialize(deserializer)?;
        Settings::from_file_map(&map).map_err(serde::de::Error::custom)
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
            (Ok(()), Ok(want)) => assert_eq!(settings.get(key), Ok(want), "{key}={value}"),
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
        check_apply("work_days", json!(""), Ok(json!([])));
        check_apply("work_days", json!(["funday"]), Err("'funday' is not a day"));
        check_apply("work_days", json!(7), Err("list of day names"));
        check_apply("working_hours", json!(true), Ok(json!(true)));
        check_apply("pain_started", json!("2026-11-20"), Ok(json!("2026-11-20")));
        check_apply("pain_started", json!(""), Ok(json!("")));
        check_apply("pain_started", json!(null), Ok(json!("")));
        check_apply("pain_started", json!("20/11/2026"), Err("YYYY-MM-DD"));
        check_apply("pain_started", json!("2026-02-30"), Err("YYYY-MM-DD"));
        check_apply("welcomed", json!(true), Ok(json!(true)));
    }

    #[test]
    fn file_form_holds_only_differences_and_round_trips() {
        let mut settings = Settings::default();
        assert!(settings.to_file_map().is_empty());
        settings.apply("break_interval_min", &json!(50)).unwrap();
        settings.apply("work_start", &json!("8:00")).unwrap();
        let map = settings.to_file_map();
        assert_eq!(
            Value::Object(map.clone()),
            json!({"break_interval_min": 50, "work_start": "08:00"})
        );
        assert_eq!(Settings::from_file_map(&map), Ok(settings.clone()));
        let text = serde_json::to_string(&settings).unwrap();
        assert_eq!(serde_json::from_str::<Settings>(&text).unwrap(), settings);
    }

    #[test]
    fn with_changes_is_all_or_nothing_and_reports_every_error() {
        let changes = json!({"break_interval_min": 30, "snooze_min": 99, "sound": "loud"});
        let errors = Settings::default()
            .with_changes(changes.as_object().unwrap())
            .unwrap_err();
        let keys: Vec<_> = errors.0.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["snooze_min", "sound"]);
        assert!(errors.to_string().starts_with("snooze_min: must be"));
    }

    #[test]
    fn the_working_day_must_end_after_it_starts() {
        let change = |v: Value| Settings::default().with_changes(v.as_object().unwrap());
        let errors = change(json!({"work_start": "18:00"})).unwrap_err().0;
        assert_eq!(errors[0].key, "work_end");
        assert!(errors[0].message.contains("17:00 is not after 18:00"));
        assert!(change(json!({"work_start": "18:00", "work_end": "23:30"})).is_ok());
        let errors = change(json!({"working_hours": true, "work_days": []}))
            .unwrap_err()
            .0;
        assert_eq!(errors[0].key, "work_days");
    }

    #[test]
    fn the_table_has_every_key_once_and_defaults_within_their_rules() {
        let mut keys: Vec<_> = FIELDS.iter().map(|f| f.key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), FIELDS.len(), "a key appears twice");
        // Every default passes its own field's validation.
        let defaults = Settings::default();
        for field in &FIELDS {
            let mut copy = defaults.clone();
            assert_eq!(
                field.apply(&mut copy, &field.value(&defaults)),
                Ok(()),
                "{}",
                field.key
            );
            assert_eq!(copy, defaults, "{}", field.key);
        }
        let schema = serde_json::to_value(schema()).unwrap();
        assert_eq!(schema[0]["type"], "minutes");
        assert_eq!(schema[0]["min"], 5);
    }
}
