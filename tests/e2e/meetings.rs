//! Breaks that respect meetings, with real parts: the warning before a break and the snooze
//! cap through the CLI and dunst; a break held while a real window (xterm, made fullscreen
//! by wmctrl under openbox) fills the screen; do-not-disturb from dunst itself and from a
//! Plasma-style notification server; an idle inhibitor from a GNOME-style session manager.
//! The D-Bus services are served by the test itself, speaking the real interfaces.

use crate::harness::{self, alive, wait_for, wait_for_async, Sandbox, TrayClient, TIMEOUT};
use serde_json::Value;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn settings(sandbox: &Sandbox, json: &str) {
    std::fs::write(sandbox.settings_file(), json).expect("settings");
}

fn dunst_history() -> String {
    harness::dunstctl(&["history"])
}

/// The summaries of dunst's notifications, shown and past (shown ones are closed first:
/// dunst's history holds only closed ones).
fn dunst_summaries() -> Vec<String> {
    harness::dunstctl(&["close-all"]);
    let history: Value = serde_json::from_str(&dunst_history()).unwrap_or(Value::Null);
    history["data"][0]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["summary"]["data"].as_str().map(str::to_owned))
        .collect()
}

fn clear_dunst() {
    harness::dunstctl(&["close-all"]);
    harness::dunstctl(&["history-clear"]);
}

