//! The agent's driver under tokio's paused clock, and its control socket under hostile
//! input. Both use the real `Agent`, `control::serve` and protocol types; only the shell
//! (D-Bus, processes) is replaced by a recorder.

use crate::support::{ask, nine_am, ok, start_agent, Call, Raw};
use chrono::Local;
use limber_agent::clock::{SystemClock, TokioClock};
use limber_agent::driver::{Input, Notice, TrayAction};
use limber_core::protocol::{
    Area, Command, ErrorCode, Event, NoArgs, Outcome, PauseArgs, Reply, Role, ServerMessage,
    SetSettingsArgs, SnoozeArgs, SubscribeArgs, View, MAX_LINE_BYTES,
};
use serde_json::{json, Value};
use std::time::Duration;

#[tokio::test(start_paused = true)]
async fn a_break_becomes_due_after_the_interval_and_the_shell_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    tokio::time::sleep(Duration::from_secs(59 * 60)).await;
    let is_break = |c: &Call| matches!(c, Call::Notify(Notice::BreakDue { .. }));
    assert!(!agent.shell.take().iter().any(is_break), "nothing due yet");
    tokio::time::sleep(Duration::from_secs(61)).await;
    let calls = agent.shell.take();
    assert!(
        calls.contains(&Call::Notify(Notice::BreakDue {
            sitting_min: 60,
            snooze_min: 10
        })),
        "{calls:?}"
    );
    assert!(
        calls.contains(&Call::SpawnWindow(Some(View::Session))),
        "break_style both opens the window"
    );
    let tray = calls.iter().rev().find_map(|c| match c {
        Call::Tray(m) => Some(m.headline.clone()),
        _ => None,
    });
    assert_eq!(tray.as_deref(), Some("Break due"));

    // Ignored: it reminds once per snooze length, not every minute.
    tokio::time::sleep(Duration::from_secs(9 * 60)).await;
    assert!(!agent.shell.take().iter().any(is_break));
    tokio::time::sleep(Duration::from_secs(61)).await;
    assert!(agent.shell.take().iter().any(|c| matches!(
        c,
        Call::Notify(Notice::BreakDue {
            sitting_min: 70,
            ..
        })
    )));

    // A snooze from the notification's action pushes it back.
    agent
        .inputs
        .send(Input::NotificationAction("snooze".into()))
        .unwrap();
    let status = ok(ask(&agent.inputs, Command::Status(NoArgs {})).await);
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
            Call::Tray(m) => Some(m.headline),
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
    agent
        .inputs
        .send(Input::Tray(TrayAction::Pause(
            limber_core::schedule::PauseLength::Tomorrow,
        )))
        .unwrap();
    let status = ok(ask(&agent.inputs, Command::Status(NoArgs {})).await);
    assert_eq!(status["state"], "paused");
    let until =
        chrono::DateTime::parse_from_rfc3339(status["paused_until"].as_str().unwrap()).unwrap();
    assert_eq!(
        until.with_timezone(&Local).format("%d %H:%M").to_string(),
        "24 06:00"
    );
    agent.inputs.send(Input::Tray(TrayAction::Resume)).unwrap();
    assert_eq!(
        ok(ask(&agent.inputs, Command::Status(NoArgs {})).await)["state"],
        "active"
    );
    agent.inputs.send(Input::Tray(TrayAction::Quit)).unwrap();
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
        Command::SetSettings(values(json!({"break_interval_min": 1, "snooze_min": 5}))),
    )
    .await;
    let Outcome::Error(body) = bad else {
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

    ok(ask(
        &agent.inputs,
        Command::SetSettings(values(json!({"break_interval_min": 30}))),
    )
    .await);
    let status = ok(ask(&agent.inputs, Command::Status(NoArgs {})).await);
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

    let error_code = |message: ServerMessage| match message {
        ServerMessage::Reply(Reply {
            outcome: Outcome::Error(body),
            id,
        }) => (id, body.code),
        other => panic!("expected an error reply, got {other:?}"),
    };

    // Longer than the limit: one error, the rest of the line discarded.
    let mut huge = vec![b'x'; MAX_LINE_BYTES + 10_000];
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

    // Still serving, on the same connection.
    raw.request(6, Command::Status(NoArgs {})).await;
    match raw.next().await {
        ServerMessage::Reply(Reply {
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
        .request(1, Command::Subscribe(SubscribeArgs { role: Role::Window }))
        .await;
    assert!(matches!(
        window.next().await,
        ServerMessage::Reply(Reply {
            id: 1,
            outcome: Outcome::Ok(_)
        })
    ));
    let mut areas = Vec::new();
    for _ in 0..2 {
        match window.next().await {
            ServerMessage::Event(Event::Snapshot { area, .. }) => areas.push(area),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(areas, [Area::Status, Area::Settings]);

    // The window is counted, and a change made by another client reaches it.
    let mut cli = Raw::connect(&agent.socket).await;
    cli.request(
        7,
        Command::Pause(PauseArgs {
            length: "2h".into(),
        }),
    )
    .await;
    assert!(matches!(
        cli.next().await,
        ServerMessage::Reply(Reply {
            id: 7,
            outcome: Outcome::Ok(_)
        })
    ));
    let status = loop {
        if let ServerMessage::Event(Event::Snapshot {
            area: Area::Status,
            data,
        }) = window.next().await
        {
            if data["state"] == "paused" {
                break data;
            }
        }
    };
    assert_eq!(status["window_open"], true);

    // `open` with a window connected brings that window forward instead of spawning one.
    cli.request(
        8,
        Command::Open(limber_core::protocol::OpenArgs {
            view: Some(View::Settings),
        }),
    )
    .await;
    assert!(matches!(
        cli.next().await,
        ServerMessage::Reply(Reply { id: 8, .. })
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
        .any(|c| matches!(c, Call::SpawnWindow(_))));

    // The window leaving is noticed.
    drop(window);
    let mut closed = false;
    for _ in 0..50 {
        cli.request(9, Command::Status(NoArgs {})).await;
        if let ServerMessage::Reply(Reply {
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
    let _ = SnoozeArgs::default();
}

#[tokio::test]
async fn a_corrupt_settings_file_is_reported_in_status() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config/limber");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("settings.json"), "{\"snooze_min\": 0}").unwrap();
    let agent = start_agent(SystemClock::new(), dir.path());
    let status = ok(ask(&agent.inputs, Command::Status(NoArgs {})).await);
    let notice = status["settings_notice"].as_str().unwrap();
    assert!(notice.contains("snooze_min: must be"), "{notice}");
    let calls = agent.shell.take();
    assert!(
        calls
            .iter()
            .any(|c| matches!(c, Call::Notify(Notice::Info { .. }))),
        "the user is told by notification too"
    );
}
