//! Living with a desktop session: started by the login entry without a tray, and an
//! agent of another version (as after a package upgrade) named by the CLI and the window,
//! then replaced by `limber restart`.

use crate::harness::{alive, dunst_history_after_one, dunstctl, wait_for, Sandbox, Ui, TIMEOUT};
use std::time::Duration;

fn settings(sandbox: &Sandbox) -> serde_json::Value {
    std::fs::read_to_string(sandbox.settings_file())
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

#[test]
fn started_at_login_without_a_tray_it_opens_no_window_and_says_once_how_to_reach_it() {
    let mut sandbox = Sandbox::new("login");
    sandbox.set_env("LIMBER_TEST_LOGIN_TRAY_SECONDS", "2");
    dunstctl(&["close-all"]);
    dunstctl(&["history-clear"]);
    // No tray watcher on the bus: like GNOME without the AppIndicator extension.
    let child = sandbox
        .command("limber")
        .arg("--login")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("limber --login");
    let pid = child.id();
    sandbox.adopt(child);
    wait_for("the agent to answer", TIMEOUT, || {
        sandbox.limber(&["status"]).status.success().then_some(())
    });
    wait_for("the word on how to reach Limber", TIMEOUT, || {
        (settings(&sandbox)["tray_help_shown"] == true).then_some(())
    });
    let history = dunst_history_after_one();
    assert!(
        history.contains("Limber is running without a tray icon")
            && history.contains("limber open"),
        "{history}"
    );
    assert!(
        crate::harness::children(pid).is_empty(),
        "no window at login"
    );
    assert_eq!(sandbox.status()["window_open"], false);
    // The login entry running again while Limber runs does nothing.
    let again = sandbox.limber(&["--login"]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).is_empty());
    std::thread::sleep(Duration::from_millis(500));
    assert!(crate::harness::children(pid).is_empty());
    assert!(sandbox.limber(&["quit"]).status.success());
    wait_for("the agent to stop", TIMEOUT, || (!alive(pid)).then_some(()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_of_another_version_is_named_and_limber_restart_replaces_it() {
    let mut sandbox = Sandbox::new("upgrade");
    sandbox.start_watcher();
    // The agent that ran before the upgrade: it speaks protocol 1.
    sandbox.set_env("LIMBER_TEST_PROTOCOL", "1");
    let old = sandbox.spawn_agent();
    let out = sandbox.limber(&["status"]);
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("Limber was updated") && said.contains("limber restart"),
        "{said}"
    );

    // A new window says the same, with a button to restart.
    let ui = Ui::open(&sandbox).await;
    let banner = ui
        .wait_js(
            "the update banner",
            "const b = document.querySelector('[data-link-banner]'); const r = document.querySelector('[data-restart-agent]'); return !b.hidden && !r.hidden && b.textContent",
        )
        .await;
    assert!(
        banner
            .as_str()
            .unwrap_or_default()
            .contains("Limber was updated"),
        "{banner}"
    );
    ui.screenshot("updated-banner").await;
    ui.close().await;

    // `limber restart` stops it and starts the new one, which answers.
    sandbox.unset_env("LIMBER_TEST_PROTOCOL");
    let out = sandbox.limber(&["restart"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Limber restarted"));
    wait_for("the old agent to be gone", TIMEOUT, || {
        (!alive(old)).then_some(())
    });
    let status = sandbox.status();
    assert_eq!(status["protocol"], limber_core::protocol::PROTOCOL_VERSION);
    assert_ne!(status["pid"], old);
    assert!(sandbox.limber(&["quit"]).status.success());
}
