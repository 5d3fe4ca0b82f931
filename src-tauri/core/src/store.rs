//! The only module of the core that touches the file system: atomic JSON files and the
//! settings file's load/save rules.
//!
//! Invariants: a file is replaced only by a complete new one (temp file in the same
//! directory, fsync, rename, fsync of the directory); a file that fails to parse or validate
//! is moved aside to `NAME.corrupt-<timestamp>`, never deleted or overwritten.

use crate::settings::Settings;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Map, Value};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Largest settings file we read; anything bigger is not a settings file we wrote.
pub const MAX_SETTINGS_BYTES: u64 = 256 * 1024;

/// Writes `bytes` to `path` so that readers see either the old file or the new one whole.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".limber-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    // The rename is durable only once the directory entry is on disk.
    fs::File::open(dir)?.sync_all()
}

/// What happened when the settings were loaded.
#[derive(Debug)]
pub struct SettingsLoad {
    pub settings: Settings,
    /// Set when the file existed but could not be used; the agent runs on defaults and tells
    /// the user this text.
    pub problem: Option<SettingsProblem>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SettingsProblem {
    /// What was wrong, naming the fields where validation failed.
    pub message: String,
    /// Where the unusable file now is; `None` if it could not be moved (then the agent must
    /// not write settings, or it would destroy the user's file).
    pub moved_to: Option<PathBuf>,
}

impl SettingsProblem {
    /// The sentence shown in the log, `limber status` and the window.
    pub fn notice(&self, path: &Path) -> String {
        match &self.moved_to {
            Some(moved) => format!(
                "{} could not be used ({}). It was moved to {} and Limber started with default settings.",
                path.display(),
                self.message,
                moved.display()
            ),
            None => format!(
                "{} could not be used ({}) and could not be moved aside; Limber runs on default settings and will not overwrite that file.",
                path.display(),
                self.message
            ),
        }
    }
}

fn parse_settings(bytes: &[u8]) -> Result<Settings, String> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| format!("not valid JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err("expected a JSON object of settings".to_owned());
    };
    Settings::from_file_map(&map).map_err(|errors| {
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// A free name `NAME.corrupt-<UTC timestamp>[-N]` beside `path`.
pub fn corrupt_path<Tz: TimeZone>(path: &Path, now: &DateTime<Tz>) -> PathBuf {
    let stamp = now.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ");
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_owned());
    let base = path.with_file_name(format!("{name}.corrupt-{stamp}"));
    let mut candidate = base.clone();
    let mut n = 1;
    while candidate.exists() {
        candidate = PathBuf::from(format!("{}-{n}", base.display()));
        n += 1;
    }
    candidate
}

/// Loads the settings file. A missing file means defaults; an unreadable, unparsable or
/// invalid one is moved aside and reported. Never fails and never panics on file content.
pub fn load_settings<Tz: TimeZone>(path: &Path, now: &DateTime<Tz>) -> SettingsLoad {
    let read = fs::File::open(path).and_then(|file| {
        let mut bytes = Vec::new();
        io::Read::read_to_end(
            &mut io::Read::take(file, MAX_SETTINGS_BYTES + 1),
            &mut bytes,
        )?;
        Ok(bytes)
    });
    let result = match read {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return SettingsLoad {
                settings: Settings::default(),
                problem: None,
            }
        }
        Err(e) => Err(format!("cannot be read: {e}")),
        Ok(bytes) if bytes.len() as u64 > MAX_SETTINGS_BYTES => {
            Err(format!("larger than {} KiB", MAX_SETTINGS_BYTES / 1024))
        }
        Ok(bytes) => parse_settings(&bytes),
    };
    match result {
        Ok(settings) => SettingsLoad {
            settings,
            problem: None,
        },
        Err(message) => {
            let target = corrupt_path(path, now);
            let moved_to = fs::rename(path, &target).ok().map(|()| target);
            SettingsLoad {
                settings: Settings::default(),
                problem: Some(SettingsProblem { message, moved_to }),
            }
        }
    }
}

/// Writes only the fields that differ from the defaults, atomically.
pub fn save_settings(path: &Path, settings: &Settings) -> io::Result<()> {
    let map: Map<String, Value> = settings.to_file_map();
    let mut text = serde_json::to_string_pretty(&Value::Object(map))
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 9, 30, 0).unwrap()
    }

    fn check_corrupt(content: &[u8], fragment: &str) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        fs::write(&path, content).unwrap();
        let load = load_settings(&path, &at());
        assert_eq!(load.settings, Settings::default());
        let problem = load.problem.expect("a problem is reported");
        assert!(
            problem.message.contains(fragment),
            "{:?} lacks {fragment:?}",
            problem.message
        );
        let moved = problem.moved_to.expect("the file is moved aside");
        assert_eq!(
            moved.file_name().unwrap().to_string_lossy(),
            "settings.json.corrupt-20261122T093000Z"
        );
        assert_eq!(
            fs::read(&moved).unwrap(),
            content,
            "the user's bytes are kept"
        );
        assert!(!path.exists());
    }

    #[test]
    fn bad_files_are_moved_aside_with_a_reason() {
        check_corrupt(b"{ not json", "not valid JSON");
        check_corrupt(b"[1, 2]", "JSON object");
        check_corrupt(
            b"{\"break_interval_min\": 1}",
            "break_interval_min: must be",
        );
        check_corrupt(b"{\"colour\": \"red\"}", "colour: unknown setting");
        check_corrupt(&[0xff, 0xfe, 0x00], "not valid JSON");
        check_corrupt(
            &vec![b' '; (MAX_SETTINGS_BYTES + 10) as usize],
            "larger than",
        );
    }

    #[test]
    fn missing_file_means_defaults_and_save_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/settings.json");
        let load = load_settings(&path, &at());
        assert!(load.problem.is_none());
        let mut settings = load.settings;
        settings.snooze_min = 15;
        save_settings(&path, &settings).unwrap();
        assert_eq!(
            fs::read_to_string(&path).unwrap(),
            "{\n  \"snooze_min\": 15\n}\n"
        );
        let again = load_settings(&path, &at());
        assert!(again.problem.is_none());
        assert_eq!(again.settings, settings);
    }

    #[test]
    fn a_second_corrupt_file_in_the_same_second_gets_its_own_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        for expected in [
            "settings.json.corrupt-20261122T093000Z",
            "settings.json.corrupt-20261122T093000Z-1",
        ] {
            fs::write(&path, "oops").unwrap();
            let moved = load_settings(&path, &at())
                .problem
                .unwrap()
                .moved_to
                .unwrap();
            assert_eq!(moved.file_name().unwrap().to_string_lossy(), expected);
        }
    }
}

