//! The root package's one integration-test binary: only what needs the window crate, the
//! window's Tauri commands through `tauri::test::mock_builder` against a real agent in
//! the same process. Everything else is tested beside its own crate: the core in
//! `src-tauri/core/tests`, the agent in `src-tauri/agent/tests`.

// The agent's test fixtures (recording shell, in-process agent), shared rather than copied.
#[path = "../../src-tauri/agent/tests/agent/support.rs"]
#[allow(dead_code)]
mod support;
mod window;
