//! Guided sessions, check-ins, history and the heat / ice timer through the real driver
//! and control socket, under tokio's paused clock: what the CLI and the window see.

use crate::support::{ask, nine_am, ok, start_agent, Call, Raw};
use limber_agent::clock::TokioClock;
use limber_agent::driver::{Input, Notice, TrayAction};
use limber_core::history::TherapyKind;
use limber_core::protocol::{
    CheckInArgs, Command, ErrorCode, NoArgs, Outcome, Role, SaveRoutineArgs, SessionAction,
    SessionArgs, StartArgs, SubscribeArgs, TherapyAction, TherapyArgs,
};
use serde_json::Value;
use std::time::Duration;

fn start(routine: &str) -> Command {
    Command::Start(StartArgs {
        routine: Some(routine.to_owned()),
        open: false,
    })
}

fn session(action: SessionAction) -> Command {
    Command::Session(SessionArgs { action })
}

fn error_code(outcome: Outcome) -> (ErrorCode, String) {
    match outcome {
        Outcome::Error(e) => (e.code, e.message),
        Outcome::Ok(v) => panic!("expected an error, got {v}"),
    }
}

fn history_lines(dir: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("data/limber/history.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test(start_paused = true)]
async fn a_session_runs_in_the_agent_from_start_to_history() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    tokio::time::sleep(Duration::from_secs(20 * 60)).await;

    let status = ok(ask(&agent.inputs, start("desk-reset")).await);
    assert_eq!(status["state"], "in_session");
    assert_eq!(status["next_break_at"], Value::Null);
    let s = &status["session"];
    assert_eq!(s["routine"], "desk-reset");
    assert_eq!(
        (s["step_index"].as_u64(), s["step_count"].as_u64()),
        (Some(0), Some(3))
    );
    assert_eq!(s["exercise"], "posture-reset");
    assert_eq!(s["phase"], "prepare");
    assert_eq!(s["cue"], "Get ready");
    assert_eq!(s["remaining_s"], 5);
    assert!(s["ends_at"].is_i64());
    let total = s["total_s"].as_u64().unwrap();

    // A second start is refused while one runs.
    let (code, message) = error_code(ask(&agent.inputs, start("hourly")).await);
    assert_eq!(code, ErrorCode::Conflict);
    assert!(message.contains("already running"), "{message}");

    // The driver wakes at each phase's deadline: 6 s in, the hold has begun.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let s = ok(ask(&agent.inputs, Command::Status(NoArgs {})).await)["session"].clone();
    assert_eq!(
        (s["phase"].as_str(), s["remaining_s"].as_u64()),
        (Some("hold"), Some(19))
    );
    assert_eq!(s["next"], "Next: rest, then Shoulder drop");

    // Pause stops the clock; resume continues it.
    ok(ask(&agent.inputs, session(SessionAction::Pause)).await);
    tokio::time::sleep(Duration::from_secs(120)).await;
    let s = ok(ask(&agent.inputs, session(SessionAction::Resume)).await)["session"].clone();
    assert_eq!(
        (s["phase"].as_str(), s["remaining_s"].as_u64()),
        (Some("hold"), Some(19))
    );

    tokio::time::sleep(Duration::from_secs(total)).await;
    let status = ok(ask(&agent.inputs, Command::Status(NoArgs {})).await);
    assert_eq!(status["session"], Value::Null);
    assert_eq!(status["state"], "active");
    assert_eq!(status["last_session"]["outcome"], "completed");
    assert_eq!(status["last_session"]["steps_done"], 3);
    assert_eq!(status["last_session"]["seconds"].as_u64(), Some(total));
    // Sitting time starts again when the session ends.
    let next = status["next_break_in_s"].as_i64().unwrap();
    assert!((3590..=3600).contains(&next), "{next}");

    let lines = history_lines(dir.path());
    let recorded = lines
        .iter()
        .find(|l| l["type"] == "session")
        .expect("recorded");
    assert_eq!(recorded["routine"], "desk-reset");
    assert_eq!(recorded["from_break"], false);

    // The end screen's check-in is recorded and closes the end screen.
    ok(ask(
        &agent.inputs,
        Command::CheckIn(CheckInArgs {
            score: 3,
            area: Some(limber_core::history::BackArea::Lower),
            note: Some("  a bit stiff  ".into()),
            after_session: true,
        }),
    )
    .await);
    let status = ok(ask(&agent.inputs, Command::Status(NoArgs {})).await);
    assert_eq!(status["last_session"], Value::Null);
    let checkin = history_lines(dir.path()).pop().unwrap();
    assert_eq!(
        (
            checkin["type"].as_str(),
            checkin["score"].as_u64(),
            checkin["note"].as_str()
        ),
        (Some("check_in"), Some(3), Some("a bit stiff"))
    );
    let figures = ok(ask(&agent.inputs, Command::History(NoArgs {})).await);
    assert_eq!(figures["stats"]["today"]["sessions"], 1);
    assert_eq!(figures["stats"]["checkins"][0]["score"], 3);
    assert_eq!(figures["stats"]["streak_days"], 1);

    let (code, _) = error_code(
        ask(
            &agent.inputs,
            Command::CheckIn(CheckInArgs {
                score: 11,
                ..Default::default()
            }),
        )
        .await,
    );
    assert_eq!(code, ErrorCode::InvalidValue);
    let (code, message) = error_code(ask(&agent.inputs, session(SessionAction::Skip)).await);
    assert_eq!(code, ErrorCode::Conflict);
    assert!(message.contains("no session"), "{message}");
    let (code, message) = error_code(ask(&agent.inputs, start("handstands")).await);
    assert_eq!(code, ErrorCode::NotFound);
    assert!(
        message.contains("desk-reset"),
        "lists the routines: {message}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_session_started_from_a_due_break_answers_it_and_nothing_fires_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    tokio::time::sleep(Duration::from_secs(60 * 60 + 5)).await;
    assert_eq!(
        ok(ask(&agent.inputs, Command::Status(NoArgs {})).await)["state"],
        "due"
    );
    agent.shell.take();
    // From the notification's "Start stretch": the default routine, and the window opens.
    agent
        .inputs
        .send(Input::NotificationAction("start".into()))
        .unwrap();
    let status = ok(ask(&agent.inputs, Command::Status(NoArgs {})).await);
    assert_eq!(status["session"]["routine"], "hourly");
    // No input for minutes on the mat is not "away", and no reminder comes.
    *agent.shell.idle.lock().unwrap() = Some(30 * 60_000);
    tokio::time::sleep(Duration::from_secs(150)).await;
    let status = ok(ask(&agent.inputs, Command::Status(NoArgs {})).await);
    assert_eq!(
        (status["state"].as_str(), status["away"].as_bool()),
        (Some("in_session"), Some(false))
    );
    assert!(!history_lines(dir.path())
        .iter()
        .any(|l| l["type"] == "natural_break"));
    *agent.shell.idle.lock().unwrap() = Some(0);
    tokio::time::sleep(Duration::from_secs(60)).await;
    let calls = agent.shell.take();
    assert!(
        !calls.iter().any(|c| matches!(
            c,
            Call::Notify(Notice::BreakDue { .. }) | Call::Notify(Notice::Posture { .. })
        )),
        "{calls:?}"
    );
    let lines = history_lines(dir.path());
    let session = lines.iter().find(|l| l["type"] == "session").unwrap();
    assert_eq!(session["from_break"], true);
}

#[tokio::test(start_paused = true)]
async fn closing_the_window_pauses_the_session_and_a_long_pause_abandons_it() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    let mut window = Raw::connect(&agent.socket).await;
    window
        .request(1, Command::Subscribe(SubscribeArgs { role: Role::Window }))
        .await;
    let _reply = window.next().await;
    ok(ask(&agent.inputs, start("lower-back-relief")).await);
    tokio::time::sleep(Duration::from_secs(10)).await;
    drop(window);
    let status = crate::support::wait_until(&agent.inputs, |s| s["window_open"] == false).await;
    assert_eq!(status["session"]["state"], "paused");
    // The tray offers to resume or end it.
    let tray = agent
        .shell
        .take()
        .into_iter()
        .rev()
        .find_map(|c| match c {
            Call::Tray(m) => Some(m),
            _ => None,
        })
        .unwrap();
    assert_eq!(tray.session, Some(("Lower-back relief".to_owned(), true)));
    tokio::time::sleep(Duration::from_secs(10 * 60 + 1)).await;
    let status = ok(ask(&agent.inputs, Command::Status(NoArgs {})).await);
    assert_eq!(status["session"], Value::Null);
    assert_eq!(status["last_session"]["outcome"], "abandoned");
    assert_eq!(history_lines(dir.path())[0]["outcome"], "abandoned");
}

#[tokio::test(start_paused = true)]
async fn the_tray_starts_and_ends_sessions() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    agent
        .inputs
        .send(Input::Tray(TrayAction::StartRoutine(Some("core".into()))))
        .unwrap();
    let status = ok(ask(&agent.inputs, Command::Status(NoArgs {})).await);
    assert_eq!(status["session"]["routine"], "core");
    assert!(agent.shell.take().contains(&Call::SpawnWindow(Some(
        limber_core::protocol::View::Session
    ))));
    agent
        .inputs
        .send(Input::Tray(TrayAction::EndSession))
        .unwrap();
    let status = ok(ask(&agent.inputs, Command::Status(NoArgs {})).await);
    assert_eq!(status["last_session"]["outcome"], "stopped");
}

