//! Guided sessions, the break prompt and the heat / ice timer, end to end: the real agent
//! and CLI, the real window driven over WebDriver, the real notification daemon.

use crate::harness::{
    alive, descendants, dunst_history_after_one, dunstctl, viewable_windows_of, wait_for, Sandbox,
    TrayClient, Ui, TIMEOUT,
};
use serde_json::Value;
use std::time::Duration;

/// WebDriver key codes.
const ARROW_RIGHT: char = '\u{E014}';

/// A routine with short holds: get ready 5 s, child's pose 4 s, rest 2 s, get ready 5 s,
/// bird-dog left 2 s, switch 1 s, right 2 s: 21 s in all.
pub const SHORT: &str = r#"{"id":"e2e-short","name":"E2E short","steps":[
  {"exercise":"childs-pose","hold_s":4,"rest_s":2},
  {"exercise":"bird-dog","hold_s":2,"reps":1,"switch_s":1}]}"#;

fn seconds(text: &str) -> u64 {
    let (m, s) = text.trim().split_once(':').unwrap_or(("0", "0"));
    m.parse::<u64>().unwrap_or(0) * 60 + s.parse::<u64>().unwrap_or(0)
}

fn session_state(sandbox: &Sandbox) -> Value {
    sandbox.status()["session"]["state"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_session_counts_down_pauses_skips_ends_and_is_recorded() {
    let mut sandbox = Sandbox::new("session");
    sandbox.add_routine("e2e-short", SHORT);
    sandbox.start_watcher();
    sandbox.start_agent();
    let ui = Ui::open(&sandbox).await;
    ui.wait_connected().await;

    let out = sandbox.limber(&["start", "e2e-short"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let name = ui
        .wait_js(
            "the session screen",
            "return document.querySelector('[data-run] [data-exercise]')?.textContent",
        )
        .await;
    assert_eq!(name, "Child's pose");
    assert_eq!(ui.text("[data-cue]").await, "Get ready");

    // The countdown goes down, then the phase changes to the hold.
    let first = seconds(&ui.text("[data-count]").await);
    ui.wait_js(
        "the countdown to go down",
        &format!("const t = document.querySelector('[data-count]').textContent.split(':'); return (+t[0]) * 60 + (+t[1]) < {first}"),
    )
    .await;
    ui.wait_js(
        "the hold to begin",
        "return document.querySelector('[data-cue]').textContent === 'Hold'",
    )
    .await;
    ui.screenshot("session-light").await;
    ui.theme("dark").await;
    ui.screenshot("session-dark").await;
    ui.theme("light").await;

    // Space pauses: the agent's session stops and the countdown stands still.
    ui.press(' ').await;
    wait_for("the pause to reach the agent", TIMEOUT, || {
        (session_state(&sandbox) == "paused").then_some(())
    });
    ui.wait_js(
        "the window to show the pause",
        "return document.querySelector('[data-session=\"toggle\"]').textContent === 'Resume'",
    )
    .await;
    let held = ui.text("[data-count]").await;
    tokio::time::sleep(Duration::from_millis(1600)).await;
    assert_eq!(
        ui.text("[data-count]").await,
        held,
        "paused countdown moved"
    );
    ui.screenshot("session-paused").await;

    // Resume with the button; → skips to the next exercise.
    ui.click("[data-session=\"toggle\"]").await;
    wait_for("the resume to reach the agent", TIMEOUT, || {
        (session_state(&sandbox) == "running").then_some(())
    });
    ui.press(ARROW_RIGHT).await;
    ui.wait_js(
        "the skip to the next exercise",
        "return document.querySelector('[data-exercise]').textContent === 'Bird-dog'",
    )
    .await;
    assert_eq!(sandbox.status()["session"]["step_index"], 1);

    // It runs to its end; the end screen appears and the session is in the history.
    let title = ui
        .wait_js(
            "the end screen",
            "return document.querySelector('[data-end-title]')?.textContent",
        )
        .await;
    assert_eq!(title, "Well done");
    let summary = ui.text("[data-end-summary]").await;
    assert!(summary.contains("1 of 2 exercises"), "{summary}");
    let session = wait_for("the session in the history", TIMEOUT, || {
        sandbox
            .history()
            .into_iter()
            .find(|e| e["type"] == "session")
    });
    assert_eq!(
        (session["routine"].as_str(), session["outcome"].as_str()),
        (Some("e2e-short"), Some("completed"))
    );
    ui.screenshot("session-end").await;

    // The check-in is saved and the end screen closes.
    ui.click("[data-checkin] .score:nth-child(4)").await;
    ui.click("[data-checkin] .chip:nth-child(1)").await;
    ui.type_into("[data-checkin-note]", "looser after this")
        .await;
    ui.click("[data-action=\"save-checkin\"]").await;
    wait_for("the check-in in the history", TIMEOUT, || {
        sandbox
            .history()
            .into_iter()
            .find(|e| e["type"] == "check_in")
    });
    let checkin = sandbox
        .history()
        .into_iter()
        .find(|e| e["type"] == "check_in")
        .unwrap();
    assert_eq!(checkin["score"], 3);
    assert_eq!(checkin["area"], "lower");
    assert_eq!(checkin["note"], "looser after this");
    ui.wait_js(
        "the end screen to close",
        "return document.querySelector('[data-panel=\"session\"]').dataset.face === 'home'",
    )
    .await;
    ui.close().await;
}

/// Makes the sandbox's next break come due in one minute, the shortest a user can ask for:
/// a break now (notified only), then a one-minute snooze; the window style is then set.
/// Nobody has touched the test display since the suite began, so the natural break is
/// made as long as it goes: the user must not count as away when the break comes.
fn break_in_a_minute(sandbox: &Sandbox, style: &str) {
    for args in [
        &["config", "set", "natural_break_min", "60"][..],
        &["config", "set", "break_style", "notification"],
        &["break"],
        &["config", "set", "break_style", style],
        &["snooze", "1"],
    ] {
        let out = sandbox.limber(args);
        assert!(out.status.success(), "{args:?}: {out:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_break_window_is_readied_unseen_before_a_break_and_ended_if_none_comes() {
    let mut sandbox = Sandbox::new("standby");
    // A tray host: without one the agent opens its window at start.
    sandbox.start_watcher();
    sandbox.start_agent();
    break_in_a_minute(&sandbox, "both");
    let asked = std::time::Instant::now();
    let long = Duration::from_secs(90);
    let window = wait_for("the window to be readied", long, || {
        sandbox.window_processes().first().copied()
    });
    assert!(
        asked.elapsed() > Duration::from_secs(30),
        "readied shortly before the break, not at once ({:?})",
        asked.elapsed()
    );
    // Unseen: nothing is on the display, it is not "open", and WebKit starts in it.
    let status = sandbox.status();
    assert_eq!(status["state"], "snoozed");
    assert_eq!(status["window_open"], false);
    assert_eq!(
        viewable_windows_of(window),
        0,
        "nothing shown before the break"
    );
    wait_for("WebKit to start in the readied window", TIMEOUT, || {
        descendants(window)
            .iter()
            .any(|(_, comm)| comm.starts_with("WebKitWebProces"))
            .then_some(())
    });

    // The break comes: that same window shows, on the break prompt.
    wait_for("the break", long, || {
        (sandbox.status()["state"] == "due").then_some(())
    });
    wait_for("the readied window to show", TIMEOUT, || {
        (viewable_windows_of(window) > 0).then_some(())
    });
    assert_eq!(sandbox.window_processes(), [window], "no second window");
    wait_for("the window to count as open", TIMEOUT, || {
        (sandbox.status()["window_open"] == true).then_some(())
    });
    std::thread::sleep(Duration::from_millis(1500));
    sandbox.screenshot_root("shown-at-the-break");
    assert!(crate::harness::close_windows_of(window) > 0);
    wait_for("the window to close", TIMEOUT, || {
        (!alive(window)).then_some(())
    });

    // A readied window whose break does not come (paused here) is ended, with its WebKit
    // processes, never having shown.
    break_in_a_minute(&sandbox, "window");
    let window = wait_for("the window to be readied again", long, || {
        sandbox.window_processes().first().copied()
    });
    assert!(sandbox.limber(&["pause", "30m"]).status.success());
    let helpers = wait_for("WebKit to start", TIMEOUT, || {
        let helpers = descendants(window);
        (helpers.len() >= 2).then_some(helpers)
    });
    let mut ever_shown = false;
    wait_for("the unused window to be ended", long, || {
        ever_shown |= viewable_windows_of(window) > 0;
        (!alive(window)).then_some(())
    });
    assert!(!ever_shown, "a window nobody asked for was shown");
    wait_for("its WebKit processes to end", TIMEOUT, || {
        helpers.iter().all(|(pid, _)| !alive(*pid)).then_some(())
    });
    assert_eq!(sandbox.status()["window_open"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_due_break_offers_routine_lengths_and_starting_one_takes_the_break() {
    let mut sandbox = Sandbox::new("break-prompt");
    sandbox.start_watcher();
    sandbox.start_agent();
    assert!(sandbox
        .limber(&["config", "set", "break_style", "window"])
        .status
        .success());
    let ui = Ui::open(&sandbox).await;
    ui.wait_connected().await;
    assert!(sandbox.limber(&["break"]).status.success());
    let lengths = ui
        .wait_js(
            "the break prompt",
            "const b = [...document.querySelectorAll('[data-break-choices] [data-start]')]; return b.length >= 3 && b.map(x => x.querySelector('.choice-length').textContent).join(',')",
        )
        .await;
    let lengths = lengths.as_str().unwrap_or_default().to_owned();
    for expected in ["1 min", "3 min", "8 min"] {
        assert!(lengths.contains(expected), "{lengths}");
    }
    let words = ui.text("[data-panel=\"session\"]").await;
    assert!(
        !words.contains("null") && !words.contains("undefined"),
        "a missing value written out: {words}"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    ui.screenshot("break-prompt").await;
    ui.click("[data-break-choices] [data-start=\"desk-reset\"]")
        .await;
    wait_for("the session to start", TIMEOUT, || {
        (sandbox.status()["state"] == "in_session").then_some(())
    });
    assert_eq!(sandbox.status()["session"]["routine"], "desk-reset");
    assert!(sandbox.limber(&["session", "stop"]).status.success());
    // The stop is answered at once; its record is written by the file worker after.
    let (history, session) = wait_for("the session's record", TIMEOUT, || {
        let history = sandbox.history();
        let session = history.iter().find(|e| e["type"] == "session").cloned();
        session.map(|session| (history, session))
    });
    assert_eq!(
        session["from_break"], true,
        "the session answered the break"
    );
    assert!(history.iter().any(|e| e["type"] == "break_due"));
    ui.close().await;
}

#[test]
fn cli_session_verbs_work_and_bad_arguments_fail_clearly() {
    let mut sandbox = Sandbox::new("session-cli");
    sandbox.add_routine("e2e-short", SHORT);
    sandbox.add_routine(
        "broken",
        r#"{"id":"broken","name":"Broken","steps":[{"exercise":"cat-cow","hold_s":0}]}"#,
    );
    sandbox.start_watcher();
    sandbox.start_agent();
    let out = sandbox.limber(&["routines"]);
    let listed = String::from_utf8_lossy(&out.stdout);
    for id in [
        "desk-reset",
        "hourly",
        "lower-back-relief",
        "core",
        "e2e-short",
    ] {
        assert!(listed.contains(id), "{listed}");
    }
    let complaint = String::from_utf8_lossy(&out.stderr);
    assert!(
        complaint.contains("routines/broken.json") && complaint.contains("hold_s"),
        "{complaint}"
    );
    let out = sandbox.limber(&["start", "handstands"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no routine \"handstands\""));
    let out = sandbox.limber(&["session", "skip"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no session is running"));
    // A usage error exits 1 like every other mistake (clap's own default would be 2),
    // and names what is allowed.
    let out = sandbox.limber(&["session", "dance"]);
    assert_eq!(out.status.code(), Some(1), "a usage error");
    let complaint = String::from_utf8_lossy(&out.stderr);
    assert!(
        complaint.contains("pause") && complaint.contains("stop"),
        "{complaint}"
    );
    let out = sandbox.limber(&["snooze", "500"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 to 120 minutes"));

    let out = sandbox.limber(&["start", "e2e-short", "--no-window"]);
    assert!(out.status.success());
    let status = sandbox.status();
    let s = &status["session"];
    assert_eq!(status["state"], "in_session");
    for field in [
        "routine",
        "step_index",
        "step_count",
        "exercise",
        "phase",
        "cue",
        "ends_at",
        "remaining_s",
    ] {
        assert!(!s[field].is_null(), "session.{field} in {s}");
    }
    let line = String::from_utf8_lossy(&sandbox.limber(&["status"]).stdout).into_owned();
    assert!(line.contains("E2E short · Child's pose"), "{line}");
    assert!(sandbox.limber(&["session", "pause"]).status.success());
    assert_eq!(session_state(&sandbox), "paused");
    assert!(sandbox.limber(&["session", "resume"]).status.success());
    assert!(sandbox.limber(&["session", "skip"]).status.success());
    assert_eq!(sandbox.status()["session"]["exercise"], "bird-dog");
    assert!(sandbox.limber(&["session", "back"]).status.success());
    assert_eq!(sandbox.status()["session"]["exercise"], "childs-pose");
    assert!(sandbox.limber(&["session", "stop"]).status.success());
    assert_eq!(sandbox.status()["last_session"]["outcome"], "stopped");

    // The history, exported from the command line.
    assert!(sandbox
        .limber(&["check-in", "5", "--area", "neck"])
        .status
        .success());
    let out = sandbox.limber(&["export", "--format", "json"]);
    assert!(out.status.success());
    let exported: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let types: Vec<&str> = exported["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert!(
        types.contains(&"session") && types.contains(&"check_in"),
        "{types:?}"
    );
    let csv = sandbox.dir.path().join("history.csv");
    let out = sandbox.limber(&["export", "--output", csv.to_str().unwrap()]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("at,type,"), "{text}");
    assert!(text.contains(",check_in,"), "{text}");
    let out = sandbox.limber(&["check-in", "12"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 (no pain) to 10"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_heat_and_ice_timer_ends_with_a_notification_in_dunst() {
    let mut sandbox = Sandbox::new("therapy");
    sandbox.set_env("LIMBER_TEST_THERAPY_SECONDS", "2");
    dunstctl(&["close-all"]);
    dunstctl(&["history-clear"]);
    let watcher = sandbox.start_watcher();
    sandbox.start_agent();
    let out = sandbox.limber(&["therapy", "ice", "30"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("15 to 20 minutes at a time"),
        "the article's reason"
    );
    assert!(sandbox.limber(&["therapy", "ice"]).status.success());
    let status = sandbox.status();
    assert_eq!(status["therapy"]["kind"], "ice");
    assert_eq!(status["therapy"]["length_min"], 15);
    let history = dunst_history_after_one();
    assert!(
        history.contains("Time to take the ice pack off"),
        "{history}"
    );
    assert_eq!(sandbox.status()["therapy"], Value::Null);
    let record = sandbox
        .history()
        .into_iter()
        .find(|e| e["type"] == "therapy")
        .expect("recorded");
    assert_eq!(record["completed"], true);

    // Heat from the tray: the cautions before using heat come the first time, once.
    let tray = TrayClient::from_record(&watcher).await;
    for done in 1..=2 {
        tray.click("Heat, 15 min").await;
        wait_for("the heat timer to run and end", TIMEOUT, || {
            let heats = sandbox
                .history()
                .iter()
                .filter(|e| e["type"] == "therapy" && e["therapy"] == "heat")
                .count();
            (heats == done && sandbox.status()["therapy"].is_null()).then_some(())
        });
    }
    dunstctl(&["close-all"]);
    let history = dunstctl(&["history"]);
    // (The summary is also inside the rendered message: count summaries.)
    assert_eq!(
        history
            .matches("\"data\" : \"Before you use heat\"")
            .count(),
        1,
        "{history}"
    );
    assert!(history.contains("never fall asleep on one"), "{history}");
}

/// Records the sound server's null sink (tests/e2e/run.sh) while it lives: 16-bit mono
/// samples at 8 kHz, read back when it stops.
struct Recorder {
    child: std::process::Child,
    file: std::path::PathBuf,
}

impl Recorder {
    fn start(sandbox: &Sandbox, name: &str) -> Recorder {
        let file = sandbox.dir.path().join(format!("{name}.raw"));
        let child = std::process::Command::new("parec")
            .args([
                "--device=limber_e2e.monitor",
                "--raw",
                "--format=s16le",
                "--channels=1",
                "--rate=8000",
            ])
            .arg(&file)
            .spawn()
            .expect("parec (pulseaudio-utils) runs");
        Recorder { child, file }
    }

    /// The loudest sample heard, from 0 to 32767.
    fn stop(mut self) -> i32 {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let bytes = std::fs::read(&self.file).unwrap_or_default();
        assert!(bytes.len() > 8000, "parec recorded {} bytes", bytes.len());
        bytes
            .chunks_exact(2)
            .map(|pair| i32::from(i16::from_le_bytes([pair[0], pair[1]])).abs())
            .max()
            .unwrap_or(0)
    }
}

/// The streams playing into the sound server now.
fn sound_streams() -> String {
    let out = std::process::Command::new("pactl")
        .args(["list", "short", "sink-inputs"])
        .output()
        .expect("pactl runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn session_cues_sound_through_the_sound_server_and_go_quiet_when_muted() {
    if std::env::var_os("LIMBER_E2E_SOUND_SERVER").is_none() {
        // tests/e2e/run.sh starts a private PulseAudio server when the program is there.
        assert!(
            std::env::var_os("CI").is_none(),
            "no sound server for the cues: install pulseaudio (scripts/setup.sh --test)"
        );
        eprintln!("SKIPPED: no pulseaudio program, so the sound cues cannot be heard here");
        return;
    }
    let mut sandbox = Sandbox::new("cues");
    sandbox.add_routine(
        "e2e-cue",
        r#"{"id":"e2e-cue","name":"E2E cue","steps":[{"exercise":"childs-pose","hold_s":2}]}"#,
    );
    sandbox.start_agent();
    let ui = Ui::open(&sandbox).await;
    ui.wait_connected().await;
    let end_screen = "return document.querySelector('[data-end-title]')?.textContent";

    // Sound on (the default): the 3-2-1 ticks, the hold's tone and the end chord reach
    // the sound server through ALSA, from the window's own process.
    let recorder = Recorder::start(&sandbox, "sound-on");
    assert!(sandbox.limber(&["start", "e2e-cue"]).status.success());
    ui.wait_js("the end screen", end_screen).await;
    tokio::time::sleep(Duration::from_millis(1800)).await;
    let loudest = recorder.stop();
    assert!(
        loudest > 300,
        "the cues were not heard (loudest sample {loudest})"
    );
    // The stream closes once the cues have been quiet for a while.
    wait_for("the cues' stream to close", TIMEOUT, || {
        sound_streams().trim().is_empty().then_some(())
    });

    // Sound off: the same session is silent and opens no stream.
    assert!(sandbox
        .limber(&["config", "set", "sound", "false"])
        .status
        .success());
    let recorder = Recorder::start(&sandbox, "sound-off");
    assert!(sandbox.limber(&["start", "e2e-cue"]).status.success());
    let mut streams = String::new();
    for _ in 0..40 {
        streams.push_str(&sound_streams());
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let loudest = recorder.stop();
    assert!(loudest < 50, "sound off, yet heard a sample of {loudest}");
    assert!(
        streams.trim().is_empty(),
        "sound off, yet streams: {streams}"
    );
    ui.close().await;
}
