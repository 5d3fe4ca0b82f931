//! The scheduler over long simulated spans: jump from deadline to deadline, nothing sleeps.

use chrono::{Duration, FixedOffset, TimeZone};
use limber_core::schedule::{Config, Effect, PauseLength, Schedule, ScheduleCommand, State};
use limber_core::Now;
use proptest::prelude::*;

fn start() -> Now<FixedOffset> {
    let tz = FixedOffset::east_opt(3600).unwrap();
    Now::new(0, tz.with_ymd_and_hms(2026, 11, 1, 8, 0, 0).unwrap())
}

/// The default settings (snooze 10, no working hours) with this interval, without posture
/// checks, warnings or a snooze limit.
fn plain(interval: u32) -> Config {
    Config {
        break_interval_min: interval,
        posture_interval_min: 0,
        break_warning_s: 0,
        max_snoozes: 0,
        ..Config::default()
    }
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
    let mut schedule = Schedule::new(plain(60), &now);
    let mut breaks = 0;
    let end = now.wall + Duration::days(30);
    let mut imminent = 0;
    while now.wall < end {
        let wait = schedule
            .time_to_deadline(&now)
            .expect("always a deadline while running")
            .max(Duration::zero());
        now = Now::new(
            now.mono_ms + u64::try_from(wait.num_milliseconds()).unwrap(),
            now.wall + wait,
        );
        for effect in schedule.handle_timeout(&now) {
            if effect == (Effect::BreakImminent { in_s: 10 }) {
                imminent += 1;
                continue;
            }
            assert_eq!(effect, Effect::BreakDue { sitting_min: 60 });
            breaks += 1;
            // The user takes each break at once.
            schedule.handle(ScheduleCommand::BreakTaken, &now);
        }
    }
    assert_eq!(breaks, 30 * 24, "one break an hour for thirty days");
    assert_eq!(imminent, breaks, "each announced ten seconds before");
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
        let mut schedule = Schedule::new(plain(interval), &now);
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
                                Effect::BreakImminent { in_s } => prop_assert!(in_s <= 10),
                                other => prop_assert!(false, "no idle, hours or posture here: {other:?}"),
                            }
                        }
                    }
                }
                Step::Snooze(minutes) => {
                    let before = schedule.snapshot(&now);
                    schedule.handle(ScheduleCommand::Snooze { minutes }, &now);
                    if before.state != State::Paused {
                        let by = u64::from(minutes.unwrap_or(10));
                        let snap = schedule.snapshot(&now);
                        prop_assert_eq!(snap.state, State::Snoozed);
                        let was_due_in = if before.state == State::Due { 0 } else { before.next_break_in_s.unwrap_or(0) };
                        prop_assert_eq!(snap.next_break_in_s, Some(was_due_in + by * 60));
                        bound = bound.max(minute(&now)) + i64::try_from(by).unwrap();
                    }
                }
                Step::Skip => {
                    let was_paused = schedule.state() == State::Paused;
                    schedule.handle(ScheduleCommand::Skip, &now);
                    if !was_paused {
                        bound = minute(&now) + i64::from(interval);
                        prop_assert_eq!(schedule.snapshot(&now).next_break_in_s, Some(u64::from(interval) * 60));
                    }
                }
                Step::Pause(minutes) => {
                    schedule.handle(ScheduleCommand::Pause(PauseLength::Minutes { minutes }), &now);
                    let snap = schedule.snapshot(&now);
                    prop_assert_eq!(snap.state, State::Paused);
                    prop_assert_eq!(snap.next_break_at, None);
                    prop_assert_eq!(
                        schedule.time_to_deadline(&now).map(|d| d.num_minutes()),
                        Some(i64::from(minutes))
                    );
                }
                Step::PauseUntilResumed => {
                    schedule.handle(ScheduleCommand::Pause(PauseLength::UntilResumed), &now);
                    prop_assert_eq!(schedule.time_to_deadline(&now), None);
                }
                Step::Resume => {
                    let was_paused = schedule.state() == State::Paused;
                    schedule.handle(ScheduleCommand::Resume, &now);
                    if was_paused {
                        bound = minute(&now) + i64::from(interval);
                        prop_assert_eq!(schedule.snapshot(&now).next_break_in_s, Some(u64::from(interval) * 60));
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
                prop_assert!(due_in <= u64::from(interval) * 60, "break {due_in} s away, interval {interval} min");
            }
        }
    }
}

