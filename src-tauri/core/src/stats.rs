//! Statistics from the history log: pure functions of the events and the date "today"
//! (passed in). A day is the user's local day at the moment of each event, as recorded with
//! its offset, so midnight, DST changes and travel put events on the day they happened.

use crate::history::{BackArea, EventKind, HistoryEvent};
use crate::session::{Outcome, SessionRecord};
use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

/// A session counts as moving (for streaks and "sessions") when it lasted at least this
/// long or ran to its end: a session stopped after ten seconds is not a session.
pub const MIN_SESSION_S: u32 = 30;
/// Days in the bar chart.
pub const CHART_DAYS: i64 = 14;
/// Check-ins shown on the line chart: the last this many days.
pub const CHECKIN_DAYS: i64 = 90;
pub const RECENT_SESSIONS: usize = 10;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Period {
    pub breaks_due: u32,
    /// Sessions, and natural breaks that answered a due break.
    pub breaks_taken: u32,
    pub breaks_skipped: u32,
    pub breaks_snoozed: u32,
    pub natural_breaks: u32,
    pub sessions: u32,
    pub seconds_moved: u64,
    pub minutes_moved: u64,
    pub posture_checks: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Day {
    pub date: NaiveDate,
    pub minutes: u64,
    pub sessions: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckInPoint {
    pub at: String,
    pub date: NaiveDate,
    pub score: u8,
    pub area: Option<BackArea>,
    pub note: Option<String>,
}

/// A recent session: when it was recorded, and its record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionRow {
    pub at: String,
    #[serde(flatten)]
    pub record: SessionRecord,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
    pub total_events: usize,
}

fn counts(outcome: Outcome, seconds: u32) -> bool {
    outcome == Outcome::Completed || seconds >= MIN_SESSION_S
}

fn add(period: &mut Period, kind: &EventKind) {
    match kind {
        EventKind::BreakDue { .. } => period.breaks_due += 1,
        EventKind::BreakSnoozed { .. } => period.breaks_snoozed += 1,
        EventKind::BreakSkipped => period.breaks_skipped += 1,
        EventKind::NaturalBreak { was_due, .. } => {
            period.natural_breaks += 1;
            if *was_due {
                period.breaks_taken += 1;
            }
        }
        EventKind::PostureCheck => period.posture_checks += 1,
        EventKind::Session(record) => {
            period.seconds_moved += u64::from(record.seconds);
            if counts(record.outcome, record.seconds) {
                period.sessions += 1;
                period.breaks_taken += 1;
            }
        }
        EventKind::CheckIn { .. } | EventKind::Therapy { .. } => {}
    }
    period.minutes_moved = (period.seconds_moved + 30) / 60;
}

/// Everything the History screen shows, from the whole log.
pub fn compute(events: &[HistoryEvent], today: NaiveDate) -> Stats {
    let week_start = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let chart_start = today - Duration::days(CHART_DAYS - 1);
    let checkin_start = today - Duration::days(CHECKIN_DAYS - 1);
    let mut today_period = Period::default();
    let mut week = Period::default();
    let mut days: Vec<Day> = (0..CHART_DAYS)
        .map(|i| Day {
            date: chart_start + Duration::days(i),
            minutes: 0,
            sessions: 0,
        })
        .collect();
    let mut chart_seconds = vec![0u64; days.len()];
    let mut session_days: Vec<NaiveDate> = Vec::new();
    let mut checkins = Vec::new();
    let mut recent: Vec<SessionRow> = Vec::new();
    for event in events {
        let date = event.at.date_naive();
        if date == today {
            add(&mut today_period, &event.kind);
        }
        if date >= week_start && date <= today {
            add(&mut week, &event.kind);
        }
        match &event.kind {
            EventKind::Session(record) => {
                if date >= chart_start && date <= today {
                    let i = usize::try_from((date - chart_start).num_days()).unwrap_or(0);
                    chart_seconds[i] += u64::from(record.seconds);
                    if counts(record.outcome, record.seconds) {
                        days[i].sessions += 1;
                    }
                }
                if counts(record.outcome, record.seconds) {
                    session_days.push(date);
                }
                recent.push(SessionRow {
                    at: event.at.to_rfc3339(),
                    record: record.clone(),
                });
                if recent.len() > RECENT_SESSIONS * 4 {
                    // Keep the tail only; the log is in time order.
                    recent.drain(..recent.len() - RECENT_SESSIONS);
                }
            }
            EventKind::CheckIn {
                score, area, note, ..
            } if date >= checkin_start && date <= today => checkins.push(CheckInPoint {
                at: event.at.to_rfc3339(),
                date,
                score: *score,
                area: *area,
                note: note.clone(),
            }),
            _ => {}
        }
    }
    for (day, seconds) in days.iter_mut().zip(chart_seconds) {
        day.minutes = (seconds + 30) / 60;
    }
    session_days.sort_unstable();
    session_days.dedup();
    let mut streak = 0;
    let mut day = if session_days.binary_search(&today).is_ok() {
        today
    } else {
        today - Duration::days(1)
    };
    while session_days.binary_search(&day).is_ok() {
        streak += 1;
        day -= Duration::days(1);
    }
    let keep = recent.len().saturating_sub(RECENT_SESSIONS);
    let mut recent_sessions: Vec<SessionRow> = recent.split_off(keep);
    recent_sessions.reverse();
    checkins.sort_by(|a, b| a.at.cmp(&b.at));
    Stats {
        today: today_period,
        week,
        streak_days: streak,
        days,
        checkins,
        recent_sessions,
        total_events: events.len(),
    }
}

const CSV_HEADER: [&str; 16] = [
    "at",
    "type",
    "routine",
    "outcome",
    "steps_done",
    "steps_total",
    "seconds",
    "from_break",
    "sitting_min",
    "away_min",
    "was_due",
    "minutes",
    "score",
    "area",
    "note",
    "therapy",
];

/// The history as CSV: one row per event, one column per field any event has.
pub fn to_csv(events: &[HistoryEvent]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(CSV_HEADER);
    for event in events {
        let mut row: Vec<String> = vec![String::new(); CSV_HEADER.len()];
        row[0] = event.at.to_rfc3339();
        let kind = serde_json::to_value(&event.kind)
            .ok()
            .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned))
            .unwrap_or_default();
        row[1] = kind;
        match &event.kind {
            EventKind::BreakDue { sitting_min } => row[8] = sitting_min.to_string(),
            EventKind::BreakSnoozed { minutes } => row[11] = minutes.to_string(),
            EventKind::BreakSkipped | EventKind::PostureCheck => {}
            EventKind::NaturalBreak { away_min, was_due } => {
                row[9] = away_min.to_string();
                row[10] = was_due.to_string();
            }
            EventKind::Session(r) => {
                row[2] = r.routine.clone();
                row[3] = crate::wire_name(&r.outcome);
                row[4] = r.steps_done.to_string();
                row[5] = r.steps_total.to_string();
                row[6] = r.seconds.to_string();
                row[7] = r.from_break.to_string();
            }
            EventKind::CheckIn {
                score, area, note, ..
            } => {
                row[12] = score.to_string();
                row[13] = area.as_ref().map(crate::wire_name).unwrap_or_default();
                row[14] = note.clone().unwrap_or_default();
            }
            EventKind::Therapy {
                therapy,
                minutes,
                completed,
            } => {
                row[15] = crate::wire_name(therapy);
                row[11] = minutes.to_string();
                row[3] = if *completed { "completed" } else { "stopped" }.to_owned();
            }
        }
        let _ = writer.write_record(&row);
    }
    writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

