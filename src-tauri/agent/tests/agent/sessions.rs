//! Guided sessions, check-ins, history and the heat / ice timer through the real driver
//! and control socket, under tokio's paused clock: what the CLI and the window see.

use crate::support::{ask, history_lines, nine_am, ok, start_agent, Raw, ShellCall};
use limber_agent::clock::TokioClock;
use limber_agent::ports::{Input, Notice, Origin};
use limber_core::history::{BackArea, Note};
use limber_core::protocol::{
    CatalogArgs, CheckInArgs, Command, ErrorBody, ErrorCode, HistoryArgs, Outcome, ReplyLine, Role,
    SaveRoutineArgs, ServerMessage, SessionArgs, StartArgs, StatusArgs, SubscribeArgs,
    TherapyAction, TherapyArgs,
};
use limber_core::session::SessionAction;
use limber_core::therapy::TherapyKind;
use serde_json::Value;
use std::time::Duration;

fn start(routine: &str) -> Command {
    StartArgs {
        routine: Some(routine.to_owned()),
        open: false,
    }
    .into()
}

fn session(action: SessionAction) -> Command {
    SessionArgs {
        action,
        open: false,
    }
    .into()
}

fn get_status() -> Command {
    StatusArgs {}.into()
}

fn error_code(outcome: Result<Value, ErrorBody>) -> (ErrorCode, String) {
    match outcome {
        Err(e) => (e.code, e.message),
        Ok(v) => panic!("expected an error, got {v}"),
    }
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
    let ends_at = s["ends_at"].as_str().expect("an RFC 3339 instant");
    assert!(
        chrono::DateTime::parse_from_rfc3339(ends_at).is_ok(),
        "{ends_at}"
    );
    let total = s["total_s"].as_u64().unwrap();

    // A second start is refused while one runs.
    let (code, message) = error_code(ask(&agent.inputs, start("hourly")).await);
    assert_eq!(code, ErrorCode::Conflict);
    assert!(message.contains("already running"), "{message}");

    // The driver wakes at each phase's deadline: 6 s in, the hold has begun.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let s = ok(ask(&agent.inputs, get_status()).await)["session"].clone();
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
    let status = ok(ask(&agent.inputs, get_status()).await);
    assert_eq!(status["session"], Value::Null);
    assert_eq!(status["state"], "active");
    assert_eq!(status["last_session"]["outcome"], "completed");
    assert_eq!(status["last_session"]["steps_done"], 3);
    assert_eq!(status["last_session"]["active_s"].as_u64(), Some(total));
    // Sitting time starts again when the session ends.
    let next = status["next_break_in_s"].as_u64().unwrap();
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
        CheckInArgs {
            score: 3.try_into().unwrap(),
            area: Some(BackArea::Lower),
            note: Some(Note::try_from("  a bit stiff  ".to_owned()).unwrap()),
            after_session: true,
        }
        .into(),
    )
    .await);
    let status = ok(ask(&agent.inputs, get_status()).await);
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
    let figures = ok(ask(&agent.inputs, HistoryArgs {}.into()).await);
    assert_eq!(figures["stats"]["today"]["sessions"], 1);
    assert_eq!(figures["stats"]["checkins"][0]["score"], 3);
    assert_eq!(figures["stats"]["streak_days"], 1);

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
    assert_eq!(ok(ask(&agent.inputs, get_status()).await)["state"], "due");
    agent.shell.take();
    // From the notification's "Start stretch": the default routine, and the window opens.
    agent
        .inputs
        .send(Input::command(
            Origin::Notification,
            StartArgs {
                routine: None,
                open: true,
            }
            .into(),
        ))
        .unwrap();
    // Starting reads the routines folder first, off the runtime thread.
    let status = crate::support::wait_until(&agent.inputs, |s| s["session"] != Value::Null).await;
    assert_eq!(status["session"]["routine"], "back-stretches");
    // No input for minutes on the mat is not "away", and no reminder comes.
    *agent.shell.idle.lock().unwrap() = Some(30 * 60_000);
    tokio::time::sleep(Duration::from_secs(150)).await;
    let status = ok(ask(&agent.inputs, get_status()).await);
    assert_eq!(
        (status["state"].as_str(), status["away"].as_bool()),
        (Some("in_session"), Some(false))
    );
    assert!(!history_lines(dir.path())
        .iter()
        .any(|l| l["type"] == "natural_break"));
    *agent.shell.idle.lock().unwrap() = Some(0);
    tokio::time::sleep(Duration::from_secs(6 * 60)).await;
    let calls = agent.shell.take();
    assert!(
        !calls.iter().any(|c| matches!(
            c,
            ShellCall::Notify(Notice::BreakDue { .. }) | ShellCall::Notify(Notice::Posture { .. })
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
        .request(1, SubscribeArgs { role: Role::Window }.into())
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
            ShellCall::Tray(m) => Some(m),
            _ => None,
        })
        .unwrap();
    assert_eq!(tray.session, Some(("Lower-back relief".to_owned(), true)));
    tokio::time::sleep(Duration::from_secs(10 * 60 + 1)).await;
    let status = ok(ask(&agent.inputs, get_status()).await);
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
        .send(Input::command(
            Origin::Tray,
            StartArgs {
                routine: Some("core".into()),
                open: true,
            }
            .into(),
        ))
        .unwrap();
    crate::support::wait_until(&agent.inputs, |s| s["session"] != Value::Null).await;
    let status = ok(ask(&agent.inputs, get_status()).await);
    assert_eq!(status["session"]["routine"], "core");
    assert!(agent.shell.take().contains(&ShellCall::SpawnWindow(Some(
        limber_core::protocol::View::Session
    ))));
    agent
        .inputs
        .send(Input::command(Origin::Tray, session(SessionAction::Stop)))
        .unwrap();
    let status = ok(ask(&agent.inputs, get_status()).await);
    assert_eq!(status["last_session"]["outcome"], "stopped");
}

