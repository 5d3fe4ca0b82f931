//! `limber-window`: the Tauri shell of Limber's web UI.
//!
//! Invariants: the window holds no state of its own beyond the last snapshots it received;
//! every change is a request to the agent over the control socket ([`link`]); commands are
//! thin proxies ([`commands`]). The process exits when its window closes, so no WebKit
//! process outlives the window.

pub mod commands;
pub mod cues;
pub mod link;
mod webview;

use clap::Parser;
use limber_core::protocol::View;
use std::path::PathBuf;
use std::process::ExitCode;
use tauri::Runtime;

/// Command-line arguments; the agent passes `--socket` and `--view` when it spawns us.
#[derive(Parser, Debug, Default)]
#[command(
    name = "limber-window",
    version,
    about = "Limber's window (started by the limber agent)"
)]
pub struct Args {
    /// The agent's control socket (default: $XDG_RUNTIME_DIR/limber/control.sock)
    #[arg(long)]
    pub socket: Option<PathBuf>,
    /// The screen to open on
    #[arg(long, value_parser = parse_view)]
    pub view: Option<View>,
    /// Added by WebKitWebDriver when a test drives the window; has no effect.
    #[arg(long, hide = true)]
    pub automation: bool,
}

fn parse_view(text: &str) -> Result<View, String> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| {
        format!("unknown view '{text}'; use session, routines, history, guide, settings or about")
    })
}

/// Whether the window was shown yet (see [`commands::ready`]): once, by the page or by
/// the fallback in [`webview::show_anyway`], whichever comes first.
#[derive(Clone, Default)]
pub struct Shown(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Shown {
    /// True the first time only.
    pub fn first(&self) -> bool {
        !self.0.swap(true, std::sync::atomic::Ordering::SeqCst)
    }
}

/// Wires the link to the agent and the commands into a builder; tests pass
/// `tauri::test::mock_builder()`.
pub fn build_app<R: Runtime>(builder: tauri::Builder<R>, link: link::Link) -> tauri::Builder<R> {
    builder
        .manage(link)
        .manage(Shown::default())
        .manage(cues::Cues::default())
        .invoke_handler(tauri::generate_handler![
            commands::agent_state,
            commands::agent,
            commands::restart_agent,
            commands::ready,
            commands::painted,
            commands::cue
        ])
        .setup(|app| {
            // The configured window exists from here on (Tauri creates it just before
            // this hook, when the event loop starts), not yet after `build`.
            if let Some(window) = tauri::Manager::get_webview_window(app, "main") {
                webview::tune(&window);
                webview::show_anyway(&window, tauri::Manager::state::<Shown>(app).inner());
            }
            link::start(app.handle().clone());
            Ok(())
        })
}

pub fn run() -> ExitCode {
    webview::before_start();
    let args = Args::parse();
    let socket = match args.socket {
        Some(socket) => socket,
        None => match limber_core::store::Paths::from_env(|name| std::env::var_os(name)) {
            Ok(paths) => paths.socket(),
            Err(e) => {
                eprintln!("limber-window: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    timing("started");
    let app = build_app(
        tauri::Builder::default(),
        link::Link::new(socket, args.view),
    )
    .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(e) => {
            eprintln!("limber-window: {e}");
            return ExitCode::FAILURE;
        }
    };
    app.run(|_, _| {});
    ExitCode::SUCCESS
}

/// With `LIMBER_WINDOW_TIMING=1` (the benchmark sets it), says when the window reached a
/// step, in wall-clock milliseconds, so a request can be timed to the first frame.
pub fn timing(step: &str) {
    if std::env::var_os("LIMBER_WINDOW_TIMING").is_some() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        eprintln!("limber-window: {step} at {now} ms");
    }
}
