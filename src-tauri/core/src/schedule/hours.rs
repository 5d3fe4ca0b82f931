//! Working hours and mornings in local wall time, DST-safe: where the user thinks in clock
//! time (the working day, "pause until tomorrow").

use crate::settings::WeekDays;
use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};

/// Local time at which "pause until tomorrow" ends when no working hours are set.
pub const MORNING: (u32, u32) = (6, 0);

/// Working days and hours in local time; the end is after the start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkingHours {
    pub days: WeekDays,
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// The instant of a local date and time. DST-safe: a skipped local time moves forward by
/// the gap, an ambiguous one takes the earlier instant.
fn local_instant<Tz: TimeZone>(tz: &Tz, date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    let naive = date.and_time(time);
    let instant = match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Some(t),
        LocalResult::Ambiguous(early, _) => Some(early),
        LocalResult::None => tz
            .from_local_datetime(&(naive + Duration::hours(1)))
            .earliest(),
    };
    instant.map(|t| t.with_timezone(&Utc))
}

/// The first local `MORNING` strictly after `now` (today's if it is still early, else
/// tomorrow's).
pub fn next_morning<Tz: TimeZone>(now: &DateTime<Tz>) -> DateTime<Utc> {
    let tz = now.timezone();
    let time = NaiveTime::from_hms_opt(MORNING.0, MORNING.1, 0).unwrap_or(NaiveTime::MIN);
    let mut date = now.date_naive();
    for _ in 0..3 {
        if let Some(instant) = local_instant(&tz, date, time).filter(|t| *t > now.to_utc()) {
            return instant;
        }
        date = date.succ_opt().unwrap_or(date);
    }
    now.to_utc() + Duration::hours(24)
}

impl WorkingHours {
    pub fn contains<Tz: TimeZone>(&self, wall: &DateTime<Tz>) -> bool {
        let time = wall.time();
        self.days.contains(wall.weekday()) && time >= self.start && time < self.end
    }

    /// The next start of working hours strictly after `wall`, within two weeks.
    pub fn next_start<Tz: TimeZone>(&self, wall: &DateTime<Tz>) -> Option<DateTime<Utc>> {
        let tz = wall.timezone();
        let mut date = wall.date_naive();
        for _ in 0..15 {
            if self.days.contains(date.weekday()) {
                if let Some(start) =
                    local_instant(&tz, date, self.start).filter(|t| *t > wall.to_utc())
                {
                    return Some(start);
                }
            }
            date = date.succ_opt()?;
        }
        None
    }

    /// Today's end of working hours, if `wall` is within them.
    pub fn end_of_today<Tz: TimeZone>(&self, wall: &DateTime<Tz>) -> Option<DateTime<Utc>> {
        local_instant(&wall.timezone(), wall.date_naive(), self.end)
    }
}
