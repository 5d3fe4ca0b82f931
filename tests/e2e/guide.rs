//! The first-run welcome, the Guide (red flags from a running session, the heat / ice
//! timer) and the History screen, in the real window.

use crate::harness::{dunstctl, wait_for, wait_for_notification, Sandbox, Ui, TIMEOUT};
use crate::sessions::SHORT;
use serde_json::Value;

fn settings(sandbox: &Sandbox) -> Value {
    std::fs::read_to_string(sandbox.settings_file())
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_run_welcome_sets_the_interval_and_shows_the_warning_signs() {
    let mut sandbox = Sandbox::first_run("welcome");
    sandbox.start_watcher();
    sandbox.start_agent();
    let ui = Ui::open(&sandbox).await;
    let text = ui
        .wait_js(
            "the welcome",
            "const d = document.querySelector('[data-welcome]'); return !d.hidden && d.textContent",
        )
        .await;
    let text = text.as_str().unwrap_or_default().to_lowercase();
    for sign in ["bladder", "fever", "weight", "numb"] {
        assert!(text.contains(sign), "the welcome names {sign}: {text}");
    }
    // New leg weakness, new numbness and injuries are among the signs to get help now.
    let urgent = ui
        .js("return [...document.querySelectorAll('[data-welcome] [data-urgent] [data-flag]')].map((li) => li.dataset.flag).join(',')")
        .await;
    let urgent = urgent.as_str().unwrap_or_default().to_owned();
    for id in ["leg-weakness", "numbness", "trauma"] {
        assert!(
            urgent.split(',').any(|flag| flag == id),
            "the welcome's urgent list has {id}: {urgent}"
        );
    }
    ui.screenshot("welcome").await;
    // A bad interval is refused on the spot and nothing is saved.
    ui.type_into("[data-welcome-interval]", "2").await;
    ui.click("[data-welcome-done]").await;
    ui.wait_js(
        "the inline error",
        "const e = document.querySelector('[data-welcome-error]'); return e && !e.hidden && e.textContent",
    )
    .await;
    assert!(!sandbox.settings_file().exists());
    ui.type_into("[data-welcome-interval]", "45").await;
    // Where breaks happen picks the routine a break starts: the floor is offered first.
    let checked = ui
        .js("return document.querySelector('[data-welcome-place] input:checked').value")
        .await;
    assert_eq!(checked, "back-stretches");
    ui.click("[data-welcome-place] .place-option:nth-of-type(2)")
        .await;
    ui.screenshot("welcome-place").await;
    ui.theme("dark").await;
    ui.screenshot("welcome-place-dark").await;
    ui.theme("light").await;
    ui.click("[data-welcome-done]").await;
    wait_for("the welcome to be saved", TIMEOUT, || {
        (settings(&sandbox)
            == serde_json::json!({"break_interval_min": 45, "welcomed": true, "default_routine": "hourly", "start_at_login": true}))
        .then_some(())
    });
    ui.wait_js(
        "the welcome to close",
        "return document.querySelector('[data-welcome]').hidden",
    )
    .await;
    assert_eq!(sandbox.status()["break_interval_min"], 45);
    // Start at login was on by default: the login entry runs this very limber.
    let entry = std::fs::read_to_string(sandbox.dir.path().join("config/autostart/limber.desktop"))
        .expect("the login entry");
    let program = crate::harness::bin_dir().join("limber");
    let program = std::fs::canonicalize(program).unwrap();
    assert!(
        entry.contains(&format!("\nExec={} --login\n", program.display())),
        "{entry}"
    );
    // "Start stretch now" runs it.
    let started = sandbox.limber(&["start", "--no-window"]);
    assert!(started.status.success());
    assert_eq!(sandbox.status()["session"]["routine"], "hourly");
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn red_flags_are_one_click_from_a_session_and_the_guide_runs_the_ice_timer() {
    let mut sandbox = Sandbox::new("guide");
    sandbox.add_routine("e2e-short", SHORT);
    sandbox.set_env("LIMBER_TEST_THERAPY_SECONDS", "3");
    dunstctl(&["close-all"]);
    dunstctl(&["history-clear"]);
    sandbox.start_watcher();
    sandbox.start_agent();
    let ui = Ui::open(&sandbox).await;
    ui.wait_connected().await;
    assert!(sandbox.limber(&["start", "e2e-short"]).status.success());
    ui.wait_js(
        "the session screen",
        "return document.querySelector('[data-run] [data-action=\"help\"]')",
    )
    .await;
    ui.click("[data-run] [data-action=\"help\"]").await;
    let flags = ui
        .wait_js(
            "the red flags",
            "const p = document.querySelector('[data-panel=\"guide\"]'); const r = document.getElementById('red-flags'); return !p.hidden && r && r.getBoundingClientRect().top < innerHeight && r.textContent",
        )
        .await;
    let flags = flags.as_str().unwrap_or_default().to_lowercase();
    assert!(
        flags.contains("bladder") && flags.contains("fever"),
        "{flags}"
    );
    wait_for("the session to pause", TIMEOUT, || {
        (sandbox.status()["session"]["state"] == "paused").then_some(())
    });
    ui.screenshot("red-flags").await;
    assert!(sandbox.limber(&["session", "stop"]).status.success());

    // The heat / ice timer from the Guide: it runs in the agent and ends in a notification.
    ui.js("document.getElementById('therapy').scrollIntoView(); return true")
        .await;
    ui.click("[data-therapy-kind=\"ice\"]").await;
    ui.click("[data-therapy-start]").await;
    wait_for("the timer to start", TIMEOUT, || {
        (sandbox.status()["therapy"]["kind"] == "ice").then_some(())
    });
    ui.wait_js(
        "the countdown",
        "return document.querySelector('[data-therapy-count]')?.textContent.includes(':')",
    )
    .await;
    ui.screenshot("therapy-running").await;
    wait_for_notification("the end notification");
    assert_eq!(sandbox.status()["therapy"], Value::Null);
    dunstctl(&["close-all"]);

    // The pain's start date, six weeks ago: the Guide names the stage and suggests heat.
    let started = (chrono::Local::now() - chrono::Duration::weeks(6))
        .format("%Y-%m-%d")
        .to_string();
    assert!(sandbox
        .limber(&["config", "set", "pain_started", &started])
        .status
        .success());
    let stage = ui
        .wait_js(
            "the stage",
            "const r = document.querySelector('[data-stage-result]'); return r && r.textContent.includes('subacute stage') && r.textContent",
        )
        .await;
    assert!(
        stage.as_str().unwrap_or_default().contains("42 days ago"),
        "{stage}"
    );
    let suggestion = ui
        .js("return document.querySelector('[data-therapy-suggestion]').dataset.suggest")
        .await;
    assert_eq!(suggestion, "heat", "ice is for the first 48 hours only");
    let bad = sandbox.limber(&["config", "set", "pain_started", "last tuesday"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM-DD"));
    ui.theme("dark").await;
    ui.screenshot("guide-dark").await;
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_history_screen_shows_the_session_and_the_check_in() {
    let mut sandbox = Sandbox::new("history");
    sandbox.add_routine("e2e-short", SHORT);
    sandbox.start_watcher();
    sandbox.start_agent();
    assert!(sandbox
        .limber(&["start", "e2e-short", "--no-window"])
        .status
        .success());
    wait_for("the session to end", TIMEOUT * 2, || {
        (sandbox.status()["last_session"]["outcome"] == "completed").then_some(())
    });
    let ui = Ui::open(&sandbox).await;
    // The end screen waits in the window; check in there.
    ui.wait_js(
        "the end screen",
        "return document.querySelector('[data-end-title]')",
    )
    .await;
    ui.click("[data-checkin] .score:nth-child(5)").await;
    ui.click("[data-action=\"save-checkin\"]").await;
    wait_for("the check-in", TIMEOUT, || {
        sandbox
            .history()
            .into_iter()
            .find(|e| e["type"] == "check_in" && e["score"] == 4)
    });
    ui.click("[data-view=\"history\"]").await;
    let row = ui
        .wait_js(
            "the session on the History screen",
            "return document.querySelector('[data-recent-sessions] [data-session-row]')?.textContent",
        )
        .await;
    assert!(
        row.as_str().unwrap_or_default().contains("E2E short"),
        "{row}"
    );
    let chart = ui
        .wait_js(
            "the check-in on the chart",
            "return document.querySelector('[data-line-chart]')?.getAttribute('aria-label')",
        )
        .await;
    assert!(chart.as_str().unwrap_or_default().contains('4'), "{chart}");
    let today = ui.text("[data-history-today]").await;
    assert!(today.contains('1'), "one session today: {today}");
    ui.screenshot("history-light").await;
    ui.theme("dark").await;
    ui.screenshot("history-dark").await;
    ui.theme("light").await;
    ui.click("[data-export=\"csv\"]").await;
    let message = ui
        .wait_js(
            "the export",
            "const m = document.querySelector('[data-export-message]'); return m && m.textContent",
        )
        .await;
    assert!(
        message
            .as_str()
            .unwrap_or_default()
            .contains("Téléchargements"),
        "the Downloads folder of user-dirs.dirs: {message}"
    );
    let csv = std::fs::read_dir(sandbox.downloads_dir())
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().ends_with(".csv"))
        .expect("a CSV file");
    let text = std::fs::read_to_string(csv.path()).unwrap();
    assert!(
        text.contains("session") && text.contains("check_in"),
        "{text}"
    );
    ui.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routines_are_built_imported_and_never_replaced_without_asking() {
    let mut sandbox = Sandbox::new("routines");
    sandbox.start_watcher();
    sandbox.start_agent();
    let ui = Ui::open(&sandbox).await;
    ui.click("[data-view=\"routines\"]").await;
    ui.wait_js(
        "the routines",
        "return document.querySelectorAll('[data-routine-card]').length >= 4",
    )
    .await;
    ui.screenshot("routines").await;

    // Build one: name, two exercises, save.
    ui.type_into("[data-build-name]", "My desk minute").await;
    ui.js("const s = document.querySelector('[data-build-pick]'); s.value = 'posture-reset'; return true")
        .await;
    ui.click("[data-build-add]").await;
    ui.js(
        "const s = document.querySelector('[data-build-pick]'); s.value = 'bird-dog'; return true",
    )
    .await;
    ui.click("[data-build-add]").await;
    ui.click("[data-build-save]").await;
    let file = sandbox.config_dir().join("routines/my-desk-minute.json");
    wait_for("the routine file", TIMEOUT, || file.exists().then_some(()));
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["name"], "My desk minute");
    assert_eq!(saved["steps"][1]["exercise"], "bird-dog");
    assert_eq!(
        saved["steps"][1]["sides"],
        serde_json::json!(["left", "right"])
    );
    ui.wait_js(
        "the new routine's card",
        "return document.querySelector('[data-routine-card=\"my-desk-minute\"]')",
    )
    .await;

    // The same name again: Limber asks before replacing, and "keep" changes nothing.
    let before = std::fs::read_to_string(&file).unwrap();
    ui.type_into("[data-build-name]", "My desk minute").await;
    ui.click("[data-build-add]").await;
    ui.click("[data-build-save]").await;
    let question = ui
        .wait_js(
            "the replace question",
            "const q = document.querySelector('[data-builder] [data-replace]'); return q && !q.hidden && q.textContent",
        )
        .await;
    assert!(
        question
            .as_str()
            .unwrap_or_default()
            .contains("already exists"),
        "{question}"
    );
    ui.screenshot("routines-replace").await;
    ui.click("[data-builder] [data-replace-no]").await;
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);

    // Import a broken file: the error names the step and field; nothing is saved.
    let broken = sandbox.dir.path().join("from-physio.json");
    std::fs::write(
        &broken,
        r#"{"id":"physio","name":"From my physio","steps":[{"exercise":"pelvic-tilt","reps":0}]}"#,
    )
    .unwrap();
    ui.type_into_file("[data-import-file]", &broken).await;
    let error = ui
        .wait_js(
            "the import error",
            "const m = document.querySelector('[data-importer] [data-form-message]'); return m && !m.hidden && m.textContent",
        )
        .await;
    let error = error.as_str().unwrap_or_default().to_owned();
    assert!(error.contains("step 1 (pelvic-tilt), reps"), "{error}");
    assert!(!sandbox.config_dir().join("routines/physio.json").exists());
    // Fixed, it imports.
    std::fs::write(
        &broken,
        r#"{"id":"physio","name":"From my physio","steps":[{"exercise":"pelvic-tilt","reps":6}]}"#,
    )
    .unwrap();
    ui.type_into_file("[data-import-file]", &broken).await;
    wait_for("the imported routine", TIMEOUT, || {
        sandbox
            .config_dir()
            .join("routines/physio.json")
            .exists()
            .then_some(())
    });
    ui.close().await;
}

/// A routine whose name is markup is shown as text: nothing in it runs or renders.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_routine_named_like_markup_is_shown_as_text() {
    let mut sandbox = Sandbox::new("markup-name");
    let name = r#"<img src=x onerror="window.__xss=1">"#;
    let file = serde_json::json!({"id": "markup", "name": name, "steps": [{"exercise": "walk"}]});
    sandbox.add_routine("markup", &file.to_string());
    sandbox.start_watcher();
    sandbox.start_agent();
    let ui = Ui::open(&sandbox).await;
    ui.click("[data-view=\"routines\"]").await;
    let shown = ui
        .wait_js(
            "the routine's card",
            "return document.querySelector('[data-routine-card=\"markup\"] h3')?.textContent",
        )
        .await;
    assert_eq!(shown.as_str(), Some(name), "the name, as written");
    let injected = ui
        .js("return document.querySelectorAll('img[src=\"x\"]').length + (window.__xss ? 100 : 0)")
        .await;
    assert_eq!(injected, 0, "no element made from the name, no handler run");
    // The CLI prints it as text too.
    let out = sandbox.limber(&["routines"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains(name));
    ui.close().await;
}
