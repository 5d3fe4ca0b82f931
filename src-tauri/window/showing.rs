//! When the window shows itself. Two things must both be true, in either order:
//! - the page is ready (it holds the agent's data and its first screen's code), so the
//!   window never shows a blank frame: WebKit draws nothing in a hidden window;
//! - somebody wants it seen: at once for a window opened by a request, or, for a window the
//!   agent readied unseen shortly before a break (`--standby`), when the agent says so.
//!
//! The agent ends a standby window it no longer needs (the break it was readied for was
//! held, snoozed, skipped or answered by a natural break). In case the agent is gone, a
//! standby window not asked for within [`STANDBY_LIMIT`] also closes itself.

use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a standby window waits to be shown before it closes itself. The agent ends it
/// after 30 s; this is only for an agent that can no longer do so.
pub const STANDBY_LIMIT: Duration = Duration::from_secs(60);

#[derive(Debug, Default)]
struct State {
    page_ready: bool,
    wanted: bool,
    shown: bool,
}

/// What to do with the window now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    /// Show it, for the first time.
    Show,
    /// It was shown before: bring it forward.
    Raise,
    /// Nothing yet: the other condition will show it.
    Wait,
}

/// Shared by the page's `ready`, the agent's `show` and the timers.
#[derive(Clone, Default)]
pub struct Showing(Arc<Mutex<State>>);

impl Showing {
    /// `standby`: started unseen, to be shown only when the agent asks.
    pub fn new(standby: bool) -> Self {
        Self(Arc::new(Mutex::new(State {
            wanted: !standby,
            ..State::default()
        })))
    }

    fn with<T>(&self, change: impl FnOnce(&mut State) -> T) -> T {
        // A poisoned lock only means a panic elsewhere while it was held; the flags are
        // still meaningful.
        let mut state = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        change(&mut state)
    }

    /// The page says it is ready.
    pub fn page_ready(&self) -> Act {
        self.with(|s| {
            s.page_ready = true;
            Self::first_show(s)
        })
    }

    /// The agent asks for the window (a break came due, `limber open`).
    pub fn wanted(&self) -> Act {
        self.with(|s| {
            s.wanted = true;
            if s.shown {
                Act::Raise
            } else {
                Self::first_show(s)
            }
        })
    }

    /// A page that never says it is ready is shown anyway once wanted (a broken page must
    /// not leave an invisible window).
    pub fn page_never_ready(&self) -> Act {
        self.with(|s| {
            if s.wanted && !s.shown {
                s.shown = true;
                Act::Show
            } else {
                Act::Wait
            }
        })
    }

    /// True when nobody asked for this standby window: it should close.
    pub fn unwanted(&self) -> bool {
        self.with(|s| !s.wanted)
    }

    fn first_show(s: &mut State) -> Act {
        if s.page_ready && s.wanted && !s.shown {
            s.shown = true;
            Act::Show
        } else {
            Act::Wait
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_requested_window_shows_once_when_its_page_is_ready() {
        let showing = Showing::new(false);
        assert!(!showing.unwanted());
        assert_eq!(showing.page_ready(), Act::Show);
        assert_eq!(showing.page_ready(), Act::Wait);
        assert_eq!(showing.page_never_ready(), Act::Wait);
        assert_eq!(showing.wanted(), Act::Raise);
    }

    #[test]
    fn an_early_request_waits_for_the_page() {
        // The agent's `show` can arrive before the page has anything to draw.
        let showing = Showing::new(false);
        assert_eq!(showing.wanted(), Act::Wait);
        assert_eq!(showing.page_ready(), Act::Show);
    }

    #[test]
    fn a_standby_window_stays_unseen_until_asked_for_in_either_order() {
        let showing = Showing::new(true);
        assert_eq!(showing.page_ready(), Act::Wait);
        assert_eq!(showing.page_never_ready(), Act::Wait);
        assert!(showing.unwanted());
        assert_eq!(showing.wanted(), Act::Show);
        assert!(!showing.unwanted());
        assert_eq!(showing.wanted(), Act::Raise);

        let showing = Showing::new(true);
        assert_eq!(showing.wanted(), Act::Wait);
        assert_eq!(showing.page_ready(), Act::Show);
    }

    #[test]
    fn a_page_that_never_says_ready_is_shown_anyway_once_wanted() {
        let showing = Showing::new(false);
        assert_eq!(showing.page_never_ready(), Act::Show);
        assert_eq!(showing.page_ready(), Act::Wait);
    }
}
