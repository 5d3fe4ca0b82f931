//! A small request/reply client of the control socket, used by the CLI verbs.

use limber_core::protocol::{Command, ErrorBody, Outcome, Request, ServerMessage, MAX_LINE_BYTES};
use serde_json::Value;
use std::io;
use std::path::Path;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixStream;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("Limber is not running (no agent at {0}); start it with `limber`")]
    NotRunning(String),
    #[error("{0}")]
    Agent(ErrorBody),
    #[error("talking to the Limber agent failed: {0}")]
    Io(#[from] io::Error),
    #[error("the Limber agent did not answer within {0:?}")]
    Timeout(Duration),
}

/// How long a CLI call waits for the agent before giving up.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);

pub struct Client {
    reader: BufReader<tokio::net::unix::OwnedReadHalf>,
    writer: tokio::net::unix::OwnedWriteHalf,
    next_id: u64,
}

impl Client {
    pub async fn connect(socket: &Path) -> Result<Client, ClientError> {
        match UnixStream::connect(socket).await {
            Ok(stream) => {
                let (read, writer) = stream.into_split();
                Ok(Client {
                    reader: BufReader::new(read),
                    writer,
                    next_id: 1,
                })
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused
                ) =>
            {
                Err(ClientError::NotRunning(socket.display().to_string()))
            }
            Err(e) => Err(ClientError::Io(e)),
        }
    }

    /// Sends one command and waits for its reply, skipping any events in between.
    pub async fn call(&mut self, command: Command) -> Result<Value, ClientError> {
        tokio::time::timeout(CALL_TIMEOUT, self.call_inner(command))
            .await
            .map_err(|_| ClientError::Timeout(CALL_TIMEOUT))?
    }

    async fn call_inner(&mut self, command: Command) -> Result<Value, ClientError> {
        let id = self.next_id;
        self.next_id += 1;
        let mut line = serde_json::to_vec(&Request { id, command }).map_err(io::Error::other)?;
        line.push(b'\n');
        self.writer.write_all(&line).await?;
        loop {
            let mut buf = Vec::new();
            let limit = (MAX_LINE_BYTES * 16) as u64;
            let n = (&mut self.reader)
                .take(limit)
                .read_until(b'\n', &mut buf)
                .await?;
            if n == 0 {
                return Err(ClientError::Io(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "the agent closed the connection",
                )));
            }
            match serde_json::from_slice::<ServerMessage>(&buf) {
                Ok(ServerMessage::Reply(reply)) if reply.id == id => {
                    return match reply.outcome {
                        Outcome::Ok(value) => Ok(value),
                        Outcome::Error(body) => Err(ClientError::Agent(body)),
                    }
                }
                Ok(_) => continue,
                Err(e) => {
                    return Err(ClientError::Io(io::Error::new(
                        io::ErrorKind::InvalidData,
                        e,
                    )))
                }
            }
        }
    }
}
