//! Whether the user is at the machine: idle time, a locked screen, the machine asleep.
//!
//! Each counts as away once it has lasted a natural break (`natural_break_min`); that is a
//! break, and nothing pops up until the user is back. A locked screen or a machine going
//! to sleep holds pop-ups from its first moment (nobody sees them), and counts as away
//! from that moment.
//!
//! Sleep is known two ways. Where logind reports it (`PrepareForSleep`), the time between
//! "going to sleep" and "woke" is the time asleep, and a gap between the wall and the
//! monotonic clock is only a clock change. Without those signals, such a gap is taken for
//! a suspend. Signals may come twice or out of order: a second "going to sleep" keeps the
//! first, a "woke" without one before it changes nothing, and a "going to sleep" never
//! followed by "woke" is settled once the monotonic clock shows the machine has been
//! running for [`LOST_RESUME_MS`] since.

use super::{min_ms, minutes_between, Effect, Mode, Schedule};
use crate::time::Now;
use chrono::{Duration, TimeZone};

/// A "going to sleep" with no "woke" after it is taken as a lost signal once the machine
/// has run this long since (a real suspend starts within seconds of the signal).
pub const LOST_RESUME_MS: u64 = 3 * 60_000;

impl Schedule {
    /// Nothing pops up: the user is away, the screen is locked, the machine is going to
    /// sleep, or a guided session runs.
    pub(super) fn quiet(&self) -> bool {
        self.away_since.is_some()
            || self.in_session
            || self.locked_since.is_some()
            || self.asleep_since.is_some()
    }

    /// The session is locked.
    pub fn locked(&self) -> bool {
        self.locked_since.is_some()
    }

    /// The user left at `since` (mono): from now on they are away. That is a break if
    /// breaks are running.
    fn went_away(&mut self, since: u64, mono: u64) -> Option<Effect> {
        if self.away_since.is_some() {
            return None;
        }
        self.away_since = Some(since);
        if !self.running() {
            return None;
        }
        let was_due = matches!(self.mode, Mode::Due { .. });
        self.restart(mono);
        Some(Effect::NaturalBreak {
            away_min: minutes_between(since, mono),
            was_due,
        })
    }

    /// The machine slept `slept_ms`: long enough, that was a break. Sitting time restarts
    /// now (the monotonic clock did not run while asleep).
    fn slept(&mut self, slept_ms: u64, mono: u64) -> Option<Effect> {
        // Already away: that break was counted when the user left; a session keeps its own
        // time.
        if slept_ms < min_ms(self.config.natural_break_min)
            || !self.running()
            || self.away_since.is_some()
            || self.in_session
        {
            return None;
        }
        let was_due = matches!(self.mode, Mode::Due { .. });
        self.restart(mono);
        // Still locked after waking: the same absence, not a second break when the lock
        // reaches a natural break's length.
        self.away_since = self.locked_since;
        Some(Effect::NaturalBreak {
            away_min: minutes_between(0, slept_ms),
            was_due,
        })
    }

    /// When presence must be looked at again without any input: a lock reaching a natural
    /// break's length, a lost "woke" signal being settled.
    pub(super) fn presence_deadlines<Tz: TimeZone>(&self, now: &Now<Tz>) -> Vec<Option<Duration>> {
        let mono = |at: u64| {
            Some(Duration::milliseconds(
                i64::try_from(at.saturating_sub(now.mono_ms)).unwrap_or(i64::MAX),
            ))
        };
        let lock = self
            .locked_since
            .filter(|_| self.away_since.is_none() && !self.in_session)
            .and_then(|at| mono(at + min_ms(self.config.natural_break_min)));
        let lost_resume = self
            .asleep_since
            .and_then(|(at, _)| mono(at + LOST_RESUME_MS));
        vec![lock, lost_resume]
    }

    /// On every wake-up: time asleep (from the clocks, or a lost "woke" signal) and a lock
    /// that has lasted a natural break.
    pub(super) fn check_presence<Tz: TimeZone>(&mut self, now: &Now<Tz>) -> Vec<Effect> {
        let mono = now.mono_ms;
        let gap = self.clock_gap_ms(now);
        let slept_ms = if self.sleep_signals {
            self.settle_lost_resume(now)
        } else {
            gap
        };
        let mut effects: Vec<Effect> = self.slept(slept_ms, mono).into_iter().collect();
        if let Some(at) = self.locked_since {
            if !self.in_session && mono.saturating_sub(at) >= min_ms(self.config.natural_break_min)
            {
                effects.extend(self.went_away(at, mono));
            }
        }
        effects
    }

