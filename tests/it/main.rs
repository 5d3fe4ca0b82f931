//! The one integration-test binary: core scenarios over long simulated spans, the agent's
//! driver under tokio's paused clock, the control socket with hostile input, and the
//! window's commands through `tauri::test::mock_builder`.

mod agent;
mod content;
mod schedule;
mod sessions;
mod support;
mod window;
