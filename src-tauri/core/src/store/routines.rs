//! The user's routines folder: one validated JSON file per routine.

use super::{read_regular, write_atomic};
use crate::catalog::{parse_routine, routine_to_file, CatalogError, Exercise, MAX_ROUTINE_BYTES};
use crate::routine::{Origin, Routine};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// At most this many routine files are read; more are reported, not loaded.
pub const MAX_ROUTINE_FILES: usize = 200;

/// Loads every `*.json` routine in `dir`. A file that does not validate, is not a regular
/// file, or has the id of a routine loaded before it is reported (with its file, step and
/// field) and left where it is, untouched: it is the user's work, and they can fix it. A
/// missing directory means no custom routines.
pub fn load(dir: &Path, exercises: &[Exercise]) -> (Vec<Routine>, Vec<CatalogError>) {
    let mut routines: Vec<Routine> = Vec::new();
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
    for (i, path) in paths.into_iter().enumerate() {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let shown = format!("routines/{file}");
        let whole = |message: String| CatalogError {
            file: shown.clone(),
            at: String::new(),
            message,
        };
        if i >= MAX_ROUTINE_FILES {
            errors.push(whole(format!(
                "not loaded: Limber reads at most {MAX_ROUTINE_FILES} routine files"
            )));
            continue;
        }
        let text = match read_regular(&path, MAX_ROUTINE_BYTES as u64) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                errors.push(whole(format!("cannot be read: {e}")));
                continue;
            }
        };
        match parse_routine(&text, &shown, exercises, Origin::Custom { file }) {
            Ok(routine) => match routines.iter().find(|r| r.id == routine.id) {
                Some(first) => errors.push(CatalogError {
                    file: shown.clone(),
                    at: "id".to_owned(),
                    message: format!(
                        "\"{}\" is also the id of routines/{}, which is the one loaded; give this one another id",
                        routine.id,
                        first.origin.file().unwrap_or_default()
                    ),
                }),
                None => routines.push(routine),
            },
            Err(e) => errors.push(e),
        }
    }
    (routines, errors)
}

/// Saves a custom routine as `<dir>/<id>.json`, atomically. An existing file is replaced
/// only when `overwrite` is set; otherwise the answer is `AlreadyExists`.
pub fn save(dir: &Path, routine: &Routine, overwrite: bool) -> io::Result<PathBuf> {
    let path = dir.join(format!("{}.json", routine.id));
    let mut text =
        serde_json::to_string_pretty(&routine_to_file(routine)).map_err(io::Error::other)?;
    text.push('\n');
    if overwrite {
        write_atomic(&path, text.as_bytes())?;
    } else {
        let temp = super::temp_file_beside(&path)?;
        super::write_then_persist(temp, &path, text.as_bytes(), false)?;
    }
    Ok(path)
}

/// Deletes a custom routine file.
pub fn delete(dir: &Path, id: &str) -> io::Result<()> {
    fs::remove_file(dir.join(format!("{id}.json")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routine_files_load_save_and_refuse_to_overwrite() {
        let catalog = crate::catalog::Catalog::builtin().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let routines = dir.path().join("routines");
        let mut mine = catalog.routine("desk-reset").unwrap().clone();
        mine.id = "mine".into();
        save(&routines, &mine, false).unwrap();
        let err = save(&routines, &mine, false).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        save(&routines, &mine, true).unwrap();
        fs::write(
            routines.join("broken.json"),
            r#"{"id":"b","name":"B","steps":[{"exercise":"nope"}]}"#,
        )
        .unwrap();
        fs::write(routines.join("notes.txt"), "not a routine").unwrap();
        let (loaded, errors) = load(&routines, &catalog.exercises);
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
        delete(&routines, "mine").unwrap();
        assert!(load(&routines, &catalog.exercises).0.is_empty());
    }

    #[test]
    fn a_fifo_and_a_second_file_with_the_same_id_are_reported() {
        let catalog = crate::catalog::Catalog::builtin().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let mut mine = catalog.routine("desk-reset").unwrap().clone();
        mine.id = "mine".into();
        save(dir.path(), &mine, false).unwrap();
        let text = fs::read_to_string(dir.path().join("mine.json")).unwrap();
        fs::write(dir.path().join("z-copy.json"), text).unwrap();
        rustix::fs::mknodat(
            rustix::fs::CWD,
            dir.path().join("pipe.json"),
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
            0,
        )
        .unwrap();
        let (loaded, errors) = load(dir.path(), &catalog.exercises);
        assert_eq!(loaded.len(), 1);
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("pipe.json") && messages[0].contains("not a regular file"));
        assert!(
            messages[1].contains("z-copy.json: id: \"mine\" is also the id of routines/mine.json")
        );
    }
}
