//! The command line: `limber` with no verb starts the agent (or asks the running one to
//! open its window); every verb is one typed request to the running agent.
//!
//! The definition lives in the library so the man page and shell completions are made
//! from it (`limber-gen`). Every value a user can name is parsed by the core's own types
//! (enums derive clap's `ValueEnum`; numbers and lengths parse through the same rules the
//! agent applies), so a bad value gets the same words everywhere, and exit code 1.

mod describe;
mod error;
mod restart;
mod verbs;

pub use verbs::run_verb;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use limber_core::history::{BackArea, Score};
use limber_core::protocol::{ExportFormat, TherapyAction, View};
use limber_core::schedule::{PauseLength, SnoozeMinutes};
use limber_core::session::SessionAction;
use limber_core::therapy::{TherapyKind, TherapyMinutes};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "limber",
    version,
    about = "Limber: stretch breaks and posture reminders from the tray",
    long_about = "Limber reminds you to move every hour and guides you through back-care stretches.\n\
                  Run `limber` with no verb to start it in the tray; the verbs talk to the running agent."
)]
pub struct Cli {
    #[command(subcommand)]
    pub verb: Option<Verb>,
    /// Started by the login entry: no window at every login, and nothing to do if
    /// Limber already runs.
    #[arg(long, hide = true)]
    pub login: bool,
}

/// `limber --version`: the version, the protocol, and where everything is kept.
pub fn version_text() -> String {
    use limber_core::store::Paths;
    let mut text = format!(
        "{}\nprotocol {}",
        limber_core::VERSION,
        limber_core::protocol::PROTOCOL_VERSION
    );
    match Paths::from_process_env() {
        Ok(paths) => {
            for (what, path) in [
                ("settings", paths.settings_file()),
                ("history", paths.history_file()),
                ("routines", paths.routines_dir()),
                ("socket", paths.socket()),
                ("login entry", paths.autostart_file()),
            ] {
                text.push_str(&format!("\n{what}: {}", path.display()));
            }
        }
        Err(e) => text.push_str(&format!("\nfiles: {e}")),
    }
    text
}

/// Parses the command line; `--version` prints [`version_text`] (`-V` the version alone).
pub fn parse() -> Result<Cli, clap::Error> {
    let command = Cli::command().long_version(version_text());
    let matches = command.try_get_matches()?;
    Cli::from_arg_matches(&matches)
}

#[derive(Subcommand, Debug)]
pub enum Verb {
    /// Open the Limber window (optionally on a screen)
    Open {
        #[arg(value_enum)]
        view: Option<View>,
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
        minutes: Option<SnoozeMinutes>,
    },
    /// Skip the coming break: the next one is a full interval from now
    Skip,
    /// Pause reminders: 30m, 1h, 2h, a duration like 1h30m, tomorrow, or forever
    Pause {
        #[arg(default_value = "forever")]
        length: PauseLength,
    },
    /// Resume after a pause
    Resume,
    /// Start a guided stretch session and open the window on it
    Start {
        /// A routine id (see `limber routines`); the default routine when left out
        routine: Option<String>,
        /// Run it without opening the window (follow it with `limber status`)
        #[arg(long)]
        no_window: bool,
    },
    /// Drive the running session: pause, resume, skip, back or stop
    Session {
        #[arg(value_enum)]
        action: SessionAction,
    },
    /// List the routines (built-in and your own) with their lengths
    Routines,
    /// Record how your back feels, 0 (no pain) to 10 (worst)
    CheckIn {
        score: Score,
        /// Where it hurts
        #[arg(long, value_enum)]
        area: Option<BackArea>,
        /// A short note
        #[arg(long)]
        note: Option<String>,
    },
    /// Heat or ice timer: `therapy ice [MIN]`, `therapy heat [MIN]`, `therapy pause|resume|stop`
    Therapy {
        /// ice or heat to start one; pause, resume or stop for the running one
        #[arg(value_parser = therapy_words())]
        what: String,
        /// Minutes, 5 to 20 (default 15; the guidance is 15 to 20 at a time)
        minutes: Option<TherapyMinutes>,
    },
    /// Export the whole history as CSV or JSON (to standard output, or a file)
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// Write to this file instead of standard output
        #[arg(long)]
        output: Option<PathBuf>,
        /// Replace the output file if it exists
        #[arg(long, requires = "output")]
        force: bool,
    },
    /// Read or change settings
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Quit the running agent
    Quit,
    /// Stop the running agent and start it again (after an update); starts it if none runs
    Restart {
        /// Open the window once the new agent runs
        #[arg(long)]
        open: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConfigAction {
    /// Print one setting, or all of them as JSON
    Get { key: Option<String> },
    /// Change one setting (validated; the error names the allowed range)
    Set { key: String, value: String },
}

/// The words `limber therapy` takes: the kinds (to start one) and the controls, from the
/// core's enums.
fn therapy_words() -> clap::builder::PossibleValuesParser {
    use clap::ValueEnum;
    let kinds = TherapyKind::value_variants()
        .iter()
        .filter_map(ValueEnum::to_possible_value);
    let controls = TherapyAction::value_variants()
        .iter()
        .filter(|a| **a != TherapyAction::Start)
        .filter_map(ValueEnum::to_possible_value);
    clap::builder::PossibleValuesParser::new(kinds.chain(controls))
}

/// `limber therapy WHAT [MIN]` as a request.
pub fn therapy_args(
    what: &str,
    minutes: Option<TherapyMinutes>,
) -> Result<limber_core::protocol::TherapyArgs, String> {
    use clap::ValueEnum;
    use limber_core::protocol::TherapyArgs;
    if let Ok(kind) = TherapyKind::from_str(what, true) {
        return Ok(TherapyArgs::start(kind, minutes));
    }
    let action = TherapyAction::from_str(what, true)?;
    if minutes.is_some() {
        return Err("minutes go with `therapy ice` or `therapy heat` only".to_owned());
    }
    Ok(TherapyArgs::control(action))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("limber").chain(args.iter().copied()))
    }

    #[test]
    fn values_are_parsed_by_the_cores_rules() {
        assert!(parse(&["snooze", "5"]).is_ok());
        let e = parse(&["snooze", "500"]).unwrap_err().to_string();
        assert!(e.contains("1 to 120 minutes"), "{e}");
        let e = parse(&["check-in", "11"]).unwrap_err().to_string();
        assert!(e.contains("0 (no pain) to 10"), "{e}");
        let e = parse(&["pause", "soon"]).unwrap_err().to_string();
        assert!(e.contains("not a pause length"), "{e}");
        let e = parse(&["therapy", "ice", "40"]).unwrap_err().to_string();
        assert!(e.contains("5 to 20 minutes"), "{e}");
        assert!(
            parse(&["therapy", "start"]).is_err(),
            "start takes ice or heat"
        );
        let e = parse(&["session", "dance"]).unwrap_err().to_string();
        assert!(e.contains("pause") && e.contains("stop"), "{e}");
        assert!(parse(&["open", "guide"]).is_ok());
        assert!(therapy_args("pause", None).is_ok());
        assert!(therapy_args("pause", Some(TherapyMinutes::default())).is_err());
    }
}
