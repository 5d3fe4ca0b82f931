//! `limber`: with no verb, starts the resident agent (or asks the running one to open its
//! window); with a verb, talks to the running agent over the control socket.

use clap::{Parser, Subcommand};
use limber_agent::client::{Client, ClientError};
use limber_agent::run::{start, Started};
use limber_core::protocol::{
    Command, GetSettingArgs, NoArgs, OpenArgs, PauseArgs, SetSettingsArgs, SnoozeArgs, Status, View,
};
use limber_core::store::Paths;
use serde_json::Value;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "limber",
    version,
    about = "Limber: stretch breaks and posture reminders from the tray",
    long_about = "Limber reminds you to move every hour and guides you through back-care stretches.\n\
                  Run `limber` with no verb to start it in the tray; the verbs talk to the running agent."
)]
struct Cli {
    #[command(subcommand)]
    verb: Option<Verb>,
}

#[derive(Subcommand)]
enum Verb {
    /// Open the Limber window (optionally on a screen)
    Open {
        #[arg(value_enum)]
        view: Option<ViewArg>,
    },
    /// Show the schedule: state, next break, pause
    Status {
        /// Print the full status as JSON (fields are documented in the README)
        #[arg(long)]
        json: bool,
    },
    /// Bring the break prompt now
    Break,
    /// Push the coming break back (default: the snooze setting)
    Snooze {
        /// Minutes, 1 to 120
        minutes: Option<u32>,
    },
    /// Skip the coming break: the next one is a full interval from now
    Skip,
    /// Pause reminders: 30m, 1h, 2h, a duration like 1h30m, tomorrow, or forever
    Pause {
        #[arg(default_value = "forever")]
        length: String,
    },
    /// Resume after a pause
    Resume,
    /// Read or change settings
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Quit the running agent
    Quit,
}

#[derive(Subcommand)]
enum ConfigAction {
    /// Print one setting, or all of them as JSON
    Get { key: Option<String> },
    /// Change one setting (validated; the error names the allowed range)
    Set { key: String, value: String },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ViewArg {
    Session,
    Routines,
    History,
    Guide,
    Settings,
}

impl From<ViewArg> for View {
    fn from(view: ViewArg) -> Self {
        match view {
            ViewArg::Session => View::Session,
            ViewArg::Routines => View::Routines,
            ViewArg::History => View::History,
            ViewArg::Guide => View::Guide,
            ViewArg::Settings => View::Settings,
        }
    }
}

fn paths() -> Result<Paths, String> {
    Paths::from_env(|name| std::env::var_os(name))
}

fn describe(status: &Status) -> String {
    use limber_core::schedule::State;
    let at = |t: &Option<String>| {
        t.as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.format("%H:%M").to_string())
            .unwrap_or_default()
    };
    // Rounded up, as in the tray: "in 1 min" until the break is due.
    let minutes = (status.schedule.next_break_in_s.unwrap_or(0).max(0) + 59) / 60;
    let line = match status.schedule.state {
        State::Active => format!(
            "Next break in {minutes} min (at {})",
            at(&status.schedule.next_break_at)
        ),
        State::Snoozed => format!(
            "Snoozed: next break in {minutes} min (at {})",
            at(&status.schedule.next_break_at)
        ),
        State::Due => "A break is due now.".to_owned(),
        State::Paused if status.schedule.paused_until.is_some() => {
            format!("Paused until {}", at(&status.schedule.paused_until))
        }
        State::Paused => "Paused until you resume".to_owned(),
        State::OffHours => match status
            .schedule
            .working_hours_resume_at
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        {
            Some(t) => format!(
                "Outside working hours; reminders start again {}",
                t.format("%a %H:%M")
            ),
            None => "Outside working hours".to_owned(),
        },
        State::InSession => "Stretching now".to_owned(),
    };
    let mut text = format!("Limber {}: {line}", status.version);
    if let Some(notice) = &status.settings_notice {
        text.push_str(&format!("\nNote: {notice}"));
    }
    if status.schedule.away {
        text.push_str("\nYou seem to be away: that counts as a break.");
    }
    if status.idle_detection.starts_with("none") {
        text.push_str(&format!("\nIdle time: {}", status.idle_detection));
    }
    if !status.tray {
        text.push_str("\nNo tray host: the tray icon is not shown on this desktop.");
    }
    text
}

async fn call(command: Command) -> Result<Value, ClientError> {
    let paths = paths().map_err(|e| ClientError::Io(std::io::Error::other(e)))?;
    Client::connect(&paths.socket()).await?.call(command).await
}

fn print_status(value: Value, json: bool) -> Result<(), String> {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    let status: Status = serde_json::from_value(value).map_err(|e| e.to_string())?;
    println!("{}", describe(&status));
    Ok(())
}

async fn run_verb(verb: Verb) -> Result<(), String> {
    let err = |e: ClientError| e.to_string();
    match verb {
        Verb::Open { view } => {
            call(Command::Open(OpenArgs {
                view: view.map(View::from),
            }))
            .await
            .map_err(err)?;
        }
        Verb::Status { json } => {
            print_status(call(Command::Status(NoArgs {})).await.map_err(err)?, json)?
        }
        Verb::Break => print_status(
            call(Command::BreakNow(NoArgs {})).await.map_err(err)?,
            false,
        )?,
        Verb::Snooze { minutes } => print_status(
            call(Command::Snooze(SnoozeArgs { minutes }))
                .await
                .map_err(err)?,
            false,
        )?,
        Verb::Skip => print_status(call(Command::Skip(NoArgs {})).await.map_err(err)?, false)?,
        Verb::Pause { length } => print_status(
            call(Command::Pause(PauseArgs { length }))
                .await
                .map_err(err)?,
            false,
        )?,
        Verb::Resume => print_status(call(Command::Resume(NoArgs {})).await.map_err(err)?, false)?,
        Verb::Config {
            action: ConfigAction::Get { key },
        } => {
            let value = call(Command::GetSettings(GetSettingArgs { key: key.clone() }))
                .await
                .map_err(err)?;
            let shown = match (key, value) {
                (Some(_), Value::String(s)) => s,
                (Some(_), other) => other.to_string(),
                (None, all) => {
                    serde_json::to_string_pretty(all.get("values").unwrap_or(&Value::Null))
                        .map_err(|e| e.to_string())?
                }
            };
            println!("{shown}");
        }
        Verb::Config {
            action: ConfigAction::Set { key, value },
        } => {
            // Numbers and booleans are passed as text; the agent's validation reads them.
            let mut values = serde_json::Map::new();
            values.insert(key.clone(), Value::String(value));
            call(Command::SetSettings(SetSettingsArgs { values }))
                .await
                .map_err(err)?;
            println!("{key} saved");
        }
        Verb::Quit => {
            call(Command::Quit(NoArgs {})).await.map_err(err)?;
            println!("Limber stopped");
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
    let result = runtime.block_on(async {
        match cli.verb {
            Some(verb) => run_verb(verb).await,
            None => match start(paths()?).await? {
                Started::RanAgent => Ok(()),
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
