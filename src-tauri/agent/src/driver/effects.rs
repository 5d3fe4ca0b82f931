//! Carrying out what the state machines and the file worker report: notifications, the
//! window, history events, and the results of file work.

use super::files::{AfterRoutines, Done, Output, Then};
use super::Agent;
use crate::clock::Clock;
use crate::ports::{Action, Notice, Responder, Shell};
use limber_core::history::{EventKind, HistoryEvent};
use limber_core::protocol::{Done as Ok_, ExportedRoutine, SkipArgs, SnoozeArgs, StartArgs, View};
use limber_core::routine::Origin;
use limber_core::schedule::{Effect, ScheduleCommand};
use limber_core::session::{SessionAction, SessionEffect};
use limber_core::therapy::TherapyEnd;
use limber_core::AgentError;

impl<C: Clock, S: Shell> Agent<C, S> {
    /// Appends an event to the history; `reply` hears whether it was written.
    pub(super) fn record(&mut self, kind: EventKind, reply: Option<Responder>) {
        let event = HistoryEvent {
            at: self.clock.now().wall.fixed_offset(),
            kind,
        };
        self.history.record(event, reply, &self.files);
    }

    /// The buttons of a break notification, each a command: Snooze only while snoozes
    /// are left for this break.
    fn break_actions(&self, start: bool) -> Vec<Action> {
        let mut actions = Vec::new();
        if start {
            actions.push(Action {
                id: "start",
                label: "Start stretch".to_owned(),
                command: StartArgs {
                    routine: None,
                    open: true,
                }
                .into(),
            });
        }
        if self.schedule.check_snooze().is_ok() {
            actions.push(Action {
                id: "snooze",
                label: format!("Snooze {} min", self.settings.snooze_min),
                command: SnoozeArgs { minutes: None }.into(),
            });
        }
        actions.push(Action {
            id: "skip",
            label: "Skip".to_owned(),
            command: SkipArgs {}.into(),
        });
        actions
    }

