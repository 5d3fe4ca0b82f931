//! `limber-bench`: measurements that need real time or real sizes, run by
//! `scripts/bench.sh` (never by the test suite: speed is measured, not asserted in tests).
//!
//!   limber-bench session-drift [SECONDS]   a routine of about SECONDS (default 600) run
//!                                          through the session engine with real tokio
//!                                          sleeps, as the agent's driver does; prints how
//!                                          far its end is from start + total
//!   limber-bench history [EVENTS]          writes EVENTS (default 100000) events to a temp
//!                                          history log, then times reading it and computing
//!                                          the History screen's figures (best of 5)

use chrono::{Duration, Local};
use limber_core::catalog::{parse_routine, Catalog};
use limber_core::history::{EventKind, HistoryEvent, Note, Score};
use limber_core::routine::Origin;
use limber_core::session::{Outcome, Session, SessionEffect, SessionRecord};
use limber_core::{store, Now};
use std::process::ExitCode;
use std::time::Instant;

fn now(origin: Instant) -> Now<Local> {
    Now::new(
        u64::try_from(origin.elapsed().as_millis()).unwrap_or(u64::MAX),
        Local::now(),
    )
}

fn session_drift(seconds: u32) -> Result<(), String> {
    let catalog = Catalog::builtin().map_err(|e| e.to_string())?;
    // Alternating holds and rests, like a real floor routine: many phase changes.
    let steps = (seconds / 40).max(1);
    let text = format!(
        r#"{{"id":"drift","name":"Drift","steps":[{}]}}"#,
        vec![r#"{"exercise":"knee-to-chest","hold_s":10,"sides":["left","right"],"switch_s":3,"rest_s":7}"#; steps as usize].join(",")
    );
    let routine = parse_routine(&text, "drift", &catalog.exercises, Origin::BuiltIn)
        .map_err(|e| e.to_string())?;
    let total_ms = u64::from(routine.total_s) * 1000;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let origin = Instant::now();
    let exercises = catalog.exercises_of(&routine);
    let phases = routine.steps.len();
    eprintln!(
        "running a {} s session ({} steps) in real time…",
        total_ms / 1000,
        phases
    );
    let (late_max, end_ms) = runtime.block_on(async move {
        let mut session = Session::start(routine, exercises, false, &now(origin));
        let mut late_max = 0u64;
        loop {
            let wait = session
                .time_to_deadline(&now(origin))
                .and_then(|d| d.to_std().ok())
                .unwrap_or_default();
            let planned = now(origin).mono_ms + u64::try_from(wait.as_millis()).unwrap_or(0);
            tokio::time::sleep(wait).await;
            let woke = now(origin);
            late_max = late_max.max(woke.mono_ms.saturating_sub(planned));
            if let [SessionEffect::Finished(record)] = session.handle_timeout(&woke).as_slice() {
                let _ = record;
                return (late_max, woke.mono_ms);
            }
        }
    });
    let drift = i64::try_from(end_ms).unwrap_or(i64::MAX) - i64::try_from(total_ms).unwrap_or(0);
    println!("session-drift: total {total_ms} ms, ended at {end_ms} ms: drift {drift} ms (largest single wake-up lateness {late_max} ms; lateness does not accumulate)");
    if drift.abs() >= 50 {
        return Err(format!("drift {drift} ms is over the 50 ms target"));
    }
    Ok(())
}

fn history(events: u32) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join("history.jsonl");
    let start = Local::now().fixed_offset() - Duration::minutes(i64::from(events) * 7);
    let mut text = String::new();
    for i in 0..events {
        let at = start + Duration::minutes(i64::from(i) * 7);
        let kind = match i % 5 {
            0 => EventKind::Session(SessionRecord {
                routine: "hourly".into(),
                routine_name: "Hourly break".into(),
                outcome: Outcome::Completed,
                steps_done: 4,
                steps_total: 4,
                active_s: 193,
                started_at: at,
                ended_at: at,
                from_break: true,
            }),
            1 => EventKind::BreakDue { sitting_min: 60 },
            2 => EventKind::PostureCheck,
            3 => EventKind::CheckIn {
                score: Score::try_from(u8::try_from(i % 11).unwrap_or(0))
                    .map_err(|e| e.to_string())?,
                area: None,
                note: Some(Note::try_from("a short note".to_owned()).map_err(|e| e.to_string())?),
                after_session: true,
            },
            _ => EventKind::NaturalBreak {
                away_min: 6,
                was_due: false,
            },
        };
        text.push_str(
            &limber_core::history::to_line(&HistoryEvent { at, kind })
                .map_err(|e| e.to_string())?,
        );
        text.push('\n');
    }
    std::fs::write(&path, &text).map_err(|e| e.to_string())?;
    let today = Local::now().date_naive();
    let mut best = std::time::Duration::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        // As the agent does at start: fold the log into the index while reading it.
        let (index, _) = store::history_file::load_index(&path).map_err(|e| e.to_string())?;
        let figures = index.stats(today);
        let json = serde_json::to_string(&figures).map_err(|e| e.to_string())?;
        std::hint::black_box(json);
        best = best.min(t.elapsed());
    }
    println!(
        "history: {events} events ({} KiB): read + figures in {} ms (best of 5)",
        text.len() / 1024,
        best.as_millis()
    );
    if best.as_millis() >= 200 {
        return Err(format!("{} ms is over the 200 ms target", best.as_millis()));
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, default: u32| {
        args.get(i)
            .map(|a| a.parse::<u32>().map_err(|_| format!("not a number: {a}")))
            .unwrap_or(Ok(default))
    };
    let result = match args.first().map(String::as_str) {
        Some("session-drift") => number(1, 600).and_then(session_drift),
        Some("history") => number(1, 100_000).and_then(history),
        _ => Err("usage: limber-bench session-drift [SECONDS] | history [EVENTS]".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("limber-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
