//! `fake-compositor`: a Wayland server that speaks the real idle protocols and nothing
//! else, for testing Limber's Wayland idle sources where no compositor offers them (no
//! Debian 12 compositor has `ext-idle-notify-v1`).
//!
//! Usage: `fake-compositor SOCKET_PATH [--ext 0|1|2] [--kde] [--scale N]`
//!
//! - `--ext N` offers `ext_idle_notifier_v1` at version N (0: not at all; default 2);
//! - `--kde` also offers `org_kde_kwin_idle`;
//! - `--scale N` runs timeouts N times faster (60: a minute's timeout fires after a
//!   second), so tests of a one-minute natural break take a second.
//!
//! Commands on stdin, one per line: `input` (the user touched the keyboard), `inhibit`
//! and `release` (a program takes or drops an idle inhibitor, as a video player does).
//! It prints `ready` when it listens and one line per event it sends; it ends when stdin
//! closes.
//!
//! Protocol behaviour follows the specifications: a notification idles after `timeout`
//! ms without input and resumes at the next input; `get_input_idle_notification`
//! (version 2) ignores inhibitors, `get_idle_notification` and `org_kde_kwin_idle` never
//! idle while an inhibitor is held (their countdown restarts when it is released);
//! `simulate_user_activity` resets only its own timer, as wlroots does.

use std::io::Write;
use std::os::fd::AsFd;
use std::sync::Arc;
use std::time::{Duration, Instant};
use wayland_protocols::ext::idle_notify::v1::server::{
    ext_idle_notification_v1::{self, ExtIdleNotificationV1},
    ext_idle_notifier_v1::{self, ExtIdleNotifierV1},
};
use wayland_protocols_plasma::idle::server::{
    org_kde_kwin_idle::{self, OrgKdeKwinIdle},
    org_kde_kwin_idle_timeout::{self, OrgKdeKwinIdleTimeout},
};
use wayland_server::backend::{ClientData, ClientId, DisconnectReason, ObjectId};
use wayland_server::protocol::wl_seat::{self, WlSeat};
use wayland_server::{
    Client, DataInit, Dispatch, Display, DisplayHandle, GlobalDispatch, ListeningSocket, New,
    Resource,
};

enum Notification {
    Ext(ExtIdleNotificationV1),
    Kde(OrgKdeKwinIdleTimeout),
}

impl Notification {
    fn id(&self) -> ObjectId {
        match self {
            Notification::Ext(n) => n.id(),
            Notification::Kde(n) => n.id(),
        }
    }
}

struct Timer {
    notification: Notification,
    timeout: Duration,
    /// Counts input only (version 2's input idle notification).
    input_only: bool,
    /// Start of the current countdown.
    since: Instant,
    idle: bool,
}

struct Compositor {
    timers: Vec<Timer>,
    scale: u32,
    inhibited: bool,
}

fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

impl Compositor {
    fn add(&mut self, notification: Notification, timeout_ms: u32, input_only: bool) {
        say(&format!(
            "registered {} timeout {timeout_ms} ms",
            if input_only { "input-idle" } else { "idle" }
        ));
        self.timers.push(Timer {
            notification,
            timeout: Duration::from_millis(u64::from(timeout_ms)) / self.scale,
            input_only,
            since: Instant::now(),
            idle: false,
        });
    }

    fn input(&mut self) {
        let now = Instant::now();
        for timer in &mut self.timers {
            timer.since = now;
            if std::mem::take(&mut timer.idle) {
                match &timer.notification {
                    Notification::Ext(n) => n.resumed(),
                    Notification::Kde(n) => n.resumed(),
                }
                say("resumed");
            }
        }
    }

    fn release(&mut self) {
        self.inhibited = false;
        let now = Instant::now();
        for timer in self.timers.iter_mut().filter(|t| !t.input_only) {
            timer.since = now;
        }
    }

    /// Sends "idled" for every timer that ran out; returns the next deadline.
    fn expire(&mut self) -> Option<Instant> {
        let now = Instant::now();
        let mut next: Option<Instant> = None;
        for timer in &mut self.timers {
            if timer.idle || (self.inhibited && !timer.input_only) {
                continue;
            }
            let due = timer.since + timer.timeout;
            if due <= now {
                timer.idle = true;
                match &timer.notification {
                    Notification::Ext(n) => n.idled(),
                    Notification::Kde(n) => n.idle(),
                }
                say(if timer.input_only {
                    "idled input-idle"
                } else {
                    "idled idle"
                });
            } else {
                next = Some(next.map_or(due, |n| n.min(due)));
            }
        }
        next
    }

