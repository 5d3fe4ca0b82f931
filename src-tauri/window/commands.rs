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

/// After an update the agent and this window may speak different protocols: the banner's
/// Restart button runs `limber restart --open` (the `limber` beside this program, else the
/// one on `PATH`), in its own process group so it outlives this window, which the old
/// agent closes as it quits. Fixed arguments: the page chooses nothing.
#[tauri::command]
pub fn restart_agent() -> Result<(), ErrorBody> {
    use std::os::unix::process::CommandExt;
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("limber")))
        .filter(|path| path.is_file());
    let program = beside.unwrap_or_else(|| "limber".into());
    std::process::Command::new(&program)
        .args(["restart", "--open"])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .process_group(0)
        .spawn()
        .map(|_| ())
        .map_err(|e| {
            ErrorBody::new(
                ErrorCode::Unavailable,
                format!("cannot run {} restart: {e}", program.display()),
            )
        })
}

/// The page has the agent's data and its first screen's code: show the window now (unless
/// it waits unseen in standby for the agent), so it appears with the page's frame and
/// colours rather than blank white, and the page renders into it at its real size (WebKit
/// lays a hidden window out at no size and draws nothing).
#[tauri::command]
pub fn ready<R: tauri::Runtime>(
    window: tauri::WebviewWindow<R>,
    showing: tauri::State<'_, crate::showing::Showing>,
) {
    crate::timing("ready");
    crate::act(&window, showing.page_ready());
}

/// The page's first frame is on screen: the moment a request to open the window is
/// measured to (bench/, with `LIMBER_WINDOW_TIMING=1`).
#[tauri::command]
pub fn painted() {
    crate::timing("first paint");
    // Starting WebKit and laying out the first screen is the window's busiest moment; what
    // it allocated and freed meanwhile is not needed again.
    crate::heap::give_back_free_memory();
}

/// Sounds a session cue (see [`crate::cues`]); returns before it has sounded.
#[tauri::command]
pub fn cue(cues: State<'_, crate::cues::Cues>, cue: crate::cues::Cue) {
    cues.play(cue);
}
