//! The heat / ice timer, and the article's rule for which to use.
//!
//! Unlike sessions, the timer runs on the wall clock: a pack on the skin keeps cooling or
//! warming while the laptop sleeps, so a suspend must not stretch its time. Like the
//! other state machines it reads no clock; time is passed in.
//!
//! Source (shared/seeds/002, "Is it better to use heat or ice…"): ice for the first 24 to
//! 48 hours after an acute injury or flare-up, then heat; 15 to 20 minutes at a time.

use crate::history::TherapyKind;
use crate::time::Now;
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// The lengths accepted, in minutes. The article says 15 to 20 minutes at a time; shorter
/// is allowed (a first try, sensitive skin), longer is not.
pub const MIN_MINUTES: u32 = 5;
pub const MAX_MINUTES: u32 = 20;
pub const DEFAULT_MINUTES: u32 = 15;
/// Ice is suggested until this long after the pain started, heat after.
pub const ICE_HOURS: i64 = 48;

/// Checks a length, with the article's reason when it is refused.
pub fn check_minutes(minutes: u32) -> Result<u32, String> {
    if (MIN_MINUTES..=MAX_MINUTES).contains(&minutes) {
        Ok(minutes)
    } else {
        Err(format!(
            "a heat or ice timer runs {MIN_MINUTES} to {MAX_MINUTES} minutes (got {minutes}): the guidance is 15 to 20 minutes at a time, then a break"
        ))
    }
}

