//! The D-Bus busy sources: a property or method of a desktop service, read at start, when
//! it signals a change, and when its owner comes or goes.

use super::{Kind, Report, Reports};
use futures_util::StreamExt;
use zbus::zvariant::OwnedValue;
use zbus::{Connection, MatchRule, MessageStream};

/// How a source is read.
#[derive(Clone, Copy)]
enum Read {
    /// A boolean property.
    Bool(&'static str),
    /// A `u32` property with these bits set.
    Bits(&'static str, u32),
    /// A string property that lists this word (`"sleep:idle"`).
    Lists(&'static str, &'static str),
    /// A strings property that holds this word.
    Holds(&'static str, &'static str),
    /// A method taking a `u32` and answering a boolean.
    Call(&'static str, u32),
    /// xfconf's `GetProperty(channel, property)` as a boolean.
    Xfconf(&'static str, &'static str),
}

/// One source: where to read, what signal says it changed, and what it means.
#[derive(Clone, Copy)]
struct Watch {
    name: &'static str,
    kind: Kind,
    service: &'static str,
    path: &'static str,
    interface: &'static str,
    read: Read,
    /// The signal that says it changed: `PropertiesChanged` for properties, else this
    /// member of `interface`.
    signal: Option<&'static str>,
}

const SESSION: [Watch; 6] = [
    // KDE Plasma: do-not-disturb, an app's inhibition, or a fullscreen focused window.
    Watch {
        name: "Plasma notifications",
        kind: Kind::DoNotDisturb,
        service: "org.freedesktop.Notifications",
        path: "/org/freedesktop/Notifications",
        interface: "org.freedesktop.Notifications",
        read: Read::Bool("Inhibited"),
        signal: None,
    },
    Watch {
        name: "dunst",
        kind: Kind::DoNotDisturb,
        service: "org.freedesktop.Notifications",
        path: "/org/freedesktop/Notifications",
        interface: "org.dunstproject.cmd0",
        read: Read::Bool("paused"),
        signal: None,
    },
    Watch {
        name: "mako",
        kind: Kind::DoNotDisturb,
        service: "org.freedesktop.Notifications",
        path: "/fr/emersion/Mako",
        interface: "fr.emersion.Mako",
        read: Read::Holds("Modes", "do-not-disturb"),
        signal: None,
    },
    Watch {
        name: "xfce4-notifyd",
        kind: Kind::DoNotDisturb,
        service: "org.xfce.Xfconf",
        path: "/org/xfce/Xfconf",
        interface: "org.xfce.Xfconf",
        read: Read::Xfconf("xfce4-notifyd", "/do-not-disturb"),
        signal: Some("PropertyChanged"),
    },
    // GNOME: video players, browsers and call apps inhibit idle through the session
    // manager (directly or through org.freedesktop.ScreenSaver).
    Watch {
        name: "GNOME session manager",
        kind: Kind::Inhibited,
        service: "org.gnome.SessionManager",
        path: "/org/gnome/SessionManager",
        interface: "org.gnome.SessionManager",
        read: Read::Bits("InhibitedActions", 8),
        signal: None,
    },
    // KDE: org.freedesktop.ScreenSaver inhibitions land in PowerDevil's policy agent.
    Watch {
        name: "KDE policy agent",
        kind: Kind::Inhibited,
        service: "org.kde.Solid.PowerManagement.PolicyAgent",
        path: "/org/kde/Solid/PowerManagement/PolicyAgent",
        interface: "org.kde.Solid.PowerManagement.PolicyAgent",
        read: Read::Call("HasInhibition", 4),
        signal: Some("InhibitionsChanged"),
    },
];

const SYSTEM: [Watch; 1] = [Watch {
    name: "logind",
    kind: Kind::Inhibited,
    service: "org.freedesktop.login1",
    path: "/org/freedesktop/login1",
    interface: "org.freedesktop.login1.Manager",
    read: Read::Lists("BlockInhibited", "idle"),
    signal: None,
}];

/// Starts a task per source on the session bus and the system bus (where they exist).
pub async fn spawn(reports: Reports) {
    match Connection::session().await {
        Ok(session) => {
            for watch in SESSION {
                tokio::spawn(run(session.clone(), watch, reports.clone()));
            }
        }
        Err(e) => log::info!("busy: no session bus ({e})"),
    }
    match Connection::system().await {
        Ok(system) => {
            for watch in SYSTEM {
                tokio::spawn(run(system.clone(), watch, reports.clone()));
            }
        }
        Err(e) => log::info!("busy: no system bus ({e})"),
    }
}

/// Reads the source now; `false` when its service is absent or answers otherwise.
async fn read(connection: &Connection, watch: &Watch) -> bool {
    let property = |name: &'static str| async move {
        let reply = connection
            .call_method(
                Some(watch.service),
                watch.path,
                Some("org.freedesktop.DBus.Properties"),
                "Get",
                &(watch.interface, name),
            )
            .await
            .ok()?;
        reply.body().deserialize::<OwnedValue>().ok()
    };
    match watch.read {
        Read::Bool(name) => property(name)
            .await
            .and_then(|v| bool::try_from(v).ok())
            .unwrap_or(false),
        Read::Bits(name, bits) => property(name)
            .await
            .and_then(|v| u32::try_from(v).ok())
            .is_some_and(|v| v & bits != 0),
        Read::Lists(name, word) => property(name)
            .await
            .and_then(|v| String::try_from(v).ok())
            .is_some_and(|v| v.split(':').any(|w| w == word)),
        Read::Holds(name, word) => property(name)
            .await
            .and_then(|v| Vec::<String>::try_from(v).ok())
            .is_some_and(|v| v.iter().any(|w| w == word)),
        Read::Call(member, arg) => connection
            .call_method(
                Some(watch.service),
                watch.path,
                Some(watch.interface),
                member,
                &arg,
            )
            .await
            .ok()
            .and_then(|reply| reply.body().deserialize::<bool>().ok())
            .unwrap_or(false),
        Read::Xfconf(channel, name) => connection
            .call_method(
                Some(watch.service),
                watch.path,
                Some(watch.interface),
                "GetProperty",
                &(channel, name),
            )
            .await
            .ok()
            .and_then(|reply| reply.body().deserialize::<OwnedValue>().ok())
            .and_then(|v| bool::try_from(v).ok())
            .unwrap_or(false),
    }
}

fn change_rule(watch: &Watch) -> zbus::Result<MatchRule<'static>> {
    let rule = MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .path(watch.path)?;
    let rule = match watch.signal {
        None => rule
            .interface("org.freedesktop.DBus.Properties")?
            .member("PropertiesChanged")?
            .add_arg(watch.interface)?,
        Some(member) => rule.interface(watch.interface)?.member(member)?,
    };
    Ok(rule.build())
}

fn owner_rule(watch: &Watch) -> zbus::Result<MatchRule<'static>> {
    Ok(MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .sender("org.freedesktop.DBus")?
        .interface("org.freedesktop.DBus")?
        .member("NameOwnerChanged")?
        .add_arg(watch.service)?
        .build())
}

/// Reads a source at start and again on each change or change of owner.
async fn run(connection: Connection, watch: Watch, reports: Reports) {
    let (Ok(changes), Ok(owners)) = (change_rule(&watch), owner_rule(&watch)) else {
        return;
    };
    let changes = MessageStream::for_match_rule(changes, &connection, Some(8)).await;
    let owners = MessageStream::for_match_rule(owners, &connection, Some(8)).await;
    let (Ok(changes), Ok(owners)) = (changes, owners) else {
        log::debug!("busy: cannot listen to {}", watch.name);
        return;
    };
    let mut events = futures_util::stream::select(changes, owners);
    loop {
        let busy = read(&connection, &watch).await;
        let report = Report {
            source: watch.name,
            kind: watch.kind,
            busy,
        };
        if reports.send(report).is_err() || events.next().await.is_none() {
            return;
        }
    }
}
