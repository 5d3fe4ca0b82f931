//! How long the user has been idle (no keyboard or mouse input), read at most once per
//! driver wake-up (about once a minute): never polled every second, never a spawned process.
//!
//! Sources, in order of trust: GNOME's Mutter IdleMonitor over D-Bus (the only one that
//! sees input on GNOME Wayland), and the X11 MIT-SCREEN-SAVER extension (X11 sessions,
//! Xvfb). On a Wayland session without Mutter, XWayland's idle time only counts input to X
//! clients, so it is not used: Limber then runs on wall time alone and says so.

use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use x11rb::connection::Connection;
use x11rb::protocol::screensaver::ConnectionExt as _;
use x11rb::rust_connection::RustConnection;

/// Where idle time comes from, as shown in `limber status` and the Settings screen.
pub enum IdleSource {
    Mutter(zbus::Connection),
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

fn x11_idle(connection: &RustConnection, root: u32) -> Option<u64> {
    let info = connection.screensaver_query_info(root).ok()?.reply().ok()?;
    Some(u64::from(info.ms_since_user_input))
}

impl IdleSource {
    /// Picks the best source this session offers.
    pub async fn detect() -> IdleSource {
        let wayland = std::env::var_os("WAYLAND_DISPLAY").is_some()
            || std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t == "wayland");
        if let Ok(connection) = zbus::Connection::session().await {
            if mutter_idle(&connection).await.is_some() {
                return IdleSource::Mutter(connection);
            }
        }
        if wayland {
            return IdleSource::None {
                reason: "this Wayland desktop offers no idle-time service Limber can read (GNOME's Mutter does)".to_owned(),
            };
        }
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
                        reason: "the X server has no MIT-SCREEN-SAVER extension".to_owned(),
                    }
                }
            }
            Err(e) => IdleSource::None {
                reason: format!("no X display or GNOME session to read idle time from ({e})"),
            },
        }
    }

    pub fn describe(&self) -> String {
        match self {
            IdleSource::Mutter(_) => "GNOME Mutter IdleMonitor".to_owned(),
            IdleSource::X11 { .. } => "X11 screen saver extension".to_owned(),
            IdleSource::None { reason } => format!("none: {reason}; breaks follow the clock only"),
        }
    }

    /// Milliseconds since the last input, or `None` if it cannot be read now.
    pub fn idle_ms(&mut self) -> BoxFuture<'_, Option<u64>> {
        match self {
            IdleSource::Mutter(connection) => mutter_idle(connection).boxed(),
            IdleSource::X11 { connection, root } => {
                let idle = x11_idle(connection, *root);
                async move { idle }.boxed()
            }
            IdleSource::None { .. } => async { None }.boxed(),
        }
    }
}
