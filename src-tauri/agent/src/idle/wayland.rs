//! Idle time from the Wayland compositor, through its idle protocols: the standard
//! `ext-idle-notify-v1` (KDE Plasma 6, wlroots 0.17+ compositors such as Sway 1.8+,
//! Hyprland, COSMIC, niri) or KDE's older `org_kde_kwin_idle` (Sway 1.7, KDE 5).
//!
//! These protocols notify rather than answer "how long idle": Limber registers one
//! notification whose timeout is the natural break's length. The compositor says "idled"
//! once there has been no input for that long and "resumed" at the next input, so the idle
//! time at any moment is "less than the timeout" (read as 0) or "timeout + time since
//! idled". The events wake the driver at once (two per absence); otherwise the state is
//! read at the wake-ups the agent already has.
//!
//! With `ext-idle-notify-v1` version 2, the notification counts input only
//! (`get_input_idle_notification`), so a film holding an idle inhibitor does not hide an
//! absence. A second, plain notification with the same timeout stays active while an
//! inhibitor is held; "input idle but not plain idle" therefore means a program holds an
//! inhibitor with nobody typing (a video, a call), which is reported as busy, not away.
//!
//! Every Wayland call happens in one task that owns the connection, reading the socket
//! only when tokio says it is readable: nothing blocks the agent's thread. If the
//! compositor goes away, the source is marked lost and detection runs again later.

use crate::busy::{Kind, Report, Reports};
use crate::ports::{Input, Presence};
use std::io;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::Interest;
use tokio::sync::mpsc;
use wayland_client::backend::WaylandError;
use wayland_client::globals::{registry_queue_init, BindError, GlobalList, GlobalListContents};
use wayland_client::protocol::{wl_registry, wl_seat};
use wayland_client::{Connection, Dispatch, EventQueue, Proxy, QueueHandle};
use wayland_protocols::ext::idle_notify::v1::client::{
    ext_idle_notification_v1::{self, ExtIdleNotificationV1},
    ext_idle_notifier_v1::ExtIdleNotifierV1,
};
use wayland_protocols_plasma::idle::client::{
    org_kde_kwin_idle::OrgKdeKwinIdle,
    org_kde_kwin_idle_timeout::{self, OrgKdeKwinIdleTimeout},
};