/// Which to suggest when the pain started on `started` (a local date): ice during the
/// first 48 hours, counted from the start of that day, heat after. `None` for a date in
/// the future.
pub fn suggest<Tz: TimeZone>(started: NaiveDate, now: &DateTime<Tz>) -> Option<TherapyKind> {
    let start = now
        .timezone()
        .from_local_datetime(&started.and_hms_opt(0, 0, 0)?)
        .earliest()?;
    let since = now.clone().signed_duration_since(start);
    if since < Duration::zero() {
        None
    } else if since < Duration::hours(ICE_HOURS) {
        Some(TherapyKind::Ice)
    } else {
        Some(TherapyKind::Heat)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Run {
    Running { ends_at: DateTime<Utc> },
    Paused { remaining: Duration },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Therapy {
    kind: TherapyKind,
    minutes: u32,
    run: Run,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TherapyCommand {
    Pause,
    Resume,
    Stop,
}

/// How a timer ended, for the notification and the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TherapyEnd {
    pub kind: TherapyKind,
    pub minutes: u32,
    /// Ran its whole length (the pack should come off now), rather than stopped.
    pub completed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TherapySnapshot {
    pub kind: TherapyKind,
    pub minutes: u32,
    /// "running" or "paused".
    pub state: String,
    /// Wall-clock milliseconds since the epoch; null while paused.
    pub ends_at: Option<i64>,
    pub remaining_s: i64,
}

impl Therapy {
    /// Starts a timer of `length` (normally `minutes`; tests may shorten it).
    pub fn start<Tz: TimeZone>(
        kind: TherapyKind,
        minutes: u32,
        length: Duration,
        now: &Now<Tz>,
    ) -> Therapy {
        Therapy {
            kind,
            minutes,
            run: Run::Running {
                ends_at: now.wall.to_utc() + length,
            },
        }
    }

    pub fn kind(&self) -> TherapyKind {
        self.kind
    }

    pub fn is_paused(&self) -> bool {
        matches!(self.run, Run::Paused { .. })
    }

    /// When the timer ends (while running).
    pub fn ends_at(&self) -> Option<DateTime<Utc>> {
        match self.run {
            Run::Running { ends_at } => Some(ends_at),
            Run::Paused { .. } => None,
        }
    }

    pub fn time_to_deadline<Tz: TimeZone>(&self, now: &Now<Tz>) -> Option<Duration> {
        self.ends_at()
            .map(|at| (at - now.wall.to_utc()).max(Duration::zero()))
    }

    /// The end, once its time has come.
    pub fn handle_timeout<Tz: TimeZone>(&mut self, now: &Now<Tz>) -> Option<TherapyEnd> {
        match self.run {
            Run::Running { ends_at } if now.wall.to_utc() >= ends_at => Some(TherapyEnd {
                kind: self.kind,
                minutes: self.minutes,
                completed: true,
            }),
            _ => None,
        }
    }

    pub fn handle<Tz: TimeZone>(
        &mut self,
        command: TherapyCommand,
        now: &Now<Tz>,
    ) -> Option<TherapyEnd> {
        let wall = now.wall.to_utc();
        match (command, self.run) {
            (TherapyCommand::Pause, Run::Running { ends_at }) => {
                self.run = Run::Paused {
                    remaining: (ends_at - wall).max(Duration::zero()),
                };
                None
            }
            (TherapyCommand::Resume, Run::Paused { remaining }) => {
                self.run = Run::Running {
                    ends_at: wall + remaining,
                };
                None
            }
            (TherapyCommand::Stop, _) => Some(TherapyEnd {
                kind: self.kind,
                minutes: self.minutes,
                completed: false,
            }),
            _ => None,
        }
    }

    pub fn snapshot<Tz: TimeZone>(&self, now: &Now<Tz>) -> TherapySnapshot {
        let wall = now.wall.to_utc();
        let (state, ends_at, remaining) = match self.run {
            Run::Running { ends_at } => {
                ("running", Some(ends_at.timestamp_millis()), ends_at - wall)
            }
            Run::Paused { remaining } => ("paused", None, remaining),
        };
        TherapySnapshot {
            kind: self.kind,
            minutes: self.minutes,
            state: state.to_owned(),
            ends_at,
            // Rounded up: "1 s left" until it is done.
            remaining_s: (remaining.num_milliseconds().max(0) + 999) / 1000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn at(day: u32, h: u32, m: u32) -> Now<FixedOffset> {
        let tz = FixedOffset::east_opt(3600).unwrap();
        Now::new(0, tz.with_ymd_and_hms(2026, 11, day, h, m, 0).unwrap())
    }

    #[test]
    fn lengths_outside_5_to_20_minutes_are_refused_with_the_reason() {
        assert_eq!(check_minutes(15), Ok(15));
        assert_eq!(check_minutes(5), Ok(5));
        assert_eq!(check_minutes(20), Ok(20));
        for bad in [0, 4, 21, 60] {
            let message = check_minutes(bad).unwrap_err();
            assert!(message.contains("15 to 20 minutes at a time"), "{message}");
        }
    }

    #[test]
    fn a_timer_runs_pauses_resumes_and_ends_once() {
        let mut t = Therapy::start(TherapyKind::Ice, 15, Duration::minutes(15), &at(24, 10, 0));
        assert_eq!(
            t.time_to_deadline(&at(24, 10, 0)),
            Some(Duration::minutes(15))
        );
        assert_eq!(t.snapshot(&at(24, 10, 5)).remaining_s, 600);
        assert_eq!(t.handle(TherapyCommand::Pause, &at(24, 10, 5)), None);
        assert_eq!(t.time_to_deadline(&at(24, 10, 30)), None);
        assert_eq!(t.handle_timeout(&at(24, 11, 0)), None, "paused: never done");
        let snap = t.snapshot(&at(24, 11, 0));
        assert_eq!(
            (snap.state.as_str(), snap.ends_at, snap.remaining_s),
            ("paused", None, 600)
        );
        t.handle(TherapyCommand::Resume, &at(24, 11, 0));
        assert_eq!(t.handle_timeout(&at(24, 11, 9)), None);
        assert_eq!(
            t.handle_timeout(&at(24, 11, 10)),
            Some(TherapyEnd {
                kind: TherapyKind::Ice,
                minutes: 15,
                completed: true
            })
        );
        // Restart: a new timer after the end.
        let mut again =
            Therapy::start(TherapyKind::Heat, 20, Duration::minutes(20), &at(24, 12, 0));
        assert_eq!(
            again.handle(TherapyCommand::Stop, &at(24, 12, 3)),
            Some(TherapyEnd {
                kind: TherapyKind::Heat,
                minutes: 20,
                completed: false
            })
        );
    }

    #[test]
    fn a_suspend_does_not_stretch_the_timer() {
        let mut t = Therapy::start(TherapyKind::Heat, 15, Duration::minutes(15), &at(24, 10, 0));
        // The monotonic clock did not move (asleep), the wall clock did.
        assert!(t.handle_timeout(&at(24, 10, 20)).is_some());
    }

    #[test]
    fn ice_for_the_first_48_hours_then_heat() {
        let started = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let tz = FixedOffset::east_opt(3600).unwrap();
        let now = |d, h, m, s| tz.with_ymd_and_hms(2026, 11, d, h, m, s).unwrap();
        assert_eq!(suggest(started, &now(22, 8, 0, 0)), Some(TherapyKind::Ice));
        assert_eq!(
            suggest(started, &now(23, 23, 59, 59)),
            Some(TherapyKind::Ice)
        );
        assert_eq!(
            suggest(started, &now(24, 0, 0, 0)),
            Some(TherapyKind::Heat),
            "48 h after the day began"
        );
        assert_eq!(
            suggest(started, &now(21, 23, 0, 0)),
            None,
            "a date in the future"
        );
    }
}
