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
//!   limber-bench status-under-load [MB]    starts the real agent (beside this binary, or
//!                                          `$LIMBER_BIN_DIR`) on a history log of MB
//!                                          (default 50) megabytes and asks `status` over and
//!                                          over while the agent reads it: the slowest answer
//!                                          must stay under 50 ms

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
    let bytes = write_history(&path, events)?;
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
        bytes / 1024,
        best.as_millis()
    );
    if best.as_millis() >= 200 {
        return Err(format!("{} ms is over the 200 ms target", best.as_millis()));
    }
    Ok(())
}

/// Writes `events` history events to `path`; returns the text's length.
fn write_history(path: &std::path::Path, events: u32) -> Result<usize, String> {
    use std::io::Write;
    let start = Local::now().fixed_offset() - Duration::minutes(i64::from(events) * 7);
    let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let mut out = std::io::BufWriter::new(file);
    let mut bytes = 0;
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
        let line =
            limber_core::history::to_line(&HistoryEvent { at, kind }).map_err(|e| e.to_string())?;
        out.write_all(line.as_bytes()).map_err(|e| e.to_string())?;
        out.write_all(b"\n").map_err(|e| e.to_string())?;
        bytes += line.len() + 1;
    }
    out.flush().map_err(|e| e.to_string())?;
    Ok(bytes)
}

fn status_under_load(megabytes: u32) -> Result<(), String> {
    use limber_core::protocol::{HistoryArgs, StatusArgs};
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let data = dir.path().join("data/limber");
    std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
    // About 120 bytes an event.
    let events = megabytes.saturating_mul(1024 * 1024) / 120;
    let bytes = write_history(&data.join("history.jsonl"), events)?;
    let bin = std::env::var_os("LIMBER_BIN_DIR")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::current_exe().ok()?.parent().map(|p| p.to_owned()))
        .ok_or("cannot tell where the limber binary is")?;
    let runtime_dir = dir.path().join("runtime");
    let mut agent = std::process::Command::new(bin.join("limber"))
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_RUNTIME_DIR", &runtime_dir)
        .env("LIMBER_WINDOW_BIN", "/bin/true")
        .env("RUST_LOG", "warn")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("DISPLAY")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("{}: {e}", bin.join("limber").display()))?;
    let socket = runtime_dir.join("limber/control.sock");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let result = runtime.block_on(async {
        let begun = Instant::now();
        let mut client = loop {
            match limber_ipc::Client::connect(&socket).await {
                Ok(client) => break client,
                Err(_) if begun.elapsed() < std::time::Duration::from_secs(10) => {
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await
                }
                Err(e) => return Err(e.to_string()),
            }
        };
        let mut slowest = std::time::Duration::ZERO;
        let mut asked = 0u32;
        loop {
            let t = Instant::now();
            client
                .call(StatusArgs {})
                .await
                .map_err(|e| e.to_string())?;
            slowest = slowest.max(t.elapsed());
            asked += 1;
            let history = client
                .call(HistoryArgs {})
                .await
                .map_err(|e| e.to_string())?;
            if history.loaded {
                return Ok((slowest, asked, begun.elapsed(), history.stats.total_events));
            }
            if begun.elapsed() > std::time::Duration::from_secs(120) {
                return Err("the history was not read within 120 s".to_owned());
            }
        }
    });
    let _ = agent.kill();
    let _ = agent.wait();
    let (slowest, asked, read_in, total) = result?;
    println!(
        "status-under-load: {} MiB history ({total} events) read in {} ms; {asked} status answers meanwhile, the slowest in {:.1} ms (target < 50 ms)",
        bytes / (1024 * 1024),
        read_in.as_millis(),
        slowest.as_secs_f64() * 1000.0
    );
    if slowest.as_millis() >= 50 {
        return Err(format!(
            "the slowest status took {} ms",
            slowest.as_millis()
        ));
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
        Some("status-under-load") => number(1, 50).and_then(status_under_load),
        _ => Err(
            "usage: limber-bench session-drift [SECONDS] | history [EVENTS] | status-under-load [MB]"
                .to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("limber-bench: {e}");
            ExitCode::FAILURE
        }
    }
}