/// The history as one JSON document: `{"format": 1, "events": [...]}`.
pub fn to_json(events: &[HistoryEvent]) -> String {
    let mut text = serde_json::to_string_pretty(&serde_json::json!({
        "format": 1,
        "events": events,
    }))
    .unwrap_or_default();
    text.push('\n');
    text
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
                seconds,
                started_at: when.into(),
                ended_at: when.into(),
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
        assert!(stats.days.iter().all(|d| d.minutes == 0));
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
                seconds_moved: 130,
                minutes_moved: 2,
                posture_checks: 0,
            },
            "a 10-second stopped session is time moved, not a session"
        );
        assert_eq!(stats.week.sessions, 2, "Monday is in this week");
        assert_eq!(stats.days[12].minutes, 3);
        assert_eq!(stats.days[13].minutes, 2);
        assert_eq!(stats.streak_days, 2);
        assert_eq!(stats.recent_sessions.len(), 3);
        assert_eq!(stats.recent_sessions[0].record.seconds, 10, "newest first");
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
            .map(|d| (d.minutes, d.sessions))
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
                    score,
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

    #[test]
    fn csv_and_json_exports_hold_every_event() {
        let events = vec![
            session("2026-11-24T10:00:00+01:00", 180, Outcome::Completed),
            event(
                "2026-11-24T10:01:00+01:00",
                EventKind::CheckIn {
                    score: 3,
                    area: Some(BackArea::Neck),
                    note: Some("stiff, \"tight\"\nafter lunch".into()),
                    after_session: true,
                },
            ),
        ];
        let csv = to_csv(&events);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][1], "session");
        assert_eq!(&rows[0][6], "180");
        assert_eq!(&rows[1][14], "stiff, \"tight\"\nafter lunch");
        assert_eq!(&rows[1][13], "neck");
        let json: serde_json::Value = serde_json::from_str(&to_json(&events)).unwrap();
        let back: Vec<HistoryEvent> = serde_json::from_value(json["events"].clone()).unwrap();
        assert_eq!(back, events);
    }
}
