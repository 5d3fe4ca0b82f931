//! `limber-gen DIR`: writes the man pages (`limber.1`, one page per verb, and
//! `limber-window.1`) into DIR/man and the bash, zsh and fish completions of `limber` into
//! DIR/completions, from the same clap definition the program parses with. Run by
//! `scripts/package.sh`.

use clap::CommandFactory;
use clap_complete::Shell;
use limber_agent::cli::Cli;
use std::path::PathBuf;
use std::process::ExitCode;

fn window_command() -> clap::Command {
    clap::Command::new("limber-window")
        .version(limber_core::VERSION)
        .about("Limber's window, started by the limber agent")
        .long_about(
            "limber-window shows Limber's screens: the break prompt, guided sessions, routines, \
             history, the guide, settings and About. The limber agent starts it when you open \
             Limber (from the tray, the applications menu or `limber open`), and it exits when \
             its window closes. It holds no state: everything it shows and changes belongs to \
             the agent. It is not meant to be run by hand.",
        )
        .arg(
            clap::Arg::new("socket")
                .long("socket")
                .value_name("PATH")
                .help("The agent's control socket (default: $XDG_RUNTIME_DIR/limber/control.sock)"),
        )
        .arg(
            clap::Arg::new("view").long("view").value_name("VIEW").help(
                "The screen to open on: session, routines, history, guide, settings or about",
            ),
        )
}

fn generate(dir: &std::path::Path) -> std::io::Result<()> {
    let (man, completions) = (dir.join("man"), dir.join("completions"));
    std::fs::create_dir_all(&man)?;
    std::fs::create_dir_all(&completions)?;
    let mut command = Cli::command().version(limber_core::VERSION);
    // Man pages: `limber.1` and `limber-<verb>.1`, which its SUBCOMMANDS section names.
    clap_mangen::generate_to(command.clone(), &man)?;
    clap_mangen::generate_to(window_command(), &man)?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        clap_complete::generate_to(shell, &mut command, "limber", &completions)?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: limber-gen DIR");
        return ExitCode::from(2);
    };
    match generate(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("limber-gen: {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}
