//! Tauri commands: thin proxies to the agent. `agent` forwards any protocol command (the
//! agent validates every argument and owns all state); its answer or its error
//! (`{code, message}`) reaches the UI as it is.

use crate::link::{Link, LinkState};
use limber_core::protocol::{Command, ErrorBody, ErrorCode};
use serde_json::{json, Value};
use tauri::State;

type Answer = Result<Value, ErrorBody>;

/// The last snapshots and whether the agent is reachable, for the UI's first render.
#[tauri::command]
pub fn agent_state(link: State<'_, Link>) -> LinkState {
    link.state()
}

/// Sends `{cmd, args}` to the agent. The link subscribes by itself, so `subscribe` is the
/// one command the UI may not send.
#[tauri::command]
pub async fn agent(link: State<'_, Link>, cmd: String, args: Option<Value>) -> Answer {
    let command: Command = serde_json::from_value(
        json!({"cmd": cmd, "args": args.unwrap_or(json!({}))}),
    )
    .map_err(|e| ErrorBody::new(ErrorCode::BadArgs, format!("bad command \"{cmd}\": {e}")))?;
    if matches!(command, Command::Subscribe(_)) {
        return Err(ErrorBody::new(
            ErrorCode::BadArgs,
            "the window subscribes by itself",
        ));
    }
    link.call(command).await
}
