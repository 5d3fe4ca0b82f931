//! Starting the resident agent: single-instance lock, socket, tray, driver.

use crate::clock::SystemClock;
use crate::control;
use crate::driver::Agent;
use crate::idle::{Idle, Wiring};
use crate::notify;
use crate::ports::{Input, Notice, Origin, Shell};
use crate::tray::{self, TrayModel};
use crate::window::{window_binary, WindowLauncher};
use futures_util::future::BoxFuture;
use limber_core::protocol::{OpenArgs, QuitArgs, View};
use limber_core::store::Paths;
use limber_ipc::{private_dir, Client};
use std::fs::File;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch};

/// The shell of the real agent: D-Bus notifications, the ksni tray, the window process.
pub struct RealShell {
    inputs: mpsc::UnboundedSender<Input>,
    idle: Idle,
    lock_detection: String,
    tray: Option<watch::Sender<TrayModel>>,
    window: WindowLauncher,
}

impl Shell for RealShell {
    fn notify(&mut self, notice: Notice) {
        notify::show(notice, self.inputs.clone());
    }

    fn spawn_window(&mut self, view: Option<View>) -> Result<(), String> {
        self.window.spawn(view, false).map(|_| ())
    }

    fn ready_window(&mut self, view: View) -> Result<bool, String> {
        self.window.spawn(Some(view), true)
    }

    fn end_window(&mut self) {
        self.window.end();
    }

    fn window_exited(&mut self, pid: u32) {
        self.window.exited(pid);
    }

    fn update_tray(&mut self, model: &TrayModel) {
        if let Some(tray) = &self.tray {
            let _ = tray.send(model.clone());
        }
    }

    fn idle_ms(&mut self) -> BoxFuture<'_, Option<u64>> {
        self.idle.idle_ms()
    }

    fn idle_description(&self) -> String {
        self.idle.describe()
    }

    fn lock_description(&self) -> String {
        self.lock_detection.clone()
    }

    fn set_natural_break(&mut self, minutes: u32) {
        self.idle.set_timeout(natural_break_ms(minutes));
    }
}

/// What `limber` (no verb) did.
#[derive(Debug, PartialEq, Eq)]
pub enum Started {
    /// This process was the agent and has now quit.
    RanAgent,
    /// Another agent was running; it was asked to open its window.
    AskedRunningAgent,
    /// Started at login while an agent already ran: nothing to do.
    AlreadyRunning,
}

/// Takes the agent lock, or tells the running agent to open its window (not when started
/// at login: then a running agent is left alone).
pub async fn start(paths: Paths, at_login: bool) -> Result<Started, String> {
    private_dir::prepare(&paths.runtime_dir).map_err(|e| e.to_string())?;
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(paths.lock_file())
        .map_err(|e| format!("cannot open {}: {e}", paths.lock_file().display()))?;
    match lock.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) if at_login => return Ok(Started::AlreadyRunning),
        Err(std::fs::TryLockError::WouldBlock) => {
            return ask_running_agent_to_open(&paths)
                .await
                .map(|()| Started::AskedRunningAgent)
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(format!("cannot lock {}: {e}", paths.lock_file().display()))
        }
    }
    run_agent(paths, at_login).await?;
    drop(lock);
    Ok(Started::RanAgent)
}

