//! `limber-window`: the Tauri shell of Limber's web UI.
//!
//! Invariants: the window holds no state of its own beyond the last snapshots it received;
//! every change is a request to the agent over the control socket ([`link`]); commands are
//! thin proxies ([`commands`]). The process exits when its window closes, so no WebKit
//! process outlives the window.

pub mod commands;
pub mod cues;
mod heap;
pub mod link;
pub mod showing;
mod webview;

use clap::Parser;
use limber_core::protocol::View;
use showing::{Act, Showing};
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
    /// Start unseen and wait for the agent to show the window: the agent readies one this
    /// way shortly before a break, and ends it if the break does not come. It closes
    /// itself if not shown within 60 s.
    #[arg(long)]
    pub standby: bool,
    /// Added by WebKitWebDriver when a test drives the window; has no effect.
    #[arg(long, hide = true)]
    pub automation: bool,
}

fn parse_view(text: &str) -> Result<View, String> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| {
        format!("unknown view '{text}'; use session, routines, history, guide, settings or about")
    })
}

/// Wires the link to the agent and the commands into a builder; tests pass
/// `tauri::test::mock_builder()`. `standby`: see [`Args::standby`].
pub fn build_app<R: Runtime>(
    builder: tauri::Builder<R>,
    link: link::Link,
    standby: bool,
) -> tauri::Builder<R> {
    builder
        .manage(link)
        .manage(Showing::new(standby))
        .manage(cues::Cues::default())
        .invoke_handler(tauri::generate_handler![
            commands::agent_state,
            commands::agent,
            commands::restart_agent,
            commands::ready,
            commands::painted,
            commands::cue
        ])
        .setup(move |app| {
            // The configured window exists from here on (Tauri creates it just before
            // this hook, when the event loop starts), not yet after `build`.
            let showing = tauri::Manager::state::<Showing>(app).inner().clone();
            if standby {
                close_if_unwanted(app.handle().clone(), showing.clone());
            }
            if let Some(window) = tauri::Manager::get_webview_window(app, "main") {
                webview::tune(&window);
                if !standby {
                    webview::show_anyway(&window, &showing);
                }
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
        args.standby,
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

/// A standby window nobody asked for within [`showing::STANDBY_LIMIT`] closes itself, and
/// with it its WebKit processes: the agent that readied it would have ended it sooner.
fn close_if_unwanted<R: Runtime>(app: tauri::AppHandle<R>, showing: Showing) {
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(showing::STANDBY_LIMIT).await;
        if showing.unwanted() {
            timing("not asked for in standby; closing");
            app.exit(0);
        }
    });
}

/// Shows the window for the first time, or brings it forward, as [`Showing`] decides.
pub fn act<R: Runtime>(window: &tauri::WebviewWindow<R>, act: Act) {
    match act {
        Act::Show => {
            timing("shown");
            if let Err(e) = window.show() {
                eprintln!("limber-window: cannot show the window: {e}");
            }
            let _ = window.set_focus();
        }
        Act::Raise => {
            // Only what is needed: showing an already visible window again can leave
            // WebKit waiting for a frame (seen under Xvfb with no window manager).
            if !window.is_visible().unwrap_or(true) {
                let _ = window.show();
            }
            if window.is_minimized().unwrap_or(false) {
                let _ = window.unminimize();
            }
            let _ = window.set_focus();
        }
        Act::Wait => {}
    }
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
