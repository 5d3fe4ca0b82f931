//! The control socket's messages, shared by the agent, the CLI, the window and the tests.
//!
//! Newline-delimited JSON. A client sends `{"id": N, "cmd": "...", "args": {...}}`; the
//! agent answers `{"id": N, "ok": ...}` or `{"id": N, "error": {"code", "message"}}`. After a
//! `subscribe`, the same connection also receives events: `{"event": "snapshot", "area",
//! "data"}` whenever an area changes, and `{"event": "show", "view"}` when the agent wants
//! the window in front. Every line is at most [`MAX_LINE_BYTES`].

use crate::history::BackArea;
use crate::schedule::ScheduleSnapshot;
use crate::session::{SessionRecord, SessionSnapshot};
use crate::therapy::TherapySnapshot;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// Bumped on any incompatible change; `hello` reports it.
pub const PROTOCOL_VERSION: u32 = 1;
/// Longest accepted line, in bytes, newline excluded. Longer lines get a `line_too_long`
/// error and are discarded.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// A screen of the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    Session,
    Routines,
    History,
    Guide,
    Settings,
}

/// Who subscribes: the window is counted (one window at a time), other clients are not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    #[default]
    Client,
    Window,
}

/// The parts of the agent's state that are sent as snapshots.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    Status,
    Settings,
    /// Exercises and routines (built-in and the user's), and problems with routine files.
    Catalog,
    /// `{"revision": N}`: the history changed; ask `history` for the figures.
    History,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenArgs {
    #[serde(default)]
    pub view: Option<View>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscribeArgs {
    #[serde(default)]
    pub role: Role,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetSettingsArgs {
    pub values: Map<String, Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GetSettingArgs {
    #[serde(default)]
    pub key: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnoozeArgs {
    #[serde(default)]
    pub minutes: Option<u32>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PauseArgs {
    /// `30m`, `1h`, `2h`, `1h30m`, `45`, `tomorrow` or `forever`.
    pub length: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionAction {
    Pause,
    Resume,
    Skip,
    Back,
    Stop,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionArgs {
    pub action: SessionAction,
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
pub struct IdArgs {
    pub id: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckInArgs {
    /// 0 (no pain) to 10 (worst).
    pub score: u8,
    #[serde(default)]
    pub area: Option<BackArea>,
    #[serde(default)]
    pub note: Option<String>,
    /// Given on a session's end screen.
    #[serde(default)]
    pub after_session: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportArgs {
    /// "csv" or "json".
    pub format: String,
    /// Also save it in the downloads folder (the window's Export buttons).
    #[serde(default)]
    pub save: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportRoutineArgs {
    pub id: String,
    /// Also save it in the downloads folder.
    #[serde(default)]
    pub save: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TherapyAction {
    Start,
    Pause,
    Resume,
    Stop,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TherapyArgs {
    pub action: TherapyAction,
    /// For `start`: ice or heat.
    #[serde(default)]
    pub kind: Option<crate::history::TherapyKind>,
    /// For `start`: 5 to 20 minutes (15 when left out).
    #[serde(default)]
    pub minutes: Option<u32>,
}

/// Every request the agent understands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "cmd", content = "args", rename_all = "snake_case")]
pub enum Command {
    Hello(NoArgs),
    Status(NoArgs),
    Open(OpenArgs),
    Quit(NoArgs),
    Subscribe(SubscribeArgs),
    GetSettings(GetSettingArgs),
    SetSettings(SetSettingsArgs),
    Snooze(SnoozeArgs),
    Skip(NoArgs),
    Pause(PauseArgs),
    Resume(NoArgs),
    BreakNow(NoArgs),
    /// Start a guided session.
    Start(StartArgs),
    /// Drive the running session.
    Session(SessionArgs),
    /// Exercises and routines (also sent as the `catalog` snapshot).
    Catalog(NoArgs),
    SaveRoutine(SaveRoutineArgs),
    DeleteRoutine(IdArgs),
    /// A routine in its file form, to share (`{file_name, text}`).
    ExportRoutine(ExportRoutineArgs),
    /// Close the end screen of the last session.
    DismissResult(NoArgs),
    CheckIn(CheckInArgs),
    /// Statistics computed from the history log.
    History(NoArgs),
    /// The whole history as CSV or JSON text (`{file_name, text}`).
    ExportHistory(ExportArgs),
    /// The heat / ice timer.
    Therapy(TherapyArgs),
}

impl Command {
    /// The command's wire name, as used in `cmd`.
    pub fn name(&self) -> String {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map
                .get("cmd")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            _ => String::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    pub id: u64,
    #[serde(flatten)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadJson,
    LineTooLong,
    UnknownCommand,
    BadArgs,
    InvalidValue,
    /// No such routine (or other named thing).
    NotFound,
    /// It exists already: ask before replacing it.
    Exists,
    /// Not now: e.g. a session is already running, or none is.
    Conflict,
    Io,
    Unavailable,
    Internal,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// Per-field problems, for `invalid_value` on settings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<crate::settings::SettingError>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            fields: Vec::new(),
        }
    }
}

impl fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ErrorBody {}

/// A reply to one request; `id` is 0 when the request's own id could not be read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    pub id: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok(Value),
    Error(ErrorBody),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Snapshot {
        area: Area,
        data: Value,
    },
    Show {
        view: Option<View>,
    },
    /// The agent is quitting: a window closes itself.
    Quit,
}

/// Anything the agent writes on a connection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ServerMessage {
    Reply(Reply),
    Event(Event),
}

/// Reads one request line. On failure, returns the request id if one could be read, and the
/// error to send back.
pub fn parse_request(line: &str) -> Result<Request, (u64, ErrorBody)> {
    let value: Value = serde_json::from_str(line).map_err(|e| {
        (
            0,
            ErrorBody::new(ErrorCode::BadJson, format!("not valid JSON: {e}")),
        )
    })?;
    let Value::Object(mut map) = value else {
        return Err((
            0,
            ErrorBody::new(ErrorCode::BadJson, "a request must be a JSON object"),
        ));
    };
    let id = match map.get("id") {
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| {
            (
                0,
                ErrorBody::new(ErrorCode::BadArgs, "\"id\" must be a non-negative integer"),
            )
        })?,
        Some(_) => {
            return Err((
                0,
                ErrorBody::new(ErrorCode::BadArgs, "\"id\" must be a non-negative integer"),
            ))
        }
        None => {
            return Err((
                0,
                ErrorBody::new(ErrorCode::BadArgs, "a request needs an \"id\""),
            ))
        }
    };
    let Some(cmd) = map.get("cmd").and_then(Value::as_str).map(str::to_owned) else {
        return Err((
            id,
            ErrorBody::new(ErrorCode::BadArgs, "a request needs a \"cmd\" string"),
        ));
    };
    // `args` may be left out or null for commands without arguments.
    if matches!(map.get("args"), None | Some(Value::Null)) {
        map.insert("args".to_owned(), Value::Object(Map::new()));
    }
    let known = serde_json::from_value::<Command>(serde_json::json!({"cmd": cmd, "args": {}}));
    match serde_json::from_value::<Request>(Value::Object(map)) {
        Ok(request) => Ok(request),
        Err(e) if known.is_err() && e.to_string().contains("unknown variant") => Err((
            id,
            ErrorBody::new(
                ErrorCode::UnknownCommand,
                format!("unknown command \"{cmd}\""),
            ),
        )),
        Err(e) => Err((
            id,
            ErrorBody::new(
                ErrorCode::BadArgs,
                format!("bad arguments for \"{cmd}\": {e}"),
            ),
        )),
    }
}

/// Everything `limber status --json` prints. The README documents every field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub version: String,
    pub protocol: u32,
    #[serde(flatten)]
    pub schedule: ScheduleSnapshot,
    /// Set when the settings file could not be used at start.
    pub settings_notice: Option<String>,
    /// Whether a tray host (StatusNotifierWatcher) has our icon.
    pub tray: bool,
    /// Whether a Limber window is connected to the agent.
    pub window_open: bool,
    /// Where idle time is read from; "none: <why>" when it cannot be, and breaks then
    /// follow the clock only.
    pub idle_detection: String,
    /// Process id of the agent, for scripts that need to signal it.
    pub pid: u32,
    /// The running guided session; null when none runs.
    pub session: Option<SessionSnapshot>,
    /// The session that ended last, until its end screen is closed.
    pub last_session: Option<SessionRecord>,
    /// The heat / ice timer; null when none runs.
    pub therapy: Option<TherapySnapshot>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(line: &str, expect: Result<Value, (u64, ErrorCode, &str)>) {
        match (parse_request(line), expect) {
            (Ok(request), Ok(want)) => {
                assert_eq!(serde_json::to_value(&request).unwrap(), want, "{line}")
            }
            (Err((id, body)), Err((want_id, code, fragment))) => {
                assert_eq!((id, body.code), (want_id, code), "{line}: {}", body.message);
                assert!(body.message.contains(fragment), "{line}: {}", body.message);
            }
            (got, want) => panic!("{line}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn requests_parse_or_explain_why_not() {
        check(
            r#"{"id":1,"cmd":"status"}"#,
            Ok(json!({"id":1,"cmd":"status","args":{}})),
        );
        check(
            r#"{"id":2,"cmd":"status","args":null}"#,
            Ok(json!({"id":2,"cmd":"status","args":{}})),
        );
        check(
            r#"{"id":3,"cmd":"snooze","args":{"minutes":5}}"#,
            Ok(json!({"id":3,"cmd":"snooze","args":{"minutes":5}})),
        );
        check(
            r#"{"id":4,"cmd":"open","args":{"view":"settings"}}"#,
            Ok(json!({"id":4,"cmd":"open","args":{"view":"settings"}})),
        );
        check("nope", Err((0, ErrorCode::BadJson, "not valid JSON")));
        check("[1]", Err((0, ErrorCode::BadJson, "JSON object")));
        check(
            r#"{"cmd":"status"}"#,
            Err((0, ErrorCode::BadArgs, "needs an \"id\"")),
        );
        check(
            r#"{"id":-1,"cmd":"status"}"#,
            Err((0, ErrorCode::BadArgs, "non-negative")),
        );
        check(
            r#"{"id":5}"#,
            Err((5, ErrorCode::BadArgs, "needs a \"cmd\"")),
        );
        check(
            r#"{"id":6,"cmd":"dance"}"#,
            Err((6, ErrorCode::UnknownCommand, "unknown command \"dance\"")),
        );
        check(
            r#"{"id":7,"cmd":"snooze","args":{"minutes":"lots"}}"#,
            Err((7, ErrorCode::BadArgs, "bad arguments for \"snooze\"")),
        );
        check(
            r#"{"id":8,"cmd":"status","args":{"verbose":true}}"#,
            Err((8, ErrorCode::BadArgs, "unknown field")),
        );
        check(
            r#"{"id":9,"cmd":"open","args":{"view":"kitchen"}}"#,
            Err((9, ErrorCode::BadArgs, "unknown variant")),
        );
    }

    #[test]
    fn replies_and_events_have_the_documented_shape() {
        let ok = ServerMessage::Reply(Reply {
            id: 1,
            outcome: Outcome::Ok(json!({"a": 1})),
        });
        assert_eq!(
            serde_json::to_value(&ok).unwrap(),
            json!({"id":1,"ok":{"a":1}})
        );
        let err = ServerMessage::Reply(Reply {
            id: 2,
            outcome: Outcome::Error(ErrorBody::new(ErrorCode::BadJson, "x")),
        });
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            json!({"id":2,"error":{"code":"bad_json","message":"x"}})
        );
        let show = ServerMessage::Event(Event::Show {
            view: Some(View::Settings),
        });
        let text = serde_json::to_string(&show).unwrap();
        assert_eq!(text, r#"{"event":"show","view":"settings"}"#);
        assert_eq!(serde_json::from_str::<ServerMessage>(&text).unwrap(), show);
        let reply: ServerMessage = serde_json::from_str(r#"{"id":3,"ok":null}"#).unwrap();
        assert_eq!(
            reply,
            ServerMessage::Reply(Reply {
                id: 3,
                outcome: Outcome::Ok(Value::Null)
            })
        );
    }

    #[test]
    fn command_names_match_the_wire() {
        assert_eq!(Command::BreakNow(NoArgs {}).name(), "break_now");
        assert_eq!(
            Command::SetSettings(SetSettingsArgs::default()).name(),
            "set_settings"
        );
    }
}
