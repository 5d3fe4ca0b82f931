//! What the agent answers and publishes: one type per reply, the full status, the
//! snapshots of each area, and the vocabulary of allowed values.
//!
//! Instants are RFC 3339 with the local offset; durations carry their unit in their name
//! (`_s`, `_ms`, `_min`).

use super::values::{ExportFormat, View};
use crate::catalog::{CatalogError, Exercise};
use crate::history::{BackArea, MAX_NOTE_CHARS, MAX_SCORE};
use crate::routine::Routine;
use crate::schedule::{PauseLength, ScheduleSnapshot, MAX_SNOOZE_MIN};
use crate::session::{SessionAction, SessionRecord, SessionSnapshot};
use crate::settings::{FieldSpec, Settings};
use crate::stats::Stats;
use crate::therapy::{Pain, TherapyKind, TherapySnapshot};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::PathBuf;

/// The reply of commands that only say "done" (`null` on the wire).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// Limber's version, e.g. "0.2.0".
    pub version: String,
    /// The control protocol's version; a client speaking another one must not go on.
    pub protocol: u32,
    pub pid: u32,
}

/// The About screen: the agent's version and where it keeps everything.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct About {
    pub version: String,
    pub protocol: u32,
    pub pid: u32,
    /// The agent's own program; after an upgrade it ends in " (deleted)" until restarted.
    pub executable: String,
    pub settings_file: std::path::PathBuf,
    pub history_file: std::path::PathBuf,
    pub routines_dir: std::path::PathBuf,
    pub socket: std::path::PathBuf,
    /// The login entry, present while `start_at_login` is on.
    pub autostart_file: std::path::PathBuf,
    pub idle_detection: String,
    pub lock_detection: String,
}

/// Everything `limber status --json` prints. The README documents every field, and a test
/// holds the README's tables to this type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub version: String,
    pub protocol: u32,
    #[serde(flatten)]
    pub schedule: ScheduleSnapshot,
    /// Set when the settings file could not be used at start.
    pub settings_notice: Option<String>,
    /// Set while events could not be written to the history file; they are kept in memory
    /// and written with the next event.
    pub history_notice: Option<String>,
    /// Whether a tray host (StatusNotifierWatcher) has our icon.
    pub tray: bool,
    /// Whether a Limber window is connected to the agent.
    pub window_open: bool,
    /// Where idle time is read from; `"none: <why>"` when it cannot be, and breaks then
    /// follow the clock only.
    pub idle_detection: String,
    /// Where a locked screen and the machine's sleep are learnt from (logind's session);
    /// `"none: <why>"` when they cannot be.
    pub lock_detection: String,
    /// Process id of the agent, for scripts that need to signal it.
    pub pid: u32,
    /// The running guided session; null when none runs.
    pub session: Option<SessionSnapshot>,
    /// The session that ended last, until its end screen is closed.
    pub last_session: Option<SessionRecord>,
    /// The heat / ice timer; null when none runs.
    pub therapy: Option<TherapySnapshot>,
    /// What the day the back pain started tells; null when it is not set.
    pub pain: Option<Pain>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SettingsSnapshot {
    pub values: Settings,
    pub schema: Vec<FieldSpec>,
    pub path: PathBuf,
    /// False when an unusable settings file could not be moved aside: then Limber will
    /// not write settings.
    pub writable: bool,
    pub notice: Option<String>,
}

