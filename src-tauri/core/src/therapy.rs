//! The heat / ice timer, and what the day the pain began suggests: its stage and whether
//! ice or heat fits it.
//!
//! Unlike sessions, the timer runs on the wall clock: a pack on the skin keeps cooling or
//! warming while the laptop sleeps, so a suspend must not stretch its time. Like the
//! other state machines it reads no clock; time is passed in.
//!
//! Sources (shared/seeds/002, "Is it better to use heat or ice…" and the stages of back
//! pain): ice for the first 24 to 48 hours after an acute injury or flare-up, then heat;
//! 15 to 20 minutes at a time; acute pain lasts less than four weeks, subacute four to
//! twelve, chronic twelve or more.

use crate::time::Now;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, SubsecRound, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// Heat or ice.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum TherapyKind {
    Ice,
    Heat,
}

impl TherapyKind {
    /// Its wire name ("ice").
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// "Ice" or "Heat", to start a sentence.
    pub fn label(self) -> &'static str {
        match self {
            TherapyKind::Ice => "Ice",
            TherapyKind::Heat => "Heat",
        }
    }
}

/// The lengths accepted, in minutes. The article says 15 to 20 minutes at a time; shorter
/// is allowed (a first try, sensitive skin), longer is not.
pub const MIN_MINUTES: u32 = 5;
pub const MAX_MINUTES: u32 = 20;
pub const DEFAULT_MINUTES: u32 = 15;

/// A timer's length in whole minutes, [`MIN_MINUTES`] to [`MAX_MINUTES`]: it exists only
/// valid, so every surface (CLI, socket, window) gets the same rule and the same words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct TherapyMinutes(u32);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a heat or ice timer runs {MIN_MINUTES} to {MAX_MINUTES} minutes (got {0}): the guidance is 15 to 20 minutes at a time, then a break")]
pub struct TherapyLengthError(pub u32);

impl TryFrom<u32> for TherapyMinutes {
    type Error = TherapyLengthError;
    fn try_from(minutes: u32) -> Result<Self, Self::Error> {
        if (MIN_MINUTES..=MAX_MINUTES).contains(&minutes) {
            Ok(TherapyMinutes(minutes))
        } else {
            Err(TherapyLengthError(minutes))
        }
    }
}

impl From<TherapyMinutes> for u32 {
    fn from(minutes: TherapyMinutes) -> u32 {
        minutes.0
    }
}

impl Default for TherapyMinutes {
    fn default() -> Self {
        TherapyMinutes(DEFAULT_MINUTES)
    }
}

impl TherapyMinutes {
    pub fn get(self) -> u32 {
        self.0
    }
}

impl std::str::FromStr for TherapyMinutes {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        let minutes: u32 = text
            .trim()
            .parse()
            .map_err(|_| format!("'{text}' is not a whole number of minutes"))?;
        TherapyMinutes::try_from(minutes).map_err(|e| e.to_string())
    }
}

/// The cautions before using heat (seed 001), word for word as the Guide gives them
/// (`HEAT_CAUTIONS` in `ui/js/guide-content.js`, each `lead` then `text`; a test keeps the
/// two the same). The agent shows them once, the first time heat is started from outside
/// the window (the tray, a script), where the Guide is not in view.
pub const HEAT_CAUTIONS: [&str; 4] = [
    "Start short with heat: keep your first few sessions brief.",
    "Heating pads: keep the temperature low and never fall asleep on one. Switch it off before bed and before you go out: left on, it can overheat you or start a fire.",
    "Dry heat dries the skin: after a long spell with a heating pad or other dry heat, put on some moisturiser.",
    "Before you start using heat, talk to a doctor, above all if you have a health condition: some people with poor circulation get burned by it.",
];

/// The stages of back pain by how long it has lasted (seed 002).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PainStage {
    /// Less than four weeks.
    Acute,
    /// Four to twelve weeks.
    Subacute,
    /// Twelve weeks or more.
    Chronic,
}

/// Days from which each later stage begins.
pub const SUBACUTE_FROM_DAYS: u32 = 28;
pub const CHRONIC_FROM_DAYS: u32 = 84;
/// Ice is suggested on the day the pain began and the day after, heat from the day after
/// that. Limber knows the day, not the hour, so it counts days: "the first 24 to 48 hours"
/// is at most the first two calendar days.
pub const ICE_DAYS: u32 = 2;

