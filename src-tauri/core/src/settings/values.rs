//! The value types of settings that are not plain numbers or flags: times of day, sets of
//! weekdays and the break style. Each exists only valid and has one text form, used in the
//! settings file, on the socket and on the command line.

use chrono::{NaiveTime, Timelike, Weekday};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// How a due break is brought to the user's attention.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::VariantArray)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum BreakStyle {
    Notification,
    Window,
    Both,
}

impl BreakStyle {
    pub fn notifies(self) -> bool {
        matches!(self, BreakStyle::Notification | BreakStyle::Both)
    }

    pub fn opens_window(self) -> bool {
        matches!(self, BreakStyle::Window | BreakStyle::Both)
    }
}

/// A local time of day to the minute; "HH:MM" (24-hour) as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(NaiveTime);

impl ClockTime {
    pub const fn hm(hour: u32, minute: u32) -> Option<ClockTime> {
        match NaiveTime::from_hms_opt(hour, minute, 0) {
            Some(time) => Some(ClockTime(time)),
            None => None,
        }
    }

    /// "9:30", "09:30" or " 17:05 "; not "9.30", "25:00" or "5pm".
    pub fn parse(text: &str) -> Option<ClockTime> {
        let (h, m) = text.trim().split_once(':')?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        if !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        ClockTime::hm(h.parse().ok()?, m.parse().ok()?)
    }

    pub fn time(self) -> NaiveTime {
        self.0
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ClockTime::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("'{text}' is not a time of day as HH:MM"))
        })
    }
}

/// Day names as stored, Monday first (chrono's `num_days_from_monday` order).
pub const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A set of weekdays; a list of day names in week order as text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct WeekDays([bool; 7]);

impl WeekDays {
    /// Monday to Friday.
    pub const WORKWEEK: WeekDays = WeekDays([true, true, true, true, true, false, false]);

    pub fn contains(self, day: Weekday) -> bool {
        self.0[day.num_days_from_monday() as usize]
    }

    pub fn is_empty(self) -> bool {
        !self.0.contains(&true)
    }

    pub fn names(self) -> Vec<&'static str> {
        DAY_NAMES
            .iter()
            .zip(self.0)
            .filter_map(|(name, on)| on.then_some(*name))
            .collect()
    }

    /// From day names in any order and case, repeats allowed; the first unknown name is
    /// the error.
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<WeekDays, String> {
        let mut days = [false; 7];
        for name in names {
            let name = name.trim().to_ascii_lowercase();
            match DAY_NAMES.iter().position(|d| *d == name) {
                Some(i) => days[i] = true,
                None => return Err(name),
            }
        }
        Ok(WeekDays(days))
    }
}

impl Serialize for WeekDays {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.names().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for WeekDays {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let names = Vec::<String>::deserialize(deserializer)?;
        WeekDays::from_names(names.iter().map(String::as_str)).map_err(|bad| {
            serde::de::Error::custom(format!(
                "'{bad}' is not a day; use {}",
                DAY_NAMES.join(", ")
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_have_one_text_form() {
        assert_eq!(
            ClockTime::parse("8:30").map(|t| t.to_string()).as_deref(),
            Some("08:30")
        );
        assert_eq!(
            ClockTime::parse(" 17:05 ")
                .map(|t| t.to_string())
                .as_deref(),
            Some("17:05")
        );
        for bad in ["25:00", "5pm", "9.30", "12:3", "", ":30", "+1:30", "1:-5"] {
            assert_eq!(ClockTime::parse(bad), None, "{bad}");
        }
        let t: ClockTime = serde_json::from_str("\"09:00\"").unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"09:00\"");
    }

    #[test]
    fn weekdays_read_any_order_and_write_week_order() {
        let days = WeekDays::from_names(["Fri", "mon", "mon"]).unwrap();
        assert_eq!(days.names(), ["mon", "fri"]);
        assert!(days.contains(Weekday::Fri) && !days.contains(Weekday::Tue));
        assert_eq!(WeekDays::from_names(["funday"]), Err("funday".to_owned()));
        assert!(WeekDays::default().is_empty());
        assert_eq!(
            WeekDays::WORKWEEK.names(),
            ["mon", "tue", "wed", "thu", "fri"]
        );
    }
}
