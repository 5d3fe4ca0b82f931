//! What goes into the scheduler besides time ([`ScheduleCommand`]) and what comes out of it
//! ([`Effect`]).

use super::PauseLength;

/// What the user (tray, CLI, window, notification action) asks of the scheduler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleCommand {
    /// Push the coming (or due) break back by this many minutes (the snooze setting when
    /// `None`).
    Snooze {
        minutes: Option<u32>,
    },
    /// Drop the coming break: the next one is a full interval from now.
    Skip,
    Pause(PauseLength),
    Resume,
    /// Bring the break forward to now (`limber break`).
    BreakNow,
    /// The user moved: sitting time starts again.
    BreakTaken,
    /// A guided session began: it answers a due break, sitting time restarts, and
    /// nothing fires (and no-input time is not "away") until it ends.
    SessionStarted,
    /// The session ended: sitting time starts from now.
    SessionEnded,
}

/// What the shell must do after a call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// A break comes in `in_s` seconds: a quiet warning, so the user can finish a sentence.
    BreakSoon {
        in_s: u32,
    },
    /// A break will come due in `in_s` seconds ([`IMMINENT_MS`](super::IMMINENT_MS)) unless
    /// something changes first: a shell may get its break window ready, unseen, so it shows
    /// at once. Nothing here promises the break: it may be held, snoozed, skipped or
    /// answered by a natural break, so whatever is readied must go away by itself.
    BreakImminent {
        in_s: u32,
    },
    /// A break just became due (or a held one can show now): notify and/or open the break
    /// window.
    BreakDue {
        sitting_min: u32,
    },
    /// A due break has been held (the user busy) for [`LONG_HOLD_MS`](super::LONG_HOLD_MS): one quiet word.
    HeldLong {
        held_min: u32,
    },
    /// A due break was ignored for a snooze length: remind again.
    BreakReminder {
        sitting_min: u32,
    },
    /// The user was away long enough (idle, locked or asleep): that was a break.
    /// `was_due` tells whether it answered a due break.
    NaturalBreak {
        away_min: u32,
        was_due: bool,
    },
    /// Time for a short posture check; `cue` picks one of the posture cues, in turn.
    PostureCheck {
        cue: usize,
    },
    /// A timed pause ran out.
    PauseEnded,
    /// The working day began (sitting time starts now) or ended (Limber goes quiet).
    WorkingHoursStarted,
    WorkingHoursEnded,
}
