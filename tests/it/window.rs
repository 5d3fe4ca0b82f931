//! The window's Tauri commands, through `tauri::test::mock_builder`, against a real agent
//! running in its own thread and runtime.

use crate::support::start_agent;
use limber_agent::clock::SystemClock;
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;

fn invoke(
    webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    get_ipc_response(
        webview,
        InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        },
    )
    .map(|body| body.deserialize::<Value>().unwrap())
}

/// The window's one proxy command: `{cmd, args}` as the protocol has them.
fn call(
    webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    args: Value,
) -> Result<Value, Value> {
    invoke(webview, "agent", json!({"cmd": cmd, "args": args}))
}

#[test]
fn window_commands_are_thin_proxies_to_the_agent() {
    let dir = tempfile::tempdir().unwrap();
    let socket = crate::support::paths(dir.path()).socket();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let agent_dir = dir.path().to_owned();
    let agent_thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let _agent = start_agent(SystemClock::new(), &agent_dir);
            ready_tx.send(()).unwrap();
            let _ = stop_rx.await;
        });
    });
    ready_rx.recv().unwrap();

    let app = limber_window::build_app(
        mock_builder(),
        limber_window::link::Link::new(socket, None),
        false,
    )
    .build(mock_context(noop_assets()))
    .expect("app builds");
    let webview = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    // The setup hook runs only once an event loop runs, which a mock app never does:
    // start the link as setup would.
    limber_window::link::start(app.handle().clone());

    // The link connects in the background; agent_state reports when it has.
    let start = Instant::now();
    let state = loop {
        let state = invoke(&webview, "agent_state", json!({})).unwrap();
        if state["connected"] == true
            && state["status"].is_object()
            && state["settings"].is_object()
        {
            break state;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "never connected: {state}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(state["status"]["state"], "active");

    let snoozed = call(&webview, "snooze", json!({"minutes": 7})).unwrap();
    assert_eq!(snoozed["state"], "snoozed");
    // Pushed back by 7 minutes from where it was (about an hour away).
    let in_s = snoozed["next_break_in_s"].as_u64().unwrap();
    assert!(
        (3600 + 7 * 60 - 30..=3600 + 7 * 60).contains(&in_s),
        "{in_s}"
    );
    assert_eq!(
        call(&webview, "skip", json!({})).unwrap()["state"],
        "active"
    );
    assert_eq!(
        call(&webview, "pause", json!({"length": "1h"})).unwrap()["state"],
        "paused"
    );
    assert_eq!(
        call(&webview, "resume", json!({})).unwrap()["state"],
        "active"
    );

    // Errors come back as {code, message}, exactly as the agent sent them.
    let error = call(
        &webview,
        "set_settings",
        json!({"values": {"snooze_min": 500}}),
    )
    .unwrap_err();
    assert_eq!(error["code"], "invalid_value");
    assert!(
        error["message"].as_str().unwrap().contains("snooze_min"),
        "{error}"
    );
    let error = call(&webview, "pause", json!({"length": "someday"})).unwrap_err();
    assert_eq!(error["code"], "bad_args");

    let saved = call(
        &webview,
        "set_settings",
        json!({"values": {"snooze_min": 15}}),
    )
    .unwrap();
    assert_eq!(saved["values"]["snooze_min"], 15);

    // Any protocol command passes through; unknown ones and `subscribe` do not.
    let started = call(
        &webview,
        "start",
        json!({"routine": "desk-reset", "open": false}),
    )
    .unwrap();
    assert_eq!(started["session"]["routine"], "desk-reset");
    assert_eq!(started["state"], "in_session");
    let stopped = call(&webview, "session", json!({"action": "stop"})).unwrap();
    assert_eq!(stopped["last_session"]["outcome"], "stopped");
    assert_eq!(
        call(&webview, "dance", json!({})).unwrap_err()["code"],
        "unknown_command"
    );
    let error = call(&webview, "session", json!({"action": "dance"})).unwrap_err();
    assert_eq!(
        (error["code"].as_str(), error["field"].as_str()),
        (Some("bad_args"), Some("action"))
    );
    assert_eq!(
        call(&webview, "subscribe", json!({})).unwrap_err()["code"],
        "bad_args"
    );
    let error = call(&webview, "start", json!({"routine": "nope"})).unwrap_err();
    assert_eq!(error["code"], "not_found");

    let _ = stop_tx.send(());
    agent_thread.join().unwrap();
    // With the agent gone, commands fail with `unavailable` instead of hanging.
    let start = Instant::now();
    loop {
        match call(&webview, "skip", json!({})) {
            Err(error) if error["code"] == "unavailable" => break,
            _ => {}
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "commands still succeed without an agent"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The window's permissions as built from `src-tauri/capabilities`: only the main window may
/// call our commands, and nothing else is reachable.
#[test]
fn tauri_refuses_unknown_commands_and_other_windows() {
    let dir = tempfile::tempdir().unwrap();
    let socket = crate::support::paths(dir.path()).socket();
    let app = limber_window::build_app(
        mock_builder(),
        limber_window::link::Link::new(socket, None),
        false,
    )
    .build(tauri::generate_context!("tauri.conf.json"))
    .expect("app builds");
    let main = tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    let other = tauri::WebviewWindowBuilder::new(&app, "other", Default::default())
        .build()
        .unwrap();
    // The main window may ask for the link's state.
    assert!(invoke(&main, "agent_state", json!({})).is_ok());
    // No such command.
    let error = invoke(&main, "definitely_not_a_command", json!({})).unwrap_err();
    assert!(
        error.to_string().contains("not found") || error.to_string().contains("not allowed"),
        "{error}"
    );
    // A core command the capability does not grant.
    let error = invoke(&main, "plugin:window|close", json!({})).unwrap_err();
    assert!(error.to_string().contains("not allowed"), "{error}");
    // A sound cue: only the ones the window knows, by name.
    assert!(invoke(&main, "cue", json!({"cue": "switch_sides"})).is_ok());
    let error = invoke(&main, "cue", json!({"cue": "siren"})).unwrap_err();
    assert!(error.to_string().contains("siren"), "{error}");
    assert!(invoke(&main, "cue", json!({})).is_err());
    // Our own commands, from a window the capability does not name.
    for command in ["agent_state", "agent", "restart_agent", "cue"] {
        let error = invoke(&other, command, json!({"cmd": "status"})).unwrap_err();
        assert!(
            error.to_string().contains("not allowed"),
            "{command}: {error}"
        );
    }
}

/// The page's content security policy: scripts only from the app itself, no inline script,
/// no remote origin anywhere; and the page has no inline script or handler to need one.
#[test]
fn the_csp_allows_no_inline_script_and_no_remote_origin() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let config: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("tauri.conf.json")).unwrap())
            .unwrap();
    let csp = config["app"]["security"]["csp"].as_object().expect("a CSP");
    assert_eq!(csp["default-src"], "'self'");
    assert_eq!(csp["script-src"], "'self'");
    assert_eq!(csp["object-src"], "'none'");
    for (directive, value) in csp {
        let value = value.as_str().unwrap();
        assert!(
            !value.contains("unsafe-inline") && !value.contains("unsafe-eval"),
            "{directive}: {value}"
        );
        for source in value.split_whitespace() {
            let remote = source.contains("://") && source != "http://ipc.localhost";
            assert!(
                !remote && source != "*" && source != "https:" && source != "http:",
                "{directive} allows {source}"
            );
        }
    }
    assert_eq!(config["app"]["security"]["freezePrototype"], true);
    let html = std::fs::read_to_string(root.join("ui/index.html")).unwrap();
    for script in html.split("<script").skip(1) {
        let tag = &script[..script.find('>').unwrap()];
        assert!(tag.contains("src="), "an inline script: <script{tag}>");
    }
    let lower = html.to_lowercase();
    let handler = lower.match_indices(" on").any(|(i, _)| {
        let name: String = lower[i + 3..]
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect();
        !name.is_empty() && lower[i + 3 + name.len()..].starts_with('=')
    });
    assert!(!handler, "an inline event handler in index.html");
}