/// What the day the pain began tells (the `pain` object of `status`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Pain {
    /// The date given has not come yet.
    Future { started: NaiveDate },
    Known {
        started: NaiveDate,
        /// Whole local days since that day (0 on the day itself).
        days: u32,
        stage: PainStage,
        /// Ice within the first [`ICE_DAYS`] days, heat after.
        suggest: TherapyKind,
    },
}

impl Pain {
    /// From the day the pain began and today's local date.
    pub fn from_dates(started: NaiveDate, today: NaiveDate) -> Pain {
        let Ok(days) = u32::try_from((today - started).num_days()) else {
            return Pain::Future { started };
        };
        let stage = if days < SUBACUTE_FROM_DAYS {
            PainStage::Acute
        } else if days < CHRONIC_FROM_DAYS {
            PainStage::Subacute
        } else {
            PainStage::Chronic
        };
        let suggest = if days < ICE_DAYS {
            TherapyKind::Ice
        } else {
            TherapyKind::Heat
        };
        Pain::Known {
            started,
            days,
            stage,
            suggest,
        }
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
    minutes: TherapyMinutes,
    run: Run,
}

/// What can be done to a running heat / ice timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::VariantArray)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum TherapyControl {
    Pause,
    Resume,
    Stop,
}

/// How a timer ended, for the notification and the history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TherapyEnd {
    pub kind: TherapyKind,
    pub length_min: u32,
    /// Ran its whole length (the pack should come off now), rather than stopped.
    pub completed: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TherapyState {
    Running,
    Paused,
}

/// The timer's part of `limber status --json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TherapySnapshot {
    pub kind: TherapyKind,
    pub length_min: u32,
    pub state: TherapyState,
    /// When it ends (RFC 3339, milliseconds, local offset); null while paused.
    pub ends_at: Option<DateTime<FixedOffset>>,
    pub remaining_s: u64,
}