/// One setting, for `limber config get KEY`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SettingValue {
    pub key: String,
    pub value: Value,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogSnapshot {
    pub exercises: Vec<Exercise>,
    pub routines: Vec<Routine>,
    /// The routine "Start stretch now" and `limber start` begin.
    pub default_routine: String,
    /// Routine files that could not be used, and why.
    pub errors: Vec<CatalogError>,
    /// The user's routines folder.
    pub dir: PathBuf,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistorySnapshot {
    /// Bumped with every event written.
    pub revision: u64,
    /// False until the log has been read at start (the figures are then empty).
    pub loaded: bool,
    pub stats: Stats,
    /// Lines of the log that could not be read (they are kept, and skipped).
    pub skipped_lines: u64,
    pub path: PathBuf,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedRoutine {
    pub file_name: String,
    /// The routine file's text (a routine file is small: at most a few KiB).
    pub text: String,
    /// Where it was saved, when asked to save.
    pub path: Option<PathBuf>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportedHistory {
    pub path: PathBuf,
    pub events: u64,
    pub bytes: u64,
}

/// The window asks for this instead of keeping its own copies of the allowed values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Vocabulary {
    pub views: Vec<View>,
    pub session_actions: Vec<SessionAction>,
    pub therapy_kinds: Vec<TherapyKind>,
    pub therapy_minutes: Range,
    pub back_areas: Vec<BackArea>,
    pub export_formats: Vec<ExportFormat>,
    pub pause_lengths: Vec<Labelled<PauseLength>>,
    pub snooze_choices_min: Vec<u32>,
    pub snooze_min: Range,
    pub score: Range,
    pub note_max_chars: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub min: u32,
    pub max: u32,
    pub default: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Labelled<T> {
    pub value: T,
    pub label: String,
}

/// The snooze lengths offered beside the snooze setting (tray "Snooze for", the window).
pub const SNOOZE_CHOICES_MIN: [u32; 3] = [5, 10, 15];

impl Vocabulary {
    pub fn new() -> Vocabulary {
        use strum::VariantArray;
        Vocabulary {
            views: View::VARIANTS.to_vec(),
            session_actions: SessionAction::VARIANTS.to_vec(),
            therapy_kinds: TherapyKind::VARIANTS.to_vec(),
            therapy_minutes: Range {
                min: crate::therapy::MIN_MINUTES,
                max: crate::therapy::MAX_MINUTES,
                default: crate::therapy::DEFAULT_MINUTES,
            },
            back_areas: BackArea::VARIANTS.to_vec(),
            export_formats: ExportFormat::VARIANTS.to_vec(),
            pause_lengths: PauseLength::CHOICES
                .iter()
                .map(|(label, value)| Labelled {
                    value: *value,
                    label: (*label).to_owned(),
                })
                .collect(),
            snooze_choices_min: SNOOZE_CHOICES_MIN.to_vec(),
            snooze_min: Range {
                min: 1,
                max: MAX_SNOOZE_MIN,
                default: Settings::default().snooze_min,
            },
            score: Range {
                min: 0,
                max: u32::from(MAX_SCORE),
                default: 0,
            },
            note_max_chars: MAX_NOTE_CHARS,
        }
    }
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary::new()
    }
}

/// One area's state, as published after every change and sent on subscribing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "area", content = "data", rename_all = "snake_case")]
pub enum Snapshot {
    Status(Box<Status>),
    Settings(Box<SettingsSnapshot>),
    Catalog(Box<CatalogSnapshot>),
    History(Box<HistorySnapshot>),
}

/// The reply to `subscribe`: every area's snapshot, the screen a starting window should
/// show, and the vocabulary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Subscribed {
    pub snapshots: Vec<Snapshot>,
    pub view: Option<View>,
    pub vocabulary: Vocabulary,
}

/// Any reply, as the agent sends it. Clients read the type their [`super::Call`] names.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Reply {
    Done(Done),
    Hello(Hello),
    About(Box<About>),
    Status(Box<Status>),
    Vocabulary(Box<Vocabulary>),
    Subscribed(Box<Subscribed>),
    Settings(Box<SettingsSnapshot>),
    Setting(SettingValue),
    Catalog(Box<CatalogSnapshot>),
    Routine(Box<Routine>),
    ExportedRoutine(ExportedRoutine),
    History(Box<HistorySnapshot>),
    ExportedHistory(ExportedHistory),
}

macro_rules! into_reply {
    ($($ty:ty => $variant:ident $(boxed $boxed:tt)?),* $(,)?) => {$(
        impl From<$ty> for Reply {
            fn from(value: $ty) -> Reply {
                into_reply!(@make $variant value $($boxed)?)
            }
        }
    )*};
    (@make $variant:ident $value:ident) => { Reply::$variant($value) };
    (@make $variant:ident $value:ident box) => { Reply::$variant(Box::new($value)) };
}

into_reply!(
    Done => Done,
    Hello => Hello,
    About => About boxed box,
    Status => Status boxed box,
    Vocabulary => Vocabulary boxed box,
    Subscribed => Subscribed boxed box,
    SettingsSnapshot => Settings boxed box,
    SettingValue => Setting,
    CatalogSnapshot => Catalog boxed box,
    Routine => Routine boxed box,
    ExportedRoutine => ExportedRoutine,
    HistorySnapshot => History boxed box,
    ExportedHistory => ExportedHistory,
);