    fn forget(&mut self, id: &ObjectId) {
        self.timers.retain(|t| &t.notification.id() != id);
    }
}

impl GlobalDispatch<WlSeat, ()> for Compositor {
    fn bind(
        _: &mut Self,
        _: &DisplayHandle,
        _: &Client,
        resource: New<WlSeat>,
        _: &(),
        data_init: &mut DataInit<'_, Self>,
    ) {
        let seat = data_init.init(resource, ());
        // No capabilities: clients never ask for a pointer or keyboard.
        seat.capabilities(wl_seat::Capability::empty());
        if seat.version() >= 2 {
            seat.name("seat0".into());
        }
    }
}

impl Dispatch<WlSeat, ()> for Compositor {
    fn request(
        _: &mut Self,
        _: &Client,
        _: &WlSeat,
        _: wl_seat::Request,
        _: &(),
        _: &DisplayHandle,
        _: &mut DataInit<'_, Self>,
    ) {
    }
}

impl GlobalDispatch<ExtIdleNotifierV1, ()> for Compositor {
    fn bind(
        _: &mut Self,
        _: &DisplayHandle,
        _: &Client,
        resource: New<ExtIdleNotifierV1>,
        _: &(),
        data_init: &mut DataInit<'_, Self>,
    ) {
        data_init.init(resource, ());
    }
}

impl Dispatch<ExtIdleNotifierV1, ()> for Compositor {
    fn request(
        state: &mut Self,
        _: &Client,
        _: &ExtIdleNotifierV1,
        request: ext_idle_notifier_v1::Request,
        _: &(),
        _: &DisplayHandle,
        data_init: &mut DataInit<'_, Self>,
    ) {
        match request {
            ext_idle_notifier_v1::Request::GetIdleNotification { id, timeout, .. } => {
                let n = data_init.init(id, ());
                state.add(Notification::Ext(n), timeout, false);
            }
            ext_idle_notifier_v1::Request::GetInputIdleNotification { id, timeout, .. } => {
                let n = data_init.init(id, ());
                state.add(Notification::Ext(n), timeout, true);
            }
            _ => {}
        }
    }
}

impl Dispatch<ExtIdleNotificationV1, ()> for Compositor {
    fn request(
        _: &mut Self,
        _: &Client,
        _: &ExtIdleNotificationV1,
        _: ext_idle_notification_v1::Request,
        _: &(),
        _: &DisplayHandle,
        _: &mut DataInit<'_, Self>,
    ) {
    }

    fn destroyed(state: &mut Self, _: ClientId, resource: &ExtIdleNotificationV1, _: &()) {
        state.forget(&resource.id());
    }
}

impl GlobalDispatch<OrgKdeKwinIdle, ()> for Compositor {
    fn bind(
        _: &mut Self,
        _: &DisplayHandle,
        _: &Client,
        resource: New<OrgKdeKwinIdle>,
        _: &(),
        data_init: &mut DataInit<'_, Self>,
    ) {
        data_init.init(resource, ());
    }
}

impl Dispatch<OrgKdeKwinIdle, ()> for Compositor {
    fn request(
        state: &mut Self,
        _: &Client,
        _: &OrgKdeKwinIdle,
        request: org_kde_kwin_idle::Request,
        _: &(),
        _: &DisplayHandle,
        data_init: &mut DataInit<'_, Self>,
    ) {
        if let org_kde_kwin_idle::Request::GetIdleTimeout { id, timeout, .. } = request {
            let n = data_init.init(id, ());
            state.add(Notification::Kde(n), timeout, false);
        }
    }
}

