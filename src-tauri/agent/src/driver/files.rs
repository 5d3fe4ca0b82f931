//! File work, off the runtime thread: one task takes jobs in order and runs each on
//! tokio's blocking pool, then hands the result back to the driver as an input, with
//! what the driver should do next ([`Then`]).
//!
//! Jobs run one at a time in the order sent, so a history append never overtakes the
//! reading of the log at start, and a save never overtakes an earlier one. The driver
//! never waits for a job: while one runs (a 50 MB log being read, a slow disk), `status`
//! and every other command that needs no file are answered at once.

use crate::ports::Responder;
use limber_core::catalog::{CatalogError, Exercise};
use limber_core::history::HistoryEvent;
use limber_core::protocol::{ExportFormat, StartArgs};
use limber_core::routine::Routine;
use limber_core::settings::Settings;
use limber_core::stats::HistoryIndex;
use limber_core::store::{self, exports, history_file, routines, settings_file};
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::mpsc;

/// A piece of file work.
#[derive(Debug)]
pub enum Job {
    /// Remove the temporary files an interrupted write left in these folders.
    CleanTemp(Vec<PathBuf>),
    LoadHistory(PathBuf),
    AppendHistory {
        log: PathBuf,
        events: Vec<HistoryEvent>,
    },
    SaveSettings {
        path: PathBuf,
        settings: Settings,
        /// Write (`Some(program)`) or remove (`None`) the login entry first: the setting
        /// is saved only once the entry agrees with it.
        autostart: Option<(PathBuf, Option<String>)>,
    },
    LoadRoutines {
        dir: PathBuf,
        exercises: Arc<Vec<Exercise>>,
    },
    SaveRoutine {
        dir: PathBuf,
        routine: Routine,
        overwrite: bool,
    },
    DeleteRoutine {
        dir: PathBuf,
        id: String,
    },
    SaveText {
        target: exports::Target,
        text: String,
    },
    ExportHistory {
        log: PathBuf,
        format: ExportFormat,
        target: exports::Target,
    },
}

/// A job's result.
#[derive(Debug)]
pub enum Output {
    Cleaned(usize),
    HistoryLoaded(io::Result<(HistoryIndex, history_file::Skipped)>),
    HistoryAppended(io::Result<()>),
    SettingsSaved(io::Result<()>),
    RoutinesLoaded(Vec<Routine>, Vec<CatalogError>),
    RoutineSaved(io::Result<PathBuf>),
    RoutineDeleted(io::Result<()>),
    TextSaved(io::Result<PathBuf>),
    HistoryExported(io::Result<exports::Exported>),
}

impl Job {
    fn run(self) -> Output {
        match self {
            Job::CleanTemp(dirs) => {
                Output::Cleaned(dirs.iter().map(|d| store::remove_stale_temp_files(d)).sum())
            }
            Job::LoadHistory(log) => Output::HistoryLoaded(history_file::load_index(&log)),
            Job::AppendHistory { log, events } => {
                Output::HistoryAppended(history_file::append(&log, &events))
            }
            Job::SaveSettings {
                path,
                settings,
                autostart,
            } => {
                let entry = match autostart {
                    Some((file, program)) => store::autostart::set(&file, program.as_deref())
                        .map_err(|e| {
                            io::Error::new(
                                e.kind(),
                                format!("the login entry {}: {e}", file.display()),
                            )
                        }),
                    None => Ok(()),
                };
                Output::SettingsSaved(
                    entry.and_then(|()| settings_file::save_settings(&path, &settings)),
                )
            }
            Job::LoadRoutines { dir, exercises } => {
                let (loaded, errors) = routines::load(&dir, &exercises);
                Output::RoutinesLoaded(loaded, errors)
            }
            Job::SaveRoutine {
                dir,
                routine,
                overwrite,
            } => Output::RoutineSaved(routines::save(&dir, &routine, overwrite)),
            Job::DeleteRoutine { dir, id } => Output::RoutineDeleted(routines::delete(&dir, &id)),
            Job::SaveText { target, text } => Output::TextSaved(exports::save_text(&target, &text)),
            Job::ExportHistory {
                log,
                format,
                target,
            } => Output::HistoryExported(exports::history(&log, format, &target)),
        }
    }
}

/// What the driver does with a job's result.
#[derive(Debug)]
pub enum Then {
    Nothing,
    /// The history events in flight were written (or not): answer these.
    HistoryWritten(Vec<Responder>),
    /// Settings saved: apply them, then answer.
    ApplySettings {
        next: Settings,
        reply: Responder,
    },
    /// Routines re-read; then one of these.
    AfterRoutines(AfterRoutines),
    /// A routine saved: reload the catalog, answer with the routine.
    RoutineSaved {
        routine: Routine,
        reply: Responder,
    },
    RoutineDeleted(Responder),
    /// A routine exported: answer with its name and text.
    RoutineExported {
        file_name: String,
        text: String,
        reply: Responder,
    },
    HistoryExported(Responder),
}

/// What waits for the routines folder to be read.
#[derive(Debug)]
pub enum AfterRoutines {
    /// Only publish the catalog (at start).
    Publish,
    Catalog(Responder),
    Start {
        args: StartArgs,
        reply: Responder,
    },
    /// A window subscribed: answer it with every snapshot.
    Subscribed {
        conn: crate::ports::ConnId,
        reply: Responder,
    },
}

/// A finished job, for the driver.
#[derive(Debug)]
pub struct Done {
    pub output: Output,
    pub then: Then,
}

/// The handle the driver sends jobs through.
#[derive(Clone, Debug)]
pub struct Files {
    jobs: mpsc::UnboundedSender<(Job, Then)>,
}

impl Files {
    /// Starts the worker task; its results come back on the receiver, in order.
    pub fn start() -> (Files, mpsc::UnboundedReceiver<Done>) {
        let (jobs, mut queue) = mpsc::unbounded_channel::<(Job, Then)>();
        let (results, finished) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Some((job, then)) = queue.recv().await {
                let output = match tokio::task::spawn_blocking(move || job.run()).await {
                    Ok(output) => output,
                    Err(e) => {
                        log::error!("file work failed: {e}");
                        continue;
                    }
                };
                if results.send(Done { output, then }).is_err() {
                    break;
                }
            }
        });
        (Files { jobs }, finished)
    }

    /// Queues a job. If the worker is gone (the agent is stopping), its responders hear so.
    pub fn send(&self, job: Job, then: Then) {
        if let Err(mpsc::error::SendError((_, then))) = self.jobs.send((job, then)) {
            then.fail();
        }
    }
}

impl Then {
    /// Answers everyone waiting that the agent is stopping.
    fn fail(self) {
        let shutting = || Err(limber_core::AgentError::ShuttingDown);
        let replies: Vec<Responder> = match self {
            Then::Nothing | Then::AfterRoutines(AfterRoutines::Publish) => Vec::new(),
            Then::HistoryWritten(replies) => replies,
            Then::ApplySettings { reply, .. }
            | Then::RoutineSaved { reply, .. }
            | Then::RoutineExported { reply, .. }
            | Then::AfterRoutines(AfterRoutines::Start { reply, .. })
            | Then::AfterRoutines(AfterRoutines::Subscribed { reply, .. }) => vec![reply],
            Then::AfterRoutines(AfterRoutines::Catalog(reply))
            | Then::RoutineDeleted(reply)
            | Then::HistoryExported(reply) => vec![reply],
        };
        for reply in replies {
            let _ = reply.send(shutting());
        }
    }
}
