//! A typed client of the control socket: `client.call(StatusArgs {})` returns a
//! [`Status`](limber_core::protocol::Status). Used by the CLI, the window's link and the
//! tests. It checks the runtime folder before connecting and the agent's protocol version
//! right after.

use crate::private_dir::{self, UnsafeDir};
use crate::wire;
use futures_util::{SinkExt, StreamExt};
use limber_core::protocol::{
    Call, Command, ErrorBody, Event, HelloArgs, Outcome, Request, ServerMessage, PROTOCOL_VERSION,
};
use limber_core::VERSION;
use serde_json::Value;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::net::UnixStream;
use tokio_util::codec::{Framed, LinesCodec, LinesCodecError};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("Limber is not running (no agent at {}); start it with `limber`", .0.display())]
    NotRunning(PathBuf),
    #[error(transparent)]
    Unsafe(#[from] UnsafeDir),
    #[error("{0}")]
    Agent(ErrorBody),
    #[error("Limber was updated: this is version {VERSION} (protocol {PROTOCOL_VERSION}), but the running agent is version {agent_version} (protocol {agent_protocol}). Restart it with `limber restart`")]
    Updated {
        agent_version: String,
        agent_protocol: u64,
    },
    #[error("talking to the Limber agent failed: {0}")]
    Io(#[from] io::Error),
    #[error("the Limber agent sent a line that could not be read: {0}")]
    BadReply(String),
    #[error("the Limber agent closed the connection")]
    Closed,
    #[error("the Limber agent did not answer within {0:?}")]
    Timeout(Duration),
}

impl ClientError {
    /// The agent answered with an error of this code.
    pub fn agent_code(&self) -> Option<limber_core::protocol::ErrorCode> {
        match self {
            ClientError::Agent(body) => Some(body.code),
            _ => None,
        }
    }
}

/// How long a call waits for the agent by default.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// Who the agent is, from its `hello`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentInfo {
    pub version: String,
    pub protocol: u64,
    pub pid: Option<u64>,
}

pub struct Client {
    framed: Framed<UnixStream, LinesCodec>,
    next_id: u64,
    agent: AgentInfo,
    timeout: Duration,
    /// Events that arrived while waiting for a reply, in order.
    events: std::collections::VecDeque<Event>,
}