#[tokio::test(start_paused = true)]
async fn custom_routines_are_validated_saved_and_never_replaced_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    let save = |text: &str, overwrite| {
        Command::from(SaveRoutineArgs {
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
    let catalog = ok(ask(&agent.inputs, CatalogArgs {}.into()).await);
    assert_eq!(catalog["errors"][0]["file"], "routines/broken.json");
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
    // Out of range is refused by the parser, naming the field and the reason.
    let mut raw = Raw::connect(&agent.socket).await;
    raw.send_bytes(
        br#"{"id":1,"cmd":"therapy","args":{"action":"start","kind":"ice","minutes":30}}"#,
    )
    .await;
    raw.send_bytes(b"\n").await;
    match raw.next().await {
        ServerMessage::Reply(ReplyLine {
            outcome: Outcome::Error(e),
            ..
        }) => {
            assert_eq!(
                (e.code, e.field.as_deref()),
                (ErrorCode::BadArgs, Some("minutes"))
            );
            assert!(
                e.message.contains("15 to 20 minutes at a time"),
                "{}",
                e.message
            );
        }
        other => panic!("{other:?}"),
    }
    let therapy = |action, kind| {
        Command::from(TherapyArgs {
            action,
            kind,
            minutes: None,
        })
    };
    let status = ok(ask(
        &agent.inputs,
        therapy(TherapyAction::Start, Some(TherapyKind::Ice)),
    )
    .await);
    assert_eq!(status["therapy"]["kind"], "ice");
    assert_eq!(status["therapy"]["remaining_s"], 15 * 60);
    tokio::time::sleep(Duration::from_secs(14 * 60)).await;
    assert!(!agent
        .shell
        .take()
        .iter()
        .any(|c| matches!(c, ShellCall::Notify(Notice::TherapyDone { .. }))));
    tokio::time::sleep(Duration::from_secs(61)).await;
    assert!(agent
        .shell
        .take()
        .contains(&ShellCall::Notify(Notice::TherapyDone {
            kind: TherapyKind::Ice,
            length_min: 15
        })));
    let status = ok(ask(&agent.inputs, get_status()).await);
    assert_eq!(status["therapy"], Value::Null);
    let record = history_lines(dir.path()).pop().unwrap();
    assert_eq!(
        (record["type"].as_str(), record["completed"].as_bool()),
        (Some("therapy"), Some(true))
    );
    let (code, _) = error_code(ask(&agent.inputs, therapy(TherapyAction::Stop, None)).await);
    assert_eq!(code, ErrorCode::Conflict);
    let (code, message) = error_code(ask(&agent.inputs, therapy(TherapyAction::Start, None)).await);
    assert_eq!(code, ErrorCode::BadArgs);
    assert!(message.contains("ice or heat"), "{message}");
}

#[tokio::test(start_paused = true)]
async fn the_default_routine_is_a_setting_checked_against_the_catalog() {
    use limber_core::protocol::SetSettingsArgs;
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    let catalog = ok(ask(&agent.inputs, CatalogArgs {}.into()).await);
    assert_eq!(catalog["default_routine"], "back-stretches");
    let set = |id: &str| {
        let values = serde_json::json!({ "default_routine": id });
        SetSettingsArgs {
            values: values.as_object().unwrap().clone(),
        }
    };
    let Err(error) = ask(&agent.inputs, set("no-such-routine").into()).await else {
        panic!("an unknown routine was accepted");
    };
    assert_eq!(error.fields[0].key, "default_routine");
    assert!(
        error.message.contains("limber routines"),
        "{}",
        error.message
    );
    let Err(error) = ask(&agent.inputs, set("Not An Id").into()).await else {
        panic!("a malformed id was accepted");
    };
    assert_eq!(error.fields[0].key, "default_routine");

    ok(ask(&agent.inputs, set("desk-reset").into()).await);
    let catalog = ok(ask(&agent.inputs, CatalogArgs {}.into()).await);
    assert_eq!(catalog["default_routine"], "desk-reset");
    let status = ok(ask(
        &agent.inputs,
        StartArgs {
            routine: None,
            open: false,
        }
        .into(),
    )
    .await);
    assert_eq!(status["session"]["routine"], "desk-reset");
}

#[tokio::test(start_paused = true)]
async fn heat_from_the_tray_brings_the_cautions_once() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    let cautions = |calls: &[ShellCall]| {
        calls
            .iter()
            .filter(|c| {
                matches!(c, ShellCall::Notify(Notice::Info { summary, body })
                    if summary == "Before you use heat" && body.contains("never fall asleep on one"))
            })
            .count()
    };
    for _ in 0..2 {
        agent
            .inputs
            .send(Input::command(
                Origin::Tray,
                TherapyArgs::start(TherapyKind::Heat, None).into(),
            ))
            .unwrap();
        crate::support::wait_until(&agent.inputs, |s| s["therapy"] != Value::Null).await;
        ok(ask(
            &agent.inputs,
            TherapyArgs::control(TherapyAction::Stop).into(),
        )
        .await);
    }
    assert_eq!(cautions(&agent.shell.take()), 1);
    let settings =
        crate::support::wait_until_settings(&agent.inputs, |s| s["heat_cautions_shown"] == true)
            .await;
    assert_eq!(settings["heat_cautions_shown"], true);
}
