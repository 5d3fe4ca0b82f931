//! Spawning and tracking `limber-window`, the Tauri process that exists only while the
//! window is open.

use crate::driver::Input;
use limber_core::protocol::View;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use tokio::sync::mpsc;

/// Where `limber-window` is: `$LIMBER_WINDOW_BIN`, else beside the `limber` executable,
/// else on `$PATH`.
pub fn window_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("LIMBER_WINDOW_BIN") {
        return PathBuf::from(path);
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("limber-window")))
        .filter(|candidate| candidate.exists())
        .unwrap_or_else(|| PathBuf::from("limber-window"))
}

pub fn view_name(view: View) -> String {
    serde_json::to_value(view)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// At most one window process started by this agent at a time.
pub struct WindowLauncher {
    binary: PathBuf,
    socket: PathBuf,
    running: Option<u32>,
    inputs: mpsc::UnboundedSender<Input>,
}

impl WindowLauncher {
    pub fn new(binary: PathBuf, socket: &Path, inputs: mpsc::UnboundedSender<Input>) -> Self {
        Self {
            binary,
            socket: socket.to_owned(),
            running: None,
            inputs,
        }
    }

    pub fn running(&self) -> Option<u32> {
        self.running
    }

    pub fn spawn(&mut self, view: Option<View>) -> Result<(), String> {
        if self.running.is_some() {
            // Still starting up: it picks up the pending view when it subscribes.
            return Ok(());
        }
        let mut command = tokio::process::Command::new(&self.binary);
        command
            .arg("--socket")
            .arg(&self.socket)
            .stdin(Stdio::null())
            .kill_on_drop(false);
        if let Some(view) = view {
            command.arg("--view").arg(view_name(view));
        }
        let mut child = command
            .spawn()
            .map_err(|e| format!("{}: {e}", self.binary.display()))?;
        let pid = child.id().unwrap_or(0);
        log::info!("started the window ({}, pid {pid})", self.binary.display());
        self.running = Some(pid);
        let inputs = self.inputs.clone();
        tokio::spawn(async move {
            let detail = match child.wait().await {
                Ok(status) => status.to_string(),
                Err(e) => e.to_string(),
            };
            let _ = inputs.send(Input::WindowExited { pid, detail });
        });
        Ok(())
    }

    pub fn exited(&mut self, pid: u32) {
        if self.running == Some(pid) {
            self.running = None;
        }
    }
}
