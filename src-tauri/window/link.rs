//! The window's connection to the agent: one socket, subscribed as the window, carrying
//! both requests and the snapshot stream. Snapshots become Tauri events here, in one place.
//!
//! While the agent is unreachable the link retries every [`RETRY`] and the UI says so;
//! requests made meanwhile fail at once with `unavailable`. An agent of another protocol
//! version (Limber was upgraded while it ran) is not retried: the UI offers a restart.

use limber_core::protocol::{
    Command, ErrorBody, ErrorCode, Event, Outcome, Role, ServerMessage, Snapshot, SubscribeArgs,
    View, Vocabulary,
};
use limber_ipc::{Client, ClientError};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::{mpsc, oneshot};

pub const EVENT_SNAPSHOT: &str = "limber://snapshot";
pub const EVENT_LINK: &str = "limber://link";
pub const EVENT_SHOW: &str = "limber://show";

/// How long to wait between attempts to reach the agent.
pub const RETRY: Duration = Duration::from_secs(2);
/// How long a command waits for the agent's answer.
pub const CALL_TIMEOUT: Duration = Duration::from_secs(10);

/// What the UI needs for its first render; afterwards it follows the events.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LinkState {
    pub connected: bool,
    /// Why the agent cannot be reached, in words for the user.
    pub message: Option<String>,
    /// The running agent is another version of Limber: it needs a restart.
    pub updated: bool,
    pub status: Option<Value>,
    pub settings: Option<Value>,
    pub catalog: Option<Value>,
    pub history: Option<Value>,
    pub vocabulary: Option<Vocabulary>,
    /// The screen to show first.
    pub view: Option<View>,
}

/// What the page hears on `limber://link`.
#[derive(Clone, Debug, Serialize)]
struct LinkEvent {
    connected: bool,
    message: Option<String>,
    updated: bool,
    vocabulary: Option<Vocabulary>,
}

struct Pending {
    command: Command,
    reply: oneshot::Sender<Result<Value, ErrorBody>>,
}

pub struct Link {
    socket: PathBuf,
    state: Arc<Mutex<LinkState>>,
    requests: mpsc::UnboundedSender<Pending>,
    receiver: Mutex<Option<mpsc::UnboundedReceiver<Pending>>>,
}

fn unavailable(message: impl Into<String>) -> ErrorBody {
    ErrorBody::new(ErrorCode::Unavailable, message)
}

impl Link {
    pub fn new(socket: PathBuf, view: Option<View>) -> Self {
        let (requests, receiver) = mpsc::unbounded_channel();
        Self {
            socket,
            state: Arc::new(Mutex::new(LinkState {
                view,
                ..LinkState::default()
            })),
            requests,
            receiver: Mutex::new(Some(receiver)),
        }
    }

    pub fn state(&self) -> LinkState {
        self.state.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Sends a command to the agent and waits for its answer.
    pub async fn call(&self, command: Command) -> Result<Value, ErrorBody> {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send(Pending { command, reply })
            .map_err(|_| unavailable("the window is closing"))?;
        match tokio::time::timeout(CALL_TIMEOUT, answer).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(unavailable("the connection to the Limber agent was lost")),
            Err(_) => Err(unavailable("the Limber agent did not answer in time")),
        }
    }
}

fn update<R: Runtime>(
    app: &AppHandle<R>,
    state: &Arc<Mutex<LinkState>>,
    change: impl FnOnce(&mut LinkState),
) {
    let snapshot = match state.lock() {
        Ok(mut guard) => {
            change(&mut guard);
            guard.clone()
        }
        Err(_) => return,
    };
    let _ = app.emit(
        EVENT_LINK,
        LinkEvent {
            connected: snapshot.connected,
            message: snapshot.message,
            updated: snapshot.updated,
            vocabulary: snapshot.vocabulary,
        },
    );
}

fn show<R: Runtime>(app: &AppHandle<R>, state: &Arc<Mutex<LinkState>>, view: Option<View>) {
    if let Ok(mut guard) = state.lock() {
        if view.is_some() {
            guard.view = view;
        }
    }
    if let Some(window) = app.get_webview_window("main") {
        // Before the page is ready this only records the wish: `ready` shows the window,
        // or, for a page that never says it is ready, the fallback does.
        let showing = app.state::<crate::showing::Showing>();
        let act = showing.wanted();
        if act == crate::showing::Act::Wait {
            crate::webview::show_anyway(&window, &showing);
        }
        crate::act(&window, act);
    }
    let _ = app.emit(EVENT_SHOW, serde_json::json!({ "view": view }));
}

/// Starts the link task; called once from the app's setup.
pub fn start<R: Runtime>(app: AppHandle<R>) {
    let link = app.state::<Link>();
    let Some(receiver) = link.receiver.lock().ok().and_then(|mut r| r.take()) else {
        return;
    };
    let socket = link.socket.clone();
    let state = link.state.clone();
    tauri::async_runtime::spawn(run(app, socket, state, receiver));
}

