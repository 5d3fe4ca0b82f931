//! The control socket server: newline-delimited JSON, one task per connection.
//!
//! Invariants: only the user's own processes are served (the folder is private and each
//! peer's uid is checked); no line from a client can panic the agent or grow memory
//! without bound (lines are capped at `MAX_REQUEST_BYTES`; a longer one gets
//! `line_too_long` and is discarded up to its newline); every request gets exactly one
//! reply; a client that stops reading is dropped rather than waited for.

use crate::ports::{ConnId, Input, Responder};
use futures_util::StreamExt;
use limber_core::protocol::{
    parse_request, Command, ErrorBody, ErrorCode, Event, Outcome, Reply, ReplyLine, ServerMessage,
    SubscribeArgs, MAX_REQUEST_BYTES,
};
use limber_ipc::{private_dir, wire};
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio_util::codec::{AnyDelimiterCodecError, FramedRead};

/// A client that has not taken a line within this long is dropped.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum BindError {
    #[error(transparent)]
    Unsafe(#[from] private_dir::UnsafeDir),
    #[error("cannot listen on {}: {source}", path.display())]
    Io {
        path: std::path::PathBuf,
        #[source]
        source: io::Error,
    },
}

/// Makes sure the socket's folder is private and the user's (creating it 0700), then binds
/// the socket (0600). The caller holds the agent lock, so an existing socket file is a
/// stale one from a crashed agent.
pub fn bind(socket: &Path) -> Result<UnixListener, BindError> {
    if let Some(dir) = socket.parent() {
        private_dir::prepare(dir)?;
    }
    let io_error = |source| BindError::Io {
        path: socket.to_owned(),
        source,
    };
    match std::fs::remove_file(socket) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(io_error(e)),
        _ => {}
    }
    let listener = UnixListener::bind(socket).map_err(io_error)?;
    std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o600)).map_err(io_error)?;
    Ok(listener)
}

/// How long the open connections get to finish (answer a `quit`, pass the quit event on)
/// once the agent stops.
pub const DRAIN: Duration = Duration::from_secs(1);

/// Accepts connections until the agent quits (its `Event::Quit`), then lets the open
/// connections finish their last lines, for at most [`DRAIN`].
pub async fn serve(
    listener: UnixListener,
    inputs: mpsc::UnboundedSender<Input>,
    events: broadcast::Sender<Event>,
) {
    let me = rustix::process::getuid().as_raw();
    let mut next_conn: ConnId = 1;
    let mut quit = events.subscribe();
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            event = quit.recv() => match event {
                Ok(Event::Quit) | Err(broadcast::error::RecvError::Closed) => break,
                _ => continue,
            },
            // Reap finished connections as they end, so the set stays small; when the last
            // one has gone, give the memory they used back to the system.
            Some(_) = connections.join_next(), if !connections.is_empty() => {
                if connections.is_empty() {
                    crate::memory::release_freed();
                }
                continue;
            }
        };
        match accepted {
            Ok((stream, _)) => {
                match stream.peer_cred() {
                    Ok(cred) if cred.uid() == me => {}
                    Ok(cred) => {
                        log::warn!("refused a connection from user {} (not {me})", cred.uid());
                        continue;
                    }
                    Err(e) => {
                        log::warn!("refused a connection whose user is unknown: {e}");
                        continue;
                    }
                }
                let conn = next_conn;
                next_conn += 1;
                connections.spawn(connection(conn, stream, inputs.clone(), events.clone()));
            }
            Err(e) => {
                log::error!("control socket accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    let _ = tokio::time::timeout(DRAIN, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
}

/// Writes one message, bounded in size and in time.
async fn write(
    stream: &mut tokio::net::unix::OwnedWriteHalf,
    message: &ServerMessage,
) -> io::Result<()> {
    let line = match wire::encode_message(message) {
        Ok(line) => line,
        Err(e) => {
            log::error!("not sent: {e}");
            let id = match message {
                ServerMessage::Reply(reply) => reply.id,
                ServerMessage::Event(_) => return Ok(()),
            };
            let fallback = error_reply(id, ErrorBody::new(ErrorCode::Internal, e.to_string()));
            wire::encode_message(&fallback).map_err(io::Error::other)?
        }
    };
    let mut bytes = line.into_bytes();
    bytes.push(b'\n');
    tokio::time::timeout(WRITE_TIMEOUT, stream.write_all(&bytes))
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "the client stopped reading"))?
}

