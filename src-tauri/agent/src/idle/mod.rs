//! How long the user has been idle (no keyboard or mouse input), read at most once per
//! driver wake-up (about once a minute) or pushed by the compositor: never polled every
//! second, never a spawned process.
//!
//! Sources, in order of preference (ARCHITECTURE.md gives the reasons):
//! 1. Wayland `ext-idle-notify-v1` version 2 ([`wayland`]): input only, pushed.
//! 2. GNOME's Mutter IdleMonitor over D-Bus (GNOME offers no Wayland idle protocol).
//! 3. Wayland `ext-idle-notify-v1` version 1, then KDE's `org_kde_kwin_idle`.
//! 4. On a Wayland desktop with none of those, `org.freedesktop.ScreenSaver`'s
//!    `GetSessionIdleTime` over D-Bus, where it answers (KDE Plasma before 5.27; since
//!    then, and on GNOME, it refuses on Wayland).
//! 5. X11's MIT-SCREEN-SAVER extension (X11 sessions, Xvfb). On a Wayland session XWayland
//!    only sees input to X clients, so it is not used there.
//!
//! When none is there, the status says why and what would give Limber idle time, and
//! breaks follow the clock only.

pub mod wayland;

use crate::busy::Reports;
use crate::ports::Input;
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use wayland::{Protocol, WaylandIdle};
use x11rb::connection::Connection;
use x11rb::protocol::screensaver::ConnectionExt as _;
use x11rb::rust_connection::RustConnection;

/// Where idle time comes from, as shown in `limber status` and the Settings screen.
pub enum IdleSource {
    Wayland(WaylandIdle),
    Mutter(zbus::Connection),
    ScreenSaver(zbus::Connection),
    X11 {
        connection: Box<RustConnection>,
        root: u32,
    },
    None {
        reason: String,
    },
}

const MUTTER_BUS: &str = "org.gnome.Mutter.IdleMonitor";
const MUTTER_PATH: &str = "/org/gnome/Mutter/IdleMonitor/Core";

/// What would let Limber read idle time on a Wayland desktop that offers none.
const WAYLAND_FIX: &str = "a compositor with the ext-idle-notify-v1 protocol (KDE Plasma 6, \
    Sway 1.8 or later, Hyprland, COSMIC, niri) or GNOME would give Limber idle time";

async fn mutter_idle(connection: &zbus::Connection) -> Option<u64> {
    let reply = connection
        .call_method(
            Some(MUTTER_BUS),
            MUTTER_PATH,
            Some(MUTTER_BUS),
            "GetIdletime",
            &(),
        )
        .await
        .ok()?;
    reply.body().deserialize::<u64>().ok()
}

async fn mutter() -> Option<zbus::Connection> {
    let connection = zbus::Connection::session().await.ok()?;
    mutter_idle(&connection).await.map(|_| connection)
}

const SCREENSAVER_BUS: &str = "org.freedesktop.ScreenSaver";
const SCREENSAVER_PATH: &str = "/org/freedesktop/ScreenSaver";

/// KDE's answer is in milliseconds, whatever its argument's name says (KIdleTime).
async fn screensaver_idle(connection: &zbus::Connection) -> Option<u64> {
    let reply = connection
        .call_method(
            Some(SCREENSAVER_BUS),
            SCREENSAVER_PATH,
            Some(SCREENSAVER_BUS),
            "GetSessionIdleTime",
            &(),
        )
        .await
        .ok()?;
    reply.body().deserialize::<u32>().ok().map(u64::from)
}

async fn screensaver() -> Option<zbus::Connection> {
    let connection = zbus::Connection::session().await.ok()?;
    screensaver_idle(&connection).await.map(|_| connection)
}

fn x11_idle(connection: &RustConnection, root: u32) -> Option<u64> {
    let info = connection.screensaver_query_info(root).ok()?.reply().ok()?;
    Some(u64::from(info.ms_since_user_input))
}

/// What the Wayland sources need besides the compositor: where to send their events.
#[derive(Clone)]
pub struct Wiring {
    pub inputs: mpsc::UnboundedSender<Input>,
    pub reports: Reports,
}

