//! What each verb asks the agent, and how its answer is printed.

use super::describe::{describe, printable};
use super::error::VerbError;
use super::{therapy_args, ConfigAction, Verb};
use limber_core::protocol::{
    BreakNowArgs, CatalogArgs, CheckInArgs, ExportHistoryArgs, ExportTo, GetSettingArgs,
    GetSettingsArgs, OpenArgs, PauseArgs, QuitArgs, ResumeArgs, SessionArgs, SetSettingsArgs,
    SkipArgs, SnoozeArgs, StartArgs, Status, StatusArgs,
};
use limber_core::store::Paths;
use limber_ipc::Client;
use serde_json::Value;
use std::io::Write;

/// How long `limber export` waits for the agent to write the file.
const EXPORT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

async fn connect() -> Result<Client, VerbError> {
    let paths = Paths::from_process_env().map_err(VerbError::Paths)?;
    Ok(Client::connect(&paths.socket()).await?)
}

fn print_status(status: &Status, json: bool) -> Result<(), VerbError> {
    if json {
        let text = serde_json::to_string_pretty(status).map_err(std::io::Error::other)?;
        println!("{text}");
    } else {
        println!("{}", describe(status));
    }
    Ok(())
}

pub async fn run_verb(verb: Verb) -> Result<(), VerbError> {
    // Restarting must work whatever version the running agent speaks.
    if let Verb::Restart { open } = verb {
        return super::restart::restart(open).await;
    }
    let mut client = connect().await?;
    match verb {
        Verb::Open { view } => {
            client.call(OpenArgs { view }).await?;
        }
        Verb::Status { json } => print_status(&client.call(StatusArgs {}).await?, json)?,
        Verb::Break => print_status(&client.call(BreakNowArgs {}).await?, false)?,
        Verb::Snooze { minutes } => {
            print_status(&client.call(SnoozeArgs { minutes }).await?, false)?
        }
        Verb::Skip => print_status(&client.call(SkipArgs {}).await?, false)?,
        Verb::Pause { length } => print_status(&client.call(PauseArgs { length }).await?, false)?,
        Verb::Resume => print_status(&client.call(ResumeArgs {}).await?, false)?,
        Verb::Start { routine, no_window } => {
            let args = StartArgs {
                routine,
                open: !no_window,
            };
            print_status(&client.call(args).await?, false)?
        }
        Verb::Session { action } => {
            let args = SessionArgs {
                action,
                open: false,
            };
            print_status(&client.call(args).await?, false)?
        }
        Verb::Routines => {
            let catalog = client.call(CatalogArgs {}).await?;
            for routine in &catalog.routines {
                println!(
                    "{:<20} {:>3} min  {}",
                    routine.id,
                    routine.minutes(),
                    printable(&routine.name)
                );
            }
            for problem in &catalog.errors {
                eprintln!("not loaded: {}", printable(&problem.to_string()));
            }
        }
        Verb::CheckIn { score, area, note } => {
            let note = match note {
                Some(text) if !text.trim().is_empty() => Some(
                    limber_core::history::Note::try_from(text)
                        .map_err(|e| VerbError::Usage(e.to_string()))?,
                ),
                _ => None,
            };
            client
                .call(CheckInArgs {
                    score,
                    area,
                    note,
                    after_session: false,
                })
                .await?;
            println!("Check-in saved");
        }
        Verb::Therapy { what, minutes } => {
            let args = therapy_args(&what, minutes).map_err(VerbError::Usage)?;
            print_status(&client.call(args).await?, false)?
        }
        Verb::Export {
            format,
            output,
            force,
        } => {
            // A history of years takes a while to write; the agent answers when it is done.
            client.set_timeout(EXPORT_TIMEOUT);
            match output {
                Some(path) => {
                    // The agent writes the file; it needs the path as this shell means it.
                    let path = std::path::absolute(&path)?;
                    let exported = client
                        .call(ExportHistoryArgs {
                            format,
                            to: ExportTo::File {
                                path,
                                replace: force,
                            },
                        })
                        .await?;
                    println!(
                        "History written to {} ({} events)",
                        exported.path.display(),
                        exported.events
                    );
                }
                None => {
                    let exported = client
                        .call(ExportHistoryArgs {
                            format,
                            to: ExportTo::Spool,
                        })
                        .await?;
                    let copied = copy_to_stdout(&exported.path);
                    let _ = std::fs::remove_file(&exported.path);
                    copied?;
                }
            }
        }
        Verb::Config {
            action: ConfigAction::Get { key: Some(key) },
        } => {
            let setting = client.call(GetSettingArgs { key }).await?;
            match setting.value {
                Value::String(s) => println!("{s}"),
                other => println!("{other}"),
            }
        }
        Verb::Config {
            action: ConfigAction::Get { key: None },
        } => {
            let settings = client.call(GetSettingsArgs {}).await?;
            let text =
                serde_json::to_string_pretty(&settings.values).map_err(std::io::Error::other)?;
            println!("{text}");
        }
        Verb::Config {
            action: ConfigAction::Set { key, value },
        } => {
            // Numbers and booleans are passed as text; the settings table reads them.
            let mut values = serde_json::Map::new();
            values.insert(key.clone(), Value::String(value));
            client.call(SetSettingsArgs { values }).await?;
            println!("{key} saved");
        }
        Verb::Quit => {
            client.call(QuitArgs {}).await?;
            println!("Limber stopped");
        }
        Verb::Restart { open } => return super::restart::restart(open).await,
    }
    Ok(())
}

/// Copies a spooled export to standard output in pieces (an export can be large).
fn copy_to_stdout(path: &std::path::Path) -> Result<(), VerbError> {
    let mut file = limber_core::store::open_regular(path)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    std::io::copy(&mut file, &mut out)?;
    out.flush()?;
    Ok(())
}
