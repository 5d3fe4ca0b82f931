//! Statistics from the history log, kept up to date as events are appended.
//!
//! [`HistoryIndex`] folds events one at a time into per-day totals, the recent sessions
//! and the recent check-ins; [`HistoryIndex::stats`] then answers for any "today" (passed
//! in) without reading the log again. Its memory grows with the number of days that have
//! events, not with the number of events. A day is the user's local day at the moment of
//! each event, as recorded with its offset, so midnight, DST changes and travel put events
//! on the day they happened.

use crate::history::{BackArea, EventKind, HistoryEvent};
use crate::session::{Outcome, SessionRecord};
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// A session counts as moving (for streaks and "sessions") when it lasted at least this
/// long or ran to its end: a session stopped after ten seconds is not a session.
pub const MIN_SESSION_S: u32 = 30;
/// Days in the bar chart.
pub const CHART_DAYS: i64 = 14;
/// Check-ins shown on the line chart: the last this many days.
pub const CHECKIN_DAYS: i64 = 90;
pub const RECENT_SESSIONS: usize = 10;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub breaks_due: u32,
    /// Sessions, and natural breaks that answered a due break.
    pub breaks_taken: u32,
    pub breaks_skipped: u32,
    pub breaks_snoozed: u32,
    pub natural_breaks: u32,
    pub sessions: u32,
    pub moved_s: u64,
    pub moved_min: u64,
    pub posture_checks: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    pub date: NaiveDate,
    pub moved_min: u64,
    pub sessions: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckInPoint {
    pub at: DateTime<FixedOffset>,
    pub date: NaiveDate,
    pub score: u8,
    pub area: Option<BackArea>,
    pub note: Option<String>,
}

/// A recent session: when it was recorded, and its record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRow {
    pub at: DateTime<FixedOffset>,
    #[serde(flatten)]
    pub record: SessionRecord,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub today: Period,
    /// Monday to today.
    pub week: Period,
    /// Days in a row, up to today (or yesterday, when today has none yet), with a session.
    pub streak_days: u32,
    /// The last [`CHART_DAYS`] days, oldest first.
    pub days: Vec<Day>,
    /// Check-ins of the last [`CHECKIN_DAYS`] days, oldest first.
    pub checkins: Vec<CheckInPoint>,
    /// Newest first.
    pub recent_sessions: Vec<SessionRow>,
    pub total_events: u64,
}

fn counts(outcome: Outcome, active_s: u32) -> bool {
    outcome == Outcome::Completed || active_s >= MIN_SESSION_S
}

impl Period {
    fn add(&mut self, kind: &EventKind) {
        match kind {
            EventKind::BreakDue { .. } => self.breaks_due += 1,
            EventKind::BreakSnoozed { .. } => self.breaks_snoozed += 1,
            EventKind::BreakSkipped => self.breaks_skipped += 1,
            EventKind::NaturalBreak { was_due, .. } => {
                self.natural_breaks += 1;
                if *was_due {
                    self.breaks_taken += 1;
                }
            }
            EventKind::PostureCheck => self.posture_checks += 1,
            EventKind::Session(record) => {
                self.moved_s += u64::from(record.active_s);
                if counts(record.outcome, record.active_s) {
                    self.sessions += 1;
                    self.breaks_taken += 1;
                }
            }
            EventKind::CheckIn { .. } | EventKind::Therapy { .. } => {}
        }
        self.moved_min = minutes(self.moved_s);
    }

    fn merge(&mut self, other: &Period) {
        self.breaks_due += other.breaks_due;
        self.breaks_taken += other.breaks_taken;
        self.breaks_skipped += other.breaks_skipped;
        self.breaks_snoozed += other.breaks_snoozed;
        self.natural_breaks += other.natural_breaks;
        self.sessions += other.sessions;
        self.moved_s += other.moved_s;
        self.posture_checks += other.posture_checks;
        self.moved_min = minutes(self.moved_s);
    }
}

/// Whole minutes, rounded to the nearest.
fn minutes(seconds: u64) -> u64 {
    (seconds + 30) / 60
}

