//! The scheduler over long simulated spans: jump from deadline to deadline, nothing sleeps.

use chrono::{Duration, FixedOffset, TimeZone};
use limber_core::schedule::{Effect, PauseLength, Schedule, ScheduleCommand, State};
use limber_core::Now;
use proptest::prelude::*;

fn start() -> Now<FixedOffset> {
    let tz = FixedOffset::east_opt(3600).unwrap();
    Now::new(0, tz.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap())
}

fn later(now: &Now<FixedOffset>, minutes: i64) -> Now<FixedOffset> {
    Now::new(
        now.mono_ms + u64::try_from(minutes * 60_000).unwrap(),
        now.wall + Duration::minutes(minutes),
    )
}

#[test]
fn a_month_of_deadlines_gives_one_break_per_interval_taken() {
    let mut now = start();
    let mut schedule = Schedule::new(60, 10, &now);
    let mut breaks = 0;
    let end = now.wall + Duration::days(30);
    while now.wall < end {
        let deadline = schedule
            .next_deadline()
            .expect("always a deadline while running");
        let minutes = (deadline - now.wall.to_utc()).num_minutes().max(0);
        now = later(&now, minutes);
        for effect in schedule.handle_timeout(&now) {
            assert_eq!(effect, Effect::BreakDue { sitting_min: 60 });
            breaks += 1;
            // The user takes each break at once.
            schedule.handle(ScheduleCommand::BreakTaken, &now);
        }
    }
    assert_eq!(breaks, 30 * 24, "one break an hour for thirty days");
}

#[derive(Clone, Debug)]
enum Step {
    Wait(i64),
    Snooze(Option<u32>),
    Skip,
    Pause(u32),
    PauseUntilResumed,
    Resume,
    Take,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1i64..180).prop_map(Step::Wait),
        prop::option::of(1u32..60).prop_map(Step::Snooze),
        Just(Step::Skip),
        (1u32..600).prop_map(Step::Pause),
        Just(Step::PauseUntilResumed),
        Just(Step::Resume),
        Just(Step::Take),
    ]
}

proptest! {
    /// Whatever the user does: no break fires while paused; a break never fires before a
    /// full interval of sitting unless a snooze asked for it; an ignored break reminds at
    /// most once per snooze length; and a break is never more than the interval (or the
    /// snooze asked for) away while running.
    #[test]
    fn menu_commands_keep_their_promises(steps in prop::collection::vec(step(), 1..80), interval in 5u32..240) {
        let mut now = start();
        let mut schedule = Schedule::new(interval, 10, &now);
        let mut last_reminder: Option<i64> = None;
        // The minute by which the coming break must fire: the interval from when sitting
        // time restarted, pushed back by exactly the snoozes the user asked for.
        let minute = |now: &Now<FixedOffset>| now.wall.timestamp() / 60;
        let mut bound: i64 = minute(&now) + i64::from(interval);
        for step in steps {
            match step {
                Step::Wait(minutes) => {
                    for _ in 0..minutes {
                        let paused_before = schedule.state() == State::Paused;
                        now = later(&now, 1);
                        for effect in schedule.handle_timeout(&now) {
                            match effect {
                                Effect::BreakDue { sitting_min } => {
                                    prop_assert!(!paused_before, "a break fired while paused");
                                    prop_assert!(sitting_min >= interval, "break after {sitting_min} < {interval} min");
                                    prop_assert!(minute(&now) <= bound, "break at {} after its bound {bound}", minute(&now));
                                    last_reminder = Some(now.wall.timestamp() / 60);
                                }
                                Effect::BreakReminder { .. } => {
                                    let minute = now.wall.timestamp() / 60;
                                    if let Some(previous) = last_reminder {
                                        prop_assert!(minute - previous >= 10, "reminders {previous} → {minute}");
                                    }
                                    last_reminder = Some(minute);
                                }
                                Effect::PauseEnded => {
                                    prop_assert!(paused_before);
                                    bound = minute(&now) + i64::from(interval);
                                }
                            }
                        }
                    }
                }
                Step::Snooze(minutes) => {
                    let before = schedule.snapshot(&now);
                    schedule.handle(ScheduleCommand::Snooze { minutes }, &now);
                    if before.state != State::Paused {
                        let by = i64::from(minutes.unwrap_or(10));
                        let snap = schedule.snapshot(&now);
                        prop_assert_eq!(snap.state, State::Snoozed);
                        let was_due_in = if before.state == State::Due { 0 } else { before.next_break_in_s.unwrap_or(0) };
                        prop_assert_eq!(snap.next_break_in_s, Some(was_due_in + by * 60));
                        bound = bound.max(minute(&now)) + by;
                    }
                }
                Step::Skip => {
                    let was_paused = schedule.state() == State::Paused;
                    schedule.handle(ScheduleCommand::Skip, &now);
                    if !was_paused {
                        bound = minute(&now) + i64::from(interval);
                        prop_assert_eq!(schedule.snapshot(&now).next_break_in_s, Some(i64::from(interval) * 60));
                    }
                }
                Step::Pause(minutes) => {
                    schedule.handle(ScheduleCommand::Pause(PauseLength::Minutes { minutes }), &now);
                    let snap = schedule.snapshot(&now);
                    prop_assert_eq!(snap.state, State::Paused);
                    prop_assert_eq!(snap.next_break_at, None);
                    prop_assert_eq!(
                        schedule.next_deadline().map(|d| (d - now.wall.to_utc()).num_minutes()),
                        Some(i64::from(minutes))
                    );
                }
                Step::PauseUntilResumed => {
                    schedule.handle(ScheduleCommand::Pause(PauseLength::UntilResumed), &now);
                    prop_assert_eq!(schedule.next_deadline(), None);
                }
                Step::Resume => {
                    let was_paused = schedule.state() == State::Paused;
                    schedule.handle(ScheduleCommand::Resume, &now);
                    if was_paused {
                        bound = minute(&now) + i64::from(interval);
                        prop_assert_eq!(schedule.snapshot(&now).next_break_in_s, Some(i64::from(interval) * 60));
                    }
                }
                Step::Take => {
                    schedule.handle(ScheduleCommand::BreakTaken, &now);
                    last_reminder = None;
                    bound = minute(&now) + i64::from(interval);
                }
            }
            if matches!(schedule.state(), State::Active | State::Snoozed) {
                prop_assert!(minute(&now) <= bound, "a break overdue at {} (bound {bound})", minute(&now));
            }
            if matches!(schedule.state(), State::Active) {
                let due_in = schedule.snapshot(&now).next_break_in_s.unwrap_or(0);
                prop_assert!(due_in <= i64::from(interval) * 60, "break {due_in} s away, interval {interval} min");
            }
        }
    }
}
