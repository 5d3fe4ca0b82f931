//! What the scheduler shows of itself: its [`State`] and the [`ScheduleSnapshot`] in
//! `limber status --json`, with monotonic deadlines turned into local clock times.

use super::{HoldSnapshot, Mode, Schedule};
use crate::time::Now;
use chrono::{DateTime, Duration, FixedOffset, SubsecRound, TimeZone, Utc};
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

/// The scheduler's part of `limber status --json`. Instants are in the user's local
/// offset, to the second.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduleSnapshot {
    pub state: State,
    /// `null` while paused or outside working hours.
    pub next_break_at: Option<DateTime<FixedOffset>>,
    pub next_break_in_s: Option<u64>,
    /// `null` when not paused or paused until resumed (see `paused`).
    pub paused_until: Option<DateTime<FixedOffset>>,
    pub paused: bool,
    /// When the current break became due, if it is due.
    pub due_since: Option<DateTime<FixedOffset>>,
    pub break_interval_min: u32,
    /// Whether the user is away (no input, or the screen locked, for a natural break's
    /// length).
    pub away: bool,
    /// The session's screen is locked (as logind says).
    pub locked: bool,
    /// When working hours begin again, while outside them.
    pub working_hours_resume_at: Option<DateTime<FixedOffset>>,
    /// Snoozes left for the coming break; null when there is no limit.
    pub snoozes_left: Option<u32>,
    /// Pop-ups are being held because the user is busy.
    pub hold: Option<HoldSnapshot>,
}

impl Schedule {
    pub fn state(&self) -> State {
        if self.in_session && self.running() {
            return State::InSession;
        }
        match self.mode {
            Mode::Counting { snoozed: false, .. } => State::Active,
            Mode::Counting { snoozed: true, .. } => State::Snoozed,
            Mode::Due { .. } => State::Due,
            Mode::Paused { .. } => State::Paused,
            Mode::OffHours => State::OffHours,
        }
    }

    pub fn snapshot<Tz: TimeZone>(&self, now: &Now<Tz>) -> ScheduleSnapshot {
        let tz = now.wall.timezone();
        let wall_now = now.wall.to_utc();
        let local = |t: DateTime<Utc>| t.with_timezone(&tz).fixed_offset().trunc_subsecs(0);
        let at_mono = |ms: u64| {
            wall_now
                + Duration::milliseconds(i64::try_from(ms.saturating_sub(now.mono_ms)).unwrap_or(0))
        };
        let ago_mono = |ms: u64| {
            wall_now
                - Duration::milliseconds(i64::try_from(now.mono_ms.saturating_sub(ms)).unwrap_or(0))
        };
        let (next, paused_until, due_since) = match self.mode {
            _ if self.in_session && self.running() => (None, None, None),
            Mode::Counting { next_break, .. } => {
                (Some(at_mono(next_break).max(wall_now)), None, None)
            }
            Mode::Due { due_since, .. } => (Some(wall_now), None, Some(ago_mono(due_since))),
            Mode::Paused { until } => (None, until, None),
            Mode::OffHours => (None, None, None),
        };
        let resume = match (&self.mode, &self.config.working_hours) {
            (Mode::OffHours, Some(hours)) => hours.next_start(&now.wall),
            _ => None,
        };
        ScheduleSnapshot {
            state: self.state(),
            next_break_at: next.map(local),
            next_break_in_s: next.map(|t| u64::try_from((t - wall_now).num_seconds()).unwrap_or(0)),
            paused_until: paused_until.map(local),
            paused: matches!(self.mode, Mode::Paused { .. }),
            due_since: due_since.map(local),
            break_interval_min: self.config.break_interval_min,
            away: self.away_since.is_some(),
            locked: self.locked(),
            working_hours_resume_at: resume.map(local),
            snoozes_left: self.snoozes_left(),
            hold: self
                .held_since
                .zip(self.busy.reason())
                .filter(|_| self.held())
                .map(|((_, since), reason)| HoldSnapshot {
                    reason,
                    since: local(since),
                }),
        }
    }
}
