//! What the desktop says about the user being busy: a fullscreen window (a presentation, a
//! film), do-not-disturb, or a program holding off the screensaver (a call, a video). While
//! busy, breaks and posture checks wait instead of popping up.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

/// Why pop-ups are being held, most telling first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BusyReason {
    Fullscreen,
    DoNotDisturb,
    Inhibited,
}

/// Each way the desktop can say the user is busy, as the agent's sources last saw it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Busy {
    /// The focused window is fullscreen.
    pub fullscreen: bool,
    /// The desktop's notifications are set to do-not-disturb.
    pub do_not_disturb: bool,
    /// A program holds an idle or screensaver inhibitor (video, call).
    pub inhibited: bool,
}

impl Busy {
    pub fn reason(self) -> Option<BusyReason> {
        if self.fullscreen {
            Some(BusyReason::Fullscreen)
        } else if self.do_not_disturb {
            Some(BusyReason::DoNotDisturb)
        } else if self.inhibited {
            Some(BusyReason::Inhibited)
        } else {
            None
        }
    }
}

/// `status.hold`: pop-ups are being held, why, and since when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HoldSnapshot {
    pub reason: BusyReason,
    pub since: DateTime<FixedOffset>,
}

/// A due break held this long gets one quiet notification.
pub const LONG_HOLD_MS: u64 = 2 * 60 * 60_000;
