//! The break scheduler: a deterministic state machine in the style of quinn-proto.
//!
//! The shell asks [`Schedule::time_to_deadline`], sleeps that long (or less), and calls
//! [`Schedule::handle_timeout`] with the time it read; user commands go through
//! [`Schedule::handle`]. Both return [`Effect`]s for the shell to carry out. Nothing here
//! reads a clock, so tests jump from deadline to deadline.
//!
//! Sitting time is measured on the monotonic clock (`Now::mono_ms`), so a change of the wall
//! clock neither brings a break forward nor holds it back. The wall clock is used where the
//! user thinks in clock time: working hours, "pause until tomorrow", timed pauses, and the
//! times shown. A gap where the wall clock advanced further than the monotonic one is time
//! the machine was asleep: if it is long enough, it counts as a natural break.
//!
//! While the desktop says the user is busy (see [`Busy`]) and `hold_when_busy` is on, a
//! break, a reminder or a posture check that comes due waits, silently, until the hold ends
//! (then it shows at once); a warning comes `break_warning_s` before a break; a break can
//! be snoozed at most `max_snoozes` times.
//!
//! Invariants: no break fires while paused, outside working hours, or while the user is
//! away; nothing pops up while held, except a break asked for (`BreakNow`); a break never
//! fires before `break_interval_min` of sitting; a passed deadline gives at most one effect
//! per call and every new deadline is computed from `now`, so a long gap never causes a
//! burst of stale reminders; time without input while a program holds an inhibitor is not
//! "away".

mod calls;
mod config;
mod hold;
mod hours;
mod lengths;
mod presence;
mod snapshot;

pub use calls::{Effect, ScheduleCommand};
pub use config::Config;
pub use snapshot::{ScheduleSnapshot, State};

pub use hold::{Busy, BusyReason, HoldSnapshot, LONG_HOLD_MS};
pub use hours::{next_morning, WorkingHours, MORNING};
pub use lengths::{
    PauseLength, PauseLengthError, SnoozeLengthError, SnoozeMinutes, MAX_PAUSE_MIN, MAX_SNOOZE_MIN,
};
pub use presence::LOST_RESUME_MS;

use crate::time::Now;
use chrono::{DateTime, Duration, TimeZone, Utc};

/// No posture check within this long of a due break.
const POSTURE_QUIET_MS: u64 = 5 * 60_000;

/// How long before a break [`Effect::BreakImminent`] comes: long enough for the shell to
/// start its window from disk on a slow machine (a cold start measured up to 2.4 s), short
/// enough that a window made ready costs memory for only a few seconds more than the break.
pub const IMMINENT_MS: u64 = 10_000;

fn min_ms(minutes: u32) -> u64 {
    u64::from(minutes) * 60_000
}

fn minutes_between(from_ms: u64, to_ms: u64) -> u32 {
    u32::try_from(to_ms.saturating_sub(from_ms) / 60_000).unwrap_or(u32::MAX)
}

#[derive(Clone, Debug, PartialEq)]
enum Mode {
    /// Sitting since `sitting_since` (mono ms); the break is due at `next_break`.
    Counting {
        sitting_since: u64,
        next_break: u64,
        snoozed: bool,
        /// The warning for this break was given.
        warned: bool,
        /// [`Effect::BreakImminent`] was given for this break.
        readied: bool,
    },
    Due {
        sitting_since: u64,
        remind_at: u64,
        due_since: u64,
        /// Shown to the user (false while it waits out a hold).
        shown: bool,
        /// The long-hold word was given.
        held_long: bool,
    },
    Paused {
        until: Option<DateTime<Utc>>,
    },
    /// Outside working hours: nothing fires until they begin.
    OffHours,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    config: Config,
    mode: Mode,
    /// Mono time of the last input while the user is away (idle ≥ natural break).
    away_since: Option<u64>,
    /// When the next posture check is due (mono), if checks are on.
    posture_at: Option<u64>,
    posture_count: usize,
    /// The previous reading of both clocks, to recognise time asleep.
    last_seen: Option<(u64, DateTime<Utc>)>,
    /// A guided session is running.
    in_session: bool,
    /// Snoozes of the coming break so far.
    snoozes: u32,
    /// What the desktop says now, and since when pop-ups are held (mono, wall).
    busy: Busy,
    held_since: Option<(u64, DateTime<Utc>)>,
    /// A posture check came due while held; it shows when the hold ends.
    posture_pending: bool,
    /// Mono time the session was locked, while it is locked.
    locked_since: Option<u64>,
    /// The machine said it is going to sleep, and when (mono, wall), until it says it woke.
    asleep_since: Option<(u64, DateTime<Utc>)>,
    /// Sleep is reported directly (logind): a gap between the clocks is then a clock
    /// change, not a suspend.
    sleep_signals: bool,
}

/// Why a snooze was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("this break has been snoozed {max} times, the most `max_snoozes` allows: take it, or skip it (`limber skip`); the limit can be changed in Settings")]
pub struct SnoozeLimit {
    pub max: u32,
}

