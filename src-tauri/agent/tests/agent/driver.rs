//! The agent's driver under tokio's paused clock, and its control socket under hostile
//! input. Both use the real `Agent`, `control::serve` and protocol types; only the shell
//! (D-Bus, processes) is replaced by a recorder.

use crate::support::{ask, call, nine_am, ok, start_agent, wait_until, Raw, Running, ShellCall};
use chrono::Local;
use limber_agent::clock::{SystemClock, TokioClock};
use limber_agent::ports::{Input, Notice, Origin};
use limber_core::protocol::{
    CheckInArgs, Command, ErrorCode, Event, OpenArgs, Outcome, PauseArgs, QuitArgs, ReplyLine,
    ResumeArgs, Role, ServerMessage, SetSettingsArgs, Snapshot, StatusArgs, SubscribeArgs, View,
    MAX_REQUEST_BYTES,
};
use limber_core::schedule::PauseLength;
use serde_json::{json, Value};
use std::time::Duration;

fn get_status() -> Command {
    StatusArgs {}.into()
}

#[tokio::test(start_paused = true)]
async fn a_break_becomes_due_after_the_interval_and_the_shell_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    tokio::time::sleep(Duration::from_secs(59 * 60)).await;
    let is_break = |c: &ShellCall| matches!(c, ShellCall::Notify(Notice::BreakDue { .. }));
    assert!(!agent.shell.take().iter().any(is_break), "nothing due yet");
    tokio::time::sleep(Duration::from_secs(61)).await;
    let calls = agent.shell.take();
    let actions = calls
        .iter()
        .find_map(|c| match c {
            ShellCall::Notify(Notice::BreakDue {
                sitting_min: 60,
                actions,
            }) => Some(actions.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("a break notification: {calls:?}"));
    let labels: Vec<&str> = actions.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(labels, ["Start stretch", "Snooze 10 min", "Skip"]);
    assert!(
        calls.contains(&ShellCall::SpawnWindow(Some(View::Session))),
        "break_style both opens the window"
    );
    let tray = calls.iter().rev().find_map(|c| match c {
        ShellCall::Tray(m) => Some(m.headline.clone()),
        _ => None,
    });
    assert_eq!(tray.as_deref(), Some("Break due"));

    // Ignored: it reminds once per snooze length, not every minute.
    tokio::time::sleep(Duration::from_secs(9 * 60)).await;
    assert!(!agent.shell.take().iter().any(is_break));
    tokio::time::sleep(Duration::from_secs(61)).await;
    assert!(agent.shell.take().iter().any(|c| matches!(
        c,
        ShellCall::Notify(Notice::BreakDue {
            sitting_min: 70,
            ..
        })
    )));

    // A snooze from the notification's button is its command, on the same path.
    let snooze = actions
        .iter()
        .find(|a| a.id == "snooze")
        .unwrap()
        .command
        .clone();
    agent
        .inputs
        .send(Input::command(Origin::Notification, snooze))
        .unwrap();
    let status = ok(ask(&agent.inputs, get_status()).await);
    assert_eq!(status["state"], "snoozed");
    assert_eq!(status["next_break_in_s"], 600);
}

#[tokio::test(start_paused = true)]
async fn the_tray_is_refreshed_at_most_once_a_minute_and_only_on_change() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    tokio::time::sleep(Duration::from_secs(10 * 60 + 5)).await;
    let updates: Vec<String> = agent
        .shell
        .take()
        .into_iter()
        .filter_map(|c| match c {
            ShellCall::Tray(m) => Some(m.headline),
            _ => None,
        })
        .collect();
    // One update at start and one per minute as the minute count changes; never more.
    assert!(updates.len() <= 11, "{updates:?}");
    assert_eq!(
        updates.first().map(String::as_str),
        Some("Next break in 60 min")
    );
    assert_eq!(
        updates.last().map(String::as_str),
        Some("Next break in 50 min")
    );
}

