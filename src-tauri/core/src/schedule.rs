//! The break scheduler: a deterministic state machine in the style of quinn-proto.
//!
//! The shell asks [`Schedule::next_deadline`], sleeps until then (or less), and calls
//! [`Schedule::handle_timeout`] with the time it read; user commands go through
//! [`Schedule::handle`]. Both return [`Effect`]s for the shell to carry out. Nothing here
//! reads a clock, so tests jump from deadline to deadline.
//!
//! Invariants: a deadline that has passed produces at most one effect per call, and every
//! new deadline is computed from `now`, so a long gap (suspend, a stopped process) never
//! causes a burst of stale reminders.

use crate::time::Now;
use chrono::{DateTime, Duration, LocalResult, NaiveTime, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// The state names of `limber status --json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Active,
    Snoozed,
    Due,
    Paused,
    OffHours,
    InSession,
}

/// How long a pause lasts, as chosen in the tray or on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PauseLength {
    Minutes {
        minutes: u32,
    },
    /// Until the next morning (local 06:00).
    Tomorrow,
    UntilResumed,
}

/// Longest pause given in minutes: one week. Longer is what "until I resume" is for.
pub const MAX_PAUSE_MIN: u32 = 7 * 24 * 60;
/// Local time at which "pause until tomorrow" ends when no working hours are set.
pub const MORNING: (u32, u32) = (6, 0);

impl PauseLength {
    /// Parses the CLI forms: `30m`, `1h`, `2h`, `1h30m`, `90` (minutes), `tomorrow`,
    /// `forever`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim().to_ascii_lowercase();
        match text.as_str() {
            "tomorrow" => return Ok(Self::Tomorrow),
            "forever" | "resume" | "until-resumed" => return Ok(Self::UntilResumed),
            _ => {}
        }
        let bad = || {
            format!(
                "'{text}' is not a pause length: use 30m, 1h, 2h, a duration such as 1h30m or 45 (minutes), tomorrow, or forever"
            )
        };
        let mut total: u64 = 0;
        let mut digits = String::new();
        let mut saw_unit = false;
        for ch in text.chars() {
            if ch.is_ascii_digit() {
                digits.push(ch);
                continue;
            }
            let factor = match ch {
                'h' => 60,
                'm' => 1,
                _ => return Err(bad()),
            };
            if digits.is_empty() {
                return Err(bad());
            }
            // Only overflow can fail here (the text is all digits): treat it as too long.
            let n: u64 = digits.parse().unwrap_or(u64::MAX);
            total = total.saturating_add(n.saturating_mul(factor));
            digits.clear();
            saw_unit = true;
        }
        if !digits.is_empty() {
            if saw_unit {
                return Err(bad());
            }
            total = digits.parse().unwrap_or(u64::MAX);
        } else if !saw_unit {
            return Err(bad());
        }
        match u32::try_from(total) {
            Ok(minutes) if (1..=MAX_PAUSE_MIN).contains(&minutes) => Ok(Self::Minutes { minutes }),
            _ => Err(format!(
                "a pause must last from 1 minute to 7 days (got {text}); use 'forever' to pause until you resume"
            )),
        }
    }
}

/// What the user (tray, CLI, window, notification action) asks of the scheduler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleCommand {
    /// Push the coming (or due) break back by this many minutes (the snooze setting when
    /// `None`).
    Snooze {
        minutes: Option<u32>,
    },
    /// Drop the coming break: the next one is a full interval from now.
    Skip,
    Pause(PauseLength),
    Resume,
    /// Bring the break forward to now (`limber break`).
    BreakNow,
    /// The user moved (a session started from the break, or a natural break): sitting time
    /// starts again.
    BreakTaken,
}

/// What the shell must do after a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// A break just became due: notify and/or open the break window.
    BreakDue { sitting_min: u32 },
    /// A due break was ignored for a snooze length: remind again.
    BreakReminder { sitting_min: u32 },
    /// A timed pause ran out.
    PauseEnded,
}

#[derive(Clone, Debug, PartialEq)]
enum Mode {
    Counting {
        sitting_since: DateTime<Utc>,
        next_break_at: DateTime<Utc>,
        snoozed: bool,
    },
    Due {
        sitting_since: DateTime<Utc>,
        remind_at: DateTime<Utc>,
    },
    Paused {
        until: Option<DateTime<Utc>>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    interval: Duration,
    snooze: Duration,
    mode: Mode,
}

/// The scheduler's part of `limber status --json`, in the user's local time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduleSnapshot {
    pub state: State,
    /// RFC 3339 in local time; `null` while paused.
    pub next_break_at: Option<String>,
    pub next_break_in_s: Option<i64>,
    /// RFC 3339; `null` when not paused or paused until resumed (see `paused`).
    pub paused_until: Option<String>,
    pub paused: bool,
    /// When the current break became due, if it is due.
    pub due_since: Option<String>,
    pub break_interval_min: u32,
}