mod month {
    //! Thirty days, minute by minute, in Europe/Berlin across a DST change, with random
    //! activity, idle stretches, suspends, clock jumps, working hours, menu commands,
    //! stretches of being busy (fullscreen, do-not-disturb, a call or film with no input),
    //! and logind's lock and sleep signals arriving at any moment, twice or out of order.
    //! Some months have no idle source (the lock is then the only sign of absence), some
    //! no logind (no lock, and suspends are read from the clocks).

    use chrono::{DateTime, Duration, NaiveTime, TimeZone};
    use chrono_tz::{Europe::Berlin, Tz};
    use limber_core::schedule::{
        Busy, Config, Effect, PauseLength, Schedule, ScheduleCommand, State, WorkingHours,
        LOST_RESUME_MS,
    };
    use limber_core::Now;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Segment {
        /// Typing and clicking for this many minutes.
        Active(u32),
        /// No input for this many minutes (at the desk or not).
        Idle(u32),
        /// Machine asleep this many minutes: the wall clock runs, the monotonic one does
        /// not. With logind, its signals: 0 in order, 1 each twice, 2 "woke" first and
        /// "going to sleep" after it, 3 "woke" lost.
        Sleep(u32, u8),
        /// The wall clock is changed by this many minutes.
        ClockJump(i64),
        Snooze(u32),
        Skip,
        Pause(u32),
        Resume,
        /// Takes the break if one is due (starts a session from it).
        TakeIfDue,
        /// A guided session of this many minutes, with no keyboard or mouse input.
        Session(u32),
        /// Busy for this many minutes: 0 a fullscreen window (typing), 1 do-not-disturb
        /// (typing), 2 a call or a film holding an inhibitor (no input at all).
        Busy(u32, u8),
        /// The screen locked for this many minutes (no input), each signal sent once or
        /// twice; unlocking is input.
        Lock(u32, bool),
        /// A signal with nothing before it: 0 an unlock, 1 a "woke".
        Stray(u8),
    }

    fn segment() -> impl Strategy<Value = Segment> {
        prop_oneof![
            6 => (1u32..120).prop_map(Segment::Active),
            3 => (1u32..90).prop_map(Segment::Idle),
            2 => ((1u32..600), (0u8..4)).prop_map(|(m, v)| Segment::Sleep(m, v)),
            1 => prop_oneof![Just(-60i64), Just(60i64)].prop_map(Segment::ClockJump),
            1 => (1u32..20).prop_map(Segment::Snooze),
            1 => Just(Segment::Skip),
            1 => (1u32..240).prop_map(Segment::Pause),
            1 => Just(Segment::Resume),
            2 => Just(Segment::TakeIfDue),
            1 => (1u32..15).prop_map(Segment::Session),
            2 => ((1u32..150), (0u8..3)).prop_map(|(m, k)| Segment::Busy(m, k)),
            2 => ((1u32..90), any::<bool>()).prop_map(|(m, twice)| Segment::Lock(m, twice)),
            1 => (0u8..2).prop_map(Segment::Stray),
        ]
    }

    /// What the month's desktop offers.
    #[derive(Clone, Copy, Debug)]
    struct Desktop {
        /// Idle time can be read (X11, Mutter, a Wayland idle protocol).
        idle_source: bool,
        /// logind reports lock and sleep.
        logind: bool,
    }

