//! The agent's one integration-test binary: the driver under tokio's paused clock, sessions
//! and timers through the real driver, and the control socket under hostile input. Only
//! the desktop (D-Bus, processes) is replaced, by a recording shell; files are real, in
//! temporary folders. Builds without Tauri.

mod driver;
mod login;
mod presence;
mod sessions;
mod support;