fn minutes(n: u32) -> Duration {
    Duration::minutes(i64::from(n))
}

/// The first local `MORNING` strictly after `now` (today's if it is still early, else
/// tomorrow's). DST-safe: a skipped local time moves forward by the gap, an ambiguous one
/// takes the earlier instant.
pub fn next_morning<Tz: TimeZone>(now: &DateTime<Tz>) -> DateTime<Utc> {
    let tz = now.timezone();
    let time = NaiveTime::from_hms_opt(MORNING.0, MORNING.1, 0).unwrap_or(NaiveTime::MIN);
    let mut date = now.date_naive();
    for _ in 0..3 {
        let naive = date.and_time(time);
        let instant = match tz.from_local_datetime(&naive) {
            LocalResult::Single(t) => Some(t),
            LocalResult::Ambiguous(early, _) => Some(early),
            LocalResult::None => tz
                .from_local_datetime(&(naive + Duration::hours(1)))
                .earliest(),
        };
        if let Some(instant) = instant.filter(|t| t > now) {
            return instant.with_timezone(&Utc);
        }
        date = date.succ_opt().unwrap_or(date);
    }
    now.with_timezone(&Utc) + Duration::hours(24)
}

impl Schedule {
    /// A fresh schedule: sitting time starts now.
    pub fn new<Tz: TimeZone>(break_interval_min: u32, snooze_min: u32, now: &Now<Tz>) -> Self {
        let wall = now.wall.with_timezone(&Utc);
        let interval = minutes(break_interval_min);
        Self {
            interval,
            snooze: minutes(snooze_min),
            mode: Mode::Counting {
                sitting_since: wall,
                next_break_at: wall + interval,
                snoozed: false,
            },
        }
    }

    /// When the shell must call [`Self::handle_timeout`] next; `None` means only a command
    /// can change anything.
    pub fn next_deadline(&self) -> Option<DateTime<Utc>> {
        match self.mode {
            Mode::Counting { next_break_at, .. } => Some(next_break_at),
            Mode::Due { remind_at, .. } => Some(remind_at),
            Mode::Paused { until } => until,
        }
    }

    fn sitting_min(sitting_since: DateTime<Utc>, now: DateTime<Utc>) -> u32 {
        u32::try_from((now - sitting_since).num_minutes().max(0)).unwrap_or(u32::MAX)
    }

    fn start_counting(&mut self, now: DateTime<Utc>) {
        self.mode = Mode::Counting {
            sitting_since: now,
            next_break_at: now + self.interval,
            snoozed: false,
        };
    }

    pub fn handle_timeout<Tz: TimeZone>(&mut self, now: &Now<Tz>) -> Vec<Effect> {
        let now = now.wall.with_timezone(&Utc);
        match self.mode {
            Mode::Counting {
                sitting_since,
                next_break_at,
                ..
            } if now >= next_break_at => {
                self.mode = Mode::Due {
                    sitting_since,
                    remind_at: now + self.snooze,
                };
                vec![Effect::BreakDue {
                    sitting_min: Self::sitting_min(sitting_since, now),
                }]
            }
            Mode::Due {
                sitting_since,
                remind_at,
            } if now >= remind_at => {
                self.mode = Mode::Due {
                    sitting_since,
                    remind_at: now + self.snooze,
                };
                vec![Effect::BreakReminder {
                    sitting_min: Self::sitting_min(sitting_since, now),
                }]
            }
            Mode::Paused { until: Some(until) } if now >= until => {
                self.start_counting(now);
                vec![Effect::PauseEnded]
            }
            _ => Vec::new(),
        }
    }

