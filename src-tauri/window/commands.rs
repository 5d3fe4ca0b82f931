//! Tauri commands: each one forwards to the agent and returns its answer or its error
//! (`{code, message}`), which the UI shows as it is.

use crate::link::{Link, LinkState};
use limber_core::protocol::{Command, ErrorBody, NoArgs, PauseArgs, SetSettingsArgs, SnoozeArgs};
use serde_json::{Map, Value};
use tauri::State;

type Answer = Result<Value, ErrorBody>;

/// The last snapshots and whether the agent is reachable, for the UI's first render.
#[tauri::command]
pub fn agent_state(link: State<'_, Link>) -> LinkState {
    link.state()
}

#[tauri::command]
pub async fn set_settings(link: State<'_, Link>, values: Map<String, Value>) -> Answer {
    link.call(Command::SetSettings(SetSettingsArgs { values }))
        .await
}

#[tauri::command]
pub async fn snooze(link: State<'_, Link>, minutes: Option<u32>) -> Answer {
    link.call(Command::Snooze(SnoozeArgs { minutes })).await
}

#[tauri::command]
pub async fn skip(link: State<'_, Link>) -> Answer {
    link.call(Command::Skip(NoArgs {})).await
}

#[tauri::command]
pub async fn pause(link: State<'_, Link>, length: String) -> Answer {
    link.call(Command::Pause(PauseArgs { length })).await
}

#[tauri::command]
pub async fn resume(link: State<'_, Link>) -> Answer {
    link.call(Command::Resume(NoArgs {})).await
}

#[tauri::command]
pub async fn break_now(link: State<'_, Link>) -> Answer {
    link.call(Command::BreakNow(NoArgs {})).await
}