    struct Sim {
        schedule: Schedule,
        mono_ms: u64,
        wall: DateTime<Tz>,
        idle_ms: u64,
        config: Config,
        desktop: Desktop,
        /// Minute (mono) by which the coming break must fire while the user is present,
        /// in hours and not paused: interval from the restart plus snoozes asked for.
        bound_ms: Option<u64>,
        breaks: u32,
        was_away: bool,
        in_session: bool,
        busy: Busy,
        /// Snoozes accepted since the break last restarted.
        snoozes: u32,
        /// The screen is locked, since (mono).
        locked_since: Option<u64>,
        /// A "going to sleep" the schedule has not seen a "woke" for: (mono, wall).
        asleep_since: Option<(u64, DateTime<Tz>)>,
        /// Slept while locked: that absence lasts until the unlock.
        asleep_while_locked: bool,
        /// Something long enough to be a break happened in this step (a sleep, a clock
        /// gap taken for one): a natural break may be reported for it.
        absence: bool,
    }

    impl Sim {
        fn now(&self) -> Now<Tz> {
            Now::new(self.mono_ms, self.wall)
        }

        fn natural_ms(&self) -> u64 {
            u64::from(self.config.natural_break_min) * 60_000
        }

        fn in_hours(&self) -> bool {
            self.config
                .working_hours
                .as_ref()
                .is_none_or(|h| h.contains(&self.wall))
        }

        fn restart_bound(&mut self) {
            self.bound_ms = Some(self.mono_ms + u64::from(self.config.break_interval_min) * 60_000);
            self.snoozes = 0;
        }

        fn held(&self) -> bool {
            self.config.hold_when_busy && self.busy != Busy::default()
        }

        /// Away as the schedule should see it: no input (unless a program holds an
        /// inhibitor) or a locked screen, for a natural break's length.
        fn away(&self) -> bool {
            let locked_for = self.locked_since.map(|at| self.mono_ms - at);
            let absent_ms = match (locked_for, self.desktop.idle_source) {
                (Some(locked), true) => Some(locked.max(self.idle_ms)),
                (Some(locked), false) => Some(locked),
                (None, true) if self.busy.inhibited => Some(0),
                (None, true) => Some(self.idle_ms),
                (None, false) => None,
            };
            self.asleep_while_locked || absent_ms.is_some_and(|ms| ms >= self.natural_ms())
        }

        /// Nothing may pop up: locked, or going to sleep.
        fn quiet(&self) -> bool {
            self.locked_since.is_some() || self.asleep_since.is_some()
        }

        /// The desktop says the user is busy (or no longer). Taking a hold shows nothing;
        /// ending one shows at once what waited.
        fn set_busy(&mut self, busy: Busy) -> Result<(), TestCaseError> {
            let was_held = self.held();
            self.busy = busy;
            let effects = self.schedule.set_busy(busy, &self.now());
            if self.held() || !was_held {
                prop_assert!(
                    effects.is_empty(),
                    "{effects:?} on taking a hold at {}",
                    self.wall
                );
                return Ok(());
            }
            let away = self.away();
            if self.schedule.state() == State::Due && !away && !self.in_session && !self.quiet() {
                prop_assert!(
                    effects.iter().any(|e| matches!(
                        e,
                        Effect::BreakDue { .. } | Effect::BreakReminder { .. }
                    )),
                    "a held break did not show when the hold ended at {}",
                    self.wall
                );
            }
            // Idle time is read at the next wake-up, not when the hold ends.
            self.check(effects, State::Active, false)
        }