impl Dispatch<OrgKdeKwinIdleTimeout, ()> for Compositor {
    fn request(
        state: &mut Self,
        _: &Client,
        resource: &OrgKdeKwinIdleTimeout,
        request: org_kde_kwin_idle_timeout::Request,
        _: &(),
        _: &DisplayHandle,
        _: &mut DataInit<'_, Self>,
    ) {
        if let org_kde_kwin_idle_timeout::Request::SimulateUserActivity = request {
            let id = resource.id();
            for timer in state
                .timers
                .iter_mut()
                .filter(|t| t.notification.id() == id)
            {
                timer.since = Instant::now();
            }
        }
    }

    fn destroyed(state: &mut Self, _: ClientId, resource: &OrgKdeKwinIdleTimeout, _: &()) {
        state.forget(&resource.id());
    }
}

struct ClientState;

impl ClientData for ClientState {
    fn disconnected(&self, _: ClientId, _: DisconnectReason) {}
}

struct Options {
    socket: std::path::PathBuf,
    ext: u32,
    kde: bool,
    scale: u32,
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let socket = args
        .next()
        .ok_or("usage: fake-compositor SOCKET_PATH [--ext N] [--kde] [--scale N]")?;
    let mut options = Options {
        socket: socket.into(),
        ext: 2,
        kde: false,
        scale: 1,
    };
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u32, String> {
            args.next()
                .and_then(|v| v.parse().ok())
                .ok_or(format!("{name} needs a number"))
        };
        match arg.as_str() {
            "--ext" => options.ext = number("--ext")?.min(2),
            "--scale" => options.scale = number("--scale")?.max(1),
            "--kde" => options.kde = true,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

fn run(options: Options) -> Result<(), Box<dyn std::error::Error>> {
    use rustix::event::{poll, PollFd, PollFlags, Timespec};
    let mut display: Display<Compositor> = Display::new()?;
    let mut handle = display.handle();
    handle.create_global::<Compositor, WlSeat, ()>(7, ());
    if options.ext > 0 {
        handle.create_global::<Compositor, ExtIdleNotifierV1, ()>(options.ext, ());
    }
    if options.kde {
        handle.create_global::<Compositor, OrgKdeKwinIdle, ()>(1, ());
    }
    let listener = ListeningSocket::bind_absolute(options.socket.clone())?;
    let mut state = Compositor {
        timers: Vec::new(),
        scale: options.scale,
        inhibited: false,
    };
    say("ready");
    let stdin = std::io::stdin();
    let mut pending = Vec::new();
    loop {
        let next = state.expire();
        display.flush_clients()?;
        let timeout = next.map(|at| {
            let left = at.saturating_duration_since(Instant::now());
            Timespec {
                tv_sec: i64::try_from(left.as_secs()).unwrap_or(i64::MAX),
                tv_nsec: i64::from(left.subsec_nanos()),
            }
        });
        let (listen_ready, clients_ready, stdin_ready) = {
            let mut fds = [
                PollFd::new(&listener, PollFlags::IN),
                PollFd::from_borrowed_fd(display.backend().poll_fd(), PollFlags::IN),
                PollFd::from_borrowed_fd(stdin.as_fd(), PollFlags::IN),
            ];
            match poll(&mut fds, timeout.as_ref()) {
                Ok(_) => {}
                Err(rustix::io::Errno::INTR) => continue,
                Err(e) => return Err(e.into()),
            }
            let ready = |fd: &PollFd| !fd.revents().is_empty();
            (ready(&fds[0]), ready(&fds[1]), ready(&fds[2]))
        };
        if listen_ready {
            while let Some(stream) = listener.accept()? {
                handle.insert_client(stream, Arc::new(ClientState))?;
                say("client connected");
            }
        }
        if clients_ready {
            display.dispatch_clients(&mut state)?;
        }
        if stdin_ready {
            let mut buf = [0u8; 256];
            let n = rustix::io::read(stdin.as_fd(), &mut buf)?;
            if n == 0 {
                return Ok(());
            }
            pending.extend_from_slice(&buf[..n]);
            while let Some(end) = pending.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = pending.drain(..=end).collect();
                match String::from_utf8_lossy(&line).trim() {
                    "input" => state.input(),
                    "inhibit" => state.inhibited = true,
                    "release" => state.release(),
                    other => say(&format!("unknown command {other:?}")),
                }
            }
        }
    }
}

fn main() -> std::process::ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(e) => {
            eprintln!("fake-compositor: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    match run(options) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fake-compositor: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