async fn run<R: Runtime>(
    app: AppHandle<R>,
    socket: PathBuf,
    state: Arc<Mutex<LinkState>>,
    mut requests: mpsc::UnboundedReceiver<Pending>,
) {
    loop {
        let (message, updated) = match Client::connect(&socket).await {
            Ok(client) => {
                session(&app, client, &state, &mut requests).await;
                (
                    "The connection to the Limber agent was lost. Reconnecting…".to_owned(),
                    false,
                )
            }
            Err(e @ ClientError::Updated { .. }) => (e.to_string(), true),
            Err(ClientError::NotRunning(_)) => (
                format!(
                    "The Limber agent is not running, so reminders are off. Start it with the command `limber` (looked for {}).",
                    socket.display()
                ),
                false,
            ),
            Err(e) => (e.to_string(), false),
        };
        update(&app, &state, |s| {
            s.connected = false;
            s.message = Some(message.clone());
            s.updated = updated;
        });
        let retry = tokio::time::sleep(RETRY);
        tokio::pin!(retry);
        loop {
            tokio::select! {
                () = &mut retry => break,
                pending = requests.recv() => match pending {
                    Some(pending) => { let _ = pending.reply.send(Err(unavailable(message.clone()))); }
                    None => return,
                },
            }
        }
    }
}

fn store_snapshot(state: &mut LinkState, snapshot: &Snapshot) -> Option<(String, Value)> {
    let value = serde_json::to_value(snapshot).ok()?;
    let area = value.get("area")?.as_str()?.to_owned();
    let data = value.get("data")?.clone();
    match snapshot {
        Snapshot::Status(_) => state.status = Some(data.clone()),
        Snapshot::Settings(_) => state.settings = Some(data.clone()),
        Snapshot::Catalog(_) => state.catalog = Some(data.clone()),
        Snapshot::History(_) => state.history = Some(data.clone()),
    }
    Some((area, data))
}

/// One connection's life: subscribe, then route replies to their callers and events to
/// the UI until the socket closes.
async fn session<R: Runtime>(
    app: &AppHandle<R>,
    client: Client,
    state: &Arc<Mutex<LinkState>>,
    requests: &mut mpsc::UnboundedReceiver<Pending>,
) {
    // Id 1 was the client's hello.
    const SUBSCRIBE_ID: u64 = 2;
    let (mut sender, mut receiver) = client.into_split();
    let subscribe = SubscribeArgs { role: Role::Window }.into();
    if sender.send(SUBSCRIBE_ID, subscribe).await.is_err() {
        return;
    }
    let mut pending: HashMap<u64, oneshot::Sender<Result<Value, ErrorBody>>> = HashMap::new();
    let mut next_id: u64 = SUBSCRIBE_ID + 1;
    loop {
        tokio::select! {
            message = receiver.next() => {
                let Ok(message) = message else { break };
                match message {
                    ServerMessage::Reply(reply) if reply.id == SUBSCRIBE_ID => {
                        let subscribed = match reply.outcome {
                            Outcome::Ok(value) => serde_json::from_value::<limber_core::protocol::Subscribed>(value).ok(),
                            Outcome::Error(_) => None,
                        };
                        let view = subscribed.as_ref().and_then(|s| s.view);
                        update(app, state, |s| {
                            s.connected = true;
                            s.message = None;
                            s.updated = false;
                            s.vocabulary = subscribed.map(|s| s.vocabulary);
                        });
                        if view.is_some() {
                            show(app, state, view);
                        }
                    }
                    ServerMessage::Reply(reply) => {
                        if let Some(caller) = pending.remove(&reply.id) {
                            let _ = caller.send(match reply.outcome {
                                Outcome::Ok(value) => Ok(value),
                                Outcome::Error(body) => Err(body),
                            });
                        }
                    }
                    ServerMessage::Event(Event::Snapshot(snapshot)) => {
                        let stored = state.lock().ok().and_then(|mut guard| store_snapshot(&mut guard, &snapshot));
                        if let Some((area, data)) = stored {
                            let _ = app.emit(EVENT_SNAPSHOT, serde_json::json!({"area": area, "data": data}));
                        }
                    }
                    ServerMessage::Event(Event::Show { view }) => show(app, state, view),
                    ServerMessage::Event(Event::Quit) => {
                        app.exit(0);
                        break;
                    }
                }
            }
            request = requests.recv() => {
                let Some(Pending { command, reply }) = request else { break };
                let id = next_id;
                next_id += 1;
                if sender.send(id, command).await.is_err() {
                    let _ = reply.send(Err(unavailable("the connection to the Limber agent was lost")));
                    break;
                }
                pending.insert(id, reply);
            }
        }
    }
    for (_, caller) in pending.drain() {
        let _ = caller.send(Err(unavailable(
            "the connection to the Limber agent was lost",
        )));
    }
}
