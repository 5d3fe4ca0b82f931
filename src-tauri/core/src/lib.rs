//! Limber's pure core.
//!
//! Invariants: this crate knows nothing about Tauri, tokio, D-Bus or the window. It never
//! reads a clock: every function that depends on time takes a [`Now`]. The only module that
//! touches the file system is [`store`].

pub mod catalog;
pub mod history;
pub mod posture;
pub mod protocol;
pub mod schedule;
pub mod session;
pub mod settings;
pub mod stats;
pub mod store;
pub mod therapy;
pub mod time;

pub use time::Now;

/// The version of Limber, shared by the agent, the window and `limber --version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
