//! Tauri commands: thin proxies to the agent. `agent` forwards any protocol command (the
//! agent validates every argument and owns all state); its answer or its error
//! (`{code, message, field}`) reaches the UI as it is.

use crate::link::{Link, LinkState};
use limber_core::protocol::{parse_command, Command, ErrorBody, ErrorCode};
use serde_json::Value;
use tauri::State;

type Answer = Result<Value, ErrorBody>;

/// The last snapshots and whether the agent is reachable, for the UI's first render.
#[tauri::command]
pub fn agent_state(link: State<'_, Link>) -> LinkState {
    link.state()
}

/// Sends `{cmd, args}` to the agent, read by the same parser as the socket's. The link
/// subscribes by itself, so `subscribe` is the one command the page may not send.
#[tauri::command]
pub async fn agent(link: State<'_, Link>, cmd: String, args: Option<Value>) -> Answer {
    let command = parse_command(&cmd, args)?;
    if matches!(command, Command::Subscribe(_)) {
        return Err(ErrorBody::new(
            ErrorCode::BadArgs,
            "the window subscribes by itself",
        ));
    }
    link.call(command).await
}
