//! End-to-end tests: the real `limber` and `limber-window`, the way a user meets them.
//! Run through `tests/e2e/run.sh`, which provides Xvfb, a private D-Bus session, dunst and
//! tauri-driver; each test has its own XDG directories and ends every process it started.

mod faults;
mod guide;
mod harness;
mod login;
mod meetings;
mod presence;
mod sessions;

use harness::{
    alive, close_windows_of, descendants, wait_for, wait_for_async, Sandbox, TrayClient, Ui,
    TIMEOUT,
};
use serde_json::Value;

const MENU: [&str; 21] = [
    "Start stretch now",
    "Start a routine",
    "Heat or ice timer",
    "Ice, 15 min",
    "Heat, 15 min",
    "Snooze 10 min",
    "Snooze for",
    "5 min",
    "15 min",
    "Skip next break",
    "Pause",
    "30 min",
    "1 hour",
    "2 hours",
    "Until tomorrow",
    "Until I resume",
    "Open Limber",
    "Settings…",
    "Quit",
    "",
    "",
];

#[test]
fn status_without_an_agent_exits_1_and_says_so() {
    let sandbox = Sandbox::new("no-agent");
    for verb in [&["status"][..], &["status", "--json"], &["open"], &["quit"]] {
        let out = sandbox.limber(verb);
        assert_eq!(out.status.code(), Some(1), "{verb:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("Limber is not running"),
            "{verb:?}: {stderr}"
        );
    }
    let out = sandbox.limber(&["--version"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
    let out = sandbox.limber(&["pause", "soon"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn agent_starts_and_status_json_answers() {
    let mut sandbox = Sandbox::new("status");
    sandbox.start_watcher();
    sandbox.start_agent();
    let status = sandbox.status();
    assert_eq!(status["state"], "active");
    assert_eq!(status["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(status["paused_until"], Value::Null);
    let next = status["next_break_at"].as_str().expect("next_break_at");
    assert!(chrono_like_rfc3339(next), "{next}");
    let in_s = status["next_break_in_s"].as_i64().expect("next_break_in_s");
    assert!((3500..=3600).contains(&in_s), "{in_s}");
    assert_eq!(status["tray"], true);
    assert_eq!(status["window_open"], false);

    // The socket is private to the user.
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&sandbox.socket()), 0o600);
    assert_eq!(mode(sandbox.socket().parent().unwrap()), 0o700);

    let out = sandbox.limber(&["snooze", "5"]);
    assert!(out.status.success());
    assert_eq!(sandbox.status()["state"], "snoozed");
    let out = sandbox.limber(&["pause", "30m"]);
    assert!(out.status.success());
    let status = sandbox.status();
    assert_eq!(status["state"], "paused");
    assert!(status["paused_until"].is_string());
    assert!(sandbox.limber(&["resume"]).status.success());
    assert_eq!(sandbox.status()["state"], "active");
    let bad = sandbox.limber(&["snooze", "500"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("1 to 120"));
}

fn chrono_like_rfc3339(text: &str) -> bool {
    // 2026-11-22T15:54:46+00:00 or ...Z
    text.len() >= 20 && text.as_bytes()[4] == b'-' && text.as_bytes()[10] == b'T'
}

#[test]
fn a_second_limber_asks_the_first_and_exits() {
    let mut sandbox = Sandbox::new("single");
    sandbox.start_watcher();
    sandbox.start_agent();
    let out = sandbox.limber(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("already running"));
    assert_eq!(
        sandbox.agents(),
        vec![sandbox.agent_pid()],
        "exactly one agent"
    );
    // It asked the first agent to open its window.
    sandbox.wait_for_window_process();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tray_menu_has_every_item_and_open_limber_opens_the_window() {
    let mut sandbox = Sandbox::new("tray");
    let record = sandbox.start_watcher();
    let agent = sandbox.start_agent();
    let tray = TrayClient::from_record(&record).await;
    assert!(
        tray.service.contains("StatusNotifierItem"),
        "{}",
        tray.service
    );

    let layout = tray.layout().await;
    let labels: Vec<String> = layout.flatten().into_iter().map(|n| n.label).collect();
    for expected in MENU.iter().filter(|l| !l.is_empty()) {
        assert!(
            labels.iter().any(|l| l == expected),
            "menu lacks {expected:?}: {labels:?}"
        );
    }
    let headline = &layout.children[0];
    assert!(
        headline.label.starts_with("Next break in "),
        "{}",
        headline.label
    );
    assert!(
        !headline.enabled,
        "the first line is information, not an action"
    );

    // Pausing from the tray swaps Pause for Resume and changes the state.
    tray.click("1 hour").await;
    let paused = wait_for_async("the pause to apply", TIMEOUT, || async {
        let layout = tray.layout().await;
        layout.find("Resume").map(|_| layout)
    })
    .await;
    assert!(
        paused.children[0].label.starts_with("Paused until "),
        "{}",
        paused.children[0].label
    );
    assert_eq!(sandbox.status()["state"], "paused");
    tray.click("Resume").await;
    wait_for("resume", TIMEOUT, || {
        (sandbox.status()["state"] == "active").then_some(())
    });

    // Open Limber spawns the window process.
    tray.click("Open Limber").await;
    let window = sandbox.wait_for_window_process();
    wait_for("the window to connect", TIMEOUT, || {
        (sandbox.status()["window_open"] == true).then_some(())
    });
    // Give WebKit a moment to paint before the screenshot.
    wait_for("WebKit helpers to start", TIMEOUT, || {
        let helpers = descendants(window);
        helpers
            .iter()
            .any(|(_, comm)| comm.starts_with("WebKitWebProces"))
            .then_some(helpers)
    });
    std::thread::sleep(std::time::Duration::from_millis(1500));
    sandbox.screenshot_root("window-from-tray");

    // The window never draws on the GPU, so its process loads no GL driver (with Mesa, the
    // driver brings LLVM's 8 MB of relocated tables): src-tauri/window/webview.rs.
    let maps = std::fs::read_to_string(format!("/proc/{window}/maps")).expect("window maps");
    assert!(maps.contains("libwebkit2gtk"), "read the window's own maps");
    let drivers: std::collections::BTreeSet<&str> = maps
        .lines()
        .filter_map(|line| line.split_whitespace().nth(5))
        .filter(|path| {
            path.ends_with("_dri.so") || path.contains("libEGL_mesa") || path.contains("libLLVM")
        })
        .collect();
    assert!(drivers.is_empty(), "GL driver in the window: {drivers:?}");

    // The window and its WebKit processes allocate with the system's allocator (1.5 MiB
    // less: bench/README.md): the agent sets `Malloc` for the window, the window for
    // WebKit's. bmalloc switches on the variable's presence, whatever its value, and
    // `WebKitMallocForceEnabled` would switch it back.
    let processes =
        std::iter::once((window, "limber-window".to_string())).chain(descendants(window));
    let mut checked = 0;
    for (pid, comm) in processes {
        // A process that has just exited has nothing to check.
        let environ = harness::environ(pid);
        if environ.is_empty() {
            continue;
        }
        let names: Vec<&str> = environ
            .split('\0')
            .filter_map(|entry| entry.split('=').next())
            .collect();
        assert!(
            names.contains(&"Malloc") && !names.contains(&"WebKitMallocForceEnabled"),
            "{comm} ({pid}) runs with WebKit's own allocator"
        );
        checked += 1;
    }
    assert!(checked >= 2, "checked the window and its web process");

    // A second "Open Limber" does not start a second window.
    tray.click("Open Limber").await;
    std::thread::sleep(std::time::Duration::from_millis(500));
    let windows = sandbox.window_processes();
    assert_eq!(windows.len(), 1, "{windows:?}");

    // Closing the window ends its process and its WebKit helpers.
    let helpers = descendants(window);
    assert!(
        close_windows_of(window) > 0,
        "found the window on the display"
    );
    wait_for("limber-window to exit", TIMEOUT, || {
        (!alive(window)).then_some(())
    });
    wait_for("WebKit helpers to exit", TIMEOUT, || {
        helpers.iter().all(|(p, _)| !alive(*p)).then_some(())
    });
    wait_for("the agent to see the window go", TIMEOUT, || {
        (sandbox.status()["window_open"] == false).then_some(())
    });
    assert!(alive(agent), "the agent stays in the tray");

    // A session from the tray runs the default routine (the back stretches
    // unless changed); while it runs the menu offers to pause or end it.
    tray.click("Start stretch now").await;
    wait_for("the session to start", TIMEOUT, || {
        (sandbox.status()["session"]["routine"] == "back-stretches").then_some(())
    });
    let during = wait_for_async("the session items", TIMEOUT, || async {
        let layout = tray.layout().await;
        layout.find("End session").map(|_| layout)
    })
    .await;
    assert!(during.find("Pause session").is_some());
    assert!(during.find("Start stretch now").is_none());
    tray.click("End session").await;
    wait_for("the session to end", TIMEOUT, || {
        (sandbox.status()["last_session"]["outcome"] == "stopped").then_some(())
    });

    // Quit from the tray ends the agent.
    tray.click("Quit").await;
    wait_for("the agent to quit", TIMEOUT, || {
        (!alive(agent)).then_some(())
    });
    assert!(!sandbox.socket().exists(), "the socket is removed on quit");
}

#[test]
fn without_a_tray_host_the_agent_opens_the_window() {
    let mut sandbox = Sandbox::new("no-tray");
    sandbox.start_agent();
    sandbox.wait_for_window_process();
    assert_eq!(sandbox.status()["tray"], false);
    assert!(sandbox.log("agent.log").contains("no tray host"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tray_registers_when_a_host_appears_later_and_quit_closes_the_window() {
    let mut sandbox = Sandbox::new("late-tray");
    let agent = sandbox.start_agent();
    let window = sandbox.wait_for_window_process();
    assert_eq!(sandbox.status()["tray"], false);
    let record = sandbox.start_watcher();
    let tray = TrayClient::from_record(&record).await;
    assert!(tray.layout().await.find("Open Limber").is_some());
    wait_for("the agent to see the tray host", TIMEOUT, || {
        (sandbox.status()["tray"] == true).then_some(())
    });
    // Quitting the agent closes the window it opened, WebKit helpers and all.
    let helpers = descendants(window);
    assert!(sandbox.limber(&["quit"]).status.success());
    wait_for("the agent to quit", TIMEOUT, || {
        (!alive(agent)).then_some(())
    });
    wait_for("the window to close with it", TIMEOUT, || {
        (!alive(window)).then_some(())
    });
    wait_for("WebKit helpers to exit", TIMEOUT, || {
        helpers.iter().all(|(p, _)| !alive(*p)).then_some(())
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_renders_and_its_actions_round_trip_through_the_agent() {
    let mut sandbox = Sandbox::new("window");
    sandbox.start_watcher();
    sandbox.start_agent();
    let ui = Ui::open(&sandbox).await;
    assert_eq!(ui.text("h1").await.trim(), "Limber");
    ui.wait_js(
        "the schedule to render",
        "return document.querySelector('[data-countdown]')?.textContent.includes(':')",
    )
    .await;
    for view in ["routines", "history", "guide", "settings", "session"] {
        ui.click(&format!("[data-view=\"{view}\"]")).await;
        let shown = ui.wait_js(&format!("the {view} screen"), &format!(
            "const p = document.querySelector('[data-panel=\"{view}\"]'); return !p.hidden && p.querySelector('h2')?.textContent"
        )).await;
        assert!(!shown.as_str().unwrap_or_default().is_empty());
    }
    ui.screenshot("session").await;

    // Snooze in the window: the agent's state changes and the window follows its snapshot.
    ui.click("[data-action=\"snooze\"]").await;
    wait_for("the snooze to reach the agent", TIMEOUT, || {
        (sandbox.status()["state"] == "snoozed").then_some(())
    });
    ui.wait_js(
        "the window to show snoozed",
        "return document.querySelector('[data-state-label]').textContent.startsWith('Snoozed')",
    )
    .await;
    ui.click("[data-action=\"skip\"]").await;
    wait_for("the skip to reach the agent", TIMEOUT, || {
        (sandbox.status()["state"] == "active").then_some(())
    });

    // Settings: a valid interval is saved and moves the next break at once.
    ui.click("[data-view=\"settings\"]").await;
    ui.wait_js(
        "the settings form",
        "return document.querySelector('[data-setting=\"break_interval_min\"]')",
    )
    .await;
    ui.type_into("[data-setting=\"break_interval_min\"]", "45")
        .await;
    wait_for("the new interval to apply", TIMEOUT, || {
        let s = sandbox.status();
        (s["break_interval_min"] == 45 && s["next_break_in_s"].as_i64().unwrap_or(0) <= 45 * 60)
            .then_some(())
    });
    let saved = std::fs::read_to_string(sandbox.settings_file()).expect("settings saved");
    assert_eq!(
        serde_json::from_str::<Value>(&saved).unwrap(),
        serde_json::json!({"break_interval_min": 45, "welcomed": true})
    );

    // An invalid value is refused with its message and nothing is saved.
    ui.type_into("[data-setting=\"break_interval_min\"]", "2")
        .await;
    let message = ui.wait_js("the inline error", "const e = document.querySelector('[data-field=\"break_interval_min\"] .error'); return !e.hidden && e.textContent").await;
    assert!(
        message.as_str().unwrap_or_default().contains("5 to 240"),
        "{message}"
    );
    ui.screenshot("settings-invalid").await;
    assert_eq!(
        std::fs::read_to_string(sandbox.settings_file()).unwrap(),
        saved
    );
    assert_eq!(sandbox.status()["break_interval_min"], 45);

    // The routine a break starts is chosen among the catalog's routines, with their place
    // and length.
    let options = ui
        .wait_js(
            "the routine choices",
            "const s = document.querySelector('[data-setting=\"default_routine\"]'); return s && s.options.length > 3 && [...s.options].map((o) => o.textContent).join('|')",
        )
        .await;
    let options = options.as_str().unwrap_or_default().to_owned();
    assert!(
        options.contains("Back stretches · on the floor · ") && options.contains("Hourly break · "),
        "{options}"
    );
    ui.js("const s = document.querySelector('[data-setting=\"default_routine\"]'); s.value = 'core'; s.dispatchEvent(new Event('change')); return true").await;
    wait_for("the routine to be saved", TIMEOUT, || {
        let saved: Value =
            serde_json::from_str(&std::fs::read_to_string(sandbox.settings_file()).ok()?).ok()?;
        (saved["default_routine"] == "core").then_some(())
    });
    ui.js("document.querySelector('[data-field=\"default_routine\"]').scrollIntoView({block: 'center'}); return true").await;
    ui.screenshot("settings-routine-light").await;
    ui.theme("dark").await;
    ui.screenshot("settings-routine-dark").await;
    ui.theme("light").await;

    // About: the version and where everything is, from the agent.
    ui.click("[data-view=\"about\"]").await;
    let settings_path = ui
        .wait_js(
            "the About screen",
            "const d = document.querySelector('[data-about=\"settings\"]'); return d && d.textContent",
        )
        .await;
    assert_eq!(
        settings_path.as_str().unwrap_or_default(),
        sandbox.settings_file().display().to_string()
    );
    let idle = ui.text("[data-about=\"idle\"]").await;
    assert_eq!(idle, "X11 screen saver extension");
    ui.screenshot("about-light").await;
    ui.theme("dark").await;
    ui.screenshot("about-dark").await;
    ui.theme("light").await;
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_settings_file_is_moved_aside_and_the_window_says_so() {
    let mut sandbox = Sandbox::new("corrupt");
    std::fs::create_dir_all(sandbox.config_dir()).unwrap();
    std::fs::write(
        sandbox.settings_file(),
        "{\"break_interval_min\": \"often\"",
    )
    .unwrap();
    sandbox.start_watcher();
    sandbox.start_agent();
    let moved: Vec<_> = std::fs::read_dir(sandbox.config_dir())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("settings.json.corrupt-"))
        .collect();
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert_eq!(
        std::fs::read_to_string(sandbox.config_dir().join(&moved[0])).unwrap(),
        "{\"break_interval_min\": \"often\"",
        "the user's bytes are kept"
    );
    let status = sandbox.status();
    let notice = status["settings_notice"]
        .as_str()
        .expect("a notice in status");
    assert!(notice.contains(&moved[0]), "{notice}");
    assert_eq!(status["break_interval_min"], 60, "defaults are used");
    assert!(sandbox.log("agent.log").contains("could not be used"));

    let ui = Ui::open(&sandbox).await;
    let banner = ui
        .wait_js("the notice banner", "const b = document.querySelector('[data-notice-banner]'); return !b.hidden && b.textContent")
        .await;
    assert!(
        banner
            .as_str()
            .unwrap_or_default()
            .contains("could not be used"),
        "{banner}"
    );
    ui.screenshot("corrupt-settings-notice").await;
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_says_when_the_agent_is_not_running() {
    let sandbox = Sandbox::new("window-alone");
    let ui = Ui::open(&sandbox).await;
    let banner = ui
        .wait_js("the not-running banner", "const b = document.querySelector('[data-link-banner]'); return !b.hidden && b.textContent")
        .await;
    assert!(
        banner.as_str().unwrap_or_default().contains("not running"),
        "{banner}"
    );
    ui.screenshot("agent-not-running").await;
    ui.close().await;
}

#[test]
fn limber_break_reaches_dunst_with_three_actions_and_its_snooze_action_snoozes() {
    let mut sandbox = Sandbox::new("break-notification");
    harness::dunstctl(&["close-all"]);
    sandbox.start_watcher();
    sandbox.start_agent();
    let out = sandbox.limber(&["break"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(sandbox.status()["state"], "due");
    harness::wait_for_notification("dunst to show the notification");
    // break_style "both": the break window opens too.
    sandbox.wait_for_window_process();
    sandbox.screenshot_root("break-due");

    // Choose "Snooze" in dunst's menu of the notification's actions, as a user would.
    harness::dmenu_pick("Snooze 10 min");
    harness::dunstctl(&["context"]);
    wait_for("the snooze action to reach the agent", TIMEOUT, || {
        (sandbox.status()["state"] == "snoozed").then_some(())
    });
    let offered = harness::dmenu_log();
    for action in ["Start stretch", "Snooze 10 min", "Skip"] {
        assert!(offered.contains(action), "dunst offered {offered:?}");
    }
    harness::dunstctl(&["close-all"]);
}

#[test]
fn without_a_notification_daemon_a_due_break_opens_the_window_instead() {
    let mut sandbox = Sandbox::new("no-daemon");
    sandbox.use_bare_bus();
    sandbox.start_agent();
    // No tray host on that bus either: the window opens at start; close it first.
    let first = sandbox.wait_for_window_process();
    // A window asked to close before GTK has finished setting it up may not hear it:
    // ask again until it is gone.
    wait_for("the first window to close", TIMEOUT, || {
        close_windows_of(first);
        std::thread::sleep(std::time::Duration::from_millis(400));
        (!alive(first)).then_some(())
    });
    assert!(sandbox
        .limber(&["config", "set", "break_style", "notification"])
        .status
        .success());
    assert!(sandbox.limber(&["break"]).status.success());
    sandbox.wait_for_window_process();
    wait_for("the log to say why", TIMEOUT, || {
        sandbox
            .log("agent.log")
            .contains("notification not shown")
            .then_some(())
    });
}
