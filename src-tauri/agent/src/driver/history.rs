//! The history log as the driver keeps it: the figures in memory (an index folded from the
//! log at start and from every event written since), and the events on their way to disk.
//!
//! Invariants: an event is counted in the figures only once it is on disk; an event that
//! could not be written is kept (up to [`MAX_UNWRITTEN`]) and written with the next one;
//! whoever waits for an event (a check-in) hears whether it was written.

use super::files::{Files, Job, Then};
use crate::ports::Responder;
use limber_core::history::HistoryEvent;
use limber_core::protocol::{Done, HistorySnapshot};
use limber_core::stats::HistoryIndex;
use limber_core::store::history_file::Skipped;
use limber_core::AgentError;
use std::io;
use std::path::PathBuf;

/// Events kept in memory while the log cannot be written; beyond this the oldest go.
pub const MAX_UNWRITTEN: usize = 10_000;

pub struct History {
    log: PathBuf,
    /// `None` until the log has been read.
    index: Option<HistoryIndex>,
    skipped: u64,
    revision: u64,
    /// Recorded, not yet handed to the file worker (or handed and failed).
    unwritten: Vec<HistoryEvent>,
    /// Who waits for the unwritten events.
    waiting: Vec<Responder>,
    /// Being written now.
    in_flight: Vec<HistoryEvent>,
    writing: bool,
    /// Why the log could not be read or written, while that lasts.
    problem: Option<String>,
}

impl History {
    pub fn new(log: PathBuf) -> History {
        History {
            log,
            index: None,
            skipped: 0,
            revision: 0,
            unwritten: Vec::new(),
            waiting: Vec::new(),
            in_flight: Vec::new(),
            writing: false,
            problem: None,
        }
    }

    /// Queues the reading of the log (the first history job, so no append overtakes it).
    pub fn load(&self, files: &Files) {
        files.send(Job::LoadHistory(self.log.clone()), Then::Nothing);
    }

    pub fn loaded(&mut self, result: io::Result<(HistoryIndex, Skipped)>) {
        match result {
            Ok((index, skipped)) => {
                for line in &skipped.lines {
                    log::warn!("history line {} skipped: {}", line.line, line.reason);
                }
                if skipped.count > skipped.lines.len() as u64 {
                    log::warn!(
                        "{} more history lines skipped",
                        skipped.count - skipped.lines.len() as u64
                    );
                }
                log::info!("history read: {} events", index.total_events());
                self.index = Some(index);
                self.skipped = skipped.count;
            }
            Err(e) => {
                log::error!("could not read {}: {e}", self.log.display());
                self.problem = Some(format!(
                    "{} could not be read ({e}); the figures start from now",
                    self.log.display()
                ));
                self.index = Some(HistoryIndex::default());
            }
        }
    }

    /// Records an event; `reply` (if any) hears whether it reached the disk.
    pub fn record(&mut self, event: HistoryEvent, reply: Option<Responder>, files: &Files) {
        self.unwritten.push(event);
        if self.unwritten.len() > MAX_UNWRITTEN {
            let dropped = self.unwritten.len() - MAX_UNWRITTEN;
            self.unwritten.drain(..dropped);
            log::error!("{dropped} history events could not be written and were dropped");
        }
        self.waiting.extend(reply);
        self.flush(files);
    }

    /// Hands the unwritten events to the file worker, unless a write is under way.
    fn flush(&mut self, files: &Files) {
        if self.writing || self.unwritten.is_empty() {
            return;
        }
        self.in_flight = std::mem::take(&mut self.unwritten);
        self.writing = true;
        files.send(
            Job::AppendHistory {
                log: self.log.clone(),
                events: self.in_flight.clone(),
            },
            Then::HistoryWritten(std::mem::take(&mut self.waiting)),
        );
    }

    /// A write finished. Returns whether the figures changed.
    pub fn written(
        &mut self,
        result: io::Result<()>,
        replies: Vec<Responder>,
        files: &Files,
    ) -> bool {
        self.writing = false;
        let events = std::mem::take(&mut self.in_flight);
        match result {
            Ok(()) => {
                if let Some(index) = self.index.as_mut() {
                    for event in &events {
                        index.add(event);
                    }
                }
                self.revision += 1;
                self.problem = None;
                for reply in replies {
                    let _ = reply.send(Ok(Done.into()));
                }
                // Events recorded meanwhile go now.
                self.flush(files);
                true
            }
            Err(e) => {
                let message = format!(
                    "could not write to {} ({e}); {} event(s) are kept and will be written with the next one",
                    self.log.display(),
                    events.len() + self.unwritten.len()
                );
                log::error!("{message}");
                let mut kept = events;
                kept.append(&mut self.unwritten);
                self.unwritten = kept;
                self.problem = Some(message.clone());
                for reply in replies {
                    let _ = reply.send(Err(AgentError::HistoryNotSaved(message.clone())));
                }
                false
            }
        }
    }

    pub fn notice(&self) -> Option<String> {
        self.problem.clone()
    }

    pub fn snapshot(&self, today: chrono::NaiveDate) -> HistorySnapshot {
        let empty = HistoryIndex::default();
        HistorySnapshot {
            revision: self.revision,
            loaded: self.index.is_some(),
            stats: self.index.as_ref().unwrap_or(&empty).stats(today),
            skipped_lines: self.skipped,
            path: self.log.clone(),
        }
    }
}
