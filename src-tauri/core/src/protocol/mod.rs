//! The control socket's messages, shared by the agent, the CLI, the window and the tests.
//!
//! Newline-delimited JSON. A client sends `{"id": N, "cmd": "...", "args": {...}}`; the
//! agent answers `{"id": N, "ok": ...}` or `{"id": N, "error": {"code", "message"}}`. After a
//! `subscribe`, the same connection also receives events: `{"event": "snapshot", "area",
//! "data"}` whenever an area changes, `{"event": "show", "view"}` when the agent wants the
//! window in front, and `{"event": "quit"}`. A request line is at most
//! [`MAX_REQUEST_BYTES`], any line the agent writes at most [`MAX_MESSAGE_BYTES`].
//!
//! Version 2 (Limber 0.2): every instant is RFC 3339 with its offset (version 1 sent
//! `session.ends_at` and `therapy.ends_at` as epoch milliseconds), durations say their unit,
//! `get_setting` is its own command, exports are written by the agent to a file, and
//! `status` has `pain` and `history_notice`.

pub mod commands;
pub mod replies;
pub mod values;

pub use commands::*;
pub use replies::*;
pub use values::*;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Bumped on any incompatible change; `hello` reports it and clients refuse another one.
pub const PROTOCOL_VERSION: u32 = 2;
/// Longest request line, in bytes, newline excluded. Longer lines get a `line_too_long`
/// error and are discarded.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;
/// Longest line the agent writes (a reply or an event), in bytes. The largest is the
/// catalog snapshot; exports never travel as lines.
pub const MAX_MESSAGE_BYTES: usize = 4 * 1024 * 1024;

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
    /// An argument of a known command is missing, of the wrong type or out of range;
    /// `field` names it.
    BadArgs,
    /// A setting or a routine file does not validate; `fields` names the settings.
    InvalidValue,
    /// No such routine (or other named thing).
    NotFound,
    /// It exists already: ask before replacing it.
    Exists,
    /// Not now: e.g. a session is already running, or none is.
    Conflict,
    /// A limit set by a setting was reached (e.g. `max_snoozes`).
    Limit,
    Io,
    Unavailable,
    /// The client speaks another protocol version.
    Protocol,
    Internal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// The argument at fault, for `bad_args` ("action", "length", "score").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Per-setting problems, for `invalid_value` on settings.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<crate::settings::SettingError>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            field: None,
            fields: Vec::new(),
        }
    }
}

/// A reply's outcome: `{"ok": T}` or `{"error": {...}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome<T> {
    Ok(T),
    Error(ErrorBody),
}

/// A reply to one request; `id` is 0 when the request's own id could not be read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplyLine<T> {
    pub id: u64,
    #[serde(flatten)]
    pub outcome: Outcome<T>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Snapshot(Snapshot),
    Show {
        view: Option<View>,
    },
    /// The agent is quitting: a window closes itself.
    Quit,
}

/// Anything the agent writes on a connection. Clients read `ServerMessage<Value>` and
/// turn a reply into the type of the call it answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ServerMessage<T = Reply> {
    Reply(ReplyLine<T>),
    Event(Event),
}

/// Why a request line was refused, with the request's id when it could be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{body}")]
pub struct RequestError {
    pub id: u64,
    pub body: ErrorBody,
}

fn refuse(id: u64, code: ErrorCode, message: impl Into<String>) -> RequestError {
    RequestError {
        id,
        body: ErrorBody::new(code, message),
    }
}

/// Reads one request line: `bad_json` if it is not a JSON object with a numeric `id`,
/// `unknown_command` if `cmd` names no command, `bad_args` (naming the field) if the
/// arguments do not fit the command.
pub fn parse_request(line: &str) -> Result<Request, RequestError> {
    let value: Value = serde_json::from_str(line)
        .map_err(|e| refuse(0, ErrorCode::BadJson, format!("not valid JSON: {e}")))?;
    let Value::Object(mut map) = value else {
        return Err(refuse(
            0,
            ErrorCode::BadJson,
            "a request must be a JSON object",
        ));
    };
    let id = match map.get("id") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(_) => None,
        None => return Err(refuse(0, ErrorCode::BadArgs, "a request needs an \"id\"")),
    }
    .ok_or_else(|| {
        refuse(
            0,
            ErrorCode::BadArgs,
            "\"id\" must be a non-negative integer",
        )
    })?;
    let Some(Value::String(cmd)) = map.remove("cmd") else {
        return Err(refuse(
            id,
            ErrorCode::BadArgs,
            "a request needs a \"cmd\" string",
        ));
    };
    let command =
        parse_command(&cmd, map.remove("args")).map_err(|body| RequestError { id, body })?;
    if let Some(extra) = map.keys().find(|k| *k != "id") {
        return Err(refuse(
            id,
            ErrorCode::BadArgs,
            format!("unknown field \"{extra}\"; a request has id, cmd and args"),
        ));
    }
    Ok(Request { id, command })
}