#[tokio::test(start_paused = true)]
async fn custom_routines_are_validated_saved_and_never_replaced_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    let save = |text: &str, overwrite| {
        Command::SaveRoutine(SaveRoutineArgs {
            text: text.to_owned(),
            overwrite,
        })
    };
    let mine =
        r#"{"id":"mine","name":"Mine","steps":[{"exercise":"cat-cow","hold_s":8,"reps":3}]}"#;
    let saved = ok(ask(&agent.inputs, save(mine, false)).await);
    assert_eq!(saved["total_s"], 5 + 24);
    let file = dir.path().join("config/limber/routines/mine.json");
    let first = std::fs::read_to_string(&file).unwrap();
    let (code, message) = error_code(ask(&agent.inputs, save(mine, false)).await);
    assert_eq!(code, ErrorCode::Exists);
    assert!(message.contains("already exists"), "{message}");
    let changed = mine.replace("\"reps\":3", "\"reps\":4");
    ok(ask(&agent.inputs, save(&changed, true)).await);
    assert_ne!(std::fs::read_to_string(&file).unwrap(), first);
    let (code, message) = error_code(
        ask(
            &agent.inputs,
            save(
                r#"{"id":"bad","name":"Bad","steps":[{"exercise":"cat-cow","hold_s":0}]}"#,
                false,
            ),
        )
        .await,
    );
    assert_eq!(code, ErrorCode::InvalidValue);
    assert!(message.contains("step 1 (cat-cow), hold_s"), "{message}");
    let (code, _) = error_code(
        ask(
            &agent.inputs,
            save(
                r#"{"id":"hourly","name":"Mine","steps":[{"exercise":"walk"}]}"#,
                true,
            ),
        )
        .await,
    );
    assert_eq!(
        code,
        ErrorCode::InvalidValue,
        "a built-in id is not replaced"
    );
    // A hand-edited broken file is reported, not lost.
    std::fs::write(dir.path().join("config/limber/routines/broken.json"), "{").unwrap();
    let catalog = ok(ask(&agent.inputs, Command::Catalog(NoArgs {})).await);
    assert!(catalog["errors"][0]
        .as_str()
        .unwrap()
        .contains("routines/broken.json"));
    assert!(catalog["routines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "mine"));
    assert_eq!(
        ok(ask(&agent.inputs, start("mine")).await)["session"]["routine"],
        "mine"
    );
}

#[tokio::test(start_paused = true)]
async fn the_heat_and_ice_timer_ends_with_a_notification_and_a_record() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    let therapy = |action, kind, minutes| {
        Command::Therapy(TherapyArgs {
            action,
            kind,
            minutes,
        })
    };
    let (code, message) = error_code(
        ask(
            &agent.inputs,
            therapy(TherapyAction::Start, Some(TherapyKind::Ice), Some(30)),
        )
        .await,
    );
    assert_eq!(code, ErrorCode::InvalidValue);
    assert!(message.contains("15 to 20 minutes at a time"), "{message}");
    let status = ok(ask(
        &agent.inputs,
        therapy(TherapyAction::Start, Some(TherapyKind::Ice), None),
    )
    .await);
    assert_eq!(status["therapy"]["kind"], "ice");
    assert_eq!(status["therapy"]["remaining_s"], 15 * 60);
    tokio::time::sleep(Duration::from_secs(14 * 60)).await;
    assert!(!agent
        .shell
        .take()
        .iter()
        .any(|c| matches!(c, Call::Notify(Notice::TherapyDone { .. }))));
    tokio::time::sleep(Duration::from_secs(61)).await;
    assert!(agent
        .shell
        .take()
        .contains(&Call::Notify(Notice::TherapyDone {
            kind: TherapyKind::Ice,
            minutes: 15
        })));
    let status = ok(ask(&agent.inputs, Command::Status(NoArgs {})).await);
    assert_eq!(status["therapy"], Value::Null);
    let record = history_lines(dir.path()).pop().unwrap();
    assert_eq!(
        (record["type"].as_str(), record["completed"].as_bool()),
        (Some("therapy"), Some(true))
    );
    let (code, _) = error_code(ask(&agent.inputs, therapy(TherapyAction::Stop, None, None)).await);
    assert_eq!(code, ErrorCode::Conflict);
}

