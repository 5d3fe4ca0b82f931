//! What a verb can fail with, shared by the verbs and `limber restart`.

use limber_ipc::ClientError;

/// Everything a verb can fail with; printed after "limber: ", exit code 1.
#[derive(Debug, thiserror::Error)]
pub enum VerbError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Paths(String),
}
