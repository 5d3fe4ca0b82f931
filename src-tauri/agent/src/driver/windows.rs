//! The window's life as the agent sees it: opening it (or bringing it forward), readying it
//! unseen shortly before a break, ending a readied window the break did not come for, and
//! what a window leaving means.
//!
//! Invariants: a readied window is not "open" (`status.window_open`) until something asks
//! for it; the agent ends it [`STANDBY_MS`] after starting it unless asked for, so its
//! memory does not outlast the break it was readied for; a request to open that arrives
//! while a readied window is being ended starts a new window once that one has exited.

use super::Agent;
use crate::clock::Clock;
use crate::ports::{ConnId, Shell};
use limber_core::protocol::{Event, View};
use limber_core::Now;
use std::time::Duration;

/// How long a window readied for a break may wait unseen: the break is due 10 s after it
/// is readied (`IMMINENT_MS`), which leaves it 20 s to arrive late (a busy driver, a start
/// from a slow disk) before the window is ended.
pub const STANDBY_MS: u64 = 30_000;

/// A window started unseen for a coming break.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Standby {
    /// No such window: any window is one somebody asked for.
    #[default]
    None,
    /// Started, unseen, nobody has asked for it; ended at `until` (mono ms).
    Readied { until: u64 },
    /// Its time ran out and it was told to end; a request to open meanwhile waits for its
    /// exit (`reopen`) and then starts a window of its own.
    Ending { reopen: bool },
}

impl<C: Clock, S: Shell> Agent<C, S> {
    /// Shows the window: brings forward the one that is open (or readied), or starts one.
    pub(super) fn open_window(&mut self, view: Option<View>) {
        match std::mem::take(&mut self.standby) {
            Standby::Ending { .. } => {
                // That process is on its way out: a new window after it has gone.
                self.standby = Standby::Ending { reopen: true };
                self.pending_view = Some(view.unwrap_or(View::Session));
                return;
            }
            Standby::Readied { .. } => {
                // It counts as open from now on; one still starting hears it when it
                // subscribes, so it gets a view even if none was asked for.
                self.unseen_conn = None;
                if self.window_conns.is_empty() {
                    self.pending_view = Some(view.or(self.pending_view).unwrap_or(View::Session));
                }
                self.publish_status();
            }
            Standby::None => {}
        }
        if !self.window_conns.is_empty() {
            let _ = self.events.send(Event::Show { view });
            return;
        }
        self.pending_view = view.or(self.pending_view);
        if let Err(e) = self.shell.spawn_window(view) {
            log::error!("could not start the Limber window: {e}");
        }
    }

    /// A break is imminent: start its window unseen now, so it shows at once when the break
    /// comes, instead of starting WebKit then (0.5–2.4 s, most of it reading from disk).
    /// Only when the break would open a window and no window is open or starting.
    pub(super) fn ready_break_window(&mut self) {
        if !self.settings.break_style.opens_window()
            || !self.window_conns.is_empty()
            || self.session.is_some()
            || self.standby != Standby::None
        {
            return;
        }
        match self.shell.ready_window(View::Session) {
            Ok(true) => {
                // A view left by an earlier request must not make this one show early.
                self.pending_view = None;
                self.standby = Standby::Readied {
                    until: self.clock.now().mono_ms + STANDBY_MS,
                };
            }
            Ok(false) => {}
            Err(e) => log::warn!("could not ready the window for the coming break: {e}"),
        }
    }

    /// Time left before a readied window is ended, if one waits.
    pub(super) fn standby_deadline<Tz: chrono::TimeZone>(&self, now: &Now<Tz>) -> Option<Duration> {
        match self.standby {
            Standby::Readied { until } => {
                Some(Duration::from_millis(until.saturating_sub(now.mono_ms)))
            }
            _ => None,
        }
    }

    /// Ends a readied window nobody asked for in time: the break was held, snoozed,
    /// skipped, paused, or answered by a natural break.
    pub(super) fn end_unused_window<Tz: chrono::TimeZone>(&mut self, now: &Now<Tz>) {
        if let Standby::Readied { until } = self.standby {
            if now.mono_ms >= until {
                log::info!("the window readied for a break was not needed: ending it");
                self.standby = Standby::Ending { reopen: false };
                self.shell.end_window();
            }
        }
    }

    /// A window subscribed: it is counted, and gets the view it was started for. While a
    /// window readied for a break has not been asked for, the window that subscribes is
    /// that one, unseen.
    pub(super) fn window_subscribed(&mut self, conn: ConnId) -> Option<View> {
        if matches!(self.standby, Standby::Readied { .. }) {
            self.unseen_conn = Some(conn);
        }
        if self.window_conns.insert(conn) {
            self.publish_status();
        }
        self.pending_view.take()
    }

    /// A window's connection closed.
    pub(super) fn window_left(&mut self, conn: ConnId) {
        if !self.window_conns.remove(&conn) {
            return;
        }
        // Closing the window mid-session pauses it: nobody is watching the timer. The tray
        // offers to resume or end it. A readied window was never watched.
        let unseen = self.unseen_conn.take_if(|c| *c == conn).is_some();
        if self.window_conns.is_empty()
            && !unseen
            && self.session.as_ref().is_some_and(|s| !s.is_paused())
        {
            log::info!("the window closed during a session: pausing it");
            self.pause_session_for_closed_window();
        }
        self.publish_status();
    }

    /// The window process ended.
    pub(super) fn window_exited(&mut self, pid: u32, detail: &str) {
        log::info!("window process {pid} ended: {detail}");
        self.shell.window_exited(pid);
        if let Standby::Ending { reopen: true } = std::mem::take(&mut self.standby) {
            let view = self.pending_view;
            if let Err(e) = self.shell.spawn_window(view) {
                log::error!("could not start the Limber window: {e}");
            }
        }
    }
}