#[tokio::test(start_paused = true)]
async fn tray_actions_drive_the_schedule_and_quit_stops_the_driver() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    let tray = |command: Command| {
        agent
            .inputs
            .send(Input::command(Origin::Tray, command))
            .unwrap()
    };
    tray(
        PauseArgs {
            length: PauseLength::Tomorrow,
        }
        .into(),
    );
    let status = ok(ask(&agent.inputs, get_status()).await);
    assert_eq!(status["state"], "paused");
    let until =
        chrono::DateTime::parse_from_rfc3339(status["paused_until"].as_str().unwrap()).unwrap();
    assert_eq!(
        until.with_timezone(&Local).format("%d %H:%M").to_string(),
        "24 06:00"
    );
    tray(ResumeArgs {}.into());
    assert_eq!(
        ok(ask(&agent.inputs, get_status()).await)["state"],
        "active"
    );
    // A tray click that fails is told in a notification, not lost.
    tray(
        limber_core::protocol::SessionArgs {
            action: limber_core::session::SessionAction::Stop,
            open: false,
        }
        .into(),
    );
    wait_until(&agent.inputs, |_| {
        agent.shell.take().iter().any(|c| {
            matches!(c, ShellCall::Notify(Notice::Info { body, .. }) if body.contains("no session is running"))
        })
    })
    .await;
    tray(QuitArgs {}.into());
    tokio::time::timeout(Duration::from_secs(5), agent.task)
        .await
        .expect("driver ends")
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn settings_changes_are_validated_saved_and_applied_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    let settings_file = dir.path().join("config/limber/settings.json");
    let values = |v: Value| SetSettingsArgs {
        values: v.as_object().unwrap().clone(),
    };

    let bad = ask(
        &agent.inputs,
        values(json!({"break_interval_min": 1, "snooze_min": 5})).into(),
    )
    .await;
    let Err(body) = bad else {
        panic!("accepted an invalid interval")
    };
    assert_eq!(body.code, ErrorCode::InvalidValue);
    assert_eq!(body.fields.len(), 1);
    assert_eq!(body.fields[0].key, "break_interval_min");
    assert!(body.message.contains("from 5 to 240"), "{}", body.message);
    assert!(
        !settings_file.exists(),
        "nothing saved, not even the valid half"
    );

    let snapshot = call(&agent.inputs, values(json!({"break_interval_min": 30})))
        .await
        .unwrap();
    assert_eq!(snapshot.values.break_interval_min, 30);
    let status = ok(ask(&agent.inputs, get_status()).await);
    assert_eq!(status["next_break_in_s"], 30 * 60);
    let saved: Value =
        serde_json::from_str(&std::fs::read_to_string(&settings_file).unwrap()).unwrap();
    assert_eq!(saved, json!({"break_interval_min": 30}));
}