impl Schedule {
    /// A fresh schedule: sitting time starts now (or when working hours begin).
    pub fn new<Tz: TimeZone>(config: Config, now: &Now<Tz>) -> Self {
        let mut schedule = Self {
            config,
            mode: Mode::OffHours,
            away_since: None,
            posture_at: None,
            posture_count: 0,
            last_seen: Some((now.mono_ms, now.wall.to_utc())),
            in_session: false,
            snoozes: 0,
            busy: Busy::default(),
            held_since: None,
            posture_pending: false,
            locked_since: None,
            asleep_since: None,
            sleep_signals: false,
        };
        schedule.restart(now.mono_ms);
        if !schedule.in_hours(&now.wall) {
            schedule.mode = Mode::OffHours;
        }
        schedule
    }

    fn in_hours<Tz: TimeZone>(&self, wall: &DateTime<Tz>) -> bool {
        self.config
            .working_hours
            .as_ref()
            .is_none_or(|hours| hours.contains(wall))
    }

    fn interval(&self) -> u64 {
        min_ms(self.config.break_interval_min)
    }

    /// Sitting time starts (again) at `at`: a new break, with its own snoozes.
    fn restart(&mut self, at: u64) {
        self.mode = Mode::Counting {
            sitting_since: at,
            next_break: at + self.interval(),
            snoozed: false,
            warned: false,
            readied: false,
        };
        self.snoozes = 0;
        self.posture_pending = false;
        self.posture_at = (self.config.posture_interval_min > 0)
            .then(|| at + min_ms(self.config.posture_interval_min));
    }

    /// Pop-ups wait: the user is busy and wants breaks held then.
    fn held(&self) -> bool {
        self.config.hold_when_busy && self.busy.reason().is_some()
    }

    fn warning_ms(&self) -> u64 {
        u64::from(self.config.break_warning_s) * 1000
    }

    /// Whether another snooze is allowed for the coming break.
    pub fn check_snooze(&self) -> Result<(), SnoozeLimit> {
        let max = self.config.max_snoozes;
        if max > 0 && self.snoozes >= max {
            Err(SnoozeLimit { max })
        } else {
            Ok(())
        }
    }

    /// Snoozes left for the coming break (`None`: no limit).
    pub fn snoozes_left(&self) -> Option<u32> {
        let max = self.config.max_snoozes;
        (max > 0).then(|| max.saturating_sub(self.snoozes))
    }

    /// The desktop's word on whether the user is busy changed. When a hold ends, what
    /// waited shows now: a due break (or its reminder) and a posture check.
    pub fn set_busy<Tz: TimeZone>(&mut self, busy: Busy, now: &Now<Tz>) -> Vec<Effect> {
        let was_held = self.held();
        self.busy = busy;
        let held = self.held();
        let mono = now.mono_ms;
        match (was_held, held) {
            (false, true) => self.held_since = Some((mono, now.wall.to_utc())),
            (true, false) => self.held_since = None,
            _ => {}
        }
        if !was_held || held || self.away_since.is_some() || self.in_session {
            return Vec::new();
        }
        let mut effects = Vec::new();
        if let Mode::Due {
            sitting_since,
            due_since,
            shown,
            ..
        } = self.mode
        {
            self.mode = Mode::Due {
                sitting_since,
                remind_at: mono + min_ms(self.config.snooze_min),
                due_since,
                shown: true,
                held_long: false,
            };
            let sitting_min = minutes_between(sitting_since, mono);
            effects.push(if shown {
                Effect::BreakReminder { sitting_min }
            } else {
                Effect::BreakDue { sitting_min }
            });
        } else if std::mem::take(&mut self.posture_pending) {
            effects.extend(self.posture_check(mono));
        }
        effects
    }

    /// A posture check now, unless a break is about to come (that will move them anyway).
    fn posture_check(&mut self, mono: u64) -> Option<Effect> {
        let Mode::Counting { next_break, .. } = self.mode else {
            return None;
        };
        if next_break.saturating_sub(mono) <= POSTURE_QUIET_MS {
            return None;
        }
        let cue = self.posture_count;
        self.posture_count += 1;
        Some(Effect::PostureCheck { cue })
    }

    fn running(&self) -> bool {
        matches!(self.mode, Mode::Counting { .. } | Mode::Due { .. })
    }

