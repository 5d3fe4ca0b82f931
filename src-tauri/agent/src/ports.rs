//! The agent's ports: what wakes the driver ([`Input`]), how a command's answer gets back
//! to whoever asked ([`Responder`]), and the side effects the driver asks of the desktop
//! ([`Shell`], [`Notice`]). The driver, the control socket, notifications and the window
//! launcher meet here and none of them imports another; the tray only renders a
//! [`TrayModel`] and reports clicks through a sink it is given.

use crate::tray::TrayModel;
use futures_util::future::BoxFuture;
use limber_core::protocol::{Command, ErrorBody, Reply, View};
use limber_core::therapy::TherapyKind;
use limber_core::AgentError;
use tokio::sync::oneshot;

pub type ConnId = u64;

/// Where a command came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A client of the control socket (the CLI, the window, a script).
    Socket(ConnId),
    /// A tray menu item.
    Tray,
    /// An action button of a notification.
    Notification,
    /// The agent itself (closing the window pauses the session).
    Agent,
}

/// Where a command's answer goes: back over the socket, or, for the tray and
/// notifications, nowhere but the log (and an error notice; see the driver).
#[derive(Debug)]
pub struct Responder {
    reply: Option<oneshot::Sender<Result<Reply, ErrorBody>>>,
    origin: Origin,
}

impl Responder {
    pub fn socket(conn: ConnId, reply: oneshot::Sender<Result<Reply, ErrorBody>>) -> Self {
        Responder {
            reply: Some(reply),
            origin: Origin::Socket(conn),
        }
    }

    /// For commands whose answer nobody waits for.
    pub fn detached(origin: Origin) -> Self {
        Responder {
            reply: None,
            origin,
        }
    }

    pub fn origin(&self) -> Origin {
        self.origin
    }

    /// Sends the answer; returns the error if nobody was waiting for it, so the caller
    /// can tell the user another way.
    pub fn send(self, result: Result<Reply, AgentError>) -> Option<AgentError> {
        match (self.reply, result) {
            (Some(reply), result) => {
                // The client may have gone; that is its business.
                let _ = reply.send(result.map_err(|e| e.body()));
                None
            }
            (None, Ok(_)) => None,
            (None, Err(e)) => Some(e),
        }
    }
}

/// Everything that can wake the driver.
#[derive(Debug)]
pub enum Input {
    /// A command from any surface.
    Command {
        command: Command,
        reply: Responder,
    },
    /// A socket client went away.
    Disconnected {
        conn: ConnId,
    },
    /// A StatusNotifierWatcher appeared (`true`) or is gone (`false`).
    TrayHost {
        online: bool,
        detail: String,
    },
    /// The desktop's word on whether the user is busy changed.
    Busy(limber_core::schedule::Busy),
    /// Something about the user's presence: idle, a locked screen, the machine asleep.
    Presence(Presence),
    /// Some time after a start at login (see `run.rs`): is there a tray by now?
    LoginTrayCheck,
    /// A notification could not be shown (no daemon): fall back to the window.
    NotificationFailed(String),
    WindowExited {
        pid: u32,
        detail: String,
    },
}

/// News of the user's presence, from the idle source and logind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// The compositor said idle or resumed: read idle time now rather than at the next
    /// wake-up.
    IdleChanged,
    /// The session's screen was locked (`true`) or unlocked.
    Locked(bool),
    /// logind's `PrepareForSleep`: going to sleep (`true`) or woke.
    Sleep(bool),
    /// Whether logind's sleep signals are being received.
    SleepSignals(bool),
}

impl Input {
    /// A command whose answer nobody waits for.
    pub fn command(origin: Origin, command: Command) -> Input {
        Input::Command {
            command,
            reply: Responder::detached(origin),
        }
    }
}

/// A button on a notification: its label and the command it sends.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub id: &'static str,
    pub label: String,
    pub command: Command,
}

/// A notification the shell shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// A break is due. Clicking the notification itself opens the window on the break.
    BreakDue {
        sitting_min: u32,
        actions: Vec<Action>,
    },
    /// A break comes soon: a quiet notice with the buttons that fit (snooze, skip).
    BreakSoon { in_s: u32, actions: Vec<Action> },
    /// A posture check: one cue, closing itself after a few seconds.
    Posture { cue: String },
    /// Quiet information that needs no answer (a break held a long while).
    Quiet { summary: String, body: String },
    /// Plain information (e.g. the settings file was unusable, a tray click failed).
    Info { summary: String, body: String },
    /// A heat or ice timer ran its length: time to take the pack off.
    TherapyDone { kind: TherapyKind, length_min: u32 },
}

/// The side effects the driver asks for; the real shell talks to D-Bus and spawns
/// processes, the test shell records.
pub trait Shell: Send + 'static {
    fn notify(&mut self, notice: Notice);
    /// Starts a window process unless one started by us is still running.
    fn spawn_window(&mut self, view: Option<View>) -> Result<(), String>;
    /// Starts a window process unseen, on `view`, to be shown by a `Show` event. True if it
    /// started; false if a window process of ours was already running.
    fn ready_window(&mut self, view: View) -> Result<bool, String>;
    /// Ends the window process started by us, if one runs (SIGTERM; its WebKit processes
    /// follow it).
    fn end_window(&mut self);
    fn window_exited(&mut self, pid: u32);
    fn update_tray(&mut self, model: &TrayModel);
    /// Milliseconds since the user's last input, if it can be read.
    fn idle_ms(&mut self) -> BoxFuture<'_, Option<u64>>;
    /// Where idle time comes from, for `status` ("none: …" when it cannot be read).
    fn idle_description(&self) -> String;
    /// Where screen lock and sleep come from, for `status` ("none: …").
    fn lock_description(&self) -> String;
    /// The natural break's length, for idle sources that notify at a threshold.
    fn set_natural_break(&mut self, minutes: u32);
}
