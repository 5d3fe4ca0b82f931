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
//!   limber-bench load [SECONDS] [SUBSCRIBERS] [RATE]
//!                                          the real agent under SUBSCRIBERS (default 200)
//!                                          subscribed clients, one that never reads, and
//!                                          RATE (default 1000) requests a second for SECONDS
//!                                          (default 30): every answer within 50 ms, and
//!                                          afterwards memory and open files back near idle
//!   limber-bench break-lateness [SAMPLES]  the real agent: a break snoozed for a minute,
//!                                          SAMPLES times (default 2); prints how late each
//!                                          came due against its time (target < 1 s)
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

/// A real agent in a temporary home, with no desktop: no session bus, no display.
struct TestAgent {
    child: std::process::Child,
    socket: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

impl TestAgent {
    fn start(dir: tempfile::TempDir) -> Result<TestAgent, String> {
        let bin = std::env::var_os("LIMBER_BIN_DIR")
            .map(std::path::PathBuf::from)
            .or_else(|| std::env::current_exe().ok()?.parent().map(|p| p.to_owned()))
            .ok_or("cannot tell where the limber binary is")?;
        let runtime_dir = dir.path().join("runtime");
        let child = std::process::Command::new(bin.join("limber"))
            .env("HOME", dir.path())
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("XDG_RUNTIME_DIR", &runtime_dir)
            .env("LIMBER_WINDOW_BIN", "/bin/true")
            .env("RUST_LOG", "error")
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .env_remove("DISPLAY")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("{}: {e}", bin.join("limber").display()))?;
        Ok(TestAgent {
            child,
            socket: runtime_dir.join("limber/control.sock"),
            _dir: dir,
        })
    }

    async fn connect(&self) -> Result<limber_ipc::Client, String> {
        let begun = Instant::now();
        loop {
            match limber_ipc::Client::connect(&self.socket).await {
                Ok(client) => return Ok(client),
                Err(_) if begun.elapsed() < std::time::Duration::from_secs(10) => {
                    tokio::time::sleep(std::time::Duration::from_millis(5)).await
                }
                Err(e) => return Err(e.to_string()),
            }
        }
    }

    /// (RSS, USS) in KiB, from /proc.
    fn memory(&self) -> (u64, u64) {
        let rollup = std::fs::read_to_string(format!("/proc/{}/smaps_rollup", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            rollup
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse::<u64>().ok())
                .unwrap_or(0)
        };
        (
            field("Rss:"),
            field("Private_Clean:") + field("Private_Dirty:"),
        )
    }

    fn open_files(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.child.id()))
            .map(|d| d.count())
            .unwrap_or(0)
    }
}

impl Drop for TestAgent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn load(seconds: u32, subscribers: u32, rate: u32) -> Result<(), String> {
    use limber_core::protocol::{PauseArgs, ResumeArgs, Role, StatusArgs, SubscribeArgs};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let agent = TestAgent::start(tempfile::tempdir().map_err(|e| e.to_string())?)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        drop(agent.connect().await?);
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let (idle_rss, idle_uss) = agent.memory();
        let idle_files = agent.open_files();
        let stop = Arc::new(AtomicBool::new(false));
        let mut tasks = Vec::new();
        // Subscribers that read everything.
        for _ in 0..subscribers {
            let mut client = agent.connect().await?;
            client
                .call(SubscribeArgs { role: Role::Client })
                .await
                .map_err(|e| e.to_string())?;
            let stop = stop.clone();
            tasks.push(tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    if client.next_event().await.is_err() {
                        break;
                    }
                }
            }));
        }
        // One that subscribes and never reads a byte.
        let mut stuck = tokio::net::UnixStream::connect(&agent.socket)
            .await
            .map_err(|e| e.to_string())?;
        tokio::io::AsyncWriteExt::write_all(
            &mut stuck,
            b"{\"id\":1,\"cmd\":\"hello\"}\n{\"id\":2,\"cmd\":\"subscribe\"}\n",
        )
        .await
        .map_err(|e| e.to_string())?;
        // Changes, ten a second, so every subscriber has snapshots to take.
        let mut changer = agent.connect().await?;
        let changes = {
            let stop = stop.clone();
            tokio::spawn(async move {
                let mut paused = false;
                while !stop.load(Ordering::Relaxed) {
                    let result = if paused {
                        changer.call(ResumeArgs {}).await.map(|_| ())
                    } else {
                        let length = "30m".parse().expect("a pause length");
                        changer.call(PauseArgs { length }).await.map(|_| ())
                    };
                    if result.is_err() {
                        break;
                    }
                    paused = !paused;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            })
        };
        // RATE status requests a second, from ten clients; every answer timed.
        let senders = 10u32;
        let period = std::time::Duration::from_secs_f64(f64::from(senders) / f64::from(rate.max(1)));
        let mut timers = Vec::new();
        for _ in 0..senders {
            let mut client = agent.connect().await?;
            let stop = stop.clone();
            timers.push(tokio::spawn(async move {
                let mut slowest = std::time::Duration::ZERO;
                let mut answered = 0u64;
                let mut ticker = tokio::time::interval(period);
                ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
                while !stop.load(Ordering::Relaxed) {
                    ticker.tick().await;
                    let t = Instant::now();
                    if client.call(StatusArgs {}).await.is_err() {
                        return Err("a status request failed under load".to_owned());
                    }
                    slowest = slowest.max(t.elapsed());
                    answered += 1;
                }
                Ok((slowest, answered))
            }));
        }
        let begun = Instant::now();
        let mut peak_rss = 0;
        while begun.elapsed() < std::time::Duration::from_secs(u64::from(seconds)) {
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            peak_rss = peak_rss.max(agent.memory().0);
        }
        stop.store(true, Ordering::Relaxed);
        let mut slowest = std::time::Duration::ZERO;
        let mut answered = 0;
        for timer in timers {
            let (s, n) = timer.await.map_err(|e| e.to_string())??;
            slowest = slowest.max(s);
            answered += n;
        }
        let _ = changes.await;
        for task in tasks {
            task.abort();
        }
        drop(stuck);
        // The agent drops a client that stops reading after its write timeout (10 s).
        tokio::time::sleep(std::time::Duration::from_secs(12)).await;
        let (after_rss, after_uss) = agent.memory();
        let after_files = agent.open_files();
        println!(
            "load: {subscribers} subscribers + 1 that never reads, {answered} status answers in {seconds} s ({} a second), the slowest in {:.1} ms (target < 50 ms); RSS idle {idle_rss} KiB, peak {peak_rss} KiB, after {after_rss} KiB; USS idle {idle_uss} KiB, after {after_uss} KiB; open files idle {idle_files}, after {after_files}",
            answered / u64::from(seconds.max(1)),
            slowest.as_secs_f64() * 1000.0
        );
        if slowest.as_millis() >= 50 {
            return Err(format!("the slowest answer took {} ms", slowest.as_millis()));
        }
        if after_files > idle_files {
            return Err(format!("{} more open files than when idle", after_files - idle_files));
        }
        // Memory back at its idle level: within 1 MiB (what the allocator keeps for reuse).
        if after_uss > idle_uss + 1024 {
            return Err(format!("USS {after_uss} KiB after the load, {idle_uss} KiB before"));
        }
        Ok(())
    })
}