fn error_reply(id: u64, body: ErrorBody) -> ServerMessage {
    ServerMessage::Reply(ReplyLine {
        id,
        outcome: Outcome::Error(body),
    })
}

async fn ask(
    inputs: &mpsc::UnboundedSender<Input>,
    conn: ConnId,
    command: Command,
) -> Outcome<Reply> {
    let (reply, answer) = oneshot::channel();
    let shutting_down = || {
        Outcome::Error(ErrorBody::new(
            ErrorCode::Unavailable,
            "the agent is shutting down",
        ))
    };
    let input = Input::Command {
        command,
        reply: Responder::socket(conn, reply),
    };
    if inputs.send(input).is_err() {
        return shutting_down();
    }
    match answer.await {
        Ok(Ok(reply)) => Outcome::Ok(reply),
        Ok(Err(body)) => Outcome::Error(body),
        Err(_) => shutting_down(),
    }
}

/// The snapshots carried in a `subscribe` reply, as events.
fn snapshot_events(outcome: &Outcome<Reply>) -> Vec<ServerMessage> {
    match outcome {
        Outcome::Ok(Reply::Subscribed(subscribed)) => subscribed
            .snapshots
            .iter()
            .cloned()
            .map(|s| ServerMessage::Event(Event::Snapshot(s)))
            .collect(),
        _ => Vec::new(),
    }
}

async fn connection(
    conn: ConnId,
    stream: UnixStream,
    inputs: mpsc::UnboundedSender<Input>,
    events: broadcast::Sender<Event>,
) {
    let (read, mut write_half) = stream.into_split();
    let mut lines = FramedRead::new(read, wire::request_codec());
    let mut subscription: Option<broadcast::Receiver<Event>> = None;
    // After a decode error the framed stream yields one `None` and then reads on.
    let mut after_error = false;
    loop {
        let next_event = async {
            match subscription.as_mut() {
                Some(rx) => Some(rx.recv().await),
                None => std::future::pending().await,
            }
        };
        let outgoing = tokio::select! {
            line = lines.next() => match line {
                Some(Ok(bytes)) => {
                    after_error = false;
                    match std::str::from_utf8(&bytes).map(str::trim) {
                        Err(_) => vec![error_reply(0, ErrorBody::new(ErrorCode::BadJson, "a request must be UTF-8 text"))],
                        Ok("") => continue,
                        Ok(text) => match parse_request(text) {
                            Err(e) => vec![error_reply(e.id, e.body)],
                            Ok(request) => {
                                let subscribing = matches!(request.command, Command::Subscribe(_));
                                if subscribing && subscription.is_none() {
                                    // Subscribe before asking for snapshots, so no change is lost.
                                    subscription = Some(events.subscribe());
                                }
                                let outcome = ask(&inputs, conn, request.command).await;
                                let snapshots = snapshot_events(&outcome);
                                let mut out = vec![ServerMessage::Reply(ReplyLine { id: request.id, outcome })];
                                out.extend(snapshots);
                                out
                            }
                        },
                    }
                }
                Some(Err(AnyDelimiterCodecError::MaxChunkLengthExceeded)) => {
                    after_error = true;
                    vec![error_reply(0, ErrorBody::new(
                        ErrorCode::LineTooLong,
                        format!("a request line may be at most {MAX_REQUEST_BYTES} bytes"),
                    ))]
                }
                Some(Err(AnyDelimiterCodecError::Io(_))) => break,
                None if after_error => {
                    after_error = false;
                    continue;
                }
                None => break,
            },
            event = next_event => match event {
                Some(Ok(Event::Quit)) => {
                    let _ = write(&mut write_half, &ServerMessage::Event(Event::Quit)).await;
                    break;
                }
                Some(Ok(event)) => vec![ServerMessage::Event(event)],
                Some(Err(broadcast::error::RecvError::Lagged(_))) => {
                    // Too slow to keep up: resend the whole state instead of the lost steps.
                    let outcome = ask(&inputs, conn, SubscribeArgs::default().into()).await;
                    snapshot_events(&outcome)
                }
                Some(Err(broadcast::error::RecvError::Closed)) | None => break,
            },
        };
        let mut failed = false;
        for message in &outgoing {
            if let Err(e) = write(&mut write_half, message).await {
                log::debug!("connection {conn} closed: {e}");
                failed = true;
                break;
            }
        }
        if failed {
            break;
        }
    }
    let _ = inputs.send(Input::Disconnected { conn });
}
