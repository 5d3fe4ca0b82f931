//! The scheduler's settings, taken from the user's [`Settings`].

use super::WorkingHours;
use crate::settings::Settings;

/// The scheduler's settings, in the units it works in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub break_interval_min: u32,
    pub snooze_min: u32,
    pub natural_break_min: u32,
    /// 0 turns posture checks off.
    pub posture_interval_min: u32,
    pub working_hours: Option<WorkingHours>,
    /// Seconds of warning before a break; 0 for none.
    pub break_warning_s: u32,
    /// Snoozes allowed for one break; 0 for no limit.
    pub max_snoozes: u32,
    /// Hold pop-ups while the user is busy.
    pub hold_when_busy: bool,
}

impl From<&Settings> for Config {
    fn from(settings: &Settings) -> Self {
        let working_hours = settings.working_hours.then(|| WorkingHours {
            days: settings.work_days,
            start: settings.work_start.time(),
            end: settings.work_end.time(),
        });
        Self {
            break_interval_min: settings.break_interval_min,
            snooze_min: settings.snooze_min,
            natural_break_min: settings.natural_break_min,
            posture_interval_min: settings.posture_interval_min,
            working_hours,
            break_warning_s: settings.break_warning_s,
            max_snoozes: settings.max_snoozes,
            hold_when_busy: settings.hold_when_busy,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config::from(&Settings::default())
    }
}