#[tokio::test]
async fn the_control_socket_answers_bad_lines_with_errors_and_keeps_serving() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(SystemClock::new(), dir.path());
    let mut raw = Raw::connect(&agent.socket).await;

    let error_code = |message: ServerMessage<Value>| match message {
        ServerMessage::Reply(ReplyLine {
            outcome: Outcome::Error(body),
            id,
        }) => (id, body.code),
        other => panic!("expected an error reply, got {other:?}"),
    };

    // Longer than the limit: one error, the rest of the line discarded.
    let mut huge = vec![b'x'; MAX_REQUEST_BYTES + 10_000];
    huge.push(b'\n');
    raw.send_bytes(&huge).await;
    assert_eq!(error_code(raw.next().await), (0, ErrorCode::LineTooLong));
    raw.send_bytes(b"\xff\xfe\xfd\n").await;
    assert_eq!(error_code(raw.next().await), (0, ErrorCode::BadJson));
    raw.send_bytes(b"{\"id\": 3, \"cmd\": \"fly\"}\n\n   \n")
        .await;
    assert_eq!(error_code(raw.next().await), (3, ErrorCode::UnknownCommand));
    raw.send_bytes(b"{\"id\": 4, \"cmd\": \"pause\", \"args\": {\"length\": \"a while\"}}\n")
        .await;
    assert_eq!(error_code(raw.next().await), (4, ErrorCode::BadArgs));
    raw.send_bytes(b"{\"id\": 5, \"cmd\": \"snooze\", \"args\": {\"minutes\": 0}}\n")
        .await;
    assert_eq!(error_code(raw.next().await), (5, ErrorCode::BadArgs));
    // A bad argument of a known command names the field and what is allowed.
    raw.send_bytes(b"{\"id\":1,\"cmd\":\"session\",\"args\":{\"action\":\"dance\"}}\n")
        .await;
    match raw.next().await {
        ServerMessage::Reply(ReplyLine {
            id: 1,
            outcome: Outcome::Error(body),
        }) => {
            assert_eq!(body.code, ErrorCode::BadArgs);
            assert_eq!(body.field.as_deref(), Some("action"));
            assert!(
                body.message
                    .contains("`pause`, `resume`, `skip`, `back`, `stop`"),
                "{}",
                body.message
            );
        }
        other => panic!("{other:?}"),
    }

    // Still serving, on the same connection.
    raw.request(6, get_status()).await;
    match raw.next().await {
        ServerMessage::Reply(ReplyLine {
            id: 6,
            outcome: Outcome::Ok(status),
        }) => assert_eq!(status["state"], "active"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn subscribers_get_snapshots_then_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(SystemClock::new(), dir.path());
    let mut window = Raw::connect(&agent.socket).await;
    window
        .request(1, SubscribeArgs { role: Role::Window }.into())
        .await;
    let subscribed = match window.next().await {
        ServerMessage::Reply(ReplyLine {
            id: 1,
            outcome: Outcome::Ok(value),
        }) => value,
        other => panic!("{other:?}"),
    };
    // The window asks the agent for allowed values instead of copying them.
    assert_eq!(
        subscribed["vocabulary"]["session_actions"],
        json!(["pause", "resume", "skip", "back", "stop"])
    );
    assert_eq!(
        subscribed["vocabulary"]["pause_lengths"][3],
        json!({"value": "tomorrow", "label": "Until tomorrow"})
    );
    let mut areas = Vec::new();
    for _ in 0..4 {
        match window.next().await {
            ServerMessage::Event(Event::Snapshot(snapshot)) => areas.push(match snapshot {
                Snapshot::Status(_) => "status",
                Snapshot::Settings(_) => "settings",
                Snapshot::Catalog(_) => "catalog",
                Snapshot::History(_) => "history",
            }),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(areas, ["status", "settings", "catalog", "history"]);

    // The window is counted, and a change made by another client reaches it.
    let mut cli = Raw::connect(&agent.socket).await;
    cli.request(
        7,
        PauseArgs {
            length: "2h".parse().unwrap(),
        }
        .into(),
    )
    .await;
    assert!(matches!(
        cli.next().await,
        ServerMessage::Reply(ReplyLine {
            id: 7,
            outcome: Outcome::Ok(_)
        })
    ));
    let status = loop {
        if let ServerMessage::Event(Event::Snapshot(Snapshot::Status(status))) = window.next().await
        {
            if status.schedule.state == limber_core::schedule::State::Paused {
                break status;
            }
        }
    };
    assert!(status.window_open);
    // Every instant is RFC 3339 with its offset.
    let until = status.schedule.paused_until.expect("paused for 2 hours");
    assert!(until.to_rfc3339().ends_with(&until.offset().to_string()));

    // `open` with a window connected brings that window forward instead of spawning one.
    cli.request(
        8,
        OpenArgs {
            view: Some(View::Settings),
        }
        .into(),
    )
    .await;
    assert!(matches!(
        cli.next().await,
        ServerMessage::Reply(ReplyLine { id: 8, .. })
    ));
    loop {
        if let ServerMessage::Event(Event::Show { view }) = window.next().await {
            assert_eq!(view, Some(View::Settings));
            break;
        }
    }
    assert!(!agent
        .shell
        .take()
        .iter()
        .any(|c| matches!(c, ShellCall::SpawnWindow(_))));

    // The window leaving is noticed.
    drop(window);
    let mut closed = false;
    for _ in 0..50 {
        cli.request(9, get_status()).await;
        if let ServerMessage::Reply(ReplyLine {
            outcome: Outcome::Ok(s),
            ..
        }) = cli.next().await
        {
            if s["window_open"] == false {
                closed = true;
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(closed, "window_open went back to false");
}

#[tokio::test]
async fn a_corrupt_settings_file_is_reported_in_status() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config/limber");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("settings.json"), "{\"snooze_min\": 0}").unwrap();
    let agent = start_agent(SystemClock::new(), dir.path());
    let status = ok(ask(&agent.inputs, get_status()).await);
    let notice = status["settings_notice"].as_str().unwrap();
    assert!(notice.contains("snooze_min: must be"), "{notice}");
    let calls = agent.shell.take();
    assert!(
        calls
            .iter()
            .any(|c| matches!(c, ShellCall::Notify(Notice::Info { .. }))),
        "the user is told by notification too"
    );
}

#[tokio::test]
async fn a_check_in_that_cannot_be_written_is_an_error_kept_and_written_later() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data/limber");
    // The history log is a directory: nothing can be appended to it.
    std::fs::create_dir_all(data.join("history.jsonl")).unwrap();
    let agent = start_agent(SystemClock::new(), dir.path());
    let check_in = |score: u8| CheckInArgs {
        score: score.try_into().unwrap(),
        area: None,
        note: None,
        after_session: false,
    };
    let error = call(&agent.inputs, check_in(4)).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::Io);
    assert!(error.message.contains("kept"), "{}", error.message);
    let status = ok(ask(&agent.inputs, get_status()).await);
    assert!(
        status["history_notice"]
            .as_str()
            .unwrap()
            .contains("could not write"),
        "{status}"
    );
    // The log becomes writable: the next event writes the kept one too.
    std::fs::remove_dir(data.join("history.jsonl")).unwrap();
    call(&agent.inputs, check_in(3)).await.unwrap();
    let text = std::fs::read_to_string(data.join("history.jsonl")).unwrap();
    let scores: Vec<u64> = text
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["score"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(scores, [4, 3], "nothing acknowledged was lost");
    let status = ok(ask(&agent.inputs, get_status()).await);
    assert_eq!(status["history_notice"], Value::Null);
    let history = ok(ask(&agent.inputs, limber_core::protocol::HistoryArgs {}.into()).await);
    assert_eq!(history["stats"]["total_events"], 2);
}

#[tokio::test(start_paused = true)]
async fn a_break_waits_while_the_user_is_busy_and_shows_when_they_are_free() {
    use limber_core::schedule::Busy;
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    // A minute before the break, a quiet warning with Snooze and Skip.
    tokio::time::sleep(Duration::from_secs(59 * 60 + 1)).await;
    let calls = agent.shell.take();
    let warning = calls.iter().find_map(|c| match c {
        ShellCall::Notify(Notice::BreakSoon { in_s, actions }) => Some((*in_s, actions.clone())),
        _ => None,
    });
    let (in_s, actions) = warning.expect("a warning before the break");
    assert!((55..=60).contains(&in_s), "{in_s}");
    let labels: Vec<&str> = actions.iter().map(|a| a.label.as_str()).collect();
    assert_eq!(labels, ["Snooze 10 min", "Skip"]);
    // A video call begins: the break comes due but nothing pops up.
    agent
        .inputs
        .send(Input::Busy(Busy {
            inhibited: true,
            ..Busy::default()
        }))
        .unwrap();
    tokio::time::sleep(Duration::from_secs(5 * 60)).await;
    let status = ok(ask(&agent.inputs, get_status()).await);
    assert_eq!(status["state"], "due");
    assert_eq!(status["hold"]["reason"], "inhibited");
    let calls = agent.shell.take();
    assert!(
        !calls.iter().any(|c| matches!(
            c,
            ShellCall::Notify(Notice::BreakDue { .. }) | ShellCall::SpawnWindow(_)
        )),
        "{calls:?}"
    );
    let tray = calls.iter().rev().find_map(|c| match c {
        ShellCall::Tray(m) => Some(m.headline.clone()),
        _ => None,
    });
    assert_eq!(
        tray.as_deref(),
        Some("Break waiting (in a call or a video)")
    );
    // The call ends: the break shows at once.
    agent.inputs.send(Input::Busy(Busy::default())).unwrap();
    let status = wait_until(&agent.inputs, |s| s["hold"].is_null()).await;
    assert_eq!(status["state"], "due");
    let calls = agent.shell.take();
    assert!(calls
        .iter()
        .any(|c| matches!(c, ShellCall::Notify(Notice::BreakDue { .. }))));
    assert!(calls.contains(&ShellCall::SpawnWindow(Some(View::Session))));
}

#[tokio::test(start_paused = true)]
async fn snoozing_stops_at_max_snoozes_from_every_surface() {
    use limber_core::protocol::{SkipArgs, SnoozeArgs};
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    tokio::time::sleep(Duration::from_secs(60 * 60 + 1)).await;
    for n in 0..3 {
        let status = call(&agent.inputs, SnoozeArgs { minutes: None })
            .await
            .unwrap();
        assert_eq!(status.schedule.snoozes_left, Some(2 - n));
    }
    let error = call(&agent.inputs, SnoozeArgs { minutes: None })
        .await
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::Limit);
    assert!(error.message.contains("max_snoozes"), "{}", error.message);
    // Three snoozes of 10 minutes, back to back: the break comes 30 minutes on. Its
    // notification offers no Snooze now, and the tray disables it.
    agent.shell.take();
    tokio::time::sleep(Duration::from_secs(30 * 60 + 1)).await;
    let calls = agent.shell.take();
    let labels = calls
        .iter()
        .find_map(|c| match c {
            ShellCall::Notify(Notice::BreakDue { actions, .. }) => {
                Some(actions.iter().map(|a| a.label.clone()).collect::<Vec<_>>())
            }
            _ => None,
        })
        .expect("the break again");
    assert_eq!(labels, ["Start stretch", "Skip"]);
    let tray = calls.iter().rev().find_map(|c| match c {
        ShellCall::Tray(m) => Some(m.can_snooze),
        _ => None,
    });
    assert_eq!(tray, Some(false));
    // Skipping starts a new break with its own snoozes.
    let status = call(&agent.inputs, SkipArgs {}).await.unwrap();
    assert_eq!(status.schedule.snoozes_left, Some(3));
    wait_until(&agent.inputs, |_| {
        std::fs::read_to_string(dir.path().join("data/limber/history.jsonl"))
            .is_ok_and(|t| t.contains("break_skipped"))
    })
    .await;
}

#[tokio::test(start_paused = true)]
async fn a_break_window_is_readied_unseen_ten_seconds_before_and_shown_when_the_break_comes() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    let readied = |calls: &[ShellCall]| {
        calls
            .iter()
            .filter(|c| matches!(c, ShellCall::ReadyWindow(View::Session)))
            .count()
    };
    tokio::time::sleep(Duration::from_secs(59 * 60 + 45)).await;
    assert_eq!(readied(&agent.shell.take()), 0, "not yet");
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(readied(&agent.shell.take()), 1, "ten seconds before");

    // The readied window connects, unseen: it is not "open" to the tray or `status`.
    let (mut window, subscribed) = subscribe_window(&agent.socket).await;
    assert_eq!(subscribed["view"], Value::Null, "no view: it stays unseen");
    let status = ok(ask(&agent.inputs, get_status()).await);
    assert_eq!(status["window_open"], false);
    assert_eq!(status["state"], "active");

    // The break comes: that window is shown, no second one is started.
    let shown = async {
        loop {
            if let ServerMessage::Event(Event::Show { view }) = window.next().await {
                return view;
            }
        }
    };
    assert_eq!(shown.await, Some(View::Session));
    assert!(!agent
        .shell
        .take()
        .iter()
        .any(|c| matches!(c, ShellCall::SpawnWindow(_) | ShellCall::ReadyWindow(_))));
    let status = wait_until(&agent.inputs, |s| s["window_open"] == true).await;
    assert_eq!(status["state"], "due");
}

#[tokio::test(start_paused = true)]
async fn no_window_is_readied_for_breaks_that_only_notify_and_one_still_starting_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("config/limber")).unwrap();
    std::fs::write(
        dir.path().join("config/limber/settings.json"),
        r#"{"break_style": "notification"}"#,
    )
    .unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    tokio::time::sleep(Duration::from_secs(60 * 60 + 1)).await;
    let calls = agent.shell.take();
    assert!(calls
        .iter()
        .any(|c| matches!(c, ShellCall::Notify(Notice::BreakDue { .. }))));
    assert!(!calls
        .iter()
        .any(|c| matches!(c, ShellCall::SpawnWindow(_) | ShellCall::ReadyWindow(_))));

    // With a window: one readied but not yet connected when the break comes is asked for
    // with the break's view, and hears it when it subscribes.
    ok(ask(
        &agent.inputs,
        SetSettingsArgs {
            values: serde_json::from_value(json!({"break_style": "both"})).unwrap(),
        }
        .into(),
    )
    .await);
    ok(ask(&agent.inputs, limber_core::protocol::SkipArgs {}.into()).await);
    sleep_until_the_break_window_is_readied(&agent).await;
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert!(agent
        .shell
        .take()
        .contains(&ShellCall::SpawnWindow(Some(View::Session))));
    let (_window, subscribed) = subscribe_window(&agent.socket).await;
    assert_eq!(subscribed["view"], "session");
}

