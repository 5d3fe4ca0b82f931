//! Generates the Tauri context, and one `allow-<command>` permission per app command so
//! the capability in src-tauri/capabilities can grant exactly these and nothing else.

fn main() {
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("./src-tauri/capabilities/*.json")
        .app_manifest(tauri_build::AppManifest::new().commands(&[
            "agent_state",
            "agent",
            "restart_agent",
            "ready",
            "painted",
            "cue",
        ]));
    if let Err(e) = tauri_build::try_build(attributes) {
        eprintln!("tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}