/// Why the compositor's idle time cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum WaylandIdleError {
    #[error("cannot connect to the Wayland display: {0}")]
    Connect(#[from] wayland_client::ConnectError),
    #[error("cannot list the Wayland compositor's globals: {0}")]
    Globals(#[from] wayland_client::globals::GlobalError),
    #[error("the Wayland compositor has no seat")]
    NoSeat(#[source] BindError),
    #[error("cannot bind {protocol}: {source}")]
    Bind {
        protocol: &'static str,
        #[source]
        source: BindError,
    },
    #[error("cannot watch the Wayland connection: {0}")]
    Socket(#[source] io::Error),
    #[error("the Wayland compositor did not answer in time")]
    Timeout,
    #[error("the Wayland probe stopped: {0}")]
    Probe(String),
}

/// The idle protocol in use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `ext-idle-notify-v1` version 2: input only, inhibitors seen apart.
    ExtInput,
    /// `ext-idle-notify-v1` version 1: held active while an inhibitor is held.
    Ext,
    /// `org_kde_kwin_idle`: as version 1.
    Kde,
}

impl Protocol {
    pub fn describe(self) -> &'static str {
        match self {
            Protocol::ExtInput => "Wayland ext-idle-notify-v1 (version 2, input only)",
            Protocol::Ext => "Wayland ext-idle-notify-v1",
            Protocol::Kde => "Wayland org_kde_kwin_idle",
        }
    }
}

/// What a compositor offers, learnt with one roundtrip; the connection is kept for use.
pub struct Probe {
    connection: Connection,
    globals: GlobalList,
    queue: EventQueue<State>,
    /// The `ext_idle_notifier_v1` version offered, if any.
    pub ext_version: Option<u32>,
    /// `org_kde_kwin_idle` is offered.
    pub kde: bool,
}

/// Connects to `$WAYLAND_DISPLAY` and lists what it offers, off the runtime thread and
/// within a few seconds (a hung compositor must not hang the agent).
pub async fn probe() -> Result<Probe, WaylandIdleError> {
    let blocking = tokio::task::spawn_blocking(probe_blocking);
    match tokio::time::timeout(Duration::from_secs(5), blocking).await {
        Ok(Ok(result)) => result,
        Ok(Err(e)) => Err(WaylandIdleError::Probe(e.to_string())),
        Err(_) => Err(WaylandIdleError::Timeout),
    }
}

fn probe_blocking() -> Result<Probe, WaylandIdleError> {
    let connection = Connection::connect_to_env()?;
    let (globals, queue) = registry_queue_init::<State>(&connection)?;
    let (ext_version, kde) = globals.contents().with_list(|list| {
        let version = |name: &str| list.iter().find(|g| g.interface == name).map(|g| g.version);
        (
            version(ExtIdleNotifierV1::interface().name),
            version(OrgKdeKwinIdle::interface().name).is_some(),
        )
    });
    Ok(Probe {
        connection,
        globals,
        queue,
        ext_version,
        kde,
    })
}

impl Probe {
    /// The best protocol offered.
    pub fn best(&self) -> Option<Protocol> {
        match (self.ext_version, self.kde) {
            (Some(v), _) if v >= 2 => Some(Protocol::ExtInput),
            (Some(_), _) => Some(Protocol::Ext),
            (None, true) => Some(Protocol::Kde),
            (None, false) => None,
        }
    }
}

/// What the task shares with the agent's idle reads.
#[derive(Debug)]
struct Shared {
    /// When the compositor said "idled", while idle.
    idled_at: Option<Instant>,
    timeout_ms: u32,
    /// Why the connection ended, once it has.
    lost: Option<String>,
}

/// A running Wayland idle watch.
pub struct WaylandIdle {
    pub protocol: Protocol,
    shared: Arc<Mutex<Shared>>,
    timeouts: mpsc::UnboundedSender<u32>,
}

impl WaylandIdle {
    /// Registers the notification and starts the task that owns the connection. Its
    /// events wake the driver through `inputs`; an inhibitor seen on a version 2
    /// compositor goes to the busy sources through `reports`.
    pub fn start(
        probe: Probe,
        protocol: Protocol,
        timeout_ms: u32,
        inputs: mpsc::UnboundedSender<Input>,
        reports: Reports,
    ) -> Result<WaylandIdle, WaylandIdleError> {
        let Probe {
            connection,
            globals,
            queue,
            ..
        } = probe;
        let qh = queue.handle();
        let seat: wl_seat::WlSeat = globals
            .bind(&qh, 1..=1, ())
            .map_err(WaylandIdleError::NoSeat)?;
        let notifier = match protocol {
            Protocol::ExtInput | Protocol::Ext => {
                Notifier::Ext(globals.bind(&qh, 1..=2, ()).map_err(|source| {
                    WaylandIdleError::Bind {
                        protocol: "ext_idle_notifier_v1",
                        source,
                    }
                })?)
            }
            Protocol::Kde => Notifier::Kde(globals.bind(&qh, 1..=1, ()).map_err(|source| {
                WaylandIdleError::Bind {
                    protocol: "org_kde_kwin_idle",
                    source,
                }
            })?),
        };
        let socket = watch_socket(&connection).map_err(WaylandIdleError::Socket)?;
        let shared = Arc::new(Mutex::new(Shared {
            idled_at: None,
            timeout_ms,
            lost: None,
        }));
        let (timeouts, timeout_rx) = mpsc::unbounded_channel();
        let state = State {
            shared: shared.clone(),
            input_idle: None,
            plain_idle: false,
            version_2: matches!(&notifier, Notifier::Ext(n) if n.version() >= 2),
            inhibited: false,
            inhibitor_check: None,
            inputs,
            reports,
        };
        let mut watch = Watch {
            notifier,
            seat,
            registered: Vec::new(),
        };
        watch.register(timeout_ms, &qh);
        tokio::spawn(run(connection, queue, socket, state, watch, timeout_rx));
        Ok(WaylandIdle {
            protocol,
            shared,
            timeouts,
        })
    }

    /// Milliseconds since the last input as far as the notification tells (0 means "less
    /// than the natural break"), or `None` once the connection is lost.
    pub fn idle_ms(&self) -> Option<u64> {
        let shared = self.shared.lock().ok()?;
        if shared.lost.is_some() {
            return None;
        }
        Some(shared.idled_at.map_or(0, |at| {
            u64::try_from(at.elapsed().as_millis()).unwrap_or(u64::MAX)
                + u64::from(shared.timeout_ms)
        }))
    }

    /// Why the connection ended, if it has.
    pub fn lost(&self) -> Option<String> {
        self.shared.lock().ok().and_then(|s| s.lost.clone())
    }

    /// The natural break's length changed: register a notification with the new timeout.
    pub fn set_timeout(&self, timeout_ms: u32) {
        // Fails only once the task has ended (connection lost).
        let _ = self.timeouts.send(timeout_ms);
    }
}

/// A dup of the Wayland socket registered with tokio for readiness only: the Wayland
/// backend does all reading (with `MSG_DONTWAIT`), so the shared non-blocking flag is
/// harmless.
fn watch_socket(connection: &Connection) -> io::Result<tokio::net::UnixStream> {
    let fd = connection.backend().poll_fd().try_clone_to_owned()?;
    let socket = std::os::unix::net::UnixStream::from(fd);
    socket.set_nonblocking(true)?;
    tokio::net::UnixStream::from_std(socket)
}

enum Notifier {
    Ext(ExtIdleNotifierV1),
    Kde(OrgKdeKwinIdle),
}

/// Which of the two ext notifications an event is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Watching {
    /// The one that measures idle time (input only on version 2).
    Idle,
    /// Version 2 only: the plain one, held active by inhibitors.
    Inhibitors,
}