/// Where Limber keeps its files, from the XDG base-directory variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paths {
    /// `$XDG_CONFIG_HOME/limber`: settings.json, routines/.
    pub config_dir: PathBuf,
    /// `$XDG_DATA_HOME/limber`: history.jsonl.
    pub data_dir: PathBuf,
    /// `$XDG_RUNTIME_DIR/limber`: control.sock, agent.lock (directory mode 0700).
    pub runtime_dir: PathBuf,
    /// Where exports from the window are saved: `$XDG_DOWNLOAD_DIR`, else `~/Downloads`.
    pub downloads_dir: PathBuf,
}

impl Paths {
    /// Resolves the directories from environment values passed in (`var` is
    /// `std::env::var_os` in the binaries and a table in tests). Relative values are ignored,
    /// as the XDG specification asks.
    pub fn from_env(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Result<Paths, String> {
        let absolute = |name: &str| var(name).map(PathBuf::from).filter(|p| p.is_absolute());
        let home = absolute("HOME");
        let base = |name: &str, fallback: &str| {
            absolute(name)
                .or_else(|| home.as_ref().map(|h| h.join(fallback)))
                .ok_or_else(|| format!("neither ${name} nor $HOME is set to an absolute path"))
        };
        let runtime = match absolute("XDG_RUNTIME_DIR") {
            Some(dir) => dir,
            None => {
                let user = var("USER")
                    .map(|u| u.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "user".to_owned());
                std::env::temp_dir().join(format!("limber-{user}"))
            }
        };
        Ok(Paths {
            config_dir: base("XDG_CONFIG_HOME", ".config")?.join("limber"),
            data_dir: base("XDG_DATA_HOME", ".local/share")?.join("limber"),
            runtime_dir: runtime.join("limber"),
            downloads_dir: base("XDG_DOWNLOAD_DIR", "Downloads")?,
        })
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config_dir.join("settings.json")
    }

    pub fn history_file(&self) -> PathBuf {
        self.data_dir.join("history.jsonl")
    }

    pub fn routines_dir(&self) -> PathBuf {
        self.config_dir.join("routines")
    }

    pub fn socket(&self) -> PathBuf {
        self.runtime_dir.join("control.sock")
    }

    pub fn lock_file(&self) -> PathBuf {
        self.runtime_dir.join("agent.lock")
    }
}

#[cfg(test)]
mod path_tests {
    use super::*;
    use std::ffi::OsString;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<OsString> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn xdg_variables_win_and_relative_ones_are_ignored() {
        let paths = Paths::from_env(env(&[
            ("HOME", "/home/a"),
            ("XDG_CONFIG_HOME", "/cfg"),
            ("XDG_DATA_HOME", "relative/data"),
            ("XDG_RUNTIME_DIR", "/run/user/1000"),
        ]))
        .unwrap();
        assert_eq!(
            paths.settings_file(),
            PathBuf::from("/cfg/limber/settings.json")
        );
        assert_eq!(paths.data_dir, PathBuf::from("/home/a/.local/share/limber"));
        assert_eq!(
            paths.socket(),
            PathBuf::from("/run/user/1000/limber/control.sock")
        );
        assert!(Paths::from_env(env(&[])).is_err());
    }
}

// ---------- history ----------

/// Appends one event to the history log as one line, flushed to disk before returning.
/// Old lines are never rewritten. If the file ends in a partial line (a write cut off by a
/// power loss), a newline is written first so the new event starts a line of its own.
pub fn append_history(path: &Path, event: &crate::history::HistoryEvent) -> io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let line = crate::history::to_line(event).map_err(io::Error::other)?;
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let mut file = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .read(true)
        .open(path)?;
    let mut bytes = Vec::with_capacity(line.len() + 2);
    if file.metadata()?.len() > 0 {
        file.seek(SeekFrom::End(-1))?;
        let mut last = [0u8; 1];
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            bytes.push(b'\n');
        }
    }
    bytes.extend_from_slice(line.as_bytes());
    bytes.push(b'\n');
    file.write_all(&bytes)?;
    file.sync_data()
}