/// The other agent may still be starting: give it a few seconds to bind its socket.
async fn ask_running_agent_to_open(paths: &Paths) -> Result<(), String> {
    let mut last = String::new();
    for _ in 0..30 {
        match Client::connect(&paths.socket()).await {
            Ok(mut client) => {
                return client
                    .call(OpenArgs { view: None })
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            Err(e @ limber_ipc::ClientError::Updated { .. }) => return Err(e.to_string()),
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!(
        "another Limber agent holds the lock but does not answer: {last}"
    ))
}

async fn run_agent(paths: Paths, at_login: bool) -> Result<(), String> {
    let socket = paths.socket();
    let listener = control::bind(&socket).map_err(|e| e.to_string())?;
    log::info!(
        "Limber {} listening on {}",
        limber_core::VERSION,
        socket.display()
    );

    let (inputs, input_rx) = mpsc::unbounded_channel();
    let (events, _) = broadcast::channel(64);

    let initial_tray = TrayModel {
        headline: "Limber".to_owned(),
        state: limber_core::schedule::State::Active,
        snooze_min: limber_core::settings::Settings::default().snooze_min,
        can_snooze: true,
        session: None,
        routines: Vec::new(),
        therapy: None,
    };
    let tray_inputs = inputs.clone();
    let sink: tray::Sink = Box::new(move |event| {
        // Fails only while the agent is shutting down.
        let _ = tray_inputs.send(match event {
            tray::TrayEvent::Clicked(command) => Input::command(Origin::Tray, command),
            tray::TrayEvent::Host { online, detail } => Input::TrayHost { online, detail },
        });
    });
    let tray = match tray::spawn(initial_tray, sink).await {
        Ok(tray) => Some(tray),
        Err(e) => {
            // No session bus at all: the tray can never appear, so the window must.
            let _ = inputs.send(Input::TrayHost {
                online: false,
                detail: format!("tray unavailable: {e}"),
            });
            None
        }
    };
    let window = WindowLauncher::new(window_binary(), &socket, inputs.clone());
    let window_pid = window.live_pid();
    let reports = crate::busy::start(inputs.clone()).await;
    // The first threshold comes from the default settings; the driver sets the user's
    // natural break length as soon as it has read them.
    let default_natural = limber_core::settings::Settings::default().natural_break_min;
    let wiring = Wiring {
        inputs: inputs.clone(),
        reports,
    };
    let idle = Idle::detect(natural_break_ms(default_natural), wiring).await;
    log::info!("idle time: {}", idle.describe());
    let lock_detection = crate::logind::watch(inputs.clone()).await;
    log::info!("screen lock and sleep: {lock_detection}");
    let shell = RealShell {
        inputs: inputs.clone(),
        idle,
        lock_detection,
        tray,
        window,
    };
    let mut agent = Agent::new(SystemClock::new(), shell, paths, events.clone())
        .with_therapy_length(therapy_length_for_tests())
        .with_autostart_program(autostart_program())
        .with_login(at_login);
    if let Some(protocol) = protocol_for_tests() {
        agent = agent.with_protocol(protocol);
    }
    if at_login {
        let inputs = inputs.clone();
        tokio::spawn(async move {
            tokio::time::sleep(login_tray_wait()).await;
            let _ = inputs.send(Input::LoginTrayCheck);
        });
    }

    let server = tokio::spawn(control::serve(listener, inputs.clone(), events));
    // Once start-up is over (settings, history, routines read; tray and idle sources up),
    // what it used goes back: the agent settles at the size it waits in.
    tokio::spawn(async {
        tokio::time::sleep(Duration::from_secs(15)).await;
        crate::memory::release_freed();
    });
    let signals = tokio::spawn(quit_on_signal(inputs.clone()));
    drop(inputs);
    agent.run(input_rx).await;
    // The quit's own answer, and the quit event to windows, go out before the process ends.
    let _ = server.await;
    signals.abort();
    let _ = std::fs::remove_file(&socket);
    // Connections are still delivering the quit event; a window that never connected is
    // ended after a grace period.
    crate::window::end_window(&window_pid, Duration::from_secs(2)).await;
    log::info!("Limber agent stopped");
    Ok(())
}

/// What the login entry runs: plain `limber` when that is this very program on `PATH`
/// (the installed package), else this binary's absolute path (a build run from its
/// folder).
fn autostart_program() -> String {
    let Ok(exe) = std::env::current_exe().and_then(std::fs::canonicalize) else {
        return "limber".to_owned();
    };
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("limber"))
            .find(|candidate| candidate.is_file())
    });
    match on_path.and_then(|p| std::fs::canonicalize(p).ok()) {
        Some(found) if found == exe => "limber".to_owned(),
        _ => exe.display().to_string(),
    }
}

/// How long after a start at login the agent waits for a panel's tray before saying how to
/// reach it: panels often start after the programs of the session.
/// `LIMBER_TEST_LOGIN_TRAY_SECONDS` shortens it for tests.
fn login_tray_wait() -> Duration {
    let seconds = std::env::var("LIMBER_TEST_LOGIN_TRAY_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    Duration::from_secs(seconds)
}

/// `LIMBER_TEST_PROTOCOL=N` makes the agent say it speaks protocol N, so the end-to-end
/// tests can play an agent of another version. Not for real use.
fn protocol_for_tests() -> Option<u32> {
    let protocol = std::env::var("LIMBER_TEST_PROTOCOL").ok()?.parse().ok()?;
    log::warn!("LIMBER_TEST_PROTOCOL is set: the agent says it speaks protocol {protocol}");
    Some(protocol)
}

/// A natural break's length as a notification timeout (the protocols take `u32` ms).
fn natural_break_ms(minutes: u32) -> u32 {
    minutes.saturating_mul(60_000)
}

/// `LIMBER_TEST_THERAPY_SECONDS=N` makes every heat / ice timer last N seconds, so the
/// end-to-end tests need not wait 15 minutes. Not for real use.
fn therapy_length_for_tests() -> Option<chrono::Duration> {
    let seconds: i64 = std::env::var("LIMBER_TEST_THERAPY_SECONDS")
        .ok()?
        .parse()
        .ok()?;
    log::warn!("LIMBER_TEST_THERAPY_SECONDS is set: heat and ice timers last {seconds} s");
    Some(chrono::Duration::seconds(seconds))
}

async fn quit_on_signal(inputs: mpsc::UnboundedSender<Input>) {
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut int)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        log::warn!("cannot listen for SIGTERM/SIGINT");
        return;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    let _ = inputs.send(Input::command(Origin::Agent, QuitArgs {}.into()));
}
