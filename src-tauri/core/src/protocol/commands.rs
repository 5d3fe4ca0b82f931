//! Every request the agent understands, each with its typed arguments and the type of its
//! reply ([`Call::Reply`]). The tray, notification actions, the CLI, the window and the
//! tests all build these values; the agent handles them in one place.

use super::replies::{
    About, CatalogSnapshot, Done, ExportedHistory, ExportedRoutine, Hello, HistorySnapshot,
    SettingValue, SettingsSnapshot, Status, Subscribed, Vocabulary,
};
use super::values::{ExportFormat, ExportTo, Role, View};
use crate::error::AgentError;
use crate::history::{BackArea, Note, Score};
use crate::routine::Routine;
use crate::schedule::{PauseLength, SnoozeMinutes};
use crate::session::SessionAction;
use crate::therapy::{TherapyControl, TherapyKind, TherapyMinutes};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Declares argument structs that take nothing (`{}` or no `args` at all).
macro_rules! no_args {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {}
    )*};
}

no_args!(
    /// Version and protocol of the agent; clients send it first.
    HelloArgs,
    /// Version, where the agent keeps its files, and what it reads the desktop with.
    AboutArgs,
    StatusArgs,
    /// The allowed values of every enum a user can name.
    VocabularyArgs,
    QuitArgs,
    GetSettingsArgs,
    SkipArgs,
    ResumeArgs,
    BreakNowArgs,
    CatalogArgs,
    /// Close the end screen of the last session.
    DismissResultArgs,
    HistoryArgs,
);

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenArgs {
    #[serde(default)]
    pub view: Option<View>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscribeArgs {
    #[serde(default)]
    pub role: Role,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GetSettingArgs {
    pub key: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetSettingsArgs {
    /// Keys and values; validated by the settings table, all or nothing.
    pub values: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnoozeArgs {
    /// The snooze setting when left out.
    #[serde(default)]
    pub minutes: Option<SnoozeMinutes>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PauseArgs {
    pub length: PauseLength,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartArgs {
    /// A routine id; the default routine when left out.
    #[serde(default)]
    pub routine: Option<String>,
    /// Open the window on the session (the CLI and the tray do; the window itself not).
    #[serde(default = "yes")]
    pub open: bool,
}

fn yes() -> bool {
    true
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionArgs {
    pub action: SessionAction,
    /// Also bring the window up on the session (the tray's "Resume session").
    #[serde(default)]
    pub open: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaveRoutineArgs {
    /// The routine file's text (JSON), from the builder or an imported file.
    pub text: String,
    /// Replace a routine of the same id; without it an existing one is refused.
    #[serde(default)]
    pub overwrite: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteRoutineArgs {
    pub id: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportRoutineArgs {
    pub id: String,
    /// Also save it in the Downloads folder.
    #[serde(default)]
    pub save: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckInArgs {
    pub score: Score,
    #[serde(default)]
    pub area: Option<BackArea>,
    #[serde(default, deserialize_with = "Note::deserialize_optional")]
    pub note: Option<Note>,
    /// Given on a session's end screen.
    #[serde(default)]
    pub after_session: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportHistoryArgs {
    pub format: ExportFormat,
    /// `"downloads"`, `"spool"`, or `{"file": {"path": "/abs/path", "replace": false}}`.
    pub to: ExportTo,
}

/// What to do with the heat / ice timer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::VariantArray)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum TherapyAction {
    Start,
    Pause,
    Resume,
    Stop,
}

/// The heat / ice timer: start one (`kind`, and `minutes` or 15), or pause, resume or stop
/// the running one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TherapyArgs {
    pub action: TherapyAction,
    #[serde(default)]
    pub kind: Option<TherapyKind>,
    #[serde(default)]
    pub minutes: Option<TherapyMinutes>,
}

/// A therapy request once its arguments are known to fit together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TherapyRequest {
    Start {
        kind: TherapyKind,
        minutes: TherapyMinutes,
    },
    Control(TherapyControl),
}

impl TherapyArgs {
    pub fn start(kind: TherapyKind, minutes: Option<TherapyMinutes>) -> TherapyArgs {
        TherapyArgs {
            action: TherapyAction::Start,
            kind: Some(kind),
            minutes,
        }
    }

    pub fn control(action: TherapyAction) -> TherapyArgs {
        TherapyArgs {
            action,
            kind: None,
            minutes: None,
        }
    }

    /// `kind` goes with `start` and only with it, and so do `minutes`.
    pub fn request(self) -> Result<TherapyRequest, AgentError> {
        let control = match self.action {
            TherapyAction::Start => {
                let kind = self.kind.ok_or(AgentError::BadArg {
                    field: "kind",
                    message: "say which to start: ice or heat".to_owned(),
                })?;
                return Ok(TherapyRequest::Start {
                    kind,
                    minutes: self.minutes.unwrap_or_default(),
                });
            }
            TherapyAction::Pause => TherapyControl::Pause,
            TherapyAction::Resume => TherapyControl::Resume,
            TherapyAction::Stop => TherapyControl::Stop,
        };
        if self.kind.is_some() {
            return Err(AgentError::BadArg {
                field: "kind",
                message: "ice or heat goes with \"start\" only".to_owned(),
            });
        }
        if self.minutes.is_some() {
            return Err(AgentError::BadArg {
                field: "minutes",
                message: "minutes go with \"start\" only".to_owned(),
            });
        }
        Ok(TherapyRequest::Control(control))
    }
}

/// Every request the agent understands. On the wire: `{"id", "cmd", "args"}`.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, strum::VariantNames, strum::IntoStaticStr,
)]
#[serde(tag = "cmd", content = "args", rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Command {
    Hello(HelloArgs),
    About(AboutArgs),
    Status(StatusArgs),
    Vocabulary(VocabularyArgs),
    Open(OpenArgs),
    Quit(QuitArgs),
    Subscribe(SubscribeArgs),
    GetSettings(GetSettingsArgs),
    GetSetting(GetSettingArgs),
    SetSettings(SetSettingsArgs),
    Snooze(SnoozeArgs),
    Skip(SkipArgs),
    Pause(PauseArgs),
    Resume(ResumeArgs),
    BreakNow(BreakNowArgs),
    /// Start a guided session.
    Start(StartArgs),
    /// Drive the running session.
    Session(SessionArgs),
    /// Exercises and routines (also sent as the `catalog` snapshot).
    Catalog(CatalogArgs),
    SaveRoutine(SaveRoutineArgs),
    DeleteRoutine(DeleteRoutineArgs),
    /// A routine in its file form, to share.
    ExportRoutine(ExportRoutineArgs),
    DismissResult(DismissResultArgs),
    CheckIn(CheckInArgs),
    /// The history's figures (also sent as the `history` snapshot).
    History(HistoryArgs),
    /// The whole history as CSV or JSON, written by the agent to a file.
    ExportHistory(ExportHistoryArgs),
    /// The heat / ice timer.
    Therapy(TherapyArgs),
}

impl Command {
    /// The command's wire name, as used in `cmd`.
    pub fn name(&self) -> &'static str {
        self.into()
    }
}

/// A request whose reply has a known type: clients call `client.call(args)` and get a
/// `Self::Reply`, never a loose JSON value.
pub trait Call: Into<Command> {
    type Reply: Serialize + DeserializeOwned;
}

macro_rules! calls {
    ($($args:ident => $variant:ident => $reply:ty),* $(,)?) => {$(
        impl From<$args> for Command {
            fn from(args: $args) -> Command {
                Command::$variant(args)
            }
        }
        impl Call for $args {
            type Reply = $reply;
        }
    )*};
}

calls!(
    HelloArgs => Hello => Hello,
    AboutArgs => About => About,
    StatusArgs => Status => Status,
    VocabularyArgs => Vocabulary => Vocabulary,
    OpenArgs => Open => Done,
    QuitArgs => Quit => Done,
    SubscribeArgs => Subscribe => Subscribed,
    GetSettingsArgs => GetSettings => SettingsSnapshot,
    GetSettingArgs => GetSetting => SettingValue,
    SetSettingsArgs => SetSettings => SettingsSnapshot,
    SnoozeArgs => Snooze => Status,
    SkipArgs => Skip => Status,
    PauseArgs => Pause => Status,
    ResumeArgs => Resume => Status,
    BreakNowArgs => BreakNow => Status,
    StartArgs => Start => Status,
    SessionArgs => Session => Status,
    CatalogArgs => Catalog => CatalogSnapshot,
    SaveRoutineArgs => SaveRoutine => Routine,
    DeleteRoutineArgs => DeleteRoutine => Done,
    ExportRoutineArgs => ExportRoutine => ExportedRoutine,
    DismissResultArgs => DismissResult => Done,
    CheckInArgs => CheckIn => Done,
    HistoryArgs => History => HistorySnapshot,
    ExportHistoryArgs => ExportHistory => ExportedHistory,
    TherapyArgs => Therapy => Status,
);