    /// How much further the wall clock ran than the monotonic one since the last reading
    /// (time asleep, or the clock set forward).
    fn clock_gap_ms<Tz: TimeZone>(&mut self, now: &Now<Tz>) -> u64 {
        let wall = now.wall.to_utc();
        let gap = match self.last_seen {
            Some((mono0, wall0)) => {
                let wall_ms = (wall - wall0).num_milliseconds();
                let mono_ms = i64::try_from(now.mono_ms.saturating_sub(mono0)).unwrap_or(i64::MAX);
                u64::try_from(wall_ms.saturating_sub(mono_ms)).unwrap_or(0)
            }
            None => 0,
        };
        self.last_seen = Some((now.mono_ms, wall));
        gap
    }

    /// A "going to sleep" long past with no "woke": the signal was lost. The time asleep is
    /// what the wall clock ran beyond the monotonic one since.
    fn settle_lost_resume<Tz: TimeZone>(&mut self, now: &Now<Tz>) -> u64 {
        match self.asleep_since {
            Some((mono0, wall0)) if now.mono_ms.saturating_sub(mono0) >= LOST_RESUME_MS => {
                self.asleep_since = None;
                let wall_ms = (now.wall.to_utc() - wall0).num_milliseconds();
                let awake_ms = i64::try_from(now.mono_ms - mono0).unwrap_or(i64::MAX);
                u64::try_from(wall_ms.saturating_sub(awake_ms)).unwrap_or(0)
            }
            _ => 0,
        }
    }

    /// Tells the scheduler how long the user has been idle (no keyboard or mouse input), as
    /// read by the shell. Idle for a natural break's length means away: that is a break,
    /// and nothing fires until input resumes; sitting time then starts from the first input.
    pub fn observe_idle<Tz: TimeZone>(&mut self, idle_ms: u64, now: &Now<Tz>) -> Vec<Effect> {
        // On the mat, nobody touches the keyboard: that is the session, not absence.
        if self.in_session {
            return Vec::new();
        }
        let idle_ms = match self.locked_since {
            // Locked is away since the lock, whatever program holds an inhibitor.
            Some(at) => idle_ms.max(now.mono_ms.saturating_sub(at)),
            // In a call or watching a film, nobody types either: that is sitting, not a
            // break.
            None if self.busy.inhibited => 0,
            None => idle_ms,
        };
        let last_input = now.mono_ms.saturating_sub(idle_ms);
        if idle_ms >= min_ms(self.config.natural_break_min) {
            // Presence is tracked in every mode (paused, off hours too), so a working day
            // that begins while the user is away waits for them; the break itself is
            // only reported while breaks are running.
            return self
                .went_away(last_input, now.mono_ms)
                .into_iter()
                .collect();
        }
        if self.away_since.take().is_some() && self.running() {
            self.restart(last_input);
        }
        Vec::new()
    }

    /// Idle time can no longer be read (the compositor went away). Away by idle ends: the
    /// user counts as present from now, and breaks follow the clock, rather than waiting
    /// for a return nobody can see. A locked screen still counts.
    pub fn idle_lost<Tz: TimeZone>(&mut self, now: &Now<Tz>) -> Vec<Effect> {
        if self.locked_since.is_none()
            && !self.in_session
            && self.away_since.take().is_some()
            && self.running()
        {
            self.restart(now.mono_ms);
        }
        self.handle_timeout(now)
    }

    /// The session was locked (`true`) or unlocked. Locked counts as away from the moment
    /// of locking; unlocking is input, so the user is back at once. A repeated signal
    /// changes nothing.
    pub fn observe_lock<Tz: TimeZone>(&mut self, locked: bool, now: &Now<Tz>) -> Vec<Effect> {
        if locked {
            self.locked_since.get_or_insert(now.mono_ms);
        } else if self.locked_since.take().is_some()
            && self.away_since.take().is_some()
            && self.running()
            && !self.in_session
        {
            self.restart(now.mono_ms);
        }
        // An unlock before a natural break's length shows at once what came due.
        self.handle_timeout(now)
    }

