//! Starting at login: the `start_at_login` setting and its login entry, the entry as the
//! truth when changed outside Limber, a start at login without a tray, and `about`.

use crate::support::{ask, call, nine_am, ok, paths, start_agent, wait_until_settings, ShellCall};
use limber_agent::clock::TokioClock;
use limber_agent::driver::Agent;
use limber_agent::ports::{Input, Notice};
use limber_core::protocol::{AboutArgs, SetSettingsArgs};
use serde_json::json;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};

fn set(values: serde_json::Value) -> SetSettingsArgs {
    SetSettingsArgs {
        values: values.as_object().unwrap().clone(),
    }
}

#[tokio::test(start_paused = true)]
async fn start_at_login_writes_the_login_entry_and_off_removes_it() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    let entry = paths(dir.path()).autostart_file();
    call(&agent.inputs, set(json!({"start_at_login": true})))
        .await
        .unwrap();
    let text = std::fs::read_to_string(&entry).expect("the login entry");
    assert!(text.contains("\nExec=limber --login\n"), "{text}");
    assert!(text.contains("\nTryExec=limber\n"), "{text}");
    call(&agent.inputs, set(json!({"start_at_login": false})))
        .await
        .unwrap();
    assert!(!entry.exists());
}

#[tokio::test(start_paused = true)]
async fn a_login_entry_that_cannot_be_written_leaves_the_setting_off() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the autostart folder should be.
    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    std::fs::write(dir.path().join("config/autostart"), "not a folder").unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    let error = call(&agent.inputs, set(json!({"start_at_login": true})))
        .await
        .unwrap_err();
    assert!(
        error.message.contains("the login entry"),
        "{}",
        error.message
    );
    let values = wait_until_settings(&agent.inputs, |_| true).await;
    assert_eq!(values["start_at_login"], false);
}

#[tokio::test(start_paused = true)]
async fn the_setting_follows_a_login_entry_added_or_removed_outside_limber() {
    let dir = tempfile::tempdir().unwrap();
    let entry = paths(dir.path()).autostart_file();
    limber_core::store::autostart::set(&entry, Some("limber")).unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    let values = wait_until_settings(&agent.inputs, |v| v["start_at_login"] == true).await;
    assert_eq!(values["start_at_login"], true);
    assert!(entry.exists(), "following the file never removes it");
}

#[tokio::test(start_paused = true)]
async fn at_login_without_a_tray_it_says_once_how_to_reach_limber_and_opens_no_window() {
    let dir = tempfile::tempdir().unwrap();
    let (inputs, rx) = mpsc::unbounded_channel();
    let (events, _) = broadcast::channel(16);
    let shell = crate::support::RecordingShell::default();
    let agent = Agent::new(
        TokioClock::starting_at(nine_am()),
        shell.clone(),
        paths(dir.path()),
        events,
    )
    .with_login(true);
    tokio::spawn(agent.run(rx));
    inputs
        .send(Input::TrayHost {
            online: false,
            detail: "no StatusNotifierWatcher".to_owned(),
        })
        .unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    inputs.send(Input::LoginTrayCheck).unwrap();
    wait_until_settings(&inputs, |v| v["tray_help_shown"] == true).await;
    inputs.send(Input::LoginTrayCheck).unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let calls = shell.take();
    assert!(
        !calls.iter().any(|c| matches!(c, ShellCall::SpawnWindow(_))),
        "{calls:?}"
    );
    let helps: Vec<_> = calls
        .iter()
        .filter_map(|c| match c {
            ShellCall::Notify(Notice::Info { summary, body })
                if summary == "Limber is running without a tray icon" =>
            {
                Some(body.clone())
            }
            _ => None,
        })
        .collect();
    assert_eq!(helps.len(), 1, "{calls:?}");
    assert!(helps[0].contains("limber open"), "{}", helps[0]);
}

#[tokio::test(start_paused = true)]
async fn about_says_the_version_and_where_everything_is() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    let about = ok(ask(&agent.inputs, AboutArgs {}.into()).await);
    let paths = paths(dir.path());
    assert_eq!(about["version"], limber_core::VERSION);
    assert_eq!(about["protocol"], limber_core::protocol::PROTOCOL_VERSION);
    assert_eq!(
        about["settings_file"],
        paths.settings_file().display().to_string()
    );
    assert_eq!(
        about["autostart_file"],
        paths.autostart_file().display().to_string()
    );
    assert_eq!(about["idle_detection"], "scripted");
}