/// Reads the history log: every readable event and the lines that were skipped. A missing
/// file is an empty history.
pub fn load_history(
    path: &Path,
) -> io::Result<(
    Vec<crate::history::HistoryEvent>,
    Vec<crate::history::SkippedLine>,
)> {
    match fs::read(path) {
        Ok(bytes) => Ok(crate::history::parse_log(&String::from_utf8_lossy(&bytes))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok((Vec::new(), Vec::new())),
        Err(e) => Err(e),
    }
}

// ---------- custom routines ----------

/// Loads every `*.json` routine in `dir`. A file that does not validate is reported (with
/// its file, step and field) and left where it is, untouched: it is the user's work, and
/// they can fix it. A missing directory means no custom routines.
pub fn load_routines(
    dir: &Path,
    exercises: &[crate::catalog::Exercise],
) -> (
    Vec<crate::catalog::Routine>,
    Vec<crate::catalog::CatalogError>,
) {
    use crate::catalog::{parse_routine, CatalogError, Origin, MAX_ROUTINE_BYTES};
    let mut routines = Vec::new();
    let mut errors = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return (routines, errors);
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    for path in paths {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let shown = format!("routines/{file}");
        let text = fs::File::open(&path).and_then(|f| {
            let mut bytes = Vec::new();
            io::Read::read_to_end(
                &mut io::Read::take(f, MAX_ROUTINE_BYTES as u64 + 1),
                &mut bytes,
            )?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        });
        match text {
            Err(e) => errors.push(CatalogError {
                file: shown,
                at: String::new(),
                message: format!("cannot be read: {e}"),
            }),
            Ok(text) => match parse_routine(&text, &shown, exercises, Origin::Custom { file }) {
                Ok(routine) => routines.push(routine),
                Err(e) => errors.push(e),
            },
        }
    }
    (routines, errors)
}

/// Saves a custom routine as `<dir>/<id>.json`, atomically. An existing file is replaced
/// only when `overwrite` is set; otherwise the answer is `AlreadyExists`.
pub fn save_routine(
    dir: &Path,
    routine: &crate::catalog::Routine,
    overwrite: bool,
) -> io::Result<PathBuf> {
    let path = dir.join(format!("{}.json", routine.id));
    if !overwrite && path.exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} already exists", path.display()),
        ));
    }
    let mut text = serde_json::to_string_pretty(&crate::catalog::routine_to_file(routine))
        .map_err(io::Error::other)?;
    text.push('\n');
    write_atomic(&path, text.as_bytes())?;
    Ok(path)
}

