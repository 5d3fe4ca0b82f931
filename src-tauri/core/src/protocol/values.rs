//! The names a request or a reply can hold: screens, roles, areas, export formats and
//! destinations. Both the commands and the replies use them; they use nothing else of the
//! protocol.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// A screen of the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::VariantArray)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum View {
    Session,
    Routines,
    History,
    Guide,
    Settings,
    About,
}

/// Who subscribes: the window is counted (one window at a time), other clients are not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Client,
    Window,
}

/// The parts of the agent's state that are sent as snapshots.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Status,
    Settings,
    /// Exercises and routines (built-in and the user's), and problems with routine files.
    Catalog,
    /// The figures of the history log.
    History,
}

/// The formats the history can be exported in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::VariantArray)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Csv,
    Json,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }
}

/// Where the agent writes an export. It writes the file itself, event by event, so an
/// export never travels over the socket and its size is not bounded by a line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ExportTo {
    /// A new file in the user's Downloads folder (the window's Export buttons).
    Downloads,
    /// This absolute path; an existing file is replaced only with `replace`.
    File {
        path: PathBuf,
        #[serde(default)]
        replace: bool,
    },
    /// A private file in the agent's runtime folder, for the CLI to copy to its standard
    /// output and delete.
    Spool,
}
