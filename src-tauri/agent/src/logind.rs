//! Screen lock and sleep from logind (`org.freedesktop.login1` on the system bus), on any
//! desktop: the session's `LockedHint` (set by GNOME and KDE Plasma when their lock screen
//! shows) and the manager's `PrepareForSleep` (before a suspend, and after it).
//!
//! The session is found the way logind documents: `$XDG_SESSION_ID`, then the caller's
//! own session ("auto"), then the user's display session, then the session of Limber's
//! process. Signals are only sent on a concrete session path, never on the `auto` alias,
//! so the path found is the one watched. Both are signals: nothing is polled.

use crate::ports::{Input, Presence};
use futures_util::StreamExt;
use tokio::sync::mpsc;
use zbus::zvariant::OwnedObjectPath;

#[zbus::proxy(
    interface = "org.freedesktop.login1.Manager",
    default_service = "org.freedesktop.login1",
    default_path = "/org/freedesktop/login1"
)]
trait Manager {
    fn get_session(&self, session_id: &str) -> zbus::Result<OwnedObjectPath>;
    #[zbus(name = "GetSessionByPID")]
    fn get_session_by_pid(&self, pid: u32) -> zbus::Result<OwnedObjectPath>;
    fn get_user(&self, uid: u32) -> zbus::Result<OwnedObjectPath>;
    #[zbus(signal)]
    fn prepare_for_sleep(&self, start: bool) -> zbus::Result<()>;
}

#[zbus::proxy(
    interface = "org.freedesktop.login1.User",
    default_service = "org.freedesktop.login1"
)]
trait User {
    #[zbus(property)]
    fn display(&self) -> zbus::Result<(String, OwnedObjectPath)>;
}

#[zbus::proxy(
    interface = "org.freedesktop.login1.Session",
    default_service = "org.freedesktop.login1"
)]
trait Session {
    #[zbus(property)]
    fn id(&self) -> zbus::Result<String>;
    #[zbus(property)]
    fn locked_hint(&self) -> zbus::Result<bool>;
}

/// Why lock and sleep cannot be watched.
#[derive(Debug, thiserror::Error)]
pub enum LogindError {
    #[error("no system D-Bus ({0})")]
    NoSystemBus(#[source] zbus::Error),
    #[error("logind is not running on the system bus ({0})")]
    NoLogind(#[source] zbus::Error),
    #[error("logind knows no session for Limber ({0})")]
    NoSession(#[source] zbus::Error),
    #[error("cannot subscribe to logind's signals ({0})")]
    Subscribe(#[source] zbus::Error),
}

/// Starts watching lock and sleep; returns what `status` shows as `lock_detection`.
pub async fn watch(inputs: mpsc::UnboundedSender<Input>) -> String {
    match start(inputs).await {
        Ok(description) => description,
        Err(e) => format!(
            "none: {e}; a locked screen counts as away only through idle time, and a \
             suspend is read from the clocks"
        ),
    }
}

async fn start(inputs: mpsc::UnboundedSender<Input>) -> Result<String, LogindError> {
    let connection = zbus::Connection::system()
        .await
        .map_err(LogindError::NoSystemBus)?;
    let manager = ManagerProxy::new(&connection)
        .await
        .map_err(LogindError::Subscribe)?;
    let path = find_session(&connection, &manager).await?;
    let session = SessionProxy::builder(&connection)
        .path(path.clone())
        .map_err(LogindError::Subscribe)?
        .build()
        .await
        .map_err(LogindError::Subscribe)?;
    // Subscribe before reading, so no change falls between the two.
    let mut locks = session.receive_locked_hint_changed().await;
    let mut sleeps = manager
        .receive_prepare_for_sleep()
        .await
        .map_err(LogindError::Subscribe)?;
    let id = session.id().await.unwrap_or_else(|_| path.to_string());
    let locked = session.locked_hint().await.unwrap_or(false);
    let send = move |presence| inputs.send(Input::Presence(presence)).is_ok();
    send(Presence::SleepSignals(true));
    send(Presence::Locked(locked));
    tokio::spawn(async move {
        loop {
            let presence = tokio::select! {
                Some(change) = locks.next() => match change.get().await {
                    Ok(locked) => Presence::Locked(locked),
                    Err(e) => {
                        log::warn!("logind: unreadable LockedHint ({e})");
                        continue;
                    }
                },
                Some(signal) = sleeps.next() => match signal.args() {
                    Ok(args) => Presence::Sleep(args.start),
                    Err(e) => {
                        log::warn!("logind: unreadable PrepareForSleep ({e})");
                        continue;
                    }
                },
                else => break,
            };
            if !send(presence) {
                return;
            }
        }
        // The system bus went away: suspends are read from the clocks again.
        log::warn!("logind: the system bus connection ended");
        send(Presence::SleepSignals(false));
        send(Presence::Locked(false));
    });
    Ok(format!("logind session {id}"))
}

/// The session Limber runs in, as a concrete path.
async fn find_session(
    connection: &zbus::Connection,
    manager: &ManagerProxy<'_>,
) -> Result<OwnedObjectPath, LogindError> {
    if let Ok(id) = std::env::var("XDG_SESSION_ID") {
        if let Ok(path) = manager.get_session(&id).await {
            return Ok(path);
        }
    }
    let auto = match manager.get_session("auto").await {
        Ok(path) => return Ok(path),
        Err(e) => e,
    };
    if matches!(
        zbus::fdo::Error::from(auto.clone()),
        zbus::fdo::Error::ServiceUnknown(_) | zbus::fdo::Error::NameHasNoOwner(_)
    ) {
        return Err(LogindError::NoLogind(auto));
    }
    // Started by systemd --user (or an autostart scope), Limber is in no session of its
    // own: the user's graphical session is the one that locks.
    let uid = rustix::process::getuid().as_raw();
    if let Ok(user) = manager.get_user(uid).await {
        let display = match UserProxy::builder(connection).path(user) {
            Ok(builder) => match builder.build().await {
                Ok(proxy) => proxy.display().await.ok(),
                Err(_) => None,
            },
            Err(_) => None,
        };
        if let Some((_, path)) = display.filter(|(_, path)| path.as_str() != "/") {
            return Ok(path);
        }
    }
    manager
        .get_session_by_pid(std::process::id())
        .await
        .map_err(|_| LogindError::NoSession(auto))
}