enum Registered {
    Ext(ExtIdleNotificationV1),
    Kde(OrgKdeKwinIdleTimeout),
}

struct Watch {
    notifier: Notifier,
    seat: wl_seat::WlSeat,
    registered: Vec<Registered>,
}

impl Watch {
    /// Replaces the notifications with ones of this timeout.
    fn register(&mut self, timeout_ms: u32, qh: &QueueHandle<State>) {
        for old in self.registered.drain(..) {
            match old {
                Registered::Ext(n) => n.destroy(),
                Registered::Kde(t) => t.release(),
            }
        }
        match &self.notifier {
            Notifier::Ext(notifier) if notifier.version() >= 2 => {
                self.registered
                    .push(Registered::Ext(notifier.get_input_idle_notification(
                        timeout_ms,
                        &self.seat,
                        qh,
                        Watching::Idle,
                    )));
                self.registered
                    .push(Registered::Ext(notifier.get_idle_notification(
                        timeout_ms,
                        &self.seat,
                        qh,
                        Watching::Inhibitors,
                    )));
            }
            Notifier::Ext(notifier) => {
                self.registered
                    .push(Registered::Ext(notifier.get_idle_notification(
                        timeout_ms,
                        &self.seat,
                        qh,
                        Watching::Idle,
                    )))
            }
            Notifier::Kde(idle) => self.registered.push(Registered::Kde(idle.get_idle_timeout(
                &self.seat,
                timeout_ms,
                qh,
                (),
            ))),
        }
    }
}

/// How long "input idle but not plain idle" must last before it is taken for an
/// inhibitor: the two notifications share a timeout, so their events may arrive apart.
const INHIBITOR_GRACE: Duration = Duration::from_secs(2);

/// The task's state, updated by the event callbacks and settled after each batch.
struct State {
    shared: Arc<Mutex<Shared>>,
    /// The idle-measuring notification says idle, since then.
    input_idle: Option<Instant>,
    /// Version 2: the plain notification says idle.
    plain_idle: bool,
    version_2: bool,
    /// Last reported to the busy sources.
    inhibited: bool,
    /// When "input idle, plain not" will be taken for an inhibitor.
    inhibitor_check: Option<Instant>,
    inputs: mpsc::UnboundedSender<Input>,
    reports: Reports,
}

impl State {
    fn idle_changed(&mut self, idle: bool, watching: Watching) {
        match watching {
            Watching::Idle => self.input_idle = idle.then(Instant::now),
            Watching::Inhibitors => self.plain_idle = idle,
        }
    }

    /// Turns what the notifications say into the idle time the agent reads and the
    /// inhibitor the busy sources hear of; wakes the driver when either changed.
    fn settle(&mut self) {
        let now = Instant::now();
        let (idle, inhibited) = match self.input_idle {
            None => (false, false),
            Some(_) if !self.version_2 || self.plain_idle => (true, false),
            // No input, yet the plain notification is held active: a program holds an
            // inhibitor with nobody typing (a video, a call). Present, and busy.
            Some(_) => match self.inhibitor_check {
                Some(at) if now >= at => (false, true),
                Some(_) => (false, self.inhibited),
                None => {
                    self.inhibitor_check = Some(now + INHIBITOR_GRACE);
                    (false, self.inhibited)
                }
            },
        };
        if self.input_idle.is_none() || self.plain_idle {
            self.inhibitor_check = None;
        }
        let idle_changed = match self.shared.lock() {
            Ok(mut shared) => {
                let was_idle = shared.idled_at.is_some();
                if idle && !was_idle {
                    // Out of a stretch held by an inhibitor, away counts from the plain
                    // notification's "idled" (now), not from the last input before the film.
                    shared.idled_at = if self.inhibited {
                        Some(now)
                    } else {
                        self.input_idle
                    };
                } else if !idle {
                    shared.idled_at = None;
                }
                was_idle != idle
            }
            Err(_) => false,
        };
        self.report_inhibitor(inhibited);
        if idle_changed {
            // Fails only while the agent shuts down.
            let _ = self.inputs.send(Input::Presence(Presence::IdleChanged));
        }
    }