        /// Checks what the schedule did in one step against every promise.
        fn check(
            &mut self,
            effects: Vec<Effect>,
            before: State,
            away: bool,
        ) -> Result<(), TestCaseError> {
            let fired = effects
                .iter()
                .filter(|e| matches!(e, Effect::BreakDue { .. } | Effect::BreakReminder { .. }))
                .count();
            prop_assert!(fired <= 1, "a burst of {fired} reminders at {}", self.wall);
            // A window readied for an imminent break is not seen, but it starts a
            // process: held to the same rule as what is seen.
            let pops_up = |e: &Effect| {
                matches!(
                    e,
                    Effect::BreakDue { .. }
                        | Effect::BreakReminder { .. }
                        | Effect::PostureCheck { .. }
                        | Effect::BreakSoon { .. }
                        | Effect::BreakImminent { .. }
                )
            };
            if self.held() {
                prop_assert!(
                    !effects.iter().any(pops_up),
                    "{effects:?} popped up while held at {}",
                    self.wall
                );
            }
            if self.quiet() {
                prop_assert!(
                    !effects.iter().any(pops_up),
                    "{effects:?} popped up while locked or going to sleep at {}",
                    self.wall
                );
            }
            if self.busy.inhibited && self.locked_since.is_none() {
                prop_assert!(
                    !effects
                        .iter()
                        .any(|e| matches!(e, Effect::NaturalBreak { .. }))
                        || self.idle_ms == 0
                        || self.absence,
                    "no input in a call counted as a natural break at {}",
                    self.wall
                );
            }
            if self.in_session {
                prop_assert!(
                    !effects.iter().any(|e| matches!(
                        e,
                        Effect::BreakDue { .. }
                            | Effect::BreakReminder { .. }
                            | Effect::PostureCheck { .. }
                            | Effect::NaturalBreak { .. }
                            | Effect::BreakImminent { .. }
                    )),
                    "{effects:?} during a session at {}",
                    self.wall
                );
            }
            for effect in &effects {
                match effect {
                    Effect::BreakDue { sitting_min } => {
                        prop_assert!(
                            before != State::Paused,
                            "a break fired while paused at {}",
                            self.wall
                        );
                        prop_assert!(
                            self.in_hours(),
                            "a break fired outside working hours at {}",
                            self.wall
                        );
                        prop_assert!(
                            !away,
                            "a break fired while the user was away at {}",
                            self.wall
                        );
                        prop_assert!(
                            *sitting_min >= self.config.break_interval_min,
                            "a break after {sitting_min} min of sitting at {}",
                            self.wall
                        );
                        self.breaks += 1;
                        self.bound_ms = None;
                    }
                    // Away (idle or locked): sitting time restarts at the return, and the
                    // next break gets its own snoozes.
                    Effect::NaturalBreak { .. } if away => {
                        self.bound_ms = None;
                        self.snoozes = 0;
                    }
                    // Asleep (or, without logind, the clock set forward): sitting time
                    // restarts now. Only for a real reason.
                    Effect::NaturalBreak { .. } => {
                        prop_assert!(
                            self.absence,
                            "a natural break with nobody away at {}",
                            self.wall
                        );
                        self.restart_bound();
                        self.asleep_while_locked = self.locked_since.is_some();
                    }
                    Effect::PauseEnded | Effect::WorkingHoursStarted => self.restart_bound(),
                    _ => {}
                }
            }
            Ok(())
        }

        /// One driver wake-up: read idle (if it can be read), then the clock. Checks every
        /// promise.
        fn tick(&mut self) -> Result<(), TestCaseError> {
            let now = self.now();
            let before = self.schedule.state();
            // A "going to sleep" with no "woke" is settled once the machine ran long enough.
            if let Some((mono0, wall0)) = self.asleep_since {
                if self.mono_ms - mono0 >= LOST_RESUME_MS {
                    self.asleep_since = None;
                    let wall_ms = (self.wall - wall0).num_milliseconds();
                    let slept = wall_ms - i64::try_from(self.mono_ms - mono0).unwrap();
                    self.absence |= slept >= i64::try_from(self.natural_ms()).unwrap();
                }
            }
            let away = self.away();
            let mut effects = if self.desktop.idle_source {
                self.schedule.observe_idle(self.idle_ms, &now)
            } else {
                Vec::new()
            };
            effects.extend(self.schedule.handle_timeout(&now));
            self.check(effects, before, away)?;
            if self.was_away && !away && self.schedule.state() != State::Paused {
                // Back at the first input, or, when a call or film begins with none, now.
                let first_input = if self.busy.inhibited {
                    self.mono_ms
                } else {
                    self.mono_ms - self.idle_ms
                };
                self.bound_ms =
                    Some(first_input + u64::from(self.config.break_interval_min) * 60_000);
                self.snoozes = 0;
            }
            self.was_away = away;
            self.absence = false;
            let present = !away
                && !self.held()
                && !self.quiet()
                && matches!(self.schedule.state(), State::Active | State::Snoozed);
            if let (true, Some(bound)) = (present, self.bound_ms) {
                prop_assert!(
                    self.mono_ms <= bound + 60_000,
                    "no break {} min after it was owed, at {}",
                    (self.mono_ms - bound) / 60_000,
                    self.wall
                );
            }
            Ok(())
        }