impl Therapy {
    /// Starts a timer of `length` (normally `minutes`; tests may shorten it).
    pub fn start<Tz: TimeZone>(
        kind: TherapyKind,
        minutes: TherapyMinutes,
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
                length_min: self.minutes.get(),
                completed: true,
            }),
            _ => None,
        }
    }

    pub fn handle<Tz: TimeZone>(
        &mut self,
        command: TherapyControl,
        now: &Now<Tz>,
    ) -> Option<TherapyEnd> {
        let wall = now.wall.to_utc();
        match (command, self.run) {
            (TherapyControl::Pause, Run::Running { ends_at }) => {
                self.run = Run::Paused {
                    remaining: (ends_at - wall).max(Duration::zero()),
                };
                None
            }
            (TherapyControl::Resume, Run::Paused { remaining }) => {
                self.run = Run::Running {
                    ends_at: wall + remaining,
                };
                None
            }
            (TherapyControl::Stop, _) => Some(TherapyEnd {
                kind: self.kind,
                length_min: self.minutes.get(),
                completed: false,
            }),
            _ => None,
        }
    }

    pub fn snapshot<Tz: TimeZone>(&self, now: &Now<Tz>) -> TherapySnapshot {
        let wall = now.wall.to_utc();
        let (state, ends_at, remaining) = match self.run {
            Run::Running { ends_at } => (
                TherapyState::Running,
                Some(
                    ends_at
                        .with_timezone(&now.wall.timezone())
                        .fixed_offset()
                        .trunc_subsecs(3),
                ),
                ends_at - wall,
            ),
            Run::Paused { remaining } => (TherapyState::Paused, None, remaining),
        };
        TherapySnapshot {
            kind: self.kind,
            length_min: self.minutes.get(),
            state,
            ends_at,
            // Rounded up: "1 s left" until it is done.
            remaining_s: u64::try_from(remaining.num_milliseconds().max(0) + 999).unwrap_or(0)
                / 1000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u32, h: u32, m: u32) -> Now<FixedOffset> {
        let tz = FixedOffset::east_opt(3600).unwrap();
        Now::new(0, tz.with_ymd_and_hms(2026, 11, day, h, m, 0).unwrap())
    }

    fn minutes(n: u32) -> TherapyMinutes {
        TherapyMinutes::try_from(n).unwrap()
    }

    #[test]
    fn lengths_outside_5_to_20_minutes_are_refused_with_the_reason() {
        for good in [5, 15, 20] {
            assert_eq!(TherapyMinutes::try_from(good).map(u32::from), Ok(good));
        }
        for bad in [0, 4, 21, 60] {
            let message = TherapyMinutes::try_from(bad).unwrap_err().to_string();
            assert!(message.contains("15 to 20 minutes at a time"), "{message}");
        }
        let from_wire: Result<TherapyMinutes, _> = serde_json::from_str("30");
        assert!(from_wire
            .unwrap_err()
            .to_string()
            .contains("5 to 20 minutes"));
        assert_eq!("12".parse::<TherapyMinutes>(), Ok(minutes(12)));
        assert!("ten".parse::<TherapyMinutes>().is_err());
    }

    #[test]
    fn a_timer_runs_pauses_resumes_and_ends_once() {
        let mut t = Therapy::start(
            TherapyKind::Ice,
            minutes(15),
            Duration::minutes(15),
            &at(24, 10, 0),
        );
        assert_eq!(
            t.time_to_deadline(&at(24, 10, 0)),
            Some(Duration::minutes(15))
        );
        let snap = t.snapshot(&at(24, 10, 5));
        assert_eq!(snap.remaining_s, 600);
        assert_eq!(
            snap.ends_at.map(|t| t.to_rfc3339()).as_deref(),
            Some("2026-11-24T10:15:00+01:00")
        );
        assert_eq!(t.handle(TherapyControl::Pause, &at(24, 10, 5)), None);
        assert_eq!(t.time_to_deadline(&at(24, 10, 30)), None);
        assert_eq!(t.handle_timeout(&at(24, 11, 0)), None, "paused: never done");
        let snap = t.snapshot(&at(24, 11, 0));
        assert_eq!(
            (snap.state, snap.ends_at, snap.remaining_s),
            (TherapyState::Paused, None, 600)
        );
        t.handle(TherapyControl::Resume, &at(24, 11, 0));
        assert_eq!(t.handle_timeout(&at(24, 11, 9)), None);
        assert_eq!(
            t.handle_timeout(&at(24, 11, 10)),
            Some(TherapyEnd {
                kind: TherapyKind::Ice,
                length_min: 15,
                completed: true
            })
        );
        // Restart: a new timer after the end.
        let mut again = Therapy::start(
            TherapyKind::Heat,
            minutes(20),
            Duration::minutes(20),
            &at(24, 12, 0),
        );
        assert_eq!(
            again.handle(TherapyControl::Stop, &at(24, 12, 3)),
            Some(TherapyEnd {
                kind: TherapyKind::Heat,
                length_min: 20,
                completed: false
            })
        );
    }

    #[test]
    fn a_suspend_does_not_stretch_the_timer() {
        let mut t = Therapy::start(
            TherapyKind::Heat,
            minutes(15),
            Duration::minutes(15),
            &at(24, 10, 0),
        );
        // The monotonic clock did not move (asleep), the wall clock did.
        assert!(t.handle_timeout(&at(24, 10, 20)).is_some());
    }

    #[test]
    fn ice_on_the_first_two_days_then_heat_and_the_stage_by_weeks() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let check = |started: u32, today: u32, want: Option<(u32, PainStage, TherapyKind)>| {
            let got = Pain::from_dates(day(started), day(today));
            match want {
                None => assert_eq!(
                    got,
                    Pain::Future {
                        started: day(started)
                    }
                ),
                Some((days, stage, suggest)) => assert_eq!(
                    got,
                    Pain::Known {
                        started: day(started),
                        days,
                        stage,
                        suggest
                    }
                ),
            }
        };
        check(22, 22, Some((0, PainStage::Acute, TherapyKind::Ice)));
        check(22, 23, Some((1, PainStage::Acute, TherapyKind::Ice)));
        check(22, 24, Some((2, PainStage::Acute, TherapyKind::Heat)));
        check(23, 22, None);
        let weeks = |started: NaiveDate, days: i64| match Pain::from_dates(
            started,
            started + Duration::days(days),
        ) {
            Pain::Known { stage, .. } => stage,
            Pain::Future { .. } => unreachable!(),
        };
        assert_eq!(weeks(day(1), 27), PainStage::Acute);
        assert_eq!(weeks(day(1), 28), PainStage::Subacute);
        assert_eq!(weeks(day(1), 83), PainStage::Subacute);
        assert_eq!(weeks(day(1), 84), PainStage::Chronic);
        let json = serde_json::to_value(Pain::from_dates(day(22), day(23))).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"state": "known", "started": "2026-11-22", "days": 1, "stage": "acute", "suggest": "ice"})
        );
    }
}
