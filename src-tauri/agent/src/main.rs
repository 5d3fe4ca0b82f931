//! `limber`: with no verb, starts the resident agent (or asks the running one to open its
//! window); with a verb, talks to the running agent over the control socket.

use clap::{Parser, Subcommand};
use limber_agent::client::{Client, ClientError};
use limber_agent::run::{start, Started};
use limber_core::protocol::{
    CheckInArgs, Command, ExportArgs, GetSettingArgs, NoArgs, OpenArgs, PauseArgs, SessionAction,
    SessionArgs, SetSettingsArgs, SnoozeArgs, StartArgs, Status, View,
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
    /// Start a guided stretch session and open the window on it
    Start {
        /// A routine id (see `limber routines`); the hourly routine when left out
        routine: Option<String>,
        /// Run it without opening the window (follow it with `limber status`)
        #[arg(long)]
        no_window: bool,
    },
    /// Drive the running session: pause, resume, skip, back or stop
    Session {
        #[arg(value_enum)]
        action: SessionVerb,
    },
    /// List the routines (built-in and your own) with their lengths
    Routines,
    /// Record how your back feels, 0 (no pain) to 10 (worst)
    CheckIn {
        score: u8,
        /// Where: lower, middle, upper or neck
        #[arg(long, value_enum)]
        area: Option<AreaArg>,
        /// A short note
        #[arg(long)]
        note: Option<String>,
    },
    /// Heat or ice timer: `therapy ice [MIN]`, `therapy heat [MIN]`, `therapy stop|pause|resume`
    Therapy {
        #[arg(value_enum)]
        action: TherapyVerb,
        /// Minutes, 5 to 20 (default 15; the guidance is 15 to 20 at a time)
        minutes: Option<u32>,
    },
    /// Print the whole history as CSV or JSON
    Export {
        #[arg(long, value_enum, default_value = "csv")]
        format: FormatArg,
        /// Write to this file instead of standard output
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
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
enum SessionVerb {
    Pause,
    Resume,
    Skip,
    Back,
    Stop,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum TherapyVerb {
    Ice,
    Heat,
    Stop,
    Pause,
    Resume,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum AreaArg {
    Lower,
    Middle,
    Upper,
    Neck,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Csv,
    Json,
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
        State::InSession => match &status.session {
            Some(session) => format!(
                "{} · {} · {} · {}:{:02}{}",
                session.routine_name,
                session.exercise_name,
                session.cue,
                session.remaining_s / 60,
                session.remaining_s % 60,
                if session.state == "paused" {
                    " (paused)"
                } else {
                    ""
                }
            ),
            None => "Stretching now".to_owned(),
        },
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
    if let Some(therapy) = &status.therapy {
        let kind = match therapy.kind {
            limber_core::history::TherapyKind::Ice => "Ice",
            limber_core::history::TherapyKind::Heat => "Heat",
        };
        text.push_str(&format!(
            "\n{kind} timer: {}:{:02} left{}",
            therapy.remaining_s / 60,
            therapy.remaining_s % 60,
            if therapy.state == "paused" {
                " (paused)"
            } else {
                ""
            }
        ));
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
        Verb::Start { routine, no_window } => print_status(
            call(Command::Start(StartArgs {
                routine,
                open: !no_window,
            }))
            .await
            .map_err(err)?,
            false,
        )?,
        Verb::Session { action } => {
            let action = match action {
                SessionVerb::Pause => SessionAction::Pause,
                SessionVerb::Resume => SessionAction::Resume,
                SessionVerb::Skip => SessionAction::Skip,
                SessionVerb::Back => SessionAction::Back,
                SessionVerb::Stop => SessionAction::Stop,
            };
            print_status(
                call(Command::Session(SessionArgs { action }))
                    .await
                    .map_err(err)?,
                false,
            )?
        }
        Verb::Routines => {
            let catalog = call(Command::Catalog(NoArgs {})).await.map_err(err)?;
            for routine in catalog["routines"].as_array().into_iter().flatten() {
                let total = routine["total_s"].as_u64().unwrap_or(0);
                println!(
                    "{:<20} {:>3} min  {}",
                    routine["id"].as_str().unwrap_or_default(),
                    limber_agent::driver::minutes_label(u32::try_from(total).unwrap_or(u32::MAX)),
                    routine["name"].as_str().unwrap_or_default()
                );
            }
            for problem in catalog["errors"].as_array().into_iter().flatten() {
                eprintln!("not loaded: {}", problem.as_str().unwrap_or_default());
            }
        }
        Verb::CheckIn { score, area, note } => {
            let area = area.map(|a| match a {
                AreaArg::Lower => limber_core::history::BackArea::Lower,
                AreaArg::Middle => limber_core::history::BackArea::Middle,
                AreaArg::Upper => limber_core::history::BackArea::Upper,
                AreaArg::Neck => limber_core::history::BackArea::Neck,
            });
            call(Command::CheckIn(CheckInArgs {
                score,
                area,
                note,
                after_session: false,
            }))
            .await
            .map_err(err)?;
            println!("Check-in saved");
        }
        Verb::Therapy { action, minutes } => {
            use limber_core::history::TherapyKind;
            use limber_core::protocol::{TherapyAction, TherapyArgs};
            let (action, kind) = match action {
                TherapyVerb::Ice => (TherapyAction::Start, Some(TherapyKind::Ice)),
                TherapyVerb::Heat => (TherapyAction::Start, Some(TherapyKind::Heat)),
                TherapyVerb::Stop => (TherapyAction::Stop, None),
                TherapyVerb::Pause => (TherapyAction::Pause, None),
                TherapyVerb::Resume => (TherapyAction::Resume, None),
            };
            if minutes.is_some() && action != TherapyAction::Start {
                return Err("minutes go with `therapy ice` or `therapy heat` only".to_owned());
            }
            print_status(
                call(Command::Therapy(TherapyArgs {
                    action,
                    kind,
                    minutes,
                }))
                .await
                .map_err(err)?,
                false,
            )?
        }
        Verb::Export { format, output } => {
            let format = match format {
                FormatArg::Csv => "csv",
                FormatArg::Json => "json",
            };
            let value = call(Command::ExportHistory(ExportArgs {
                format: format.to_owned(),
                save: false,
            }))
            .await
            .map_err(err)?;
            let text = value["text"].as_str().unwrap_or_default();
            match output {
                Some(path) => {
                    std::fs::write(&path, text)
                        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                    println!("History written to {}", path.display());
                }
                None => print!("{text}"),
            }
        }
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