    /// How long until the shell must call [`Self::handle_timeout`]; `None` means only a
    /// command or an idle observation can change anything. The shell caps its sleep anyway
    /// (it reads idle time once a minute).
    pub fn time_to_deadline<Tz: TimeZone>(&self, now: &Now<Tz>) -> Option<Duration> {
        let mono = |at: u64| {
            Some(Duration::milliseconds(
                i64::try_from(at.saturating_sub(now.mono_ms)).unwrap_or(i64::MAX),
            ))
        };
        let wall = |at: DateTime<Utc>| Some((at - now.wall.to_utc()).max(Duration::zero()));
        // While away, locked, going to sleep or in a session only pauses, working hours
        // and presence itself can change anything.
        let away = self.quiet();
        let mut candidates: Vec<Option<Duration>> = self.presence_deadlines(now);
        let held = self.held();
        match self.mode {
            Mode::Counting {
                next_break,
                warned,
                readied,
                ..
            } if !away => {
                candidates.push(mono(next_break));
                candidates.push(self.posture_at.and_then(mono));
                if !warned && !held && self.warning_ms() > 0 {
                    candidates.push(mono(next_break.saturating_sub(self.warning_ms())));
                }
                if !readied && !held {
                    candidates.push(mono(next_break.saturating_sub(IMMINENT_MS)));
                }
            }
            Mode::Due {
                remind_at,
                due_since,
                held_long,
                ..
            } if !away => {
                if !held {
                    candidates.push(mono(remind_at));
                } else if !held_long {
                    candidates.push(mono(due_since + LONG_HOLD_MS));
                }
            }
            Mode::Paused { until } => candidates.push(until.and_then(wall)),
            _ => {}
        }
        if let Some(hours) = &self.config.working_hours {
            match self.mode {
                Mode::OffHours => candidates.push(hours.next_start(&now.wall).and_then(wall)),
                Mode::Counting { .. } | Mode::Due { .. } => {
                    candidates.push(hours.end_of_today(&now.wall).and_then(wall))
                }
                Mode::Paused { .. } => {}
            }
        }
        candidates.into_iter().flatten().min()
    }

    pub fn handle_timeout<Tz: TimeZone>(&mut self, now: &Now<Tz>) -> Vec<Effect> {
        let mut effects = Vec::new();
        let mono = now.mono_ms;

        // Time asleep (suspended, hibernated) or locked as long as a natural break is a
        // break.
        effects.extend(self.check_presence(now));

        if let Mode::Paused { until: Some(until) } = self.mode {
            if now.wall.to_utc() >= until {
                effects.push(Effect::PauseEnded);
                self.restart(mono);
            }
        }

        let in_hours = self.in_hours(&now.wall);
        match self.mode {
            Mode::OffHours if in_hours => {
                self.restart(mono);
                effects.push(Effect::WorkingHoursStarted);
            }
            Mode::Counting { .. } | Mode::Due { .. } if !in_hours => {
                self.mode = Mode::OffHours;
                effects.push(Effect::WorkingHoursEnded);
            }
            _ => {}
        }

        if self.quiet() {
            return effects;
        }
        let held = self.held();
        match self.mode {
            Mode::Counting {
                sitting_since,
                next_break,
                ..
            } if mono >= next_break => {
                // Due either way; shown now, or once the hold ends.
                self.mode = Mode::Due {
                    sitting_since,
                    remind_at: mono + min_ms(self.config.snooze_min),
                    due_since: mono,
                    shown: !held,
                    held_long: false,
                };
                if !held {
                    effects.push(Effect::BreakDue {
                        sitting_min: minutes_between(sitting_since, mono),
                    });
                }
            }
            Mode::Due {
                due_since,
                held_long: false,
                ..
            } if held && mono >= due_since + LONG_HOLD_MS => {
                if let Mode::Due { held_long, .. } = &mut self.mode {
                    *held_long = true;
                }
                effects.push(Effect::HeldLong {
                    held_min: minutes_between(due_since, mono),
                });
            }
            Mode::Due {
                sitting_since,
                remind_at,
                due_since,
                shown,
                held_long,
            } if !held && mono >= remind_at => {
                self.mode = Mode::Due {
                    sitting_since,
                    remind_at: mono + min_ms(self.config.snooze_min),
                    due_since,
                    shown: true,
                    held_long,
                };
                let sitting_min = minutes_between(sitting_since, mono);
                effects.push(if shown {
                    Effect::BreakReminder { sitting_min }
                } else {
                    Effect::BreakDue { sitting_min }
                });
            }
            Mode::Counting {
                next_break,
                warned,
                readied,
                ..
            } => {
                let warning = self.warning_ms();
                let in_s = || {
                    let in_s = next_break.saturating_sub(mono).div_ceil(1000);
                    u32::try_from(in_s).unwrap_or(u32::MAX)
                };
                if !warned && !held && warning > 0 && mono + warning >= next_break {
                    if let Mode::Counting { warned, .. } = &mut self.mode {
                        *warned = true;
                    }
                    effects.push(Effect::BreakSoon { in_s: in_s() });
                }
                if !readied && !held && mono + IMMINENT_MS >= next_break {
                    if let Mode::Counting { readied, .. } = &mut self.mode {
                        *readied = true;
                    }
                    effects.push(Effect::BreakImminent { in_s: in_s() });
                }
                if self.posture_at.is_some_and(|at| mono >= at) {
                    self.posture_at = Some(mono + min_ms(self.config.posture_interval_min));
                    if held {
                        self.posture_pending = true;
                    } else {
                        effects.extend(self.posture_check(mono));
                    }
                }
            }
            _ => {}
        }
        effects
    }