        fn minute(&mut self, active: bool) -> Result<(), TestCaseError> {
            self.mono_ms += 60_000;
            self.wall += Duration::minutes(1);
            self.idle_ms = if active { 0 } else { self.idle_ms + 60_000 };
            self.tick()
        }

        fn command(&mut self, command: ScheduleCommand) {
            let state = self.schedule.state();
            let bound_before = self.bound_ms;
            self.schedule.handle(command, &self.now());
            match command {
                ScheduleCommand::Snooze { .. }
                    if self.config.max_snoozes > 0 && self.snoozes >= self.config.max_snoozes =>
                {
                    // At the cap: refused, nothing moves.
                    prop_assert_snooze_refused(self.schedule.check_snooze().is_err(), self.wall);
                }
                ScheduleCommand::Snooze { minutes }
                    if matches!(state, State::Active | State::Snoozed | State::Due) =>
                {
                    self.snoozes += 1;
                    let by = u64::from(minutes.unwrap_or(self.config.snooze_min)) * 60_000;
                    self.bound_ms =
                        Some(bound_before.unwrap_or(self.mono_ms).max(self.mono_ms) + by);
                }
                ScheduleCommand::Resume if state == State::Paused => self.restart_bound(),
                ScheduleCommand::Skip
                | ScheduleCommand::Pause(_)
                | ScheduleCommand::BreakTaken
                | ScheduleCommand::SessionEnded => self.restart_bound(),
                _ => {}
            }
        }

        /// logind: the screen locked (`true`) or unlocked.
        fn lock_signal(&mut self, locked: bool) -> Result<(), TestCaseError> {
            let before = self.schedule.state();
            let was_away = self.away();
            if locked {
                self.locked_since.get_or_insert(self.mono_ms);
            } else if self.locked_since.take().is_some() {
                // Unlocking is input.
                self.idle_ms = 0;
                self.asleep_while_locked = false;
            }
            let effects = self.schedule.observe_lock(locked, &self.now());
            self.check(effects, before, was_away && locked)?;
            if !locked && was_away && !self.away() {
                // Back now: sitting time starts at the unlock.
                self.was_away = false;
                if matches!(self.schedule.state(), State::Active | State::Snoozed) {
                    self.restart_bound();
                }
            }
            Ok(())
        }

        /// logind's `PrepareForSleep`.
        fn sleep_signal(&mut self, going: bool) -> Result<(), TestCaseError> {
            let before = self.schedule.state();
            let away = self.away();
            if going {
                self.asleep_since.get_or_insert((self.mono_ms, self.wall));
            } else if let Some((_, wall0)) = self.asleep_since.take() {
                self.absence |= (self.wall - wall0).num_milliseconds()
                    >= i64::try_from(self.natural_ms()).unwrap();
            }
            let effects = self.schedule.observe_sleep(going, &self.now());
            let slept_long = self.absence;
            let natural = effects
                .iter()
                .any(|e| matches!(e, Effect::NaturalBreak { .. }));
            if !going
                && slept_long
                && !self.was_away
                && !self.in_session
                && matches!(before, State::Active | State::Snoozed | State::Due)
            {
                prop_assert!(
                    natural,
                    "a long sleep gave no natural break at {}",
                    self.wall
                );
            }
            self.check(effects, before, away)?;
            self.absence = false;
            Ok(())
        }

        /// The machine sleeps `minutes`, with logind's signals in the given order.
        fn sleep(&mut self, minutes: u32, signals: u8) -> Result<(), TestCaseError> {
            let logind = self.desktop.logind;
            if logind && signals != 2 {
                self.sleep_signal(true)?;
                if signals == 1 {
                    self.sleep_signal(true)?;
                }
            }
            self.wall += Duration::minutes(i64::from(minutes));
            self.idle_ms += u64::from(minutes) * 60_000;
            if !logind {
                // Read from the clocks.
                self.absence = u64::from(minutes) * 60_000 >= self.natural_ms();
            } else {
                match signals {
                    0 => self.sleep_signal(false)?,
                    1 => {
                        self.sleep_signal(false)?;
                        self.sleep_signal(false)?;
                    }
                    2 => {
                        self.sleep_signal(false)?;
                        self.sleep_signal(true)?;
                    }
                    _ => {}
                }
            }
            self.tick()
        }
    }