/// Every built-in routine, run through the engine with every wake-up late by 0-40 ms (a
/// busy machine): the phases come in the expanded order with their full lengths, and the
/// session ends exactly its total length after it began: lateness never accumulates.
#[test]
fn built_in_routines_run_on_time_even_with_late_wake_ups() {
    use chrono::{FixedOffset, TimeZone};
    use limber_core::catalog::Catalog;
    use limber_core::session::{expand, Session, SessionEffect};
    use limber_core::Now;
    let catalog = Catalog::builtin().unwrap();
    let tz = FixedOffset::east_opt(3600).unwrap();
    let origin = tz.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let at = |ms: u64| Now::new(ms, origin + chrono::Duration::milliseconds(ms as i64));
    let mut jitter: u64 = 7;
    for routine in &catalog.routines {
        let phases = expand(routine);
        let total_ms: u64 = phases.iter().map(|p| p.duration_ms).sum();
        assert_eq!(
            total_ms,
            u64::from(routine.total_s) * 1000,
            "{}",
            routine.id
        );
        let mut session = Session::start(
            routine.clone(),
            catalog.exercises_of(routine),
            false,
            &at(0),
        );
        let mut seen = vec![0usize];
        let mut now = 0u64;
        let record = loop {
            let wait = session
                .time_to_deadline(&at(now))
                .unwrap()
                .num_milliseconds() as u64;
            jitter = (jitter * 1_103_515_245 + 12_345) % 2_147_483_648;
            now += wait + jitter % 41;
            match session.handle_timeout(&at(now)).as_slice() {
                [SessionEffect::PhaseStarted { index }] => {
                    seen.push(*index);
                    // The phase that just began ends on the original schedule.
                    let planned_end: u64 = phases[..=*index].iter().map(|p| p.duration_ms).sum();
                    let left = session
                        .time_to_deadline(&at(now))
                        .unwrap()
                        .num_milliseconds() as u64;
                    assert_eq!(now + left, planned_end, "{} phase {index}", routine.id);
                }
                [SessionEffect::Finished(record)] => break record.clone(),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(
            seen,
            (0..phases.len()).collect::<Vec<_>>(),
            "{}",
            routine.id
        );
        let started = chrono::DateTime::parse_from_rfc3339(&record.started_at).unwrap();
        let ended = chrono::DateTime::parse_from_rfc3339(&record.ended_at).unwrap();
        assert_eq!(
            (ended - started).num_milliseconds() as u64,
            total_ms,
            "{}",
            routine.id
        );
        assert_eq!(record.steps_done as usize, routine.steps.len());
    }
}
