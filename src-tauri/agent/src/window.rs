//! Spawning and tracking `limber-window`, the Tauri process that exists only while the
//! window is open.

use crate::ports::Input;
use limber_core::protocol::View;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;
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
    limber_core::wire_name(&view)
}

/// Set for the window unless the agent's own environment sets it: WebKit allocates with
/// the system's allocator rather than its own, 1.5 MiB less for the window's processes
/// (bench/README.md; what it trades is in window/webview.rs). Setting it inside the
/// window's `main` is too late for the window process itself (measured: no change there),
/// so the agent gives it; the window sets it for the WebKit processes it starts.
const WINDOW_ENVIRONMENT: [(&str, &str); 1] = [("Malloc", "1")];

/// At most one window process started by this agent at a time.
pub struct WindowLauncher {
    binary: PathBuf,
    socket: PathBuf,
    running: Option<u32>,
    /// The pid of the running window (0: none), kept up to date by the task that waits
    /// for it, so it can be ended after the driver has stopped.
    live_pid: Arc<AtomicU32>,
    inputs: mpsc::UnboundedSender<Input>,
}

impl WindowLauncher {
    pub fn new(binary: PathBuf, socket: &Path, inputs: mpsc::UnboundedSender<Input>) -> Self {
        Self {
            binary,
            socket: socket.to_owned(),
            running: None,
            live_pid: Arc::default(),
            inputs,
        }
    }

    /// A handle for [`end_window`], usable after the launcher itself is gone.
    pub fn live_pid(&self) -> Arc<AtomicU32> {
        self.live_pid.clone()
    }

    pub fn running(&self) -> Option<u32> {
        self.running
    }

    /// Starts the window (`standby`: unseen, until the agent shows it). False when one is
    /// running already: a window still starting picks up the pending view when it
    /// subscribes.
    pub fn spawn(&mut self, view: Option<View>, standby: bool) -> Result<bool, String> {
        if self.running.is_some() {
            return Ok(false);
        }
        let mut command = tokio::process::Command::new(&self.binary);
        command
            .arg("--socket")
            .arg(&self.socket)
            .stdin(Stdio::null())
            .kill_on_drop(false);
        for (name, value) in WINDOW_ENVIRONMENT {
            if std::env::var_os(name).is_none() {
                command.env(name, value);
            }
        }
        if let Some(view) = view {
            command.arg("--view").arg(view_name(view));
        }
        if standby {
            command.arg("--standby");
        }
        let mut child = command
            .spawn()
            .map_err(|e| format!("{}: {e}", self.binary.display()))?;
        let pid = child.id().unwrap_or(0);
        log::info!(
            "started the window{} ({}, pid {pid})",
            if standby {
                " unseen, for a coming break"
            } else {
                ""
            },
            self.binary.display()
        );
        self.running = Some(pid);
        self.live_pid.store(pid, Ordering::SeqCst);
        let inputs = self.inputs.clone();
        let live_pid = self.live_pid.clone();
        tokio::spawn(async move {
            let detail = match child.wait().await {
                Ok(status) => status.to_string(),
                Err(e) => e.to_string(),
            };
            let _ = live_pid.compare_exchange(pid, 0, Ordering::SeqCst, Ordering::SeqCst);
            let _ = inputs.send(Input::WindowExited { pid, detail });
        });
        Ok(true)
    }

    /// Asks the running window process to end (SIGTERM); its exit is reported as usual.
    pub fn end(&mut self) {
        let Some(pid) = self
            .running
            .and_then(|pid| i32::try_from(pid).ok())
            .and_then(rustix::process::Pid::from_raw)
        else {
            return;
        };
        if let Err(e) = rustix::process::kill_process(pid, rustix::process::Signal::TERM) {
            log::warn!("could not end the window process: {e}");
        }
    }

    pub fn exited(&mut self, pid: u32) {
        if self.running == Some(pid) {
            self.running = None;
        }
    }
}

/// When the agent quits: a connected window closes itself on the `quit` event; one that
/// had not connected yet (still starting) gets `grace` to do so and is then sent SIGTERM,
/// so no window outlives the agent that started it.
pub async fn end_window(live_pid: &AtomicU32, grace: Duration) {
    let deadline = tokio::time::Instant::now() + grace;
    while live_pid.load(Ordering::SeqCst) != 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let pid = live_pid.load(Ordering::SeqCst);
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return;
    };
    log::info!(
        "ending the window (pid {}) that had not closed",
        pid.as_raw_nonzero()
    );
    let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
}