/// The history folded into what the History screen needs, one event at a time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryIndex {
    days: BTreeMap<NaiveDate, Period>,
    /// Check-ins, from [`CHECKIN_DAYS`] days before the newest one seen (the log is in time
    /// order, so older ones leave from the front).
    checkins: VecDeque<CheckInPoint>,
    newest_checkin: Option<NaiveDate>,
    /// The last [`RECENT_SESSIONS`] sessions, in log order.
    recent: VecDeque<SessionRow>,
    total_events: u64,
}

impl HistoryIndex {
    pub fn add(&mut self, event: &HistoryEvent) {
        let date = event.at.date_naive();
        self.total_events += 1;
        self.days.entry(date).or_default().add(&event.kind);
        match &event.kind {
            EventKind::Session(record) => {
                self.recent.push_back(SessionRow {
                    at: event.at,
                    record: record.clone(),
                });
                if self.recent.len() > RECENT_SESSIONS {
                    self.recent.pop_front();
                }
            }
            EventKind::CheckIn {
                score, area, note, ..
            } => {
                self.checkins.push_back(CheckInPoint {
                    at: event.at,
                    date,
                    score: score.get(),
                    area: *area,
                    note: note.as_ref().map(|n| n.as_str().to_owned()),
                });
                let newest = self.newest_checkin.map_or(date, |d| d.max(date));
                self.newest_checkin = Some(newest);
                let oldest_kept = newest - Duration::days(CHECKIN_DAYS);
                while self.checkins.front().is_some_and(|c| c.date < oldest_kept) {
                    self.checkins.pop_front();
                }
            }
            _ => {}
        }
    }

    pub fn total_events(&self) -> u64 {
        self.total_events
    }

    /// Everything the History screen shows, as of the local date `today`.
    pub fn stats(&self, today: NaiveDate) -> Stats {
        let week_start = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        let chart_start = today - Duration::days(CHART_DAYS - 1);
        let checkin_start = today - Duration::days(CHECKIN_DAYS - 1);
        let day = |date: NaiveDate| self.days.get(&date).cloned().unwrap_or_default();
        let mut week = Period::default();
        for (_, period) in self.days.range(week_start..=today) {
            week.merge(period);
        }
        let days = (0..CHART_DAYS)
            .map(|i| {
                let date = chart_start + Duration::days(i);
                let period = day(date);
                Day {
                    date,
                    moved_min: period.moved_min,
                    sessions: period.sessions,
                }
            })
            .collect();
        let moved = |date: NaiveDate| self.days.get(&date).is_some_and(|p| p.sessions > 0);
        let mut streak = 0;
        let mut cursor = if moved(today) {
            today
        } else {
            today - Duration::days(1)
        };
        while moved(cursor) {
            streak += 1;
            cursor -= Duration::days(1);
        }
        let mut checkins: Vec<CheckInPoint> = self
            .checkins
            .iter()
            .filter(|c| c.date >= checkin_start && c.date <= today)
            .cloned()
            .collect();
        checkins.sort_by_key(|c| c.at);
        Stats {
            today: day(today),
            week,
            streak_days: streak,
            days,
            checkins,
            recent_sessions: self.recent.iter().rev().cloned().collect(),
            total_events: self.total_events,
        }
    }
}