    pub fn handle<Tz: TimeZone>(&mut self, command: ScheduleCommand, now: &Now<Tz>) -> Vec<Effect> {
        let wall = now.wall.with_timezone(&Utc);
        let sitting_since = match self.mode {
            Mode::Counting { sitting_since, .. } | Mode::Due { sitting_since, .. } => sitting_since,
            Mode::Paused { .. } => wall,
        };
        match command {
            ScheduleCommand::Snooze { minutes: n } => {
                if matches!(self.mode, Mode::Paused { .. }) {
                    return Vec::new();
                }
                // Pushes the coming break back: from now if it is already due, else from
                // when it was going to come.
                let by = n.map_or(self.snooze, minutes);
                let from = match self.mode {
                    Mode::Counting { next_break_at, .. } => next_break_at.max(wall),
                    _ => wall,
                };
                self.mode = Mode::Counting {
                    sitting_since,
                    next_break_at: from + by,
                    snoozed: true,
                };
            }
            ScheduleCommand::Skip => {
                if !matches!(self.mode, Mode::Paused { .. }) {
                    self.start_counting(wall);
                }
            }
            ScheduleCommand::Pause(length) => {
                let until = match length {
                    PauseLength::Minutes { minutes: n } => Some(wall + minutes(n)),
                    PauseLength::Tomorrow => Some(next_morning(&now.wall)),
                    PauseLength::UntilResumed => None,
                };
                self.mode = Mode::Paused { until };
            }
            ScheduleCommand::Resume => {
                if matches!(self.mode, Mode::Paused { .. }) {
                    self.start_counting(wall);
                }
            }
            ScheduleCommand::BreakNow => {
                self.mode = Mode::Due {
                    sitting_since,
                    remind_at: wall + self.snooze,
                };
                return vec![Effect::BreakDue {
                    sitting_min: Self::sitting_min(sitting_since, wall),
                }];
            }
            ScheduleCommand::BreakTaken => self.start_counting(wall),
        }
        Vec::new()
    }

    /// Applies new interval/snooze settings at once: the coming break moves to
    /// `sitting_since + interval` (or is due now if that has passed); a snoozed break keeps
    /// the time the user chose.
    pub fn set_lengths<Tz: TimeZone>(
        &mut self,
        break_interval_min: u32,
        snooze_min: u32,
        now: &Now<Tz>,
    ) -> Vec<Effect> {
        self.interval = minutes(break_interval_min);
        self.snooze = minutes(snooze_min);
        if let Mode::Counting {
            sitting_since,
            snoozed: false,
            ..
        } = self.mode
        {
            self.mode = Mode::Counting {
                sitting_since,
                next_break_at: sitting_since + self.interval,
                snoozed: false,
            };
        }
        self.handle_timeout(now)
    }

    pub fn state(&self) -> State {
        match self.mode {
            Mode::Counting { snoozed: false, .. } => State::Active,
            Mode::Counting { snoozed: true, .. } => State::Snoozed,
            Mode::Due { .. } => State::Due,
            Mode::Paused { .. } => State::Paused,
        }
    }

