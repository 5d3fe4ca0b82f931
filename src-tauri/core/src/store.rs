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
        })
    }

    pub fn settings_file(&self) -> PathBuf {
        self.config_dir.join("settings.json")
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
