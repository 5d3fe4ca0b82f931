//! Shared fixtures: a recording shell, sandboxed paths, an in-process agent with its
//! control socket.

use chrono::{Local, TimeZone};
use limber_agent::clock::Clock;
use limber_agent::control;
use limber_agent::driver::Agent;
use limber_agent::ports::{Input, Notice, Responder, Shell};
use limber_agent::tray::TrayModel;
use limber_core::protocol::{Call, Command, ErrorBody, Request, ServerMessage, StatusArgs, View};
use limber_core::store::Paths;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::UnixStream;
use tokio::sync::{broadcast, mpsc, oneshot};

#[derive(Clone, Debug, PartialEq)]
pub enum ShellCall {
    Notify(Notice),
    SpawnWindow(Option<View>),
    ReadyWindow(View),
    EndWindow,
    Tray(TrayModel),
}

#[derive(Clone, Default)]
pub struct RecordingShell {
    pub calls: Arc<Mutex<Vec<ShellCall>>>,
    /// What the next idle readings return (`None`: idle time cannot be read).
    pub idle: Arc<Mutex<Option<u64>>>,
    /// The natural break lengths the driver gave the idle source, in order.
    pub natural_breaks: Arc<Mutex<Vec<u32>>>,
}

impl RecordingShell {
    pub fn take(&self) -> Vec<ShellCall> {
        std::mem::take(&mut *self.calls.lock().unwrap())
    }
}

impl Shell for RecordingShell {
    fn notify(&mut self, notice: Notice) {
        self.calls.lock().unwrap().push(ShellCall::Notify(notice));
    }
    fn spawn_window(&mut self, view: Option<View>) -> Result<(), String> {
        self.calls
            .lock()
            .unwrap()
            .push(ShellCall::SpawnWindow(view));
        Ok(())
    }
    fn ready_window(&mut self, view: View) -> Result<bool, String> {
        self.calls
            .lock()
            .unwrap()
            .push(ShellCall::ReadyWindow(view));
        Ok(true)
    }
    fn end_window(&mut self) {
        self.calls.lock().unwrap().push(ShellCall::EndWindow);
    }
    fn window_exited(&mut self, _pid: u32) {}
    fn update_tray(&mut self, model: &TrayModel) {
        self.calls
            .lock()
            .unwrap()
            .push(ShellCall::Tray(model.clone()));
    }
    fn idle_ms(&mut self) -> futures_util::future::BoxFuture<'_, Option<u64>> {
        let idle = *self.idle.lock().unwrap();
        Box::pin(async move { idle })
    }
    fn idle_description(&self) -> String {
        "scripted".to_owned()
    }
    fn lock_description(&self) -> String {
        "scripted".to_owned()
    }
    fn set_natural_break(&mut self, minutes: u32) {
        self.natural_breaks.lock().unwrap().push(minutes);
    }
}

pub fn paths(dir: &std::path::Path) -> Paths {
    Paths::under(dir)
}

pub struct Running {
    pub inputs: mpsc::UnboundedSender<Input>,
    pub shell: RecordingShell,
    pub socket: PathBuf,
    pub task: tokio::task::JoinHandle<()>,
}

/// Starts an agent and its control socket in the current runtime.
pub fn start_agent<C: Clock>(clock: C, dir: &std::path::Path) -> Running {
    let paths = paths(dir);
    let socket = paths.socket();
    let listener = control::bind(&socket).expect("bind");
    let (inputs, rx) = mpsc::unbounded_channel();
    let (events, _) = broadcast::channel(64);
    let shell = RecordingShell::default();
    let agent = Agent::new(clock, shell.clone(), paths, events.clone());
    tokio::spawn(control::serve(listener, inputs.clone(), events.clone()));
    let task = tokio::spawn(agent.run(rx));
    Running {
        inputs,
        shell,
        socket,
        task,
    }
}

/// A raw line-level client of the control socket.
pub struct Raw {
    reader: BufReader<tokio::net::unix::OwnedReadHalf>,
    writer: tokio::net::unix::OwnedWriteHalf,
}

impl Raw {
    pub async fn connect(socket: &std::path::Path) -> Raw {
        let (read, writer) = UnixStream::connect(socket)
            .await
            .expect("connect")
            .into_split();
        Raw {
            reader: BufReader::new(read),
            writer,
        }
    }

    pub async fn send_bytes(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).await.expect("write");
    }

    pub async fn request(&mut self, id: u64, command: Command) {
        let mut line = serde_json::to_vec(&Request { id, command }).unwrap();
        line.push(b'\n');
        self.send_bytes(&line).await;
    }

    pub async fn next(&mut self) -> ServerMessage<Value> {
        let mut line = String::new();
        let read = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            self.reader.read_line(&mut line),
        )
        .await
        .expect("a line within 10 s")
        .expect("read");
        assert!(read > 0, "connection closed");
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("bad line {line:?}: {e}"))
    }
}

/// Sends a command straight to the driver, as the control socket does; the reply as JSON.
pub async fn ask(
    inputs: &tokio::sync::mpsc::UnboundedSender<Input>,
    command: Command,
) -> Result<Value, ErrorBody> {
    let (reply, answer) = oneshot::channel();
    inputs
        .send(Input::Command {
            command,
            reply: Responder::socket(999, reply),
        })
        .unwrap();
    answer
        .await
        .unwrap()
        .map(|reply| serde_json::to_value(reply).unwrap())
}

/// Sends a typed request to the driver and reads its reply as the declared type.
pub async fn call<C: Call>(
    inputs: &tokio::sync::mpsc::UnboundedSender<Input>,
    args: C,
) -> Result<C::Reply, ErrorBody> {
    ask(inputs, args.into())
        .await
        .map(|value| serde_json::from_value(value).expect("the reply has its declared type"))
}

pub fn ok(outcome: Result<Value, ErrorBody>) -> Value {
    match outcome {
        Ok(value) => value,
        Err(e) => panic!("unexpected error {e:?}"),
    }
}

/// Monday 23 November 2026, 09:00 local.
pub fn nine_am() -> chrono::DateTime<Local> {
    Local
        .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .earliest()
        .unwrap()
}

/// Asks `command` until the part of its answer `pick` chooses satisfies `done` (the driver
/// may still be handling an input, or a save may be in flight); returns that part.
async fn ask_until(
    inputs: &mpsc::UnboundedSender<Input>,
    command: impl Fn() -> Command,
    pick: impl Fn(Value) -> Value,
    done: impl Fn(&Value) -> bool,
) -> Value {
    for _ in 0..500 {
        let answer = pick(ok(ask(inputs, command()).await));
        if done(&answer) {
            return answer;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the agent's answer never got there");
}

/// Asks for the status until `done` holds.
pub async fn wait_until(
    inputs: &mpsc::UnboundedSender<Input>,
    done: impl Fn(&Value) -> bool,
) -> Value {
    ask_until(inputs, || StatusArgs {}.into(), |status| status, done).await
}

/// The history log's events, as written.
pub fn history_lines(dir: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(dir.join("data/limber/history.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Asks for the settings until `done` holds of their values.
pub async fn wait_until_settings(
    inputs: &mpsc::UnboundedSender<Input>,
    done: impl Fn(&Value) -> bool,
) -> Value {
    ask_until(
        inputs,
        || limber_core::protocol::GetSettingsArgs {}.into(),
        |settings| settings["values"].clone(),
        done,
    )
    .await
}