/// A command from its name and arguments (`None` or `null` for none), with the same
/// errors as [`parse_request`]. The window's bridge uses it too.
pub fn parse_command(cmd: &str, args: Option<Value>) -> Result<Command, ErrorBody> {
    use strum::VariantNames;
    if !Command::VARIANTS.contains(&cmd) {
        return Err(ErrorBody::new(
            ErrorCode::UnknownCommand,
            format!("unknown command \"{cmd}\""),
        ));
    }
    let args = match args {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(args) => args,
    };
    // The tag first, so the arguments are read directly and their path is known; read
    // from text, where serde_path_to_error can follow the path into the arguments.
    // (A JSON map sorts its keys, so the text is put together by hand.)
    let text = format!(
        "{{\"cmd\":{},\"args\":{args}}}",
        Value::String(cmd.to_owned())
    );
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    serde_path_to_error::deserialize::<_, Command>(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let field = path
            .strip_prefix("args")
            .map(|rest| rest.trim_start_matches('.').to_owned())
            .filter(|f| !f.is_empty() && f != "?");
        let inner = e.into_inner();
        // The position is in the re-written text, not in what the client sent.
        let inner = match inner.line() {
            0 => inner.to_string(),
            _ => {
                let shown = inner.to_string();
                let suffix = format!(" at line {} column {}", inner.line(), inner.column());
                shown.strip_suffix(&suffix).unwrap_or(&shown).to_owned()
            }
        };
        let message = match &field {
            Some(field) => format!("bad arguments for \"{cmd}\": {field}: {inner}"),
            None => format!("bad arguments for \"{cmd}\": {inner}"),
        };
        ErrorBody {
            field,
            ..ErrorBody::new(ErrorCode::BadArgs, message)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(line: &str, expect: Result<Value, (u64, ErrorCode, Option<&str>, &str)>) {
        match (parse_request(line), expect) {
            (Ok(request), Ok(want)) => {
                assert_eq!(serde_json::to_value(&request).unwrap(), want, "{line}")
            }
            (Err(e), Err((want_id, code, field, fragment))) => {
                assert_eq!(
                    (e.id, e.body.code),
                    (want_id, code),
                    "{line}: {}",
                    e.body.message
                );
                assert_eq!(e.body.field.as_deref(), field, "{line}: {}", e.body.message);
                assert!(
                    e.body.message.contains(fragment),
                    "{line}: {}",
                    e.body.message
                );
            }
            (got, want) => panic!("{line}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn requests_parse_or_explain_why_not() {
        use ErrorCode::*;
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
        check(
            r#"{"id":5,"cmd":"pause","args":{"length":"1h30m"}}"#,
            Ok(json!({"id":5,"cmd":"pause","args":{"length":"1h30m"}})),
        );
        check(
            r#"{"id":6,"cmd":"therapy","args":{"action":"start","kind":"ice","minutes":12}}"#,
            Ok(json!({"id":6,"cmd":"therapy","args":{"action":"start","kind":"ice","minutes":12}})),
        );
        check(
            r#"{"id":7,"cmd":"export_history","args":{"format":"csv","to":{"file":{"path":"/tmp/h.csv"}}}}"#,
            Ok(
                json!({"id":7,"cmd":"export_history","args":{"format":"csv","to":{"file":{"path":"/tmp/h.csv","replace":false}}}}),
            ),
        );
        check("nope", Err((0, BadJson, None, "not valid JSON")));
        check("[1]", Err((0, BadJson, None, "JSON object")));
        check(
            r#"{"cmd":"status"}"#,
            Err((0, BadArgs, None, "needs an \"id\"")),
        );
        check(
            r#"{"id":-1,"cmd":"status"}"#,
            Err((0, BadArgs, None, "non-negative")),
        );
        check(r#"{"id":5}"#, Err((5, BadArgs, None, "needs a \"cmd\"")));
        check(
            r#"{"id":6,"cmd":"dance"}"#,
            Err((6, UnknownCommand, None, "unknown command \"dance\"")),
        );
        check(
            r#"{"id":7,"cmd":"snooze","args":{"minutes":"lots"}}"#,
            Err((
                7,
                BadArgs,
                Some("minutes"),
                "bad arguments for \"snooze\": minutes",
            )),
        );
        check(
            r#"{"id":8,"cmd":"status","args":{"verbose":true}}"#,
            Err((8, BadArgs, Some("verbose"), "unknown field")),
        );
        check(
            r#"{"id":9,"cmd":"open","args":{"view":"kitchen"}}"#,
            Err((9, BadArgs, Some("view"), "expected one of")),
        );
        // The case from the issue: a bad argument of a known command is not "unknown
        // command"; the error names the field and the allowed values.
        check(
            r#"{"id":10,"cmd":"session","args":{"action":"dance"}}"#,
            Err((
                10,
                BadArgs,
                Some("action"),
                "`pause`, `resume`, `skip`, `back`, `stop`",
            )),
        );
        check(
            r#"{"id":11,"cmd":"snooze","args":{"minutes":500}}"#,
            Err((11, BadArgs, Some("minutes"), "1 to 120 minutes")),
        );
        check(
            r#"{"id":12,"cmd":"check_in","args":{"score":11}}"#,
            Err((12, BadArgs, Some("score"), "0 (no pain) to 10")),
        );
        check(
            r#"{"id":13,"cmd":"pause","args":{"length":"soon"}}"#,
            Err((13, BadArgs, Some("length"), "not a pause length")),
        );
        check(
            r#"{"id":14,"cmd":"therapy","args":{"action":"start","kind":"ice","minutes":40}}"#,
            Err((14, BadArgs, Some("minutes"), "5 to 20 minutes")),
        );
        check(
            r#"{"id":15,"cmd":"check_in"}"#,
            Err((15, BadArgs, None, "missing field `score`")),
        );
        check(
            r#"{"id":16,"cmd":"status","extra":1}"#,
            Err((16, BadArgs, None, "unknown field \"extra\"")),
        );
        check(
            r#"{"id":17,"cmd":"export_history","args":{"format":"xml","to":"spool"}}"#,
            Err((17, BadArgs, Some("format"), "expected `csv` or `json`")),
        );
    }

    #[test]
    fn replies_and_events_have_the_documented_shape() {
        let ok = ServerMessage::Reply(ReplyLine {
            id: 1,
            outcome: Outcome::Ok(Reply::Done(Done)),
        });
        assert_eq!(
            serde_json::to_value(&ok).unwrap(),
            json!({"id":1,"ok":null})
        );
        let err: ServerMessage = ServerMessage::Reply(ReplyLine {
            id: 2,
            outcome: Outcome::Error(ErrorBody::new(ErrorCode::BadJson, "x")),
        });
        assert_eq!(
            serde_json::to_value(&err).unwrap(),
            json!({"id":2,"error":{"code":"bad_json","message":"x"}})
        );
        let show: ServerMessage = ServerMessage::Event(Event::Show {
            view: Some(View::Settings),
        });
        let text = serde_json::to_string(&show).unwrap();
        assert_eq!(text, r#"{"event":"show","view":"settings"}"#);
        let back: ServerMessage<Value> = serde_json::from_str(&text).unwrap();
        assert_eq!(
            back,
            ServerMessage::Event(Event::Show {
                view: Some(View::Settings)
            })
        );
        let reply: ServerMessage<Value> = serde_json::from_str(r#"{"id":3,"ok":null}"#).unwrap();
        assert_eq!(
            reply,
            ServerMessage::Reply(ReplyLine {
                id: 3,
                outcome: Outcome::Ok(Value::Null)
            })
        );
        let quit = serde_json::to_string(&ServerMessage::<Value>::Event(Event::Quit)).unwrap();
        assert_eq!(quit, r#"{"event":"quit"}"#);
    }

    #[test]
    fn snapshots_carry_their_area_beside_the_event_name() {
        let snapshot = Event::Snapshot(Snapshot::History(Box::new(HistorySnapshot {
            revision: 3,
            loaded: true,
            stats: crate::stats::compute(
                &[],
                chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            ),
            skipped_lines: 0,
            path: "/h".into(),
        })));
        let value = serde_json::to_value(&snapshot).unwrap();
        assert_eq!(value["event"], "snapshot");
        assert_eq!(value["area"], "history");
        assert_eq!(value["data"]["revision"], 3);
        let back: Event = serde_json::from_value(value).unwrap();
        assert_eq!(back, snapshot);
    }

    #[test]
    fn command_names_match_the_wire() {
        use strum::VariantNames;
        assert_eq!(Command::from(BreakNowArgs {}).name(), "break_now");
        assert_eq!(
            Command::from(SetSettingsArgs::default()).name(),
            "set_settings"
        );
        // Every name the parser accepts is one serde reads, and back.
        for name in Command::VARIANTS {
            let parsed = parse_command(name, None);
            if let Ok(command) = parsed {
                assert_eq!(command.name(), *name);
            } else if let Err(e) = parsed {
                assert_eq!(e.code, ErrorCode::BadArgs, "{name}: {e}");
            }
        }
    }
}