    /// Whether sleep is reported directly (logind is there). Then a clock gap is no longer
    /// taken for a suspend.
    pub fn set_sleep_signals(&mut self, available: bool) {
        self.sleep_signals = available;
        if !available {
            self.asleep_since = None;
        }
    }

    /// logind's `PrepareForSleep`: `true` before the machine sleeps, `false` when it woke.
    /// The time between the two, if a natural break's length, was a break.
    pub fn observe_sleep<Tz: TimeZone>(&mut self, going: bool, now: &Now<Tz>) -> Vec<Effect> {
        self.sleep_signals = true;
        if going {
            self.asleep_since
                .get_or_insert((now.mono_ms, now.wall.to_utc()));
            return Vec::new();
        }
        let mut effects = Vec::new();
        if let Some((_, wall0)) = self.asleep_since.take() {
            let slept_ms =
                u64::try_from((now.wall.to_utc() - wall0).num_milliseconds()).unwrap_or(0);
            effects.extend(self.slept(slept_ms, now.mono_ms));
        }
        effects.extend(self.handle_timeout(now));
        effects
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{Busy, Config};
    use chrono::{DateTime, FixedOffset};

    use crate::schedule::tests::at;

    /// The machine slept from `from` to h:m: the wall clock moved, the monotonic one did not.
    fn woke(from: &Now<FixedOffset>, h: u32, m: u32) -> Now<FixedOffset> {
        let wall: DateTime<FixedOffset> = at(h, m).wall;
        Now::new(from.mono_ms, wall)
    }

    /// An hour's interval, a natural break of 5 minutes, nothing else.
    fn schedule() -> Schedule {
        let config = Config {
            break_interval_min: 60,
            posture_interval_min: 0,
            break_warning_s: 0,
            max_snoozes: 0,
            ..Config::default()
        };
        Schedule::new(config, &at(9, 0))
    }

    fn natural_break(away_min: u32) -> Vec<Effect> {
        vec![Effect::NaturalBreak {
            away_min,
            was_due: false,
        }]
    }

    #[test]
    fn a_lock_is_away_from_locking_and_a_break_once_it_lasts_a_natural_break() {
        let mut s = schedule();
        assert_eq!(s.observe_lock(true, &at(9, 30)), vec![]);
        assert!(s.locked());
        // Four minutes in: not yet a break, and the deadline is the fifth minute.
        assert_eq!(s.handle_timeout(&at(9, 34)), vec![]);
        assert_eq!(s.time_to_deadline(&at(9, 34)), Some(Duration::minutes(1)));
        assert_eq!(s.handle_timeout(&at(9, 35)), natural_break(5));
        // Counted once, however long the lock lasts.
        assert_eq!(s.handle_timeout(&at(10, 40)), vec![]);
        // Unlocking is input: sitting time starts then.
        assert_eq!(s.observe_lock(false, &at(11, 0)), vec![]);
        assert!(!s.locked());
        assert_eq!(s.snapshot(&at(11, 0)).next_break_in_s, Some(3600));
    }

    #[test]
    fn a_lock_counts_from_the_last_input_when_idle_before_it_and_beats_an_inhibitor() {
        let mut s = schedule();
        s.set_busy(
            Busy {
                inhibited: true,
                ..Busy::default()
            },
            &at(9, 0),
        );
        s.observe_lock(true, &at(9, 30));
        // A film holds an inhibitor, but a locked screen is nobody watching it.
        assert_eq!(s.observe_idle(7 * 60_000, &at(9, 35)), natural_break(7));
    }

    #[test]
    fn nothing_pops_up_while_locked_and_a_short_lock_shows_what_came_due() {
        let mut s = schedule();
        s.observe_lock(true, &at(9, 58));
        assert_eq!(s.handle_timeout(&at(10, 0)), vec![]);
        assert_eq!(s.time_to_deadline(&at(10, 0)), Some(Duration::minutes(3)));
        // Back after three minutes: the break that came due shows at once.
        assert_eq!(
            s.observe_lock(false, &at(10, 1)),
            vec![Effect::BreakDue { sitting_min: 61 }]
        );
    }

    #[test]
    fn away_by_idle_ends_when_idle_time_can_no_longer_be_read() {
        let mut s = schedule();
        assert_eq!(s.observe_idle(6 * 60_000, &at(9, 30)), natural_break(6));
        assert_eq!(s.idle_lost(&at(9, 40)), vec![]);
        assert!(!s.snapshot(&at(9, 40)).away);
        assert_eq!(s.snapshot(&at(9, 40)).next_break_in_s, Some(3600));
        // Locked, the lock still tells.
        let mut s = schedule();
        s.observe_lock(true, &at(9, 30));
        s.handle_timeout(&at(9, 36));
        s.idle_lost(&at(9, 40));
        assert!(s.snapshot(&at(9, 40)).away);
    }

    #[test]
    fn repeated_and_stray_lock_signals_change_nothing() {
        let mut s = schedule();
        s.observe_lock(true, &at(9, 30));
        s.observe_lock(true, &at(9, 33));
        // Still counted from the first.
        assert_eq!(s.handle_timeout(&at(9, 35)), natural_break(5));
        s.observe_lock(false, &at(9, 50));
        let before = s.clone();
        assert_eq!(s.observe_lock(false, &at(9, 50)), vec![]);
        assert_eq!(s, before);
    }

    #[test]
    fn sleep_signals_mark_a_suspend_and_a_clock_jump_is_not_one() {
        let mut s = schedule();
        s.set_sleep_signals(true);
        // The wall clock is set an hour forward: with logind there, that is no suspend.
        let jumped = Now::new(at(9, 10).mono_ms, at(10, 10).wall);
        assert_eq!(s.handle_timeout(&jumped), vec![]);
        let before = at(9, 20);
        assert_eq!(s.observe_sleep(true, &before), vec![]);
        // Going to sleep holds every pop-up.
        assert!(s.quiet());
        assert_eq!(
            s.observe_sleep(false, &woke(&before, 9, 50)),
            natural_break(30)
        );
        // A second "woke" changes nothing.
        assert_eq!(s.observe_sleep(false, &woke(&before, 9, 51)), vec![]);
    }

    #[test]
    fn a_short_sleep_is_no_break_and_a_second_going_to_sleep_keeps_the_first() {
        let mut s = schedule();
        let first = at(9, 20);
        s.observe_sleep(true, &first);
        s.observe_sleep(true, &woke(&first, 9, 22));
        assert_eq!(
            s.observe_sleep(false, &woke(&first, 9, 26)),
            natural_break(6)
        );
        let mut s = schedule();
        s.observe_sleep(true, &first);
        assert_eq!(s.observe_sleep(false, &woke(&first, 9, 23)), vec![]);
    }

    #[test]
    fn a_lost_woke_signal_is_settled_from_the_clocks() {
        let mut s = schedule();
        let before = at(9, 20);
        s.observe_sleep(true, &before);
        // Asleep 40 minutes (wall), then running on without the signal.
        let later = |minutes: u64| {
            Now::new(
                before.mono_ms + minutes * 60_000,
                before.wall + Duration::minutes(40 + minutes as i64),
            )
        };
        assert_eq!(s.handle_timeout(&later(1)), vec![]);
        assert_eq!(s.time_to_deadline(&later(1)), Some(Duration::minutes(2)));
        assert_eq!(s.handle_timeout(&later(3)), natural_break(40));
    }

    #[test]
    fn without_sleep_signals_a_clock_gap_is_a_suspend() {
        let mut s = schedule();
        let before = at(9, 20);
        s.handle_timeout(&before);
        assert_eq!(s.handle_timeout(&woke(&before, 9, 50)), natural_break(30));
    }

    #[test]
    fn asleep_while_locked_is_one_absence() {
        let mut s = schedule();
        s.observe_lock(true, &at(9, 20));
        let before = at(9, 21);
        s.observe_sleep(true, &before);
        let after = woke(&before, 10, 30);
        assert_eq!(s.observe_sleep(false, &after), natural_break(69));
        let later = Now::new(
            after.mono_ms + 10 * 60_000,
            after.wall + Duration::minutes(10),
        );
        assert_eq!(s.handle_timeout(&later), vec![]);
        s.observe_lock(false, &later);
        assert_eq!(s.snapshot(&later).next_break_in_s, Some(3600));
    }
}
