//! A fullscreen focused window on X11: the root window's `_NET_ACTIVE_WINDOW`, and that
//! window's `_NET_WM_STATE` holding `_NET_WM_STATE_FULLSCREEN`. Both are watched with
//! PropertyNotify events on a connection of their own, so nothing is polled: the task
//! sleeps until the window manager changes one of them.

use super::{Kind, Report, Reports};
use std::os::fd::AsFd;
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{
    AtomEnum, ChangeWindowAttributesAux, ConnectionExt as _, EventMask, Window,
};
use x11rb::protocol::Event;
use x11rb::rust_connection::RustConnection;

x11rb::atom_manager! {
    Atoms: AtomsCookie {
        _NET_ACTIVE_WINDOW,
        _NET_WM_STATE,
        _NET_WM_STATE_FULLSCREEN,
    }
}

pub fn spawn(reports: Reports) {
    if std::env::var_os("DISPLAY").is_none() {
        return;
    }
    tokio::spawn(async move {
        if let Err(e) = watch(reports).await {
            log::info!("busy: no fullscreen detection ({e})");
        }
    });
}

type Error = Box<dyn std::error::Error + Send + Sync>;

fn active_window(conn: &RustConnection, root: Window, atoms: &Atoms) -> Result<Window, Error> {
    let reply = conn
        .get_property(
            false,
            root,
            atoms._NET_ACTIVE_WINDOW,
            AtomEnum::WINDOW,
            0,
            1,
        )?
        .reply()?;
    Ok(reply.value32().and_then(|mut v| v.next()).unwrap_or(0))
}

fn is_fullscreen(conn: &RustConnection, window: Window, atoms: &Atoms) -> bool {
    if window == 0 {
        return false;
    }
    let Ok(cookie) = conn.get_property(false, window, atoms._NET_WM_STATE, AtomEnum::ATOM, 0, 64)
    else {
        return false;
    };
    // The window may be gone already: that is "not fullscreen".
    let Ok(reply) = cookie.reply() else {
        return false;
    };
    reply
        .value32()
        .is_some_and(|mut states| states.any(|s| s == atoms._NET_WM_STATE_FULLSCREEN))
}

/// Asks for PropertyNotify on `window` (per client: the application is not disturbed).
fn listen(conn: &RustConnection, window: Window, mask: EventMask) {
    if window != 0 {
        let _ = conn
            .change_window_attributes(window, &ChangeWindowAttributesAux::new().event_mask(mask));
    }
}

/// The root window and the window being watched, on one connection.
struct Watcher {
    conn: RustConnection,
    root: Window,
    atoms: Atoms,
    active: Window,
}

impl Watcher {
    /// Follows focus to a new window; returns whether the answer may have changed.
    fn on_event(&mut self, event: &Event) -> Result<bool, Error> {
        let Event::PropertyNotify(notify) = event else {
            // Errors of requests on windows that have gone, and anything else: nothing new.
            return Ok(false);
        };
        if notify.window == self.root && notify.atom == self.atoms._NET_ACTIVE_WINDOW {
            let now = active_window(&self.conn, self.root, &self.atoms)?;
            if now != self.active {
                listen(&self.conn, self.active, EventMask::NO_EVENT);
                listen(&self.conn, now, EventMask::PROPERTY_CHANGE);
                self.active = now;
            }
            return Ok(true);
        }
        Ok(notify.window == self.active && notify.atom == self.atoms._NET_WM_STATE)
    }

    fn fullscreen(&self) -> bool {
        is_fullscreen(&self.conn, self.active, &self.atoms)
    }
}

async fn watch(reports: Reports) -> Result<(), Error> {
    let (conn, screen) = x11rb::connect(None)?;
    let root = conn.setup().roots.get(screen).ok_or("no screen")?.root;
    let atoms = Atoms::new(&conn)?.reply()?;
    listen(&conn, root, EventMask::PROPERTY_CHANGE);
    let active = active_window(&conn, root, &atoms)?;
    listen(&conn, active, EventMask::PROPERTY_CHANGE);
    conn.flush()?;
    // Readiness of the connection's socket, through a duplicate of its descriptor.
    let fd = conn.stream().as_fd().try_clone_to_owned()?;
    let socket = std::os::unix::net::UnixStream::from(fd);
    socket.set_nonblocking(true)?;
    let socket = tokio::net::UnixStream::from_std(socket)?;
    let mut watcher = Watcher {
        conn,
        root,
        atoms,
        active,
    };
    let send = |fullscreen: bool| {
        reports
            .send(Report {
                source: "X11 fullscreen",
                kind: Kind::Fullscreen,
                busy: fullscreen,
            })
            .is_ok()
    };
    if !send(watcher.fullscreen()) {
        return Ok(());
    }
    loop {
        // Drain what is queued first: replies read since may have queued events.
        let mut changed = false;
        while let Some(event) = watcher.conn.poll_for_event()? {
            changed |= watcher.on_event(&event)?;
        }
        if changed && !send(watcher.fullscreen()) {
            return Ok(());
        }
        watcher.conn.flush()?;
        socket.readable().await?;
        // Clear the readiness only once the socket is really drained.
        let read = socket.try_io(tokio::io::Interest::READABLE, || {
            match watcher.conn.poll_for_event() {
                Ok(Some(event)) => Ok(event),
                Ok(None) => Err(std::io::ErrorKind::WouldBlock.into()),
                Err(e) => Err(std::io::Error::other(e)),
            }
        });
        match read {
            Ok(event) => {
                if watcher.on_event(&event)? && !send(watcher.fullscreen()) {
                    return Ok(());
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) => return Err(e.into()),
        }
    }
}
