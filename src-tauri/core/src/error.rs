//! Everything a command can fail with, typed. The socket's `{code, message}` is made from
//! these in one place ([`AgentError::body`]); nobody reads a code out of a message.

use crate::catalog::CatalogError;
use crate::protocol::{ErrorBody, ErrorCode};
use crate::settings::{SettingError, SettingErrors};
use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    /// An argument that does not fit the others (the parser checks each on its own).
    #[error("{field}: {message}")]
    BadArg {
        field: &'static str,
        message: String,
    },
    /// Settings that do not validate (nothing was changed).
    #[error(transparent)]
    Settings(#[from] SettingErrors),
    #[error("{0}")]
    UnknownSetting(SettingError),
    #[error("no routine \"{id}\"; the routines are {known}")]
    NoSuchRoutine { id: String, known: String },
    /// A routine file (imported or from the builder) that does not validate.
    #[error(transparent)]
    Routine(#[from] CatalogError),
    #[error(transparent)]
    BuiltInId(#[from] crate::catalog::BuiltInId),
    #[error("built-in routines cannot be deleted")]
    BuiltInRoutine,
    #[error(
        "a routine with the id \"{0}\" already exists; replace it, or give this one another id"
    )]
    RoutineExists(String),
    #[error("a session is already running ({0}); end it first with `limber session stop`")]
    SessionRunning(String),
    #[error("no session is running; start one with `limber start`")]
    NoSession,
    #[error("a {0} timer is already running; stop it first with `limber therapy stop`")]
    TherapyRunning(&'static str),
    #[error("no heat or ice timer is running; start one with `limber therapy ice` or `limber therapy heat`")]
    NoTherapy,
    #[error("{} could not be moved aside, so Limber will not overwrite it; fix or remove it and restart Limber", .0.display())]
    SettingsNotWritable(PathBuf),
    #[error("{path} already exists; choose another file, or replace it (`--force`)", path = .0.display())]
    FileExists(PathBuf),
    #[error("an export path must be absolute (got {})", .0.display())]
    RelativePath(PathBuf),
    #[error("could not {what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
    #[error("{0}")]
    HistoryNotSaved(String),
    #[error(transparent)]
    SnoozeLimit(#[from] crate::schedule::SnoozeLimit),
    #[error("the agent is shutting down")]
    ShuttingDown,
}

impl AgentError {
    pub fn io(what: impl Into<String>, source: io::Error) -> AgentError {
        AgentError::Io {
            what: what.into(),
            source,
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            AgentError::Settings(_) | AgentError::Routine(_) | AgentError::BuiltInId(_) => {
                ErrorCode::InvalidValue
            }
            AgentError::BadArg { .. }
            | AgentError::UnknownSetting(_)
            | AgentError::RelativePath(_) => ErrorCode::BadArgs,
            AgentError::NoSuchRoutine { .. } => ErrorCode::NotFound,
            AgentError::RoutineExists(_) | AgentError::FileExists(_) => ErrorCode::Exists,
            AgentError::BuiltInRoutine
            | AgentError::SessionRunning(_)
            | AgentError::NoSession
            | AgentError::TherapyRunning(_)
            | AgentError::NoTherapy => ErrorCode::Conflict,
            AgentError::SettingsNotWritable(_)
            | AgentError::Io { .. }
            | AgentError::HistoryNotSaved(_) => ErrorCode::Io,
            AgentError::SnoozeLimit(_) => ErrorCode::Limit,
            AgentError::ShuttingDown => ErrorCode::Unavailable,
        }
    }

    /// The `{code, message, field, fields}` sent on the socket.
    pub fn body(&self) -> ErrorBody {
        let mut body = ErrorBody::new(self.code(), self.to_string());
        match self {
            AgentError::Settings(errors) => body.fields = errors.0.clone(),
            AgentError::BadArg { field, .. } => body.field = Some((*field).to_owned()),
            AgentError::UnknownSetting(_) => body.field = Some("key".to_owned()),
            AgentError::RelativePath(_) => body.field = Some("path".to_owned()),
            _ => {}
        }
        body
    }
}

impl From<AgentError> for ErrorBody {
    fn from(error: AgentError) -> ErrorBody {
        error.body()
    }
}