    pub fn snapshot<Tz: TimeZone>(&self, now: &Now<Tz>) -> ScheduleSnapshot
    where
        Tz::Offset: std::fmt::Display,
    {
        let tz = now.wall.timezone();
        let wall = now.wall.with_timezone(&Utc);
        let local = |t: DateTime<Utc>| {
            t.with_timezone(&tz)
                .to_rfc3339_opts(SecondsFormat::Secs, true)
        };
        let (next, paused_until, due_since) = match self.mode {
            Mode::Counting { next_break_at, .. } => (Some(next_break_at), None, None),
            Mode::Due { .. } => (Some(wall), None, Some(wall)),
            Mode::Paused { until } => (None, until, None),
        };
        let due_since = match self.mode {
            Mode::Due { remind_at, .. } => Some(remind_at - self.snooze).or(due_since),
            _ => due_since,
        };
        ScheduleSnapshot {
            state: self.state(),
            next_break_at: next.map(local),
            next_break_in_s: next.map(|t| (t - wall).num_seconds().max(0)),
            paused_until: paused_until.map(local),
            paused: matches!(self.mode, Mode::Paused { .. }),
            due_since: due_since.map(local),
            break_interval_min: u32::try_from(self.interval.num_minutes()).unwrap_or(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn at(h: u32, m: u32) -> Now<FixedOffset> {
        let tz = FixedOffset::east_opt(3600).unwrap();
        Now::new(0, tz.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap())
    }

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
        ];
        for (text, want) in cases {
            match (PauseLength::parse(text), want) {
                (Ok(got), Ok(want)) => assert_eq!(got, *want, "{text}"),
                (Err(got), Err(fragment)) => assert!(got.contains(fragment), "{text}: {got}"),
                (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn break_becomes_due_after_the_interval_and_reminds_each_snooze_length() {
        let mut s = Schedule::new(60, 10, &at(9, 0));
        assert_eq!(s.handle_timeout(&at(9, 59)), vec![]);
        assert_eq!(s.next_deadline(), Some(at(10, 0).wall.with_timezone(&Utc)));
        assert_eq!(
            s.handle_timeout(&at(10, 0)),
            vec![Effect::BreakDue { sitting_min: 60 }]
        );
        assert_eq!(s.state(), State::Due);
        assert_eq!(s.handle_timeout(&at(10, 5)), vec![]);
        assert_eq!(
            s.handle_timeout(&at(10, 10)),
            vec![Effect::BreakReminder { sitting_min: 70 }]
        );
    }

    #[test]
    fn a_long_gap_gives_one_effect_not_a_burst() {
        let mut s = Schedule::new(60, 10, &at(9, 0));
        assert_eq!(
            s.handle_timeout(&at(10, 0)),
            vec![Effect::BreakDue { sitting_min: 60 }]
        );
        assert_eq!(s.handle_timeout(&at(15, 0)).len(), 1);
        assert_eq!(s.next_deadline(), Some(at(15, 10).wall.with_timezone(&Utc)));
    }

    #[test]
    fn snooze_skip_pause_resume_do_what_the_menu_says() {
        let mut s = Schedule::new(60, 10, &at(9, 0));
        s.handle_timeout(&at(10, 0));
        s.handle(ScheduleCommand::Snooze { minutes: None }, &at(10, 1));
        assert_eq!(s.state(), State::Snoozed);
        assert_eq!(s.snapshot(&at(10, 1)).next_break_in_s, Some(600));
        s.handle(ScheduleCommand::Snooze { minutes: Some(5) }, &at(10, 2));
        assert_eq!(
            s.snapshot(&at(10, 2)).next_break_at.as_deref(),
            Some("2026-11-23T10:16:00+01:00")
        );
        s.handle(ScheduleCommand::Skip, &at(10, 3));
        assert_eq!(s.state(), State::Active);
        assert_eq!(s.snapshot(&at(10, 3)).next_break_in_s, Some(3600));
        s.handle(
            ScheduleCommand::Pause(PauseLength::Minutes { minutes: 30 }),
            &at(10, 4),
        );
        let snap = s.snapshot(&at(10, 4));
        assert_eq!((snap.state, snap.next_break_at), (State::Paused, None));
        assert_eq!(
            snap.paused_until.as_deref(),
            Some("2026-11-23T10:34:00+01:00")
        );
        assert_eq!(s.handle_timeout(&at(10, 34)), vec![Effect::PauseEnded]);
        assert_eq!(s.snapshot(&at(10, 34)).next_break_in_s, Some(3600));
        s.handle(
            ScheduleCommand::Pause(PauseLength::UntilResumed),
            &at(11, 0),
        );
        assert_eq!(s.next_deadline(), None);
        s.handle(ScheduleCommand::Resume, &at(12, 0));
        assert_eq!(
            s.snapshot(&at(12, 0)).next_break_at.as_deref(),
            Some("2026-11-23T13:00:00+01:00")
        );
    }

    #[test]
    fn pause_until_tomorrow_ends_at_the_next_morning() {
        let mut s = Schedule::new(60, 10, &at(17, 0));
        s.handle(ScheduleCommand::Pause(PauseLength::Tomorrow), &at(17, 0));
        assert_eq!(
            s.snapshot(&at(17, 0)).paused_until.as_deref(),
            Some("2026-11-24T06:00:00+01:00")
        );
        let mut early = Schedule::new(60, 10, &at(1, 0));
        early.handle(ScheduleCommand::Pause(PauseLength::Tomorrow), &at(1, 0));
        assert_eq!(
            early.snapshot(&at(1, 0)).paused_until.as_deref(),
            Some("2026-11-23T06:00:00+01:00")
        );
    }

    #[test]
    fn changing_the_interval_moves_the_coming_break_at_once() {
        let mut s = Schedule::new(60, 10, &at(9, 0));
        assert_eq!(s.set_lengths(45, 10, &at(9, 20)), vec![]);
        assert_eq!(
            s.snapshot(&at(9, 20)).next_break_at.as_deref(),
            Some("2026-11-23T09:45:00+01:00")
        );
        assert_eq!(
            s.set_lengths(15, 10, &at(9, 20)),
            vec![Effect::BreakDue { sitting_min: 20 }]
        );
    }
}
