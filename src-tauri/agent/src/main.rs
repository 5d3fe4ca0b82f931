//! `limber`: with no verb, starts the resident agent (or asks the running one to open its
//! window); with a verb, talks to the running agent over the control socket.

use limber_agent::cli::{self, run_verb};
use limber_agent::run::{start, Started};
use limber_core::store::Paths;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::parse() {
        Ok(cli) => cli,
        // --help and --version print and succeed; every other mistake exits 1 (clap's
        // own default is 2), as the README promises.
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("limber: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result: Result<(), String> = runtime.block_on(async {
        match cli.verb {
            Some(verb) => run_verb(verb).await.map_err(|e| e.to_string()),
            None => match start(Paths::from_process_env()?, cli.login).await? {
                Started::RanAgent | Started::AlreadyRunning => Ok(()),
                Started::AskedRunningAgent => {
                    println!("Limber is already running; its window was asked to open.");
                    Ok(())
                }
            },
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("limber: {message}");
            ExitCode::FAILURE
        }
    }
}
