//! The history log: appended one whole, synced line per event, read line by line with
//! bounded memory.

use crate::history::{self, HistoryEvent};
use crate::stats::HistoryIndex;
use std::fs;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// Longest line of the log that is read; a longer one is skipped (no event is that long).
pub const MAX_LINE_BYTES: usize = 64 * 1024;
/// How many skipped lines are described; the rest are only counted.
pub const MAX_SKIPS_DESCRIBED: usize = 20;

/// Appends events to the log, one line each, flushed to disk before returning. Old lines
/// are never rewritten. If the file ends in a partial line (a write cut off by a power
/// loss or a kill), a newline is written first so the new events start a line of their own.
/// The log must be a regular file; a symlink is not followed.
pub fn append(path: &Path, events: &[HistoryEvent]) -> io::Result<()> {
    use rustix::fs::{Mode, OFlags};
    let mut bytes = Vec::new();
    for event in events {
        bytes.extend_from_slice(
            history::to_line(event)
                .map_err(io::Error::other)?
                .as_bytes(),
        );
        bytes.push(b'\n');
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let fd = rustix::fs::open(
        path,
        OFlags::RDWR
            | OFlags::APPEND
            | OFlags::CREATE
            | OFlags::NOFOLLOW
            | OFlags::NONBLOCK
            | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o600),
    )?;
    let mut file = fs::File::from(fd);
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a regular file", path.display()),
        ));
    }
    if meta.len() > 0 {
        file.seek(SeekFrom::End(-1))?;
        let mut last = [0u8; 1];
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            bytes.insert(0, b'\n');
        }
    }
    file.write_all(&bytes)?;
    file.sync_data()
}

/// What reading the log found besides its events.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Skipped {
    pub count: u64,
    /// The first [`MAX_SKIPS_DESCRIBED`] of them.
    pub lines: Vec<history::SkippedLine>,
}

impl Skipped {
    fn note(&mut self, line: usize, reason: String) {
        self.count += 1;
        if self.lines.len() < MAX_SKIPS_DESCRIBED {
            self.lines.push(history::SkippedLine { line, reason });
        }
    }
}

/// Calls `each` with every readable event of the log, in order, holding one line at a
/// time. A missing log is an empty history.
pub fn for_each(path: &Path, mut each: impl FnMut(HistoryEvent)) -> io::Result<Skipped> {
    try_for_each(path, |event| {
        each(event);
        Ok(())
    })
}

/// [`for_each`] that stops at the first error `each` returns.
pub fn try_for_each(
    path: &Path,
    mut each: impl FnMut(HistoryEvent) -> io::Result<()>,
) -> io::Result<Skipped> {
    let file = match super::open_regular(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Skipped::default()),
        Err(e) => return Err(e),
    };
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let mut skipped = Skipped::default();
    let mut line = Vec::new();
    let mut number = 0;
    loop {
        line.clear();
        let complete = read_line(&mut reader, &mut line)?;
        if line.is_empty() && !complete {
            return Ok(skipped);
        }
        number += 1;
        if line.len() > MAX_LINE_BYTES {
            skipped.note(number, format!("longer than {} KiB", MAX_LINE_BYTES / 1024));
            continue;
        }
        // Valid UTF-8 (every line Limber writes) is read in place; anything else is
        // read lossily only to say why it is skipped.
        let parsed = match std::str::from_utf8(&line) {
            Ok(text) => history::parse_line(text),
            Err(_) => history::parse_line(&String::from_utf8_lossy(&line)),
        };
        match parsed {
            Ok(Some(event)) => each(event)?,
            Ok(None) => {}
            Err(reason) => skipped.note(number, reason),
        }
    }
}

/// Reads up to and without the next newline into `line`, keeping at most
/// `MAX_LINE_BYTES + 1` bytes of it (the rest is read and dropped). Returns whether a
/// newline ended it.
fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<bool> {
    loop {
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            return Ok(false);
        }
        let (chunk, found) = match buffer.iter().position(|b| *b == b'\n') {
            Some(i) => (&buffer[..i], Some(i + 1)),
            None => (buffer, None),
        };
        let room = (MAX_LINE_BYTES + 1).saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = found.unwrap_or(buffer.len());
        reader.consume(used);
        if found.is_some() {
            return Ok(true);
        }
    }
}

/// The whole log folded into an index, and what was skipped.
pub fn load_index(path: &Path) -> io::Result<(HistoryIndex, Skipped)> {
    let mut index = HistoryIndex::default();
    let skipped = for_each(path, |event| index.add(&event))?;
    Ok((index, skipped))
}

/// Every readable event (tests and small tools; the agent folds events as it reads).
pub fn load(path: &Path) -> io::Result<(Vec<HistoryEvent>, Skipped)> {
    let mut events = Vec::new();
    let skipped = for_each(path, |event| events.push(event))?;
    Ok((events, skipped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::posture_check_at as event;

    #[test]
    fn appends_are_whole_lines_even_after_a_cut_off_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/history.jsonl");
        append(&path, &[event(1)]).unwrap();
        // A power cut left half a line.
        let mut file = fs::OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(br#"{"at":"2026-11-23T10:02"#).unwrap();
        drop(file);
        append(&path, &[event(3), event(4)]).unwrap();
        let (events, skipped) = load(&path).unwrap();
        assert_eq!(events, vec![event(1), event(3), event(4)]);
        assert_eq!(skipped.count, 1);
        assert_eq!(skipped.lines[0].line, 2);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(&(history::to_line(&event(1)).unwrap() + "\n")));
        assert!(load(&dir.path().join("none.jsonl")).unwrap().0.is_empty());
    }

    #[test]
    fn a_huge_line_is_skipped_with_bounded_memory_and_the_rest_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        append(&path, &[event(1)]).unwrap();
        let mut file = fs::OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(&vec![b'x'; 3 * MAX_LINE_BYTES]).unwrap();
        file.write_all(b"\n").unwrap();
        drop(file);
        append(&path, &[event(2)]).unwrap();
        let (events, skipped) = load(&path).unwrap();
        assert_eq!(events, vec![event(1), event(2)]);
        assert_eq!(skipped.count, 1);
        assert!(skipped.lines[0].reason.contains("longer than"));
    }

    #[test]
    fn a_log_that_is_not_a_regular_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.jsonl");
        fs::create_dir(&path).unwrap();
        assert!(append(&path, &[event(1)]).is_err());
        assert!(load(&path).is_err());
        let target = dir.path().join("elsewhere.jsonl");
        let link = dir.path().join("link.jsonl");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(
            append(&link, &[event(1)]).is_err(),
            "a symlink is not followed"
        );
        assert!(!target.exists());
    }
}