    pub fn handle<Tz: TimeZone>(&mut self, command: ScheduleCommand, now: &Now<Tz>) -> Vec<Effect> {
        let mono = now.mono_ms;
        match command {
            ScheduleCommand::Snooze { minutes } => {
                if self.check_snooze().is_err() || !self.running() {
                    return Vec::new();
                }
                self.snoozes += 1;
                let by = min_ms(minutes.unwrap_or(self.config.snooze_min));
                // Pushes the coming break back: from now if it is already due, else from
                // when it was going to come. A new warning comes before it.
                let (sitting_since, next_break) = match self.mode {
                    Mode::Counting {
                        sitting_since,
                        next_break,
                        ..
                    } => (sitting_since, next_break.max(mono) + by),
                    Mode::Due { sitting_since, .. } => (sitting_since, mono + by),
                    Mode::Paused { .. } | Mode::OffHours => return Vec::new(),
                };
                self.mode = Mode::Counting {
                    sitting_since,
                    next_break,
                    snoozed: true,
                    warned: false,
                    readied: false,
                };
            }
            ScheduleCommand::Skip | ScheduleCommand::BreakTaken => {
                if self.running() {
                    self.restart(mono);
                }
            }
            ScheduleCommand::SessionStarted | ScheduleCommand::SessionEnded => {
                self.in_session = command == ScheduleCommand::SessionStarted;
                self.away_since = None;
                if self.running() {
                    self.restart(mono);
                }
            }
            ScheduleCommand::Pause(length) => {
                let until = match length {
                    PauseLength::Minutes { minutes } => {
                        Some(now.wall.to_utc() + Duration::minutes(i64::from(minutes)))
                    }
                    PauseLength::Tomorrow => Some(
                        self.config
                            .working_hours
                            .as_ref()
                            // "Tomorrow" is the next working day's start.
                            .and_then(|hours| hours.next_start(&now.wall))
                            .unwrap_or_else(|| next_morning(&now.wall)),
                    ),
                    PauseLength::UntilResumed => None,
                };
                self.mode = Mode::Paused { until };
            }
            ScheduleCommand::Resume => {
                if matches!(self.mode, Mode::Paused { .. }) {
                    self.restart(mono);
                    if !self.in_hours(&now.wall) {
                        self.mode = Mode::OffHours;
                    }
                }
            }
            ScheduleCommand::BreakNow => {
                let sitting_since = match self.mode {
                    Mode::Counting { sitting_since, .. } | Mode::Due { sitting_since, .. } => {
                        sitting_since
                    }
                    _ => mono,
                };
                self.away_since = None;
                // Asked for: shown even while the user is busy.
                self.mode = Mode::Due {
                    sitting_since,
                    remind_at: mono + min_ms(self.config.snooze_min),
                    due_since: mono,
                    shown: true,
                    held_long: false,
                };
                return vec![Effect::BreakDue {
                    sitting_min: minutes_between(sitting_since, mono),
                }];
            }
        }
        Vec::new()
    }