impl Client {
    /// Connects to the agent behind `socket`, after checking the folder and the socket are
    /// the user's own, and checks it speaks this protocol.
    pub async fn connect(socket: &Path) -> Result<Client, ClientError> {
        match private_dir::check_socket(socket) {
            Ok(()) => {}
            Err(e) if e.is_missing() => return Err(ClientError::NotRunning(socket.to_owned())),
            Err(e) => return Err(e.into()),
        }
        let stream = match UnixStream::connect(socket).await {
            Ok(stream) => stream,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused
                ) =>
            {
                return Err(ClientError::NotRunning(socket.to_owned()))
            }
            Err(e) => return Err(e.into()),
        };
        let mut client = Client {
            framed: Framed::new(stream, wire::message_codec()),
            next_id: 1,
            agent: AgentInfo {
                version: String::new(),
                protocol: 0,
                pid: None,
            },
            timeout: CALL_TIMEOUT,
            events: Default::default(),
        };
        // Read loosely: an agent of another version may answer in another shape.
        let hello = client.call_command(HelloArgs {}.into()).await?;
        client.agent = AgentInfo {
            version: hello["version"].as_str().unwrap_or("unknown").to_owned(),
            protocol: hello["protocol"].as_u64().unwrap_or(0),
            pid: hello["pid"].as_u64(),
        };
        if client.agent.protocol != u64::from(PROTOCOL_VERSION) {
            return Err(ClientError::Updated {
                agent_version: client.agent.version.clone(),
                agent_protocol: client.agent.protocol,
            });
        }
        Ok(client)
    }

    pub fn agent(&self) -> &AgentInfo {
        &self.agent
    }

    /// Waits at most `timeout` for each reply from now on.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// Sends one command and returns its reply, typed.
    pub async fn call<C: Call>(&mut self, args: C) -> Result<C::Reply, ClientError> {
        let value = self.call_command(args.into()).await?;
        serde_json::from_value(value).map_err(|e| ClientError::BadReply(e.to_string()))
    }

    /// Sends one command and returns its reply as JSON (the window's bridge to its page).
    pub async fn call_command(&mut self, command: Command) -> Result<Value, ClientError> {
        let timeout = self.timeout;
        tokio::time::timeout(timeout, self.call_inner(command))
            .await
            .map_err(|_| ClientError::Timeout(timeout))?
    }

    async fn call_inner(&mut self, command: Command) -> Result<Value, ClientError> {
        let id = self.next_id;
        self.next_id += 1;
        let line = wire::encode_request(&Request { id, command })
            .map_err(|e| ClientError::Io(io::Error::other(e)))?;
        self.framed.send(line).await.map_err(codec_error)?;
        loop {
            match self.read().await? {
                ServerMessage::Reply(reply) if reply.id == id => {
                    return match reply.outcome {
                        Outcome::Ok(value) => Ok(value),
                        Outcome::Error(body) => Err(ClientError::Agent(body)),
                    }
                }
                ServerMessage::Reply(_) => continue,
                ServerMessage::Event(event) => self.events.push_back(event),
            }
        }
    }

    async fn read(&mut self) -> Result<ServerMessage<Value>, ClientError> {
        match self.framed.next().await {
            None => Err(ClientError::Closed),
            Some(Err(e)) => Err(codec_error(e)),
            Some(Ok(line)) => {
                serde_json::from_str(&line).map_err(|e| ClientError::BadReply(e.to_string()))
            }
        }
    }

    /// The next event of a subscription (after a `subscribe` call), waiting at most the
    /// call timeout; `Ok(None)` when none came in that time.
    pub async fn next_event(&mut self) -> Result<Option<Event>, ClientError> {
        if let Some(event) = self.events.pop_front() {
            return Ok(Some(event));
        }
        let timeout = self.timeout;
        loop {
            match tokio::time::timeout(timeout, self.read()).await {
                Err(_) => return Ok(None),
                Ok(Err(e)) => return Err(e),
                Ok(Ok(ServerMessage::Event(event))) => return Ok(Some(event)),
                Ok(Ok(ServerMessage::Reply(_))) => continue,
            }
        }
    }
}

/// The sending half of a split client: requests with ids the caller routes replies by.
pub struct Sender {
    sink: futures_util::stream::SplitSink<Framed<UnixStream, LinesCodec>, String>,
}

/// The receiving half of a split client: every reply and event, as they come.
pub struct Receiver {
    stream: futures_util::stream::SplitStream<Framed<UnixStream, LinesCodec>>,
}

impl Client {
    /// Splits the connection for a caller that sends and receives at once (the window:
    /// requests from the page while snapshots stream in). The hello used id 1.
    pub fn into_split(self) -> (Sender, Receiver) {
        let (sink, stream) = self.framed.split();
        (Sender { sink }, Receiver { stream })
    }
}

impl Sender {
    pub async fn send(&mut self, id: u64, command: Command) -> Result<(), ClientError> {
        let line = wire::encode_request(&Request { id, command })
            .map_err(|e| ClientError::Io(io::Error::other(e)))?;
        self.sink.send(line).await.map_err(codec_error)
    }
}

impl Receiver {
    /// The next reply or event; `Err(Closed)` when the agent has gone.
    pub async fn next(&mut self) -> Result<ServerMessage<Value>, ClientError> {
        match self.stream.next().await {
            None => Err(ClientError::Closed),
            Some(Err(e)) => Err(codec_error(e)),
            Some(Ok(line)) => {
                serde_json::from_str(&line).map_err(|e| ClientError::BadReply(e.to_string()))
            }
        }
    }
}

fn codec_error(e: LinesCodecError) -> ClientError {
    match e {
        LinesCodecError::Io(e) => ClientError::Io(e),
        LinesCodecError::MaxLineLengthExceeded => {
            ClientError::BadReply("a line longer than the protocol allows".to_owned())
        }
    }
}
