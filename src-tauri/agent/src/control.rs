//! The control socket server: newline-delimited JSON, one task per connection.
//!
//! Invariants: no line from a client can panic the agent or grow memory without bound
//! (lines are capped at `MAX_LINE_BYTES`; a longer one gets `line_too_long` and is
//! discarded up to its newline); every request gets exactly one reply.

use crate::driver::{ConnId, Input};
use futures_util::StreamExt;
use limber_core::protocol::{
    parse_request, Area, Command, ErrorBody, ErrorCode, Event, Outcome, Reply, ServerMessage,
    MAX_LINE_BYTES,
};
use serde_json::Value;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use tokio::io::AsyncWriteExt;
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio_util::codec::{AnyDelimiterCodec, AnyDelimiterCodecError, FramedRead};

/// Creates the socket's directory (0700) and binds the socket (0600). The caller holds the
/// agent lock, so an existing socket file is a stale one from a crashed agent.
pub fn bind(socket: &Path) -> io::Result<UnixListener> {
    if let Some(dir) = socket.parent() {
        std::fs::create_dir_all(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    match std::fs::remove_file(socket) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let listener = UnixListener::bind(socket)?;
    std::fs::set_permissions(socket, std::fs::Permissions::from_mode(0o600))?;
    Ok(listener)
}

/// Accepts connections until the listener fails.
pub async fn serve(
    listener: UnixListener,
    inputs: mpsc::UnboundedSender<Input>,
    events: broadcast::Sender<Event>,
) {
    let mut next_conn: ConnId = 1;
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                let conn = next_conn;
                next_conn += 1;
                tokio::spawn(connection(conn, stream, inputs.clone(), events.clone()));
            }
            Err(e) => {
                log::error!("control socket accept failed: {e}");
                tokio::time::sleep(std::time::Duration::from_millis(200)).await;
            }
        }
    }
}

async fn write(
    stream: &mut tokio::net::unix::OwnedWriteHalf,
    message: &ServerMessage,
) -> io::Result<()> {
    let mut line = serde_json::to_vec(message).map_err(io::Error::other)?;
    line.push(b'\n');
    stream.write_all(&line).await
}

fn error_reply(id: u64, body: ErrorBody) -> ServerMessage {
    ServerMessage::Reply(Reply {
        id,
        outcome: Outcome::Error(body),
    })
}

async fn ask(inputs: &mpsc::UnboundedSender<Input>, conn: ConnId, command: Command) -> Outcome {
    let (reply, answer) = oneshot::channel();
    if inputs
        .send(Input::Request {
            conn,
            command,
            reply,
        })
        .is_err()
    {
        return Outcome::Error(ErrorBody::new(
            ErrorCode::Unavailable,
            "the agent is shutting down",
        ));
    }
    answer.await.unwrap_or_else(|_| {
        Outcome::Error(ErrorBody::new(
            ErrorCode::Unavailable,
            "the agent is shutting down",
        ))
    })
}

/// The initial snapshots carried in a `subscribe` reply, as events.
fn snapshot_events(outcome: &Outcome) -> Vec<Event> {
    let Outcome::Ok(value) = outcome else {
        return Vec::new();
    };
    value
        .get("snapshots")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|item| {
            let area: Area = serde_json::from_value(item.get("area")?.clone()).ok()?;
            Some(Event::Snapshot {
                area,
                data: item.get("data")?.clone(),
            })
        })
        .collect()
}

async fn connection(
    conn: ConnId,
    stream: UnixStream,
    inputs: mpsc::UnboundedSender<Input>,
    events: broadcast::Sender<Event>,
) {
    let (read, mut write_half) = stream.into_split();
    let mut lines = FramedRead::new(
        read,
        AnyDelimiterCodec::new_with_max_length(b"\n".to_vec(), b"\n".to_vec(), MAX_LINE_BYTES),
    );
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
                            Err((id, body)) => vec![error_reply(id, body)],
                            Ok(request) => {
                                let subscribing = matches!(request.command, Command::Subscribe(_));
                                if subscribing && subscription.is_none() {
                                    // Subscribe before asking for snapshots, so no change is lost.
                                    subscription = Some(events.subscribe());
                                }
                                let outcome = ask(&inputs, conn, request.command).await;
                                let mut out = vec![ServerMessage::Reply(Reply { id: request.id, outcome: outcome.clone() })];
                                if subscribing {
                                    out.extend(snapshot_events(&outcome).into_iter().map(ServerMessage::Event));
                                }
                                out
                            }
                        },
                    }
                }
                Some(Err(AnyDelimiterCodecError::MaxChunkLengthExceeded)) => {
                    after_error = true;
                    vec![error_reply(0, ErrorBody::new(
                        ErrorCode::LineTooLong,
                        format!("a request line may be at most {MAX_LINE_BYTES} bytes"),
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
                    let outcome = ask(&inputs, conn, Command::Subscribe(Default::default())).await;
                    snapshot_events(&outcome).into_iter().map(ServerMessage::Event).collect()
                }
                Some(Err(broadcast::error::RecvError::Closed)) | None => break,
            },
        };
        let mut failed = false;
        for message in &outgoing {
            if write(&mut write_half, message).await.is_err() {
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