/// Saves an export (a routine, the history) as `dir/file_name`, or `name-1.ext`, `name-2.ext`
/// … when that exists: an export never replaces a file.
pub fn save_export(dir: &Path, file_name: &str, text: &str) -> io::Result<PathBuf> {
    fs::create_dir_all(dir)?;
    let (stem, ext) = file_name.rsplit_once('.').unwrap_or((file_name, ""));
    for n in 0..1000 {
        let name = match (n, ext) {
            (0, _) => file_name.to_owned(),
            (_, "") => format!("{stem}-{n}"),
            (_, ext) => format!("{stem}-{n}.{ext}"),
        };
        let path = dir.join(name);
        // create_new: never replaces a file, even one that appeared just now.
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut file) => {
                file.write_all(text.as_bytes())?;
                file.sync_all()?;
                return Ok(path);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        format!("too many files named like {file_name} in {}", dir.display()),
    ))
}

/// Deletes a custom routine file.
pub fn delete_routine(dir: &Path, id: &str) -> io::Result<()> {
    fs::remove_file(dir.join(format!("{id}.json")))
}

#[cfg(test)]
mod history_store_tests {
    use super::*;
    use crate::history::{EventKind, HistoryEvent};

    fn event(minute: u32) -> HistoryEvent {
        HistoryEvent {
            at: chrono::DateTime::parse_from_rfc3339(&format!(
                "2026-11-23T10:{minute:02}:00+01:00"
            ))
            .unwrap(),
            kind: EventKind::PostureCheck,
        }
    }

    #[test]
    fn appends_are_whole_lines_even_after_a_cut_off_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/history.jsonl");
        append_history(&path, &event(1)).unwrap();
        // A power cut left half a line.
        let mut file = fs::OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(br#"{"at":"2026-11-23T10:02"#).unwrap();
        drop(file);
        append_history(&path, &event(3)).unwrap();
        let (events, skipped) = load_history(&path).unwrap();
        assert_eq!(events, vec![event(1), event(3)]);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].line, 2);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(&(crate::history::to_line(&event(1)).unwrap() + "\n")));
        assert!(load_history(&dir.path().join("none.jsonl"))
            .unwrap()
            .0
            .is_empty());
    }

    #[test]
    fn routine_files_load_save_and_refuse_to_overwrite() {
        let catalog = crate::catalog::Catalog::builtin().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let routines = dir.path().join("routines");
        let mut mine = catalog.routine("desk-reset").unwrap().clone();
        mine.id = "mine".into();
        save_routine(&routines, &mine, false).unwrap();
        let err = save_routine(&routines, &mine, false).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        save_routine(&routines, &mine, true).unwrap();
        fs::write(
            routines.join("broken.json"),
            r#"{"id":"b","name":"B","steps":[{"exercise":"nope"}]}"#,
        )
        .unwrap();
        fs::write(routines.join("notes.txt"), "not a routine").unwrap();
        let (loaded, errors) = load_routines(&routines, &catalog.exercises);
        assert_eq!(loaded.len(), 1);
        assert_eq!(loaded[0].id, "mine");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].file, "routines/broken.json");
        assert!(
            errors[0].to_string().contains("step 1 (nope)"),
            "{}",
            errors[0]
        );
        assert!(
            routines.join("broken.json").exists(),
            "a bad file is left for the user"
        );
        delete_routine(&routines, "mine").unwrap();
        let first = save_export(dir.path(), "mine.json", "1").unwrap();
        let second = save_export(dir.path(), "mine.json", "2").unwrap();
        assert_eq!(second.file_name().unwrap(), "mine-1.json");
        assert_eq!(fs::read_to_string(first).unwrap(), "1");
        assert!(load_routines(&routines, &catalog.exercises).0.is_empty());
    }
}
