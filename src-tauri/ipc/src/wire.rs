//! Framing: one JSON value per line. Requests are at most
//! [`MAX_REQUEST_BYTES`](limber_core::protocol::MAX_REQUEST_BYTES) and are read as bytes (a
//! line that is not UTF-8 gets an answer, not a dropped connection); the agent's lines are
//! at most [`MAX_MESSAGE_BYTES`](limber_core::protocol::MAX_MESSAGE_BYTES).

use limber_core::protocol::{MAX_MESSAGE_BYTES, MAX_REQUEST_BYTES};
use serde::Serialize;
use tokio_util::codec::{AnyDelimiterCodec, LinesCodec};

/// The agent's reader of requests.
pub fn request_codec() -> AnyDelimiterCodec {
    AnyDelimiterCodec::new_with_max_length(b"\n".to_vec(), b"\n".to_vec(), MAX_REQUEST_BYTES)
}

/// A client's reader of the agent's replies and events.
pub fn message_codec() -> LinesCodec {
    LinesCodec::new_with_max_length(MAX_MESSAGE_BYTES)
}

#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    #[error("could not write JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("a line of {0} bytes is longer than the {1} allowed")]
    TooLong(usize, usize),
}

/// One value as one line (without the newline), refused if longer than `max`.
pub fn encode<T: Serialize>(value: &T, max: usize) -> Result<String, EncodeError> {
    let line = serde_json::to_string(value)?;
    if line.len() > max {
        return Err(EncodeError::TooLong(line.len(), max));
    }
    Ok(line)
}

/// A request as a client sends it.
pub fn encode_request(request: &limber_core::protocol::Request) -> Result<String, EncodeError> {
    encode(request, MAX_REQUEST_BYTES)
}

/// A reply or event as the agent sends it.
pub fn encode_message<T: Serialize>(message: &T) -> Result<String, EncodeError> {
    encode(message, MAX_MESSAGE_BYTES)
}