/// Sleeps 59 min 51 s, to 9 s before a break due an hour after sitting time began, and
/// checks that the break's window was readied (10 s before it).
async fn sleep_until_the_break_window_is_readied(agent: &Running) {
    tokio::time::sleep(Duration::from_secs(59 * 60 + 51)).await;
    assert!(agent
        .shell
        .take()
        .contains(&ShellCall::ReadyWindow(View::Session)));
}

/// What the launcher reports when the window process (the recording shell's) ends.
fn the_window_process_exits(agent: &Running) {
    agent
        .inputs
        .send(Input::WindowExited {
            pid: 1,
            detail: "signal 15".to_owned(),
        })
        .unwrap();
}

/// Connects as a window and returns the connection and the subscription's answer.
async fn subscribe_window(socket: &std::path::Path) -> (Raw, Value) {
    let mut window = Raw::connect(socket).await;
    window
        .request(1, SubscribeArgs { role: Role::Window }.into())
        .await;
    match window.next().await {
        ServerMessage::Reply(ReplyLine {
            id: 1,
            outcome: Outcome::Ok(subscribed),
        }) => (window, subscribed),
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_readied_window_the_break_did_not_come_for_is_ended_and_its_leaving_pauses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    sleep_until_the_break_window_is_readied(&agent).await;
    let (window, _) = subscribe_window(&agent.socket).await;
    // A session started without a window: no break comes, and the readied window is not
    // the session's window.
    ok(ask(
        &agent.inputs,
        limber_core::protocol::StartArgs {
            routine: Some("desk-reset".to_owned()),
            open: false,
        }
        .into(),
    )
    .await);
    tokio::time::sleep(Duration::from_secs(25)).await;
    assert!(
        !agent.shell.take().contains(&ShellCall::EndWindow),
        "not yet"
    );
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert!(
        agent.shell.take().contains(&ShellCall::EndWindow),
        "ended 30 s after it was readied"
    );
    drop(window);
    the_window_process_exits(&agent);
    let status = wait_until(&agent.inputs, |s| s["window_open"] == false).await;
    assert_eq!(
        status["session"]["state"], "running",
        "its leaving paused nothing"
    );
    assert!(!agent
        .shell
        .take()
        .iter()
        .any(|c| matches!(c, ShellCall::SpawnWindow(_))));
}

#[tokio::test(start_paused = true)]
async fn an_open_while_a_readied_window_is_being_ended_starts_a_new_one_after_it_exits() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    sleep_until_the_break_window_is_readied(&agent).await;
    // Paused: the break does not come, and the readied window is ended.
    ok(ask(
        &agent.inputs,
        PauseArgs {
            length: "1h".parse().unwrap(),
        }
        .into(),
    )
    .await);
    tokio::time::sleep(Duration::from_secs(31)).await;
    assert!(agent.shell.take().contains(&ShellCall::EndWindow));
    // The user opens Limber before that process has gone: nothing is shown by a dying
    // window, and a new one starts once it has exited.
    ok(ask(
        &agent.inputs,
        OpenArgs {
            view: Some(View::History),
        }
        .into(),
    )
    .await);
    assert!(!agent
        .shell
        .take()
        .iter()
        .any(|c| matches!(c, ShellCall::SpawnWindow(_))));
    the_window_process_exits(&agent);
    ok(ask(&agent.inputs, get_status()).await);
    assert!(agent
        .shell
        .take()
        .contains(&ShellCall::SpawnWindow(Some(View::History))));
    let (_window, subscribed) = subscribe_window(&agent.socket).await;
    assert_eq!(subscribed["view"], "history");
}