    /// Applies new settings at once: the coming break moves to `sitting_since + interval`
    /// (due now if that has passed); a snoozed break keeps the time the user chose.
    pub fn set_config<Tz: TimeZone>(&mut self, config: Config, now: &Now<Tz>) -> Vec<Effect> {
        let posture_changed = config.posture_interval_min != self.config.posture_interval_min;
        self.config = config;
        if let Mode::Counting {
            sitting_since,
            next_break,
            snoozed: false,
            warned,
            readied,
        } = self.mode
        {
            let moved_to = sitting_since + self.interval();
            self.mode = Mode::Counting {
                sitting_since,
                next_break: moved_to,
                snoozed: false,
                warned,
                // Whatever was readied for the old time goes away by itself; the new
                // time gets its own.
                readied: readied && moved_to == next_break,
            };
        }
        if posture_changed {
            self.posture_at = (self.config.posture_interval_min > 0)
                .then(|| now.mono_ms + min_ms(self.config.posture_interval_min));
        }
        self.handle_timeout(now)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;
    use chrono::NaiveTime;

    /// Monday 23 November 2026, h:m, UTC+1; the monotonic clock runs with the wall clock.
    /// (Shared with the tests of the schedule's parts.)
    pub(super) fn at(h: u32, m: u32) -> Now<FixedOffset> {
        let tz = FixedOffset::east_opt(3600).unwrap();
        Now::new(
            u64::from(h * 60 + m) * 60_000,
            tz.with_ymd_and_hms(2026, 11, 23, h, m, 0).unwrap(),
        )
    }

    /// `now` plus `seconds` on both clocks.
    pub(super) fn after(now: Now<FixedOffset>, seconds: i64) -> Now<FixedOffset> {
        Now::new(
            now.mono_ms + u64::try_from(seconds).unwrap() * 1000,
            now.wall + Duration::seconds(seconds),
        )
    }

    #[test]
    fn a_break_is_announced_as_imminent_once_ten_seconds_before_and_again_when_it_moves() {
        let imminent = |effects: &[Effect]| {
            effects
                .iter()
                .filter(|e| matches!(e, Effect::BreakImminent { .. }))
                .count()
        };
        let mut s = Schedule::new(config(60), &at(9, 0));
        assert_eq!(imminent(&s.handle_timeout(&after(at(9, 59), 49))), 0);
        assert_eq!(imminent(&s.handle_timeout(&after(at(9, 59), 50))), 1);
        // Once per break, however often the shell wakes before it.
        assert_eq!(imminent(&s.handle_timeout(&after(at(9, 59), 55))), 0);
        s.handle_timeout(&at(10, 0));
        // A snoozed break comes again, and is announced again.
        s.handle(ScheduleCommand::Snooze { minutes: Some(5) }, &at(10, 1));
        assert_eq!(
            s.time_to_deadline(&at(10, 1)),
            Some(Duration::seconds(4 * 60 + 50))
        );
        assert_eq!(
            s.handle_timeout(&after(at(10, 5), 50)),
            vec![Effect::BreakImminent { in_s: 10 }]
        );

        // Settings that move an announced break announce it again at its new time.
        let mut s = Schedule::new(config(60), &at(9, 0));
        assert_eq!(imminent(&s.handle_timeout(&after(at(9, 59), 50))), 1);
        s.set_config(config(90), &after(at(9, 59), 52));
        assert_eq!(
            s.time_to_deadline(&after(at(9, 59), 52)),
            Some(Duration::seconds(29 * 60 + 58))
        );
        assert_eq!(imminent(&s.handle_timeout(&after(at(10, 29), 50))), 1);
    }

    #[test]
    fn nothing_is_announced_while_held_and_the_hold_ending_late_announces_at_once() {
        let mut s = Schedule::new(
            Config {
                hold_when_busy: true,
                ..config(60)
            },
            &at(9, 0),
        );
        s.set_busy(
            Busy {
                fullscreen: true,
                ..Busy::default()
            },
            &at(9, 30),
        );
        assert_eq!(s.time_to_deadline(&at(9, 59)), Some(Duration::minutes(1)));
        assert_eq!(s.handle_timeout(&after(at(9, 59), 50)), vec![]);
        s.set_busy(Busy::default(), &after(at(9, 59), 55));
        assert_eq!(
            s.time_to_deadline(&after(at(9, 59), 55)),
            Some(Duration::zero())
        );
        assert_eq!(
            s.handle_timeout(&after(at(9, 59), 55)),
            vec![Effect::BreakImminent { in_s: 5 }]
        );
    }

    /// The default settings (snooze 10, natural break 5, no working hours) with this
    /// interval, without posture checks, warnings or a
    /// snooze limit (tests of those turn them on).
    fn config(interval: u32) -> Config {
        Config {
            break_interval_min: interval,
            posture_interval_min: 0,
            break_warning_s: 0,
            max_snoozes: 0,
            ..Config::default()
        }
    }

    #[test]
    fn break_becomes_due_after_the_interval_and_reminds_each_snooze_length() {
        let mut s = Schedule::new(config(60), &at(9, 0));
        assert_eq!(s.handle_timeout(&at(9, 59)), vec![]);
        assert_eq!(s.time_to_deadline(&at(9, 59)), Some(Duration::seconds(50)));
        assert_eq!(
            s.handle_timeout(&after(at(9, 59), 50)),
            vec![Effect::BreakImminent { in_s: 10 }]
        );
        assert_eq!(
            s.time_to_deadline(&after(at(9, 59), 50)),
            Some(Duration::seconds(10))
        );
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
        let mut s = Schedule::new(config(60), &at(9, 0));
        assert_eq!(
            s.handle_timeout(&at(10, 0)),
            vec![Effect::BreakDue { sitting_min: 60 }]
        );
        assert_eq!(s.handle_timeout(&at(15, 0)).len(), 1);
        assert_eq!(s.time_to_deadline(&at(15, 0)), Some(Duration::minutes(10)));
    }

    #[test]
    fn snooze_skip_pause_resume_do_what_the_menu_says() {
        let mut s = Schedule::new(config(60), &at(9, 0));
        s.handle_timeout(&at(10, 0));
        s.handle(ScheduleCommand::Snooze { minutes: None }, &at(10, 1));
        assert_eq!(s.state(), State::Snoozed);
        assert_eq!(s.snapshot(&at(10, 1)).next_break_in_s, Some(600));
        s.handle(ScheduleCommand::Snooze { minutes: Some(5) }, &at(10, 2));
        assert_eq!(
            s.snapshot(&at(10, 2))
                .next_break_at
                .map(|t| t.to_rfc3339())
                .as_deref(),
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
            snap.paused_until.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-11-23T10:34:00+01:00")
        );
        assert_eq!(s.handle_timeout(&at(10, 34)), vec![Effect::PauseEnded]);
        assert_eq!(s.snapshot(&at(10, 34)).next_break_in_s, Some(3600));
        s.handle(
            ScheduleCommand::Pause(PauseLength::UntilResumed),
            &at(11, 0),
        );
        assert_eq!(s.time_to_deadline(&at(11, 0)), None);
        s.handle(ScheduleCommand::Resume, &at(12, 0));
        assert_eq!(
            s.snapshot(&at(12, 0))
                .next_break_at
                .map(|t| t.to_rfc3339())
                .as_deref(),
            Some("2026-11-23T13:00:00+01:00")
        );
    }

    #[test]
    fn pause_until_tomorrow_ends_at_the_next_morning() {
        let mut s = Schedule::new(config(60), &at(17, 0));
        s.handle(ScheduleCommand::Pause(PauseLength::Tomorrow), &at(17, 0));
        assert_eq!(
            s.snapshot(&at(17, 0))
                .paused_until
                .map(|t| t.to_rfc3339())
                .as_deref(),
            Some("2026-11-24T06:00:00+01:00")
        );
        let mut early = Schedule::new(config(60), &at(1, 0));
        early.handle(ScheduleCommand::Pause(PauseLength::Tomorrow), &at(1, 0));
        assert_eq!(
            early
                .snapshot(&at(1, 0))
                .paused_until
                .map(|t| t.to_rfc3339())
                .as_deref(),
            Some("2026-11-23T06:00:00+01:00")
        );
    }

    #[test]
    fn changing_the_interval_moves_the_coming_break_at_once() {
        let mut s = Schedule::new(config(60), &at(9, 0));
        assert_eq!(s.set_config(config(45), &at(9, 20)), vec![]);
        assert_eq!(
            s.snapshot(&at(9, 20))
                .next_break_at
                .map(|t| t.to_rfc3339())
                .as_deref(),
            Some("2026-11-23T09:45:00+01:00")
        );
        assert_eq!(
            s.set_config(config(15), &at(9, 20)),
            vec![Effect::BreakDue { sitting_min: 20 }]
        );
    }

    /// A reading where the wall clock moved `wall_min` but the monotonic clock only
    /// `mono_min` (the rest the machine slept, or the clock was changed).
    fn step(now: &Now<FixedOffset>, mono_min: u64, wall_min: i64) -> Now<FixedOffset> {
        Now::new(
            now.mono_ms + mono_min * 60_000,
            now.wall + Duration::minutes(wall_min),
        )
    }

    #[test]
    fn idle_for_a_natural_break_is_a_break_and_nothing_fires_while_away() {
        let mut s = Schedule::new(config(60), &at(9, 0));
        // Idle 4 min at 9:40: not yet a natural break.
        assert_eq!(s.observe_idle(4 * 60_000, &at(9, 40)), vec![]);
        // Idle 5 min at 9:45: away since 9:40.
        assert_eq!(
            s.observe_idle(5 * 60_000, &at(9, 45)),
            vec![Effect::NaturalBreak {
                away_min: 5,
                was_due: false
            }]
        );
        assert!(s.snapshot(&at(9, 45)).away);
        assert_eq!(s.handle_timeout(&at(11, 0)), vec![], "no break while away");
        // Back at 11:02 (idle 0 at the reading): sitting time starts then.
        assert_eq!(s.observe_idle(0, &at(11, 2)), vec![]);
        assert_eq!(s.snapshot(&at(11, 2)).next_break_in_s, Some(3600));
        assert_eq!(
            s.handle_timeout(&at(12, 2)),
            vec![Effect::BreakDue { sitting_min: 60 }]
        );
        // Walking away from a due break counts as taking it.
        assert_eq!(
            s.observe_idle(6 * 60_000, &at(12, 10)),
            vec![Effect::NaturalBreak {
                away_min: 6,
                was_due: true
            }]
        );
        assert_eq!(s.state(), State::Active);
    }

    #[test]
    fn time_asleep_is_a_natural_break_but_a_clock_change_moves_nothing() {
        let mut s = Schedule::new(config(60), &at(9, 0));
        // Suspended 20 minutes at 9:30: the wall clock moved on, the monotonic one did not.
        let woke = step(&at(9, 30), 0, 20);
        assert_eq!(s.handle_timeout(&at(9, 30)), vec![]);
        assert_eq!(
            s.handle_timeout(&woke),
            vec![Effect::NaturalBreak {
                away_min: 20,
                was_due: false
            }]
        );
        assert_eq!(s.snapshot(&woke).next_break_in_s, Some(3600));
        // The clock is set back an hour: the break still comes after 60 minutes of sitting.
        let mut s = Schedule::new(config(60), &at(9, 0));
        let back = step(&at(9, 0), 30, -30);
        assert_eq!(s.handle_timeout(&back), vec![]);
        assert_eq!(s.snapshot(&back).next_break_in_s, Some(30 * 60));
        assert_eq!(
            s.handle_timeout(&step(&back, 30, 30)),
            vec![Effect::BreakDue { sitting_min: 60 }]
        );
    }

    #[test]
    fn working_hours_keep_limber_quiet_outside_them() {
        let mut cfg = config(60);
        cfg.working_hours = Some(WorkingHours {
            days: crate::settings::WeekDays::WORKWEEK,
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
        });
        let mut s = Schedule::new(cfg, &at(7, 0));
        assert_eq!(s.state(), State::OffHours);
        assert_eq!(s.time_to_deadline(&at(7, 0)), Some(Duration::hours(2)));
        assert_eq!(
            s.snapshot(&at(7, 0))
                .working_hours_resume_at
                .map(|t| t.to_rfc3339())
                .as_deref(),
            Some("2026-11-23T09:00:00+01:00")
        );
        assert_eq!(s.handle_timeout(&at(8, 59)), vec![]);
        assert_eq!(
            s.handle_timeout(&at(9, 0)),
            vec![Effect::WorkingHoursStarted]
        );
        assert_eq!(
            s.snapshot(&at(9, 0)).next_break_in_s,
            Some(3600),
            "sitting starts with the day"
        );
        assert_eq!(
            s.handle_timeout(&at(17, 0)),
            vec![Effect::WorkingHoursEnded]
        );
        // Friday evening → Monday morning.
        let friday = Now::new(
            0,
            FixedOffset::east_opt(3600)
                .unwrap()
                .with_ymd_and_hms(2026, 11, 27, 18, 0, 0)
                .unwrap(),
        );
        let mut s = Schedule::new(s.config().clone(), &friday);
        assert_eq!(
            s.snapshot(&friday)
                .working_hours_resume_at
                .map(|t| t.to_rfc3339())
                .as_deref(),
            Some("2026-11-30T09:00:00+01:00")
        );
        // Pause until tomorrow means the next working morning.
        s.handle(ScheduleCommand::Pause(PauseLength::Tomorrow), &friday);
        assert_eq!(
            s.snapshot(&friday)
                .paused_until
                .map(|t| t.to_rfc3339())
                .as_deref(),
            Some("2026-11-30T09:00:00+01:00")
        );
    }

    #[test]
    fn posture_checks_come_between_breaks_not_next_to_them() {
        let mut cfg = config(60);
        cfg.posture_interval_min = 20;
        let mut s = Schedule::new(cfg, &at(9, 0));
        assert_eq!(
            s.handle_timeout(&at(9, 20)),
            vec![Effect::PostureCheck { cue: 0 }]
        );
        assert_eq!(
            s.handle_timeout(&at(9, 40)),
            vec![Effect::PostureCheck { cue: 1 }]
        );
        // 10:00 is the break itself; no posture check beside it.
        assert_eq!(
            s.handle_timeout(&at(10, 0)),
            vec![Effect::BreakDue { sitting_min: 60 }]
        );
        s.handle(ScheduleCommand::BreakTaken, &at(10, 2));
        s.handle(
            ScheduleCommand::Pause(PauseLength::UntilResumed),
            &at(10, 3),
        );
        assert_eq!(s.handle_timeout(&at(10, 30)), vec![], "none while paused");
    }

    #[test]
    fn a_session_answers_the_break_and_nothing_fires_until_it_ends() {
        let mut cfg = config(60);
        cfg.posture_interval_min = 20;
        let mut s = Schedule::new(cfg, &at(9, 0));
        s.handle_timeout(&at(9, 20));
        s.handle_timeout(&at(9, 40));
        assert_eq!(
            s.handle_timeout(&at(10, 0)),
            vec![Effect::BreakDue { sitting_min: 60 }]
        );
        s.handle(ScheduleCommand::SessionStarted, &at(10, 1));
        let snap = s.snapshot(&at(10, 1));
        assert_eq!((snap.state, snap.next_break_at), (State::InSession, None));
        assert_eq!(s.time_to_deadline(&at(10, 1)), None);
        // No input for 30 minutes on the mat is not "away", and nothing fires.
        assert_eq!(s.observe_idle(30 * 60_000, &at(11, 30)), vec![]);
        assert_eq!(s.handle_timeout(&at(11, 30)), vec![]);
        s.handle(ScheduleCommand::SessionEnded, &at(11, 31));
        assert_eq!(s.state(), State::Active);
        assert!(!s.snapshot(&at(11, 31)).away);
        assert_eq!(s.snapshot(&at(11, 31)).next_break_in_s, Some(3600));
    }

    fn busy(fullscreen: bool, inhibited: bool) -> Busy {
        Busy {
            fullscreen,
            do_not_disturb: false,
            inhibited,
        }
    }

    #[test]
    fn a_warning_comes_before_the_break_and_again_after_a_snooze() {
        let mut s = Schedule::new(
            Config {
                break_warning_s: 60,
                ..config(60)
            },
            &at(9, 0),
        );
        assert_eq!(s.time_to_deadline(&at(9, 0)), Some(Duration::minutes(59)));
        assert_eq!(
            s.handle_timeout(&at(9, 59)),
            vec![Effect::BreakSoon { in_s: 60 }]
        );
        assert_eq!(s.handle_timeout(&at(9, 59)), vec![], "once");
        s.handle(ScheduleCommand::Snooze { minutes: Some(5) }, &at(9, 59));
        assert_eq!(
            s.handle_timeout(&at(10, 4)),
            vec![Effect::BreakSoon { in_s: 60 }]
        );
        assert!(matches!(
            s.handle_timeout(&at(10, 5))[..],
            [Effect::BreakDue { .. }]
        ));
    }

    #[test]
    fn snoozes_are_capped_per_break_and_the_count_starts_over_with_the_next() {
        let mut s = Schedule::new(
            Config {
                max_snoozes: 2,
                ..config(60)
            },
            &at(9, 0),
        );
        assert_eq!(s.snoozes_left(), Some(2));
        s.handle(ScheduleCommand::Snooze { minutes: None }, &at(9, 50));
        s.handle_timeout(&at(10, 10));
        s.handle(ScheduleCommand::Snooze { minutes: None }, &at(10, 10));
        assert_eq!(s.snapshot(&at(10, 10)).snoozes_left, Some(0));
        assert_eq!(s.check_snooze(), Err(SnoozeLimit { max: 2 }));
        let before = s.clone();
        s.handle(ScheduleCommand::Snooze { minutes: None }, &at(10, 11));
        assert_eq!(s, before, "a snooze past the cap changes nothing");
        s.handle(ScheduleCommand::Skip, &at(10, 12));
        assert_eq!(s.snoozes_left(), Some(2), "a new break, new snoozes");
        let unlimited = Schedule::new(config(60), &at(9, 0));
        assert_eq!(unlimited.snapshot(&at(9, 0)).snoozes_left, None);
    }

    #[test]
    fn while_busy_a_due_break_waits_and_shows_when_the_hold_ends() {
        let mut s = Schedule::new(config(60), &at(9, 0));
        assert_eq!(s.set_busy(busy(true, false), &at(9, 30)), vec![]);
        let snap = s.snapshot(&at(9, 30));
        assert_eq!(
            snap.hold.as_ref().map(|h| h.reason),
            Some(BusyReason::Fullscreen)
        );
        assert_eq!(
            snap.hold.map(|h| h.since.to_rfc3339()).as_deref(),
            Some("2026-11-23T09:30:00+01:00")
        );
        assert_eq!(s.handle_timeout(&at(10, 0)), vec![], "due, not shown");
        assert_eq!(s.state(), State::Due);
        assert_eq!(
            s.handle_timeout(&at(10, 30)),
            vec![],
            "no reminder while held"
        );
        assert_eq!(
            s.set_busy(Busy::default(), &at(10, 40)),
            vec![Effect::BreakDue { sitting_min: 100 }]
        );
        assert_eq!(s.snapshot(&at(10, 40)).hold, None);
        // A break asked for is never held.
        let mut s = Schedule::new(config(60), &at(9, 0));
        s.set_busy(busy(true, false), &at(9, 5));
        assert!(matches!(
            s.handle(ScheduleCommand::BreakNow, &at(9, 10))[..],
            [Effect::BreakDue { .. }]
        ));
        // With holding turned off, a busy user is shown the break as before.
        let mut s = Schedule::new(
            Config {
                hold_when_busy: false,
                ..config(60)
            },
            &at(9, 0),
        );
        s.set_busy(busy(true, false), &at(9, 5));
        assert!(matches!(
            s.handle_timeout(&at(10, 0))[..],
            [Effect::BreakDue { .. }]
        ));
        assert_eq!(s.snapshot(&at(10, 0)).hold, None);
    }

    #[test]
    fn a_long_hold_gives_one_quiet_word() {
        let mut s = Schedule::new(config(60), &at(9, 0));
        s.set_busy(busy(false, true), &at(9, 55));
        s.handle_timeout(&at(10, 0));
        assert_eq!(s.time_to_deadline(&at(10, 0)), Some(Duration::hours(2)));
        assert_eq!(s.handle_timeout(&at(11, 59)), vec![]);
        assert_eq!(
            s.handle_timeout(&at(12, 0)),
            vec![Effect::HeldLong { held_min: 120 }]
        );
        assert_eq!(s.handle_timeout(&at(14, 0)), vec![]);
    }

    #[test]
    fn a_posture_check_held_shows_when_the_hold_ends() {
        let mut s = Schedule::new(
            Config {
                posture_interval_min: 20,
                ..config(60)
            },
            &at(9, 0),
        );
        s.set_busy(busy(true, false), &at(9, 10));
        assert_eq!(s.handle_timeout(&at(9, 20)), vec![]);
        assert_eq!(
            s.set_busy(Busy::default(), &at(9, 25)),
            vec![Effect::PostureCheck { cue: 0 }]
        );
    }

    #[test]
    fn time_without_input_in_a_call_is_sitting_not_a_break() {
        let mut s = Schedule::new(config(60), &at(9, 0));
        s.set_busy(busy(false, true), &at(9, 10));
        assert_eq!(s.observe_idle(40 * 60_000, &at(9, 50)), vec![]);
        assert!(!s.snapshot(&at(9, 50)).away);
        s.set_busy(Busy::default(), &at(9, 55));
        // Still sitting since 09:00: the break is due at 10:00.
        assert!(matches!(
            s.handle_timeout(&at(10, 0))[..],
            [Effect::BreakDue { sitting_min: 60 }]
        ));
    }
}
