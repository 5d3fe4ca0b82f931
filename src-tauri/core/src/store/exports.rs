//! Exports: written whole to a temporary file beside the target, then moved into place, so
//! a failed export leaves nothing half-written and never replaces a file unasked.

use super::{history_file, persist, temp_file_beside};
use crate::export;
use crate::protocol::ExportFormat;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Where an export goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A new file named `file_name` in `dir`, or `name-1.ext`, `name-2.ext` … when that
    /// exists: it never replaces a file.
    NewIn { dir: PathBuf, file_name: String },
    /// Exactly this path; an existing file only with `replace`.
    Path { path: PathBuf, replace: bool },
}

/// What an export wrote, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exported {
    pub path: PathBuf,
    pub events: u64,
    pub bytes: u64,
}

/// Writes `text` to the target.
pub fn save_text(target: &Target, text: &str) -> io::Result<PathBuf> {
    save_with(target, |out| out.write_all(text.as_bytes())).map(|(path, ())| path)
}

/// Streams the history log to the target as CSV or JSON, one event at a time: memory
/// stays at one event whatever the log's size.
pub fn history(log: &Path, format: ExportFormat, target: &Target) -> io::Result<Exported> {
    let (path, written) = save_with(target, |out| {
        let mut writer = export::Writer::new(format, out)?;
        history_file::try_for_each(log, |event| writer.event(&event))?;
        writer.finish()
    })?;
    let bytes = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    Ok(Exported {
        path,
        events: written.events,
        bytes,
    })
}

/// Writes through `fill` into a temporary file, then moves it to the target.
fn save_with<T>(
    target: &Target,
    fill: impl FnOnce(&mut BufWriter<&fs::File>) -> io::Result<T>,
) -> io::Result<(PathBuf, T)> {
    let first = match target {
        Target::NewIn { dir, file_name } => dir.join(file_name),
        Target::Path { path, .. } => path.clone(),
    };
    let temp = temp_file_beside(&first)?;
    let value = {
        let mut out = BufWriter::new(temp.as_file());
        let value = fill(&mut out)?;
        out.flush()?;
        value
    };
    match target {
        Target::Path { path, replace } => {
            persist(temp, path, *replace)?;
            Ok((path.clone(), value))
        }
        Target::NewIn { dir, file_name } => {
            let (stem, ext) = file_name.rsplit_once('.').unwrap_or((file_name, ""));
            let mut temp = temp;
            for n in 0..1000 {
                let name = match (n, ext) {
                    (0, _) => file_name.clone(),
                    (_, "") => format!("{stem}-{n}"),
                    (_, ext) => format!("{stem}-{n}.{ext}"),
                };
                let path = dir.join(name);
                temp.as_file().sync_all()?;
                match temp.persist_noclobber(&path) {
                    Ok(_) => {
                        fs::File::open(dir)?.sync_all()?;
                        return Ok((path, value));
                    }
                    Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => temp = e.file,
                    Err(e) => return Err(e.error),
                }
            }
            Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("too many files named like {file_name} in {}", dir.display()),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::posture_check_at as event;

    #[test]
    fn exports_never_replace_a_file_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let new_in = Target::NewIn {
            dir: dir.path().to_owned(),
            file_name: "mine.json".into(),
        };
        let first = save_text(&new_in, "1").unwrap();
        let second = save_text(&new_in, "2").unwrap();
        assert_eq!(second.file_name().unwrap(), "mine-1.json");
        assert_eq!(fs::read_to_string(&first).unwrap(), "1");
        let exact = Target::Path {
            path: first.clone(),
            replace: false,
        };
        assert_eq!(
            save_text(&exact, "3").unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        let replace = Target::Path {
            path: first.clone(),
            replace: true,
        };
        save_text(&replace, "3").unwrap();
        assert_eq!(fs::read_to_string(&first).unwrap(), "3");
        assert_eq!(
            fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temp file left"
        );
    }

    #[test]
    fn the_history_streams_to_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("history.jsonl");
        let events: Vec<_> = (0..50).map(event).collect();
        history_file::append(&log, &events).unwrap();
        let target = Target::Path {
            path: dir.path().join("out.json"),
            replace: false,
        };
        let exported = history(&log, ExportFormat::Json, &target).unwrap();
        assert_eq!(exported.events, 50);
        let text = fs::read_to_string(&exported.path).unwrap();
        assert_eq!(exported.bytes, text.len() as u64);
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(json["events"].as_array().unwrap().len(), 50);
    }

    #[test]
    fn a_failed_export_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log-is-a-dir");
        fs::create_dir(&log).unwrap();
        let target = Target::Path {
            path: dir.path().join("out.csv"),
            replace: false,
        };
        assert!(history(&log, ExportFormat::Csv, &target).is_err());
        assert!(!dir.path().join("out.csv").exists());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }
}
