//! The settings file: defaults plus the user's differences, written atomically; an
//! unusable file is moved aside and reported, never overwritten.

use super::{read_regular, write_atomic};
use crate::settings::Settings;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Map, Value};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Largest settings file we read; anything bigger is not a settings file we wrote.
pub const MAX_SETTINGS_BYTES: u64 = 256 * 1024;

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

/// A settings file's bytes as settings, or why not (what the load reports).
pub fn parse_settings(bytes: &[u8]) -> Result<Settings, String> {
    let value = crate::json::from_slice_without_repeated_keys(bytes).map_err(|e| e.to_string())?;
    let Value::Object(map) = value else {
        return Err("expected a JSON object of settings".to_owned());
    };
    Settings::from_file_map(&map).map_err(|errors| errors.to_string())
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
    let read = read_regular(path, MAX_SETTINGS_BYTES);
    let result = match read {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return SettingsLoad {
                settings: Settings::default(),
                problem: None,
            }
        }
        Err(e) if e.kind() == io::ErrorKind::FileTooLarge => Err(e.to_string()),
        Err(e) => Err(format!("cannot be read: {e}")),
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
        // A key written twice would otherwise keep its last value without a word.
        check_corrupt(
            b"{\"snooze_min\": 5,\n \"snooze_min\": 15}",
            "\"snooze_min\" is written twice in one object; keep one at line 2",
        );
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