/// A break comes due when it says: the agent's timer sleeps until the deadline and checks
/// the clock on waking. Snoozing a due break for a minute schedules the next one a minute
/// from the command; a subscriber hears the status turn to "due".
fn break_lateness(samples: u32) -> Result<(), String> {
    use limber_core::protocol::{BreakNowArgs, Role, SnoozeArgs, SubscribeArgs};
    use limber_core::schedule::{SnoozeMinutes, State};
    let agent = TestAgent::start(tempfile::tempdir().map_err(|e| e.to_string())?)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let mut commands = agent.connect().await?;
        let mut events = agent.connect().await?;
        events.set_timeout(std::time::Duration::from_secs(120));
        events
            .call(SubscribeArgs { role: Role::Client })
            .await
            .map_err(|e| e.to_string())?;
        commands
            .call(BreakNowArgs {})
            .await
            .map_err(|e| e.to_string())?;
        let minute = SnoozeMinutes::try_from(1).map_err(|e| e.to_string())?;
        // Each sample starts from a due break (the first from `break`, the next from the
        // previous sample): snoozing it counts a minute from the command.
        wait_for_state(&mut events, |state| state == State::Due).await?;
        let mut worst = 0i64;
        for sample in 1..=samples {
            commands
                .call(SnoozeArgs {
                    minutes: Some(minute),
                })
                .await
                .map_err(|e| e.to_string())?;
            let due_at = Instant::now() + std::time::Duration::from_secs(60);
            eprintln!("break-lateness: sample {sample}, waiting a minute…");
            wait_for_state(&mut events, |state| state != State::Due).await?;
            wait_for_state(&mut events, |state| state == State::Due).await?;
            let now = Instant::now();
            let late = if now >= due_at {
                i64::try_from((now - due_at).as_millis()).unwrap_or(i64::MAX)
            } else {
                -i64::try_from((due_at - now).as_millis()).unwrap_or(i64::MAX)
            };
            println!(
                "break-lateness: sample {sample}: due {late} ms after its time (target < 1000 ms)"
            );
            if late < -1000 {
                return Err(format!("a break came {} ms early", -late));
            }
            worst = worst.max(late);
        }
        if worst >= 1000 {
            return Err(format!("a break came {worst} ms late"));
        }
        Ok(())
    })
}

/// Reads events until a status snapshot whose schedule state passes `wanted`.
async fn wait_for_state(
    events: &mut limber_ipc::Client,
    wanted: impl Fn(limber_core::schedule::State) -> bool,
) -> Result<(), String> {
    use limber_core::protocol::{Event, Snapshot};
    loop {
        match events.next_event().await.map_err(|e| e.to_string())? {
            Some(Event::Snapshot(Snapshot::Status(status))) if wanted(status.schedule.state) => {
                return Ok(())
            }
            Some(_) => {}
            None => return Err("the agent closed the connection".to_owned()),
        }
    }
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
        Some("break-lateness") => number(1, 2).and_then(break_lateness),
        Some("load") => number(1, 30).and_then(|seconds| {
            load(seconds, number(2, 200)?, number(3, 1000)?)
        }),
        _ => Err(
            "usage: limber-bench session-drift [SECONDS] | history [EVENTS] | status-under-load [MB] | break-lateness [SAMPLES] | load [SECONDS] [SUBSCRIBERS] [RATE]"
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
