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

/// The name a unit enum value has on the wire (its serde string): `Side::Left` → "left",
/// `View::Settings` → "settings". Empty for a value that is not a string on the wire.
pub fn wire_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// The version of Limber, shared by the agent, the window and `limber --version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
