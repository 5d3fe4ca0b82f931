//! Presence through the real driver: the idle source told the natural break's length, a
//! compositor's "idled" read at once, a locked screen counted as away, logind's sleep.

use crate::support::{ask, call, history_lines, nine_am, ok, start_agent, wait_until, ShellCall};
use limber_agent::clock::TokioClock;
use limber_agent::ports::{Input, Notice, Presence};
use limber_core::protocol::{SetSettingsArgs, StatusArgs};
use serde_json::json;
use std::time::Duration;

fn natural_breaks(dir: &std::path::Path) -> usize {
    history_lines(dir)
        .iter()
        .filter(|l| l["type"] == "natural_break")
        .count()
}

async fn set_natural_break(agent: &crate::support::Running, minutes: u32) {
    let values = json!({ "natural_break_min": minutes });
    call(
        &agent.inputs,
        SetSettingsArgs {
            values: values.as_object().unwrap().clone(),
        },
    )
    .await
    .unwrap();
}

/// Waits for the file worker to write what the driver recorded, then counts.
async fn natural_breaks_written(dir: &std::path::Path, expected: usize) -> usize {
    for _ in 0..200 {
        if natural_breaks(dir) >= expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    natural_breaks(dir)
}

#[tokio::test(start_paused = true)]
async fn the_idle_source_learns_the_natural_break_length_and_its_news_is_read_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    ok(ask(&agent.inputs, StatusArgs {}.into()).await);
    assert_eq!(*agent.shell.natural_breaks.lock().unwrap(), [5]);
    set_natural_break(&agent, 8).await;
    assert_eq!(*agent.shell.natural_breaks.lock().unwrap(), [5, 8]);

    // Ten seconds after the last wake-up, the compositor says "idled": the driver reads
    // idle time then, not at the next minute.
    tokio::time::sleep(Duration::from_secs(10)).await;
    *agent.shell.idle.lock().unwrap() = Some(8 * 60_000);
    agent
        .inputs
        .send(Input::Presence(Presence::IdleChanged))
        .unwrap();
    tokio::time::sleep(Duration::from_millis(10)).await;
    let status = ok(ask(&agent.inputs, StatusArgs {}.into()).await);
    assert_eq!(status["away"], true);
    assert_eq!(status["lock_detection"], "scripted");
}

#[tokio::test(start_paused = true)]
async fn a_locked_screen_is_away_from_the_lock_and_one_natural_break() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    // No idle source: the lock alone tells.
    *agent.shell.idle.lock().unwrap() = None;
    tokio::time::sleep(Duration::from_secs(50 * 60)).await;
    agent
        .inputs
        .send(Input::Presence(Presence::Locked(true)))
        .unwrap();
    let status = wait_until(&agent.inputs, |s| s["locked"] == true).await;
    assert_eq!(status["away"], false, "not yet a natural break's length");
    // The break would come due at 10:00; locked, nothing pops up, and after five minutes
    // of lock it was a break.
    tokio::time::sleep(Duration::from_secs(5 * 60 + 1)).await;
    let status = ok(ask(&agent.inputs, StatusArgs {}.into()).await);
    assert_eq!(status["away"], true);
    tokio::time::sleep(Duration::from_secs(20 * 60)).await;
    let calls = agent.shell.take();
    assert!(
        !calls
            .iter()
            .any(|c| matches!(c, ShellCall::Notify(Notice::BreakDue { .. }))),
        "{calls:?}"
    );
    assert_eq!(natural_breaks_written(dir.path(), 1).await, 1);
    agent
        .inputs
        .send(Input::Presence(Presence::Locked(false)))
        .unwrap();
    let status = wait_until(&agent.inputs, |s| s["locked"] == false).await;
    assert_eq!(status["away"], false);
    assert_eq!(status["next_break_in_s"], 3600);
}

#[tokio::test(start_paused = true)]
async fn repeated_sleep_signals_are_one_sleep_and_a_short_one_no_break() {
    let dir = tempfile::tempdir().unwrap();
    let agent = start_agent(TokioClock::starting_at(nine_am()), dir.path());
    set_natural_break(&agent, 1).await;
    agent
        .inputs
        .send(Input::Presence(Presence::SleepSignals(true)))
        .unwrap();
    for _ in 0..2 {
        agent
            .inputs
            .send(Input::Presence(Presence::Sleep(true)))
            .unwrap();
    }
    // Under tokio's paused clock both clocks run together: ninety seconds of wall time
    // between the signals is what logind reports (a "woke" lost for three minutes would
    // be settled from the clocks instead).
    tokio::time::sleep(Duration::from_secs(90)).await;
    for _ in 0..2 {
        agent
            .inputs
            .send(Input::Presence(Presence::Sleep(false)))
            .unwrap();
    }
    assert_eq!(natural_breaks_written(dir.path(), 1).await, 1);
    agent
        .inputs
        .send(Input::Presence(Presence::Sleep(true)))
        .unwrap();
    tokio::time::sleep(Duration::from_secs(30)).await;
    agent
        .inputs
        .send(Input::Presence(Presence::Sleep(false)))
        .unwrap();
    assert_eq!(natural_breaks_written(dir.path(), 2).await, 1);
}
