//! Whether the user is busy, from whatever the desktop offers: the focused X11 window
//! being fullscreen, the notification server's do-not-disturb, programs holding off the
//! screensaver (a call, a video). Every source listens for changes (D-Bus signals, X11
//! events) and wakes nobody while nothing changes; the driver hears one `Input::Busy` each
//! time the combined answer changes.
//!
//! Sources (each optional; absent ones stay quiet):
//! - fullscreen: `_NET_ACTIVE_WINDOW` + `_NET_WM_STATE_FULLSCREEN` on X11 ([`x11`]);
//! - do-not-disturb: KDE Plasma's `org.freedesktop.Notifications.Inhibited`, dunst's
//!   `paused`, GNOME's `show-banners` off ([`dconf`]), xfce4-notifyd's `/do-not-disturb`;
//! - inhibited: GNOME's session manager `InhibitedActions` with the idle bit, KDE's
//!   PowerDevil policy agent `HasInhibition(screen)`, logind's `BlockInhibited` ∋ idle,
//!   and, on compositors with `ext-idle-notify-v1` version 2, a Wayland idle inhibitor
//!   held with nobody typing (reported by [`crate::idle::wayland`]).

mod dbus;
mod dconf;
mod x11;

use crate::ports::Input;
use limber_core::schedule::Busy;
use std::collections::HashMap;
use tokio::sync::mpsc;

/// What one source says: which kind of busy, and whether it holds now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Fullscreen,
    DoNotDisturb,
    Inhibited,
}

/// A source's report: its name (for the log), its kind, its answer.
#[derive(Debug)]
pub struct Report {
    pub source: &'static str,
    pub kind: Kind,
    pub busy: bool,
}

pub type Reports = mpsc::UnboundedSender<Report>;

/// Starts every source this session offers, and the task that combines them. Returns
/// where other parts of the agent report what they see (the Wayland idle source sees
/// inhibitors).
pub async fn start(inputs: mpsc::UnboundedSender<Input>) -> Reports {
    let (reports, mut incoming) = mpsc::unbounded_channel::<Report>();
    x11::spawn(reports.clone());
    dbus::spawn(reports.clone()).await;
    dconf::spawn(reports.clone());
    tokio::spawn(async move {
        let mut answers: HashMap<&'static str, (Kind, bool)> = HashMap::new();
        let mut last = Busy::default();
        while let Some(report) = incoming.recv().await {
            if answers.get(report.source) != Some(&(report.kind, report.busy)) {
                log::debug!(
                    "{}: {}",
                    report.source,
                    if report.busy { "busy" } else { "free" }
                );
            }
            answers.insert(report.source, (report.kind, report.busy));
            let any = |kind| answers.values().any(|(k, busy)| *k == kind && *busy);
            let now = Busy {
                fullscreen: any(Kind::Fullscreen),
                do_not_disturb: any(Kind::DoNotDisturb),
                inhibited: any(Kind::Inhibited),
            };
            if now != last {
                last = now;
                if inputs.send(Input::Busy(now)).is_err() {
                    break;
                }
            }
        }
    });
    reports
}
