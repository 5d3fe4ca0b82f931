// No console window on Windows release builds; Limber targets Linux first.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    limber_window::run()
}