    fn prop_assert_snooze_refused(refused: bool, wall: DateTime<Tz>) {
        assert!(refused, "a snooze past max_snoozes was accepted at {wall}");
    }

    fn config(interval: u32, natural: u32, hours: bool, meetings: bool) -> Config {
        Config {
            break_interval_min: interval,
            snooze_min: 10,
            natural_break_min: natural,
            posture_interval_min: 20,
            working_hours: hours.then(|| WorkingHours {
                days: limber_core::settings::WeekDays::WORKWEEK,
                start: NaiveTime::from_hms_opt(8, 30, 0).unwrap(),
                end: NaiveTime::from_hms_opt(17, 30, 0).unwrap(),
            }),
            break_warning_s: if meetings { 60 } else { 0 },
            max_snoozes: if meetings { 3 } else { 0 },
            hold_when_busy: meetings,
        }
    }

    fn run(
        start: DateTime<Tz>,
        cfg: Config,
        desktop: Desktop,
        segments: Vec<Segment>,
    ) -> Result<u32, TestCaseError> {
        let mut schedule = Schedule::new(cfg.clone(), &Now::new(0, start));
        schedule.set_sleep_signals(desktop.logind);
        let mut sim = Sim {
            schedule,
            mono_ms: 0,
            wall: start,
            idle_ms: 0,
            config: cfg,
            desktop,
            bound_ms: None,
            breaks: 0,
            was_away: false,
            in_session: false,
            busy: Busy::default(),
            snoozes: 0,
            locked_since: None,
            asleep_since: None,
            asleep_while_locked: false,
            absence: false,
        };
        sim.restart_bound();
        // The segments repeat until thirty days have passed on the machine (minutes
        // awake plus minutes asleep; clock jumps do not count). A round that moved no time
        // gets an active minute, so every case ends.
        let month_ms = 30 * 24 * 60 * 60_000u64;
        let mut asleep_ms = 0u64;
        let mut round_start = 0u64;
        for (i, segment) in segments.iter().cycle().enumerate() {
            let elapsed = sim.mono_ms + asleep_ms;
            if elapsed >= month_ms {
                break;
            }
            if i % segments.len() == 0 && i > 0 {
                if elapsed == round_start {
                    sim.minute(true)?;
                }
                round_start = sim.mono_ms + asleep_ms;
            }
            match *segment {
                Segment::Active(m) => {
                    for _ in 0..m {
                        sim.minute(true)?;
                    }
                }
                Segment::Idle(m) => {
                    for _ in 0..m {
                        sim.minute(false)?;
                    }
                }
                Segment::Sleep(m, signals) => {
                    asleep_ms += u64::from(m) * 60_000;
                    sim.sleep(m, signals)?;
                }
                Segment::ClockJump(m) => {
                    sim.wall += Duration::minutes(m);
                    // Without logind a jump forward looks like a suspend; with it, only
                    // while a "going to sleep" waits to be settled.
                    sim.absence = (!sim.desktop.logind || sim.asleep_since.is_some())
                        && m * 60_000 >= i64::try_from(sim.natural_ms()).unwrap();
                    sim.tick()?;
                }
                Segment::Snooze(m) => sim.command(ScheduleCommand::Snooze { minutes: Some(m) }),
                Segment::Skip => sim.command(ScheduleCommand::Skip),
                Segment::Pause(m) => {
                    sim.command(ScheduleCommand::Pause(PauseLength::Minutes { minutes: m }))
                }
                Segment::Resume => sim.command(ScheduleCommand::Resume),
                Segment::TakeIfDue => {
                    if sim.schedule.state() == State::Due {
                        sim.command(ScheduleCommand::BreakTaken);
                    }
                }
                Segment::Session(m) => {
                    sim.command(ScheduleCommand::SessionStarted);
                    sim.in_session = true;
                    for _ in 0..m {
                        sim.minute(false)?;
                    }
                    sim.in_session = false;
                    // Back at the keyboard.
                    sim.idle_ms = 0;
                    sim.was_away = false;
                    sim.command(ScheduleCommand::SessionEnded);
                }
                Segment::Busy(m, kind) => {
                    let busy = Busy {
                        fullscreen: kind == 0,
                        do_not_disturb: kind == 1,
                        inhibited: kind == 2,
                    };
                    sim.set_busy(busy)?;
                    for _ in 0..m {
                        sim.minute(kind != 2)?;
                    }
                    sim.set_busy(Busy::default())?;
                }
                Segment::Lock(m, twice) if sim.desktop.logind => {
                    sim.lock_signal(true)?;
                    if twice {
                        sim.lock_signal(true)?;
                    }
                    for _ in 0..m {
                        sim.minute(false)?;
                    }
                    sim.lock_signal(false)?;
                    if twice {
                        sim.lock_signal(false)?;
                    }
                }
                Segment::Lock(m, _) => {
                    for _ in 0..m {
                        sim.minute(false)?;
                    }
                }
                Segment::Stray(0) if sim.desktop.logind => sim.lock_signal(false)?,
                Segment::Stray(_) if sim.desktop.logind => sim.sleep_signal(false)?,
                Segment::Stray(_) => {}
            }
        }
        Ok(sim.breaks)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, max_shrink_iters: 2_000, ..ProptestConfig::default() })]

        #[test]
        fn thirty_days_across_dst_keep_every_promise(
            segments in prop::collection::vec(segment(), 1..40),
            interval in 5u32..240,
            natural in 1u32..60,
            hours in any::<bool>(),
            spring in any::<bool>(),
            meetings in any::<bool>(),
            idle_source in prop::bool::weighted(0.8),
            logind in prop::bool::weighted(0.7),
        ) {
            // Starts two weeks before a DST change, so the month spans it.
            let start = if spring {
                Berlin.with_ymd_and_hms(2026, 3, 15, 7, 0, 0).unwrap()
            } else {
                Berlin.with_ymd_and_hms(2026, 10, 11, 7, 0, 0).unwrap()
            };
            let desktop = Desktop { idle_source, logind };
            run(start, config(interval, natural, hours, meetings), desktop, segments)?;
        }
    }

    #[test]
    fn an_active_month_in_working_hours_has_a_break_every_hour_of_work() {
        let start = Berlin.with_ymd_and_hms(2026, 10, 11, 7, 0, 0).unwrap();
        let desktop = Desktop {
            idle_source: true,
            logind: true,
        };
        let breaks = run(
            start,
            config(60, 5, true, true),
            desktop,
            vec![Segment::Active(1), Segment::TakeIfDue],
        )
        .unwrap();
        // 21 working days of 9 hours, a break taken each hour: 8 or 9 a day, none off hours,
        // across the DST change.
        assert!((21 * 8..=21 * 9).contains(&breaks), "{breaks} breaks");
    }

    #[test]
    fn working_hours_follow_local_time_across_dst() {
        let cfg = config(60, 5, true, false);
        let hours = cfg.working_hours.clone().unwrap();
        // Sunday 25 Oct 2026, the clocks go back: Monday still starts at 08:30 local.
        let sunday = Berlin.with_ymd_and_hms(2026, 10, 25, 12, 0, 0).unwrap();
        let next = hours.next_start(&sunday).unwrap().with_timezone(&Berlin);
        assert_eq!(next.to_rfc3339(), "2026-10-26T08:30:00+01:00");
        let sunday = Berlin.with_ymd_and_hms(2026, 3, 29, 12, 0, 0).unwrap();
        let next = hours.next_start(&sunday).unwrap().with_timezone(&Berlin);
        assert_eq!(next.to_rfc3339(), "2026-03-30T08:30:00+02:00");
    }
}