/// Everything the History screen shows, from a whole log (the index, built at once).
pub fn compute(events: &[HistoryEvent], today: NaiveDate) -> Stats {
    let mut index = HistoryIndex::default();
    for event in events {
        index.add(event);
    }
    index.stats(today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn at(text: &str) -> DateTime<chrono::FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn session(when: &str, seconds: u32, outcome: Outcome) -> HistoryEvent {
        HistoryEvent {
            at: at(when),
            kind: EventKind::Session(SessionRecord {
                routine: "hourly".into(),
                routine_name: "Hourly break".into(),
                outcome,
                steps_done: 4,
                steps_total: 4,
                active_s: seconds,
                started_at: at(when),
                ended_at: at(when),
                from_break: true,
            }),
        }
    }

    fn event(when: &str, kind: EventKind) -> HistoryEvent {
        HistoryEvent { at: at(when), kind }
    }

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn empty_history_is_all_zeros() {
        let stats = compute(&[], date("2026-11-24"));
        assert_eq!(stats.today, Period::default());
        assert_eq!(stats.streak_days, 0);
        assert_eq!(stats.days.len(), 14);
        assert_eq!(stats.days[13].date, date("2026-11-24"));
        assert!(stats.days.iter().all(|d| d.moved_min == 0));
        assert!(stats.recent_sessions.is_empty() && stats.checkins.is_empty());
    }

    #[test]
    fn events_land_on_their_local_day_around_midnight() {
        let events = vec![
            // 23:59 local on Monday, 22:59 UTC: Monday.
            session("2026-11-23T23:59:00+01:00", 180, Outcome::Completed),
            // 00:01 local on Tuesday, still Monday in UTC: Tuesday.
            session("2026-11-24T00:01:00+01:00", 120, Outcome::Completed),
            event(
                "2026-11-24T09:00:00+01:00",
                EventKind::BreakDue { sitting_min: 60 },
            ),
            event("2026-11-24T09:01:00+01:00", EventKind::BreakSkipped),
            event(
                "2026-11-24T10:00:00+01:00",
                EventKind::NaturalBreak {
                    away_min: 6,
                    was_due: true,
                },
            ),
            session("2026-11-24T11:00:00+01:00", 10, Outcome::Stopped),
        ];
        let stats = compute(&events, date("2026-11-24"));
        assert_eq!(
            stats.today,
            Period {
                breaks_due: 1,
                breaks_taken: 2,
                breaks_skipped: 1,
                breaks_snoozed: 0,
                natural_breaks: 1,
                sessions: 1,
                moved_s: 130,
                moved_min: 2,
                posture_checks: 0,
            },
            "a 10-second stopped session is time moved, not a session"
        );
        assert_eq!(stats.week.sessions, 2, "Monday is in this week");
        assert_eq!(stats.days[12].moved_min, 3);
        assert_eq!(stats.days[13].moved_min, 2);
        assert_eq!(stats.streak_days, 2);
        assert_eq!(stats.recent_sessions.len(), 3);
        assert_eq!(stats.recent_sessions[0].record.active_s, 10, "newest first");
    }

    #[test]
    fn dst_days_count_once_each() {
        // Europe/Berlin: clocks go back on 25 October 2026 and forward on 29 March 2026.
        let events = vec![
            session("2026-10-24T23:30:00+02:00", 60, Outcome::Completed),
            session("2026-10-25T02:30:00+02:00", 60, Outcome::Completed),
            session("2026-10-25T02:30:00+01:00", 60, Outcome::Completed),
            session("2026-10-26T00:30:00+01:00", 60, Outcome::Completed),
        ];
        let stats = compute(&events, date("2026-10-26"));
        let tail: Vec<(u64, u32)> = stats.days[11..]
            .iter()
            .map(|d| (d.moved_min, d.sessions))
            .collect();
        assert_eq!(tail, vec![(1, 1), (2, 2), (1, 1)]);
        assert_eq!(stats.streak_days, 3);
        let spring = vec![
            session("2026-03-29T01:59:00+01:00", 60, Outcome::Completed),
            session("2026-03-29T03:00:00+02:00", 60, Outcome::Completed),
        ];
        let stats = compute(&spring, date("2026-03-29"));
        assert_eq!(stats.today.sessions, 2);
    }

    #[test]
    fn a_streak_survives_until_today_has_no_session_yet() {
        let events = vec![
            session("2026-11-20T10:00:00+01:00", 200, Outcome::Completed),
            session("2026-11-22T10:00:00+01:00", 200, Outcome::Completed),
            session("2026-11-23T10:00:00+01:00", 200, Outcome::Completed),
        ];
        assert_eq!(compute(&events, date("2026-11-24")).streak_days, 2);
        assert_eq!(compute(&events, date("2026-11-25")).streak_days, 0);
    }

    #[test]
    fn check_ins_are_listed_oldest_first_within_90_days() {
        let checkin = |when: &str, score| {
            event(
                when,
                EventKind::CheckIn {
                    score: crate::history::Score::try_from(score).unwrap(),
                    area: Some(BackArea::Lower),
                    note: None,
                    after_session: true,
                },
            )
        };
        let events = vec![
            checkin("2026-06-01T10:00:00+02:00", 8),
            checkin("2026-11-20T10:00:00+01:00", 6),
            checkin("2026-11-23T10:00:00+01:00", 4),
        ];
        let stats = compute(&events, date("2026-11-24"));
        let scores: Vec<u8> = stats.checkins.iter().map(|c| c.score).collect();
        assert_eq!(scores, vec![6, 4]);
    }

    #[test]
    fn a_hundred_thousand_events_are_summarised() {
        let mut events = Vec::new();
        let start = at("2025-01-01T09:00:00+01:00");
        for i in 0..100_000i64 {
            let when = (start + Duration::minutes(i * 7)).to_rfc3339();
            events.push(if i % 3 == 0 {
                session(&when, 180, Outcome::Completed)
            } else {
                event(&when, EventKind::BreakDue { sitting_min: 60 })
            });
        }
        let today = events.last().unwrap().at.date_naive();
        let stats = compute(&events, today);
        assert_eq!(stats.total_events, 100_000);
        assert_eq!(stats.recent_sessions.len(), RECENT_SESSIONS);
        assert!(stats.streak_days > 100);
    }

    /// A from-scratch count of the same figures, to hold the index to.
    fn reference(
        events: &[HistoryEvent],
        today: NaiveDate,
    ) -> (Period, Period, u32, Vec<(u64, u32)>) {
        let week_start = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
        let mut day_period = Period::default();
        let mut week = Period::default();
        let mut chart = vec![(0u64, 0u32); CHART_DAYS as usize];
        let mut session_days = std::collections::BTreeSet::new();
        for e in events {
            let date = e.at.date_naive();
            if date == today {
                day_period.add(&e.kind);
            }
            if date >= week_start && date <= today {
                week.add(&e.kind);
            }
            if let EventKind::Session(r) = &e.kind {
                let back = (today - date).num_days();
                if (0..CHART_DAYS).contains(&back) {
                    let slot = &mut chart[(CHART_DAYS - 1 - back) as usize];
                    slot.0 += u64::from(r.active_s);
                    slot.1 += u32::from(counts(r.outcome, r.active_s));
                }
                if counts(r.outcome, r.active_s) {
                    session_days.insert(date);
                }
            }
        }
        let mut streak = 0;
        let mut d = if session_days.contains(&today) {
            today
        } else {
            today - Duration::days(1)
        };
        while session_days.contains(&d) {
            streak += 1;
            d -= Duration::days(1);
        }
        let chart = chart.into_iter().map(|(s, n)| (minutes(s), n)).collect();
        (day_period, week, streak, chart)
    }

    proptest::proptest! {
        #[test]
        fn the_index_agrees_with_a_count_from_scratch(
            steps in proptest::collection::vec((0i64..400, 0u8..5, 0u32..400), 0..300),
            today_offset in 0i64..40,
        ) {
            let start = at("2026-10-01T08:00:00+02:00");
            let mut when = start;
            let mut events = Vec::new();
            for (gap_min, kind, seconds) in steps {
                when += Duration::minutes(gap_min * 11);
                let text = when.to_rfc3339();
                events.push(match kind {
                    0 => session(&text, seconds, Outcome::Completed),
                    1 => session(&text, seconds, Outcome::Stopped),
                    2 => event(&text, EventKind::BreakDue { sitting_min: 60 }),
                    3 => event(&text, EventKind::NaturalBreak { away_min: 7, was_due: seconds % 2 == 0 }),
                    _ => event(&text, EventKind::BreakSkipped),
                });
            }
            let today = start.date_naive() + Duration::days(today_offset);
            let stats = compute(&events, today);
            let (day, week, streak, chart) = reference(&events, today);
            proptest::prop_assert_eq!(stats.today, day);
            proptest::prop_assert_eq!(stats.week, week);
            proptest::prop_assert_eq!(stats.streak_days, streak);
            let got: Vec<(u64, u32)> = stats.days.iter().map(|d| (d.moved_min, d.sessions)).collect();
            proptest::prop_assert_eq!(got, chart);
            proptest::prop_assert_eq!(stats.total_events, events.len() as u64);
        }
    }
}