#[test]
fn a_warning_comes_before_the_break_and_snoozes_stop_at_the_cap() {
    let mut sandbox = Sandbox::new("warning");
    // The shortest interval with the longest warning: the warning is due at once.
    settings(
        &sandbox,
        r#"{"welcomed": true, "break_interval_min": 5, "break_warning_s": 300, "break_style": "notification"}"#,
    );
    clear_dunst();
    sandbox.start_watcher();
    sandbox.start_agent();
    wait_for("the warning in dunst", TIMEOUT, || {
        dunst_summaries()
            .iter()
            .any(|s| s.starts_with("A stretch break in 5 minutes"))
            .then_some(())
    });
    let status = sandbox.status();
    assert_eq!(status["snoozes_left"], 3);

    // Three snoozes from the CLI, then it says no and names the setting.
    assert!(sandbox.limber(&["break"]).status.success());
    for left in [2, 1, 0] {
        let out = sandbox.limber(&["snooze", "5"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(sandbox.status()["snoozes_left"], left);
    }
    let out = sandbox.limber(&["snooze"]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("max_snoozes") && said.contains("skip"),
        "{said}"
    );
    // The break itself no longer offers Snooze: dunst's menu shows Start and Skip only.
    clear_dunst();
    let _ = std::fs::write(std::env::var("LIMBER_E2E_DMENU_LOG").unwrap(), "");
    assert!(sandbox.limber(&["break"]).status.success());
    harness::wait_for_notification("the break in dunst");
    harness::dmenu_pick("Skip");
    harness::dunstctl(&["context"]);
    wait_for("Skip to reach the agent", TIMEOUT, || {
        (sandbox.status()["snoozes_left"] == 3).then_some(())
    });
    let offered = harness::dmenu_log();
    assert!(
        offered.contains("Start stretch") && offered.contains("Skip"),
        "{offered}"
    );
    assert!(!offered.contains("Snooze"), "dunst offered {offered:?}");
    assert!(sandbox
        .history()
        .iter()
        .any(|e| e["type"] == "break_skipped"));
    clear_dunst();
}

/// A window manager and a terminal on the test display, ended with the test.
struct Desk {
    openbox: Child,
    xterm: Child,
}

impl Drop for Desk {
    fn drop(&mut self) {
        for child in [&mut self.xterm, &mut self.openbox] {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn wmctrl(args: &[&str]) -> bool {
    Command::new("wmctrl")
        .args(args)
        .status()
        .is_ok_and(|s| s.success())
}

fn desk() -> Desk {
    let openbox = Command::new("openbox")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("openbox (apt install openbox)");
    wait_for("openbox to manage the display", TIMEOUT, || {
        wmctrl(&["-m"]).then_some(())
    });
    let xterm = Command::new("xterm")
        .args(["-title", "limber-meeting", "-e", "sleep", "600"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("xterm (apt install xterm)");
    wait_for("the terminal's window", TIMEOUT, || {
        wmctrl(&["-a", "limber-meeting"]).then_some(())
    });
    Desk { openbox, xterm }
}

fn fullscreen(on: bool) {
    let change = if on {
        "add,fullscreen"
    } else {
        "remove,fullscreen"
    };
    assert!(wmctrl(&["-r", "limber-meeting", "-b", change]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_break_waits_while_a_window_is_fullscreen_and_shows_when_it_is_not() {
    let mut sandbox = Sandbox::new("fullscreen");
    settings(&sandbox, r#"{"welcomed": true, "break_warning_s": 0}"#);
    clear_dunst();
    let record = sandbox.start_watcher();
    sandbox.start_agent();
    let desk = desk();
    // A break due in a minute: asked for (never held), then snoozed for a minute.
    assert!(sandbox.limber(&["break"]).status.success());
    let window = sandbox.wait_for_window_process();
    // A window asked to close before GTK has set it up may not hear it: ask until it goes.
    wait_for("the break window to close", TIMEOUT, || {
        harness::close_windows_of(window);
        std::thread::sleep(Duration::from_millis(400));
        (!alive(window)).then_some(())
    });
    assert!(sandbox.limber(&["snooze", "1"]).status.success());
    clear_dunst();

    fullscreen(true);
    wait_for("the hold to begin", TIMEOUT, || {
        (sandbox.status()["hold"]["reason"] == "fullscreen").then_some(())
    });
    sandbox.screenshot_root("fullscreen-held");
    // The break comes due behind the fullscreen window: nothing pops up.
    wait_for("the break to come due", Duration::from_secs(90), || {
        (sandbox.status()["state"] == "due").then_some(())
    });
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(
        harness::dunstctl(&["count", "displayed"]),
        "0",
        "{}",
        dunst_history()
    );
    assert!(
        sandbox.window_processes().is_empty(),
        "no break window over the meeting"
    );
    let tray = TrayClient::from_record(&record).await;
    let headline = wait_for_async("the tray to say the break waits", TIMEOUT, || async {
        let layout = tray.layout().await;
        layout
            .flatten()
            .into_iter()
            .map(|n| n.label)
            .find(|l| l.starts_with("Break waiting"))
    })
    .await;
    assert_eq!(headline, "Break waiting (full screen)");

    // Out of fullscreen: the break shows at once.
    fullscreen(false);
    wait_for("the held break in dunst", TIMEOUT, || {
        dunst_summaries()
            .iter()
            .any(|s| s.starts_with("Time to move"))
            .then_some(())
    });
    assert_eq!(sandbox.status()["hold"], Value::Null);
    sandbox.wait_for_window_process();
    drop(desk);
    clear_dunst();
}

/// A GNOME-style session manager with an `InhibitedActions` property, served by the test.
struct SessionManager {
    inhibited: u32,
}

#[zbus::interface(name = "org.gnome.SessionManager")]
impl SessionManager {
    #[zbus(property)]
    fn inhibited_actions(&self) -> u32 {
        self.inhibited
    }
}

/// A Plasma-style notification server with its `Inhibited` property.
struct PlasmaNotifications {
    inhibited: bool,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl PlasmaNotifications {
    #[zbus(property)]
    fn inhibited(&self) -> bool {
        self.inhibited
    }
}

async fn hold_reason(sandbox: &Sandbox, want: Value) {
    wait_for_async("the hold to follow the desktop", TIMEOUT, || async {
        let status = sandbox.status();
        (status["hold"]["reason"] == want || (want.is_null() && status["hold"].is_null()))
            .then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn do_not_disturb_and_inhibitors_hold_breaks() {
    let mut sandbox = Sandbox::new("busy");
    sandbox.start_watcher();
    sandbox.start_agent();
    assert_eq!(sandbox.status()["hold"], Value::Null);

    // dunst's own do-not-disturb.
    harness::dunstctl(&["set-paused", "true"]);
    hold_reason(&sandbox, Value::from("do_not_disturb")).await;
    harness::dunstctl(&["set-paused", "false"]);
    hold_reason(&sandbox, Value::Null).await;

    // A call or a video holds an idle inhibitor through the session manager.
    let path = "/org/gnome/SessionManager";
    let manager = zbus::connection::Builder::session()
        .unwrap()
        .name("org.gnome.SessionManager")
        .unwrap()
        .serve_at(path, SessionManager { inhibited: 0 })
        .unwrap()
        .build()
        .await
        .expect("a session manager on the test bus");
    let set = |bits: u32| {
        let manager = manager.clone();
        async move {
            let iface = manager
                .object_server()
                .interface::<_, SessionManager>(path)
                .await
                .unwrap();
            iface.get_mut().await.inhibited = bits;
            iface
                .get()
                .await
                .inhibited_actions_changed(iface.signal_emitter())
                .await
                .unwrap();
        }
    };
    set(8).await;
    hold_reason(&sandbox, Value::from("inhibited")).await;
    // Logout inhibition (1) is not an idle one.
    set(1).await;
    hold_reason(&sandbox, Value::Null).await;
    set(8).await;
    hold_reason(&sandbox, Value::from("inhibited")).await;
    // The session manager going away ends its inhibition.
    drop(manager);
    hold_reason(&sandbox, Value::Null).await;

    // Turning the setting off: nothing is held.
    harness::dunstctl(&["set-paused", "true"]);
    hold_reason(&sandbox, Value::from("do_not_disturb")).await;
    assert!(sandbox
        .limber(&["config", "set", "hold_when_busy", "false"])
        .status
        .success());
    assert_eq!(sandbox.status()["hold"], Value::Null);
    harness::dunstctl(&["set-paused", "false"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plasma_do_not_disturb_holds_breaks() {
    let mut sandbox = Sandbox::new("plasma-dnd");
    sandbox.use_bare_bus();
    sandbox.set_env("LIMBER_WINDOW_BIN", "/bin/true");
    sandbox.start_agent();
    let bus = sandbox.bus_address().expect("the sandbox's bus");
    let path = "/org/freedesktop/Notifications";
    // The server appears after the agent: it is read when its name gets an owner.
    let server = zbus::connection::Builder::address(bus.as_str())
        .unwrap()
        .name("org.freedesktop.Notifications")
        .unwrap()
        .serve_at(path, PlasmaNotifications { inhibited: true })
        .unwrap()
        .build()
        .await
        .expect("a notification server on the sandbox's bus");
    hold_reason(&sandbox, Value::from("do_not_disturb")).await;
    let iface = server
        .object_server()
        .interface::<_, PlasmaNotifications>(path)
        .await
        .unwrap();
    iface.get_mut().await.inhibited = false;
    iface
        .get()
        .await
        .inhibited_changed(iface.signal_emitter())
        .await
        .unwrap();
    hold_reason(&sandbox, Value::Null).await;
}
