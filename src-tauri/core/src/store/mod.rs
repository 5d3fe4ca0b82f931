//! The only module of the core that touches the file system: the paths, atomic files, the
//! settings file, the history log, the routines folder and exports.
//!
//! Invariants: a file is replaced only by a complete new one (temp file in the same
//! directory, fsync, rename, fsync of the directory); a file that fails to parse or
//! validate is moved aside to `NAME.corrupt-<timestamp>`, never deleted or overwritten;
//! nothing is read from a path that is not a regular file (a FIFO would block the reader
//! forever, a device would never end), and no symlink is followed where Limber writes.

pub mod autostart;
pub mod exports;
pub mod history_file;
pub mod paths;
pub mod routines;
pub mod settings_file;

pub use paths::Paths;

use std::fs;
use std::io::{self, Read, Write};
use std::os::fd::OwnedFd;
use std::path::Path;

/// The prefix and suffix of Limber's temporary files, so a crashed agent's leftovers can
/// be recognised and removed.
pub const TEMP_PREFIX: &str = ".limber-";
pub const TEMP_SUFFIX: &str = ".tmp";

/// Writes `bytes` to `path` so that readers see either the old file or the new one whole.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let temp = temp_file_beside(path)?;
    write_then_persist(temp, path, bytes, true)
}

/// A temporary file in `path`'s directory (created if missing).
fn temp_file_beside(path: &Path) -> io::Result<tempfile::NamedTempFile> {
    let dir = parent(path);
    fs::create_dir_all(dir)?;
    tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
}

fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn write_then_persist(
    mut temp: tempfile::NamedTempFile,
    path: &Path,
    bytes: &[u8],
    replace: bool,
) -> io::Result<()> {
    temp.write_all(bytes)?;
    persist(temp, path, replace)
}

/// Moves a finished temporary file to `path`: durably (file and directory synced), and
/// without replacing an existing file unless `replace`.
fn persist(temp: tempfile::NamedTempFile, path: &Path, replace: bool) -> io::Result<()> {
    temp.as_file().sync_all()?;
    if replace {
        temp.persist(path).map_err(|e| e.error)?;
    } else {
        temp.persist_noclobber(path).map_err(|e| e.error)?;
    }
    // The rename is durable only once the directory entry is on disk.
    fs::File::open(parent(path))?.sync_all()
}

/// Opens `path` for reading only if it is a regular file: never blocks on a FIFO, never
/// follows a symlink at the last component.
pub fn open_regular(path: &Path) -> io::Result<fs::File> {
    use rustix::fs::{Mode, OFlags};
    let fd: OwnedFd = rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::empty(),
    )?;
    let file = fs::File::from(fd);
    ensure_regular(&file, path)?;
    Ok(file)
}

/// Fails unless the open file is a regular file.
fn ensure_regular(file: &fs::File, path: &Path) -> io::Result<()> {
    let meta = file.metadata()?;
    if meta.is_file() {
        Ok(())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a regular file", path.display()),
        ))
    }
}

/// Reads a regular file of at most `max_bytes`; a bigger one is an error, not a partial
/// read.
pub fn read_regular(path: &Path, max_bytes: u64) -> io::Result<Vec<u8>> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(max_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("larger than {} KiB", max_bytes / 1024),
        ));
    }
    Ok(bytes)
}

/// Removes the temporary files an interrupted write left in `dir` (a kill between
/// creating and renaming one). Only the agent writes these files and it holds the agent
/// lock while it runs, so any found at its start are stale. Returns how many were removed.
pub fn remove_stale_temp_files(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(Result::ok)
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with(TEMP_PREFIX)
                && name.ends_with(TEMP_SUFFIX)
                && entry.file_type().is_ok_and(|t| t.is_file())
        })
        .filter(|entry| fs::remove_file(entry.path()).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_regular_files_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.json");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
            0,
        )
        .unwrap();
        let error = read_regular(&fifo, 1024).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        let error = read_regular(dir.path(), 1024).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        let link = dir.path().join("link.json");
        let target = dir.path().join("target.json");
        fs::write(&target, "{}").unwrap();
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(
            read_regular(&link, 1024).is_err(),
            "a symlink is not followed"
        );
        assert_eq!(read_regular(&target, 1024).unwrap(), b"{}");
        fs::write(&target, vec![b' '; 2000]).unwrap();
        assert!(read_regular(&target, 1024)
            .unwrap_err()
            .to_string()
            .contains("larger"));
    }

    #[test]
    fn stale_temp_files_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".limber-abc.tmp"), "half").unwrap();
        fs::write(dir.path().join(".limber-def.tmp"), "half").unwrap();
        fs::write(dir.path().join("settings.json"), "{}").unwrap();
        fs::write(dir.path().join("mine.tmp"), "user's").unwrap();
        assert_eq!(remove_stale_temp_files(dir.path()), 2);
        let mut left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["mine.tmp", "settings.json"]);
        assert_eq!(remove_stale_temp_files(&dir.path().join("missing")), 0);
    }

    #[test]
    fn atomic_writes_replace_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(fs::read_dir(path.parent().unwrap()).unwrap().count(), 1);
    }
}