    pub(super) fn apply(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::BreakDue { sitting_min } | Effect::BreakReminder { sitting_min } => {
                    if matches!(effect, Effect::BreakDue { .. }) {
                        self.record(EventKind::BreakDue { sitting_min }, None);
                    }
                    let style = self.settings.break_style;
                    if style.notifies() {
                        self.shell.notify(Notice::BreakDue {
                            sitting_min,
                            actions: self.break_actions(true),
                        });
                    }
                    if style.opens_window() {
                        self.open_window(Some(View::Session));
                    }
                }
                Effect::BreakImminent { .. } => self.ready_break_window(),
                Effect::BreakSoon { in_s } => self.shell.notify(Notice::BreakSoon {
                    in_s,
                    actions: self.break_actions(false),
                }),
                Effect::HeldLong { held_min } => {
                    log::info!("a break has waited {held_min} min for the user to be free");
                    self.shell.notify(Notice::Quiet {
                        summary: "Your break is still waiting".to_owned(),
                        body: format!(
                            "You have been busy for {} now. When you can, stand up and move for a minute.",
                            crate::notify::hours_and_minutes(held_min)
                        ),
                    });
                }
                Effect::PauseEnded => log::info!("pause ended; breaks are scheduled again"),
                Effect::NaturalBreak { away_min, was_due } => {
                    log::info!(
                        "natural break: away {away_min} min{}",
                        if was_due {
                            ", answering a due break"
                        } else {
                            ""
                        }
                    );
                    self.record(EventKind::NaturalBreak { away_min, was_due }, None);
                }
                Effect::PostureCheck { cue } => {
                    self.shell.notify(Notice::Posture {
                        cue: limber_core::posture::cue(cue).to_owned(),
                    });
                    self.record(EventKind::PostureCheck, None);
                }
                Effect::WorkingHoursStarted => log::info!("working hours began"),
                Effect::WorkingHoursEnded => log::info!("working hours ended; Limber is quiet"),
            }
        }
    }

    pub(super) fn apply_session(&mut self, effects: Vec<SessionEffect>) {
        for effect in effects {
            if let SessionEffect::Finished(record) = effect {
                log::info!(
                    "session {} {:?}: {} of {} exercises, {} s",
                    record.routine,
                    record.outcome,
                    record.steps_done,
                    record.steps_total,
                    record.active_s
                );
                self.session = None;
                let now = self.clock.now();
                let schedule_effects = self.schedule.handle(ScheduleCommand::SessionEnded, &now);
                self.apply(schedule_effects);
                self.record(EventKind::Session(record.clone()), None);
                self.last_session = Some(record);
            }
        }
    }

    pub(super) fn therapy_ended(&mut self, end: TherapyEnd) {
        self.therapy = None;
        log::info!(
            "{} timer {}",
            end.kind.name(),
            if end.completed { "done" } else { "stopped" }
        );
        if end.completed {
            self.shell.notify(Notice::TherapyDone {
                kind: end.kind,
                length_min: end.length_min,
            });
        }
        self.record(
            EventKind::Therapy {
                therapy: end.kind,
                length_min: end.length_min,
                completed: end.completed,
            },
            None,
        );
    }

    /// Closing the window mid-session pauses it, through the same path as every pause.
    pub(super) fn pause_session_for_closed_window(&mut self) {
        let now = self.clock.now();
        if let Some(session) = self.session.as_mut() {
            let effects = session.handle(SessionAction::Pause, &now);
            self.apply_session(effects);
        }
        self.refresh_tray();
    }

    /// File work finished: carry on with what waited for it.
    pub(super) fn file_done(&mut self, done: Done) {
        match (done.output, done.then) {
            (Output::Cleaned(n), _) => {
                if n > 0 {
                    log::info!("removed {n} temporary file(s) an interrupted write had left");
                }
            }
            (Output::HistoryLoaded(result), _) => {
                self.history.loaded(result);
                self.publish_history();
                self.publish_status();
            }
            (Output::HistoryAppended(result), then) => {
                let replies = match then {
                    Then::HistoryWritten(replies) => replies,
                    _ => Vec::new(),
                };
                let was_failing = self.history.notice().is_some();
                if self.history.written(result, replies, &self.files) {
                    self.publish_history();
                }
                if was_failing != self.history.notice().is_some() {
                    self.publish_status();
                }
            }
            (Output::SettingsSaved(result), Then::ApplySettings { next, reply }) => {
                self.pending_settings = None;
                match result {
                    Ok(()) => {
                        self.settings_changed(next);
                        self.respond(reply, Ok(self.settings_snapshot().into()));
                    }
                    Err(e) => {
                        let what = format!("save {}", self.paths.settings_file().display());
                        self.respond(reply, Err(AgentError::io(what, e)));
                    }
                }
            }
            (Output::RoutinesLoaded(routines, errors), Then::AfterRoutines(after)) => {
                self.routines_loaded(routines, errors);
                match after {
                    AfterRoutines::Publish => {}
                    AfterRoutines::Catalog(reply) => {
                        self.respond(reply, Ok(self.catalog_snapshot().into()))
                    }
                    AfterRoutines::Start { args, reply } => {
                        let result = self.start_session(args).map(Into::into);
                        self.respond(reply, result);
                    }
                    AfterRoutines::Subscribed { conn, reply } => {
                        let result = Ok(self.subscribed(conn, true).into());
                        self.respond(reply, result);
                    }
                }
            }
            (Output::RoutineSaved(result), Then::RoutineSaved { routine, reply }) => match result {
                Ok(path) => {
                    log::info!("saved routine {}", path.display());
                    self.reload_routines(AfterRoutines::Publish);
                    self.respond(reply, Ok(routine.into()));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    self.respond(reply, Err(AgentError::RoutineExists(routine.id)))
                }
                Err(e) => self.respond(reply, Err(AgentError::io("save the routine", e))),
            },
            (Output::RoutineDeleted(result), Then::RoutineDeleted(reply)) => match result {
                Ok(()) => {
                    self.reload_routines(AfterRoutines::Publish);
                    self.respond(reply, Ok(Ok_.into()));
                }
                Err(e) => self.respond(reply, Err(AgentError::io("delete the routine", e))),
            },
            (
                Output::TextSaved(result),
                Then::RoutineExported {
                    file_name,
                    text,
                    reply,
                },
            ) => {
                let result = result
                    .map(|path| {
                        ExportedRoutine {
                            file_name,
                            text,
                            path: Some(path),
                        }
                        .into()
                    })
                    .map_err(|e| {
                        AgentError::io(format!("save in {}", self.paths.downloads_dir.display()), e)
                    });
                self.respond(reply, result);
            }
            (Output::HistoryExported(result), Then::HistoryExported(reply)) => {
                let result = result
                    .map(|exported| {
                        limber_core::protocol::ExportedHistory {
                            path: exported.path,
                            events: exported.events,
                            bytes: exported.bytes,
                        }
                        .into()
                    })
                    .map_err(|e| match e.kind() {
                        std::io::ErrorKind::AlreadyExists => AgentError::io("export the history: the file already exists; choose another, or replace it", e),
                        _ => AgentError::io("export the history", e),
                    });
                self.respond(reply, result);
            }
            (output, then) => log::error!("file work {output:?} came back with {then:?}"),
        }
    }

    /// Takes the routines read from the folder into the catalog.
    fn routines_loaded(
        &mut self,
        routines: Vec<limber_core::routine::Routine>,
        mut errors: Vec<limber_core::catalog::CatalogError>,
    ) {
        self.catalog
            .routines
            .retain(|r| r.origin == Origin::BuiltIn);
        for routine in routines {
            let file = routine.origin.file().unwrap_or_default().to_owned();
            if let Err(error) = self.catalog.add_custom(routine) {
                errors.push(limber_core::catalog::CatalogError {
                    file: format!("routines/{file}"),
                    at: "id".to_owned(),
                    message: error.to_string(),
                });
            }
        }
        for problem in &errors {
            log::warn!("routine not loaded: {problem}");
        }
        self.routine_errors = errors;
        self.publish_catalog();
        self.refresh_tray();
    }

    /// Answers a command: over the socket, or for the tray and notifications, a notice
    /// when it failed.
    pub(super) fn respond(
        &mut self,
        reply: Responder,
        result: Result<limber_core::protocol::Reply, AgentError>,
    ) {
        if let Some(error) = reply.send(result) {
            log::warn!("a command from the desktop failed: {error}");
            self.shell.notify(Notice::Info {
                summary: "Limber could not do that".to_owned(),
                body: error.to_string(),
            });
        }
    }
}