impl IdleSource {
    /// Picks the best source this session offers; a Wayland notification is registered
    /// with `timeout_ms` (the natural break's length).
    pub async fn detect(timeout_ms: u32, wiring: &Wiring) -> IdleSource {
        let wayland_display = std::env::var_os("WAYLAND_DISPLAY").is_some()
            || std::env::var_os("WAYLAND_SOCKET").is_some();
        let wayland_session = std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t == "wayland");
        if wayland_display {
            return Self::detect_wayland(timeout_ms, wiring).await;
        }
        if let Some(connection) = mutter().await {
            return IdleSource::Mutter(connection);
        }
        if wayland_session {
            return IdleSource::None {
                reason: "this is a Wayland session but WAYLAND_DISPLAY is not set in \
                         Limber's environment; start Limber from the desktop session (its \
                         autostart entry does) so it can reach the compositor"
                    .to_owned(),
            };
        }
        if std::env::var_os("DISPLAY").is_none() {
            return IdleSource::None {
                reason: "Limber was started without WAYLAND_DISPLAY or DISPLAY, so it cannot \
                         see the desktop; start it from the desktop session (its autostart \
                         entry does)"
                    .to_owned(),
            };
        }
        Self::detect_x11()
    }

    async fn detect_wayland(timeout_ms: u32, wiring: &Wiring) -> IdleSource {
        let probe = match wayland::probe().await {
            Ok(probe) => probe,
            Err(e) => {
                return match mutter().await {
                    Some(connection) => IdleSource::Mutter(connection),
                    None => IdleSource::None {
                        reason: format!("{e}; {WAYLAND_FIX}"),
                    },
                }
            }
        };
        let best = probe.best();
        // Version 2 counts input only; Mutter's GetIdletime does too, and GNOME has no
        // Wayland idle protocol, so the two never compete. Version 1 and KDE's protocol
        // are held by inhibitors: Mutter, if there, is better.
        if best != Some(Protocol::ExtInput) {
            if let Some(connection) = mutter().await {
                return IdleSource::Mutter(connection);
            }
        }
        let Some(protocol) = best else {
            if let Some(connection) = screensaver().await {
                return IdleSource::ScreenSaver(connection);
            }
            return IdleSource::None {
                reason: format!(
                    "this Wayland compositor offers no idle protocol Limber reads \
                     (ext-idle-notify-v1 or org_kde_kwin_idle), GNOME's Mutter is not \
                     running and org.freedesktop.ScreenSaver gives no idle time; \
                     {WAYLAND_FIX}"
                ),
            };
        };
        match WaylandIdle::start(
            probe,
            protocol,
            timeout_ms,
            wiring.inputs.clone(),
            wiring.reports.clone(),
        ) {
            Ok(idle) => IdleSource::Wayland(idle),
            Err(e) => IdleSource::None {
                reason: format!("{e}; {WAYLAND_FIX}"),
            },
        }
    }

    fn detect_x11() -> IdleSource {
        match x11rb::connect(None) {
            Ok((connection, screen)) => {
                let root = connection
                    .setup()
                    .roots
                    .get(screen)
                    .map(|s| s.root)
                    .unwrap_or(0);
                if x11_idle(&connection, root).is_some() {
                    IdleSource::X11 {
                        connection: Box::new(connection),
                        root,
                    }
                } else {
                    IdleSource::None {
                        reason: "the X server has no MIT-SCREEN-SAVER extension (Xorg and \
                                 Xvfb have it)"
                            .to_owned(),
                    }
                }
            }
            Err(e) => IdleSource::None {
                reason: format!("cannot open the X display ({e})"),
            },
        }
    }

    pub fn describe(&self) -> String {
        match self {
            IdleSource::Wayland(idle) => match idle.lost() {
                None => idle.protocol.describe().to_owned(),
                Some(why) => format!(
                    "none: {why}; Limber tries the compositor again each minute; breaks \
                     follow the clock only"
                ),
            },
            IdleSource::Mutter(_) => "GNOME Mutter IdleMonitor".to_owned(),
            IdleSource::ScreenSaver(_) => {
                "org.freedesktop.ScreenSaver GetSessionIdleTime".to_owned()
            }
            IdleSource::X11 { .. } => "X11 screen saver extension".to_owned(),
            IdleSource::None { reason } => format!("none: {reason}; breaks follow the clock only"),
        }
    }

    /// Milliseconds since the last input, or `None` if it cannot be read now.
    pub fn idle_ms(&mut self) -> BoxFuture<'_, Option<u64>> {
        match self {
            IdleSource::Wayland(idle) => {
                let idle = idle.idle_ms();
                async move { idle }.boxed()
            }
            IdleSource::Mutter(connection) => mutter_idle(connection).boxed(),
            IdleSource::ScreenSaver(connection) => screensaver_idle(connection).boxed(),
            IdleSource::X11 { connection, root } => {
                let idle = x11_idle(connection, *root);
                async move { idle }.boxed()
            }
            IdleSource::None { .. } => async { None }.boxed(),
        }
    }

    /// The natural break's length changed: a notification source registers anew.
    pub fn set_timeout(&mut self, timeout_ms: u32) {
        if let IdleSource::Wayland(idle) = self {
            idle.set_timeout(timeout_ms);
        }
    }

    /// A Wayland source whose compositor went away.
    fn is_lost(&self) -> bool {
        matches!(self, IdleSource::Wayland(idle) if idle.lost().is_some())
    }
}

/// The idle source, found again when a Wayland compositor it used went away (it
/// restarted, or the session changed), at most once a minute.
pub struct Idle {
    source: IdleSource,
    timeout_ms: u32,
    wiring: Wiring,
    last_try: Instant,
}

impl Idle {
    pub async fn detect(timeout_ms: u32, wiring: Wiring) -> Idle {
        Idle {
            source: IdleSource::detect(timeout_ms, &wiring).await,
            timeout_ms,
            wiring,
            last_try: Instant::now(),
        }
    }

    pub fn describe(&self) -> String {
        self.source.describe()
    }

    pub fn idle_ms(&mut self) -> BoxFuture<'_, Option<u64>> {
        async move {
            if self.source.is_lost() && self.last_try.elapsed() >= Duration::from_secs(60) {
                self.last_try = Instant::now();
                self.source = IdleSource::detect(self.timeout_ms, &self.wiring).await;
                log::info!("idle time: {}", self.source.describe());
            }
            self.source.idle_ms().await
        }
        .boxed()
    }

    pub fn set_timeout(&mut self, timeout_ms: u32) {
        if timeout_ms != self.timeout_ms {
            self.timeout_ms = timeout_ms;
            self.source.set_timeout(timeout_ms);
        }
    }
}