    fn report_inhibitor(&mut self, inhibited: bool) {
        if inhibited != self.inhibited {
            self.inhibited = inhibited;
            let _ = self.reports.send(Report {
                source: "Wayland idle inhibitor",
                kind: Kind::Inhibited,
                busy: inhibited,
            });
        }
    }

    /// New notifications start "not idle".
    fn reset(&mut self) {
        self.input_idle = None;
        self.plain_idle = false;
        self.inhibitor_check = None;
        self.settle();
    }
}

async fn run(
    connection: Connection,
    mut queue: EventQueue<State>,
    socket: tokio::net::UnixStream,
    mut state: State,
    mut watch: Watch,
    mut timeouts: mpsc::UnboundedReceiver<u32>,
) {
    let qh = queue.handle();
    let ended = loop {
        if let Err(e) = queue.dispatch_pending(&mut state) {
            break format!("Wayland dispatch failed: {e}");
        }
        state.settle();
        match queue.flush() {
            Ok(()) => {}
            Err(WaylandError::Io(e)) if e.kind() == io::ErrorKind::WouldBlock => {}
            Err(e) => break format!("Wayland connection failed: {e}"),
        }
        // None: events arrived meanwhile; dispatch them first.
        let Some(guard) = queue.prepare_read() else {
            continue;
        };
        let check = state.inhibitor_check;
        tokio::select! {
            ready = socket.readable() => {
                if let Err(e) = ready {
                    break format!("Wayland socket failed: {e}");
                }
                match socket.try_io(Interest::READABLE, || guard.read().map_err(wayland_io)) {
                    Ok(_) => {}
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(e) => break format!("the Wayland compositor closed the connection ({e})"),
                }
            }
            () = sleep_until(check) => drop(guard),
            timeout = timeouts.recv() => {
                // Cancels the prepared read; the loop prepares another.
                drop(guard);
                // The agent dropped this source (it chose another): nothing to report.
                let Some(timeout_ms) = timeout else {
                    state.report_inhibitor(false);
                    return;
                };
                if let Ok(mut shared) = state.shared.lock() {
                    shared.timeout_ms = timeout_ms;
                }
                state.reset();
                watch.register(timeout_ms, &qh);
            }
        }
    };
    log::warn!("idle time: {ended}");
    if let Ok(mut shared) = state.shared.lock() {
        shared.lost = Some(ended);
        shared.idled_at = None;
    }
    state.report_inhibitor(false);
    let _ = state.inputs.send(Input::Presence(Presence::IdleChanged));
    drop(connection);
}

/// Sleeps until `at`, or forever.
async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}

fn wayland_io(e: WaylandError) -> io::Error {
    match e {
        WaylandError::Io(e) => e,
        WaylandError::Protocol(p) => io::Error::other(format!("protocol error: {p}")),
    }
}

impl Dispatch<wl_registry::WlRegistry, GlobalListContents> for State {
    fn event(
        _: &mut Self,
        _: &wl_registry::WlRegistry,
        _: wl_registry::Event,
        _: &GlobalListContents,
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
        // Globals that come and go later (a second seat) do not change the first seat's
        // idle time.
    }
}

impl Dispatch<wl_seat::WlSeat, ()> for State {
    fn event(
        _: &mut Self,
        _: &wl_seat::WlSeat,
        _: wl_seat::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
    }
}

impl Dispatch<ExtIdleNotifierV1, ()> for State {
    fn event(
        _: &mut Self,
        _: &ExtIdleNotifierV1,
        _: <ExtIdleNotifierV1 as Proxy>::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
    }
}

impl Dispatch<ExtIdleNotificationV1, Watching> for State {
    fn event(
        state: &mut Self,
        _: &ExtIdleNotificationV1,
        event: ext_idle_notification_v1::Event,
        watching: &Watching,
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
        match event {
            ext_idle_notification_v1::Event::Idled => state.idle_changed(true, *watching),
            ext_idle_notification_v1::Event::Resumed => state.idle_changed(false, *watching),
            _ => {}
        }
    }
}

impl Dispatch<OrgKdeKwinIdle, ()> for State {
    fn event(
        _: &mut Self,
        _: &OrgKdeKwinIdle,
        _: <OrgKdeKwinIdle as Proxy>::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
    }
}

impl Dispatch<OrgKdeKwinIdleTimeout, ()> for State {
    fn event(
        state: &mut Self,
        _: &OrgKdeKwinIdleTimeout,
        event: org_kde_kwin_idle_timeout::Event,
        _: &(),
        _: &Connection,
        _: &QueueHandle<Self>,
    ) {
        match event {
            org_kde_kwin_idle_timeout::Event::Idle => state.idle_changed(true, Watching::Idle),
            org_kde_kwin_idle_timeout::Event::Resumed => state.idle_changed(false, Watching::Idle),
            _ => {}
        }
    }
}
