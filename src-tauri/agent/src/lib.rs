//! The resident agent `limber`: owns all state, runs the core's timers, shows the tray and
//! notifications, and answers the control socket.
//!
//! Invariant: nothing here links WebKit or GTK (`cargo tree -p limber` shows neither); the
//! window is a separate process, `limber-window`, spawned on demand.

pub mod busy;
pub mod cli;
pub mod clock;
pub mod control;
pub mod driver;
pub mod icons;
pub mod idle;
pub mod logind;
pub mod memory;
pub mod notify;
pub mod ports;
pub mod run;
pub mod tray;
pub mod window;

pub use limber_core as core;
