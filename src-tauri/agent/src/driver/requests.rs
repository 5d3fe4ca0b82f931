//! Every command, from every surface, is handled here: one `handle`, one set of rules.
//! A command either answers at once or hands its answer to file work that answers when
//! it is done.

use super::files::{AfterRoutines, Job, Then};
use super::Agent;
use crate::clock::Clock;
use crate::ports::{Notice, Origin, Responder, Shell};
use limber_core::catalog::{self, parse_routine};
use limber_core::history::EventKind;
use limber_core::protocol::{
    About, CheckInArgs, Command, Done, ExportHistoryArgs, ExportTo, ExportedRoutine, Hello, Reply,
    Role, SettingValue, StartArgs, Status, Subscribed, TherapyRequest, View, Vocabulary,
};
use limber_core::routine::Origin as RoutineOrigin;
use limber_core::schedule::{ScheduleCommand, State};
use limber_core::session::{Session, SessionAction};
use limber_core::store::exports::Target;
use limber_core::therapy::{Therapy, TherapyKind};
use limber_core::{AgentError, VERSION};

/// What a command gets back when it answers at once.
type Answer = Result<Reply, AgentError>;

impl<C: Clock, S: Shell> Agent<C, S> {
    /// Handles one command from any surface. `reply` hears the answer, now or when the
    /// file work it needs is done.
    pub fn handle(&mut self, command: Command, reply: Responder) {
        let origin = reply.origin();
        let answer: Answer = match command {
            Command::Hello(_) => Ok(Hello {
                version: VERSION.to_owned(),
                protocol: self.protocol,
                pid: std::process::id(),
            }
            .into()),
            Command::About(_) => Ok(self.about().into()),
            Command::Status(_) => Ok(self.status().into()),
            Command::Vocabulary(_) => Ok(Vocabulary::new().into()),
            Command::Open(args) => {
                self.open_window(args.view);
                Ok(Done.into())
            }
            Command::Quit(_) => {
                self.quitting = true;
                Ok(Done.into())
            }
            Command::Subscribe(args) => match (origin, args.role) {
                (Origin::Socket(conn), Role::Window) => {
                    // The window shows the user's routines as they are on disk now.
                    self.reload_routines(AfterRoutines::Subscribed { conn, reply });
                    return;
                }
                (Origin::Socket(conn), Role::Client) => Ok(self.subscribed(conn, false).into()),
                _ => Ok(Done.into()),
            },
            Command::GetSettings(_) => Ok(self.settings_snapshot().into()),
            Command::GetSetting(args) => self
                .settings
                .get(&args.key)
                .map(|value| {
                    SettingValue {
                        key: args.key,
                        value,
                    }
                    .into()
                })
                .map_err(AgentError::UnknownSetting),
            Command::SetSettings(args) => return self.set_settings(&args.values, reply),
            Command::Snooze(args) => match self.schedule.check_snooze() {
                Err(limit) => Err(limit.into()),
                Ok(()) => self.schedule_command(ScheduleCommand::Snooze {
                    minutes: args.minutes.map(|m| m.get()),
                }),
            },
            Command::Skip(_) => self.schedule_command(ScheduleCommand::Skip),
            Command::Pause(args) => self.schedule_command(ScheduleCommand::Pause(args.length)),
            Command::Resume(_) => self.schedule_command(ScheduleCommand::Resume),
            Command::BreakNow(_) => self.schedule_command(ScheduleCommand::BreakNow),
            Command::Start(args) => {
                if let Some(running) = &self.session {
                    Err(AgentError::SessionRunning(running.routine().name.clone()))
                } else {
                    // The routine may be a file the user just dropped in the folder.
                    self.reload_routines(AfterRoutines::Start { args, reply });
                    return;
                }
            }
            Command::Session(args) => {
                let result = self.session_command(args.action);
                if result.is_ok() && args.open {
                    self.open_window(Some(View::Session));
                }
                result.map(Into::into)
            }
            Command::Catalog(_) => {
                self.reload_routines(AfterRoutines::Catalog(reply));
                return;
            }
            Command::SaveRoutine(args) => {
                return self.save_routine(&args.text, args.overwrite, reply)
            }
            Command::DeleteRoutine(args) => return self.delete_routine(&args.id, reply),
            Command::ExportRoutine(args) => return self.export_routine(&args.id, args.save, reply),
            Command::DismissResult(_) => {
                self.last_session = None;
                self.publish_status();
                Ok(Done.into())
            }
            Command::CheckIn(args) => return self.check_in(args, reply),
            Command::History(_) => Ok(self.history.snapshot(self.today()).into()),
            Command::ExportHistory(args) => return self.export_history(args, reply),
            Command::Therapy(args) => args
                .request()
                .and_then(|request| self.therapy_command(request, origin))
                .map(Into::into),
        };
        self.respond(reply, answer);
    }

    /// Every snapshot, for a new subscriber; a window is counted and gets the view it was
    /// started for.
    pub(super) fn subscribed(&mut self, conn: crate::ports::ConnId, window: bool) -> Subscribed {
        let view = if window {
            self.window_subscribed(conn)
        } else {
            None
        };
        Subscribed {
            snapshots: self.snapshots(),
            view,
            vocabulary: Vocabulary::new(),
        }
    }

    fn schedule_command(&mut self, command: ScheduleCommand) -> Answer {
        let now = self.clock.now();
        match command {
            ScheduleCommand::Snooze { minutes } if self.schedule.state() != State::Paused => self
                .record(
                    EventKind::BreakSnoozed {
                        snooze_min: minutes.unwrap_or(self.settings.snooze_min),
                    },
                    None,
                ),
            ScheduleCommand::Skip => self.record(EventKind::BreakSkipped, None),
            _ => {}
        }
        let effects = self.schedule.handle(command, &now);
        self.apply(effects);
        self.publish_status();
        self.refresh_tray();
        Ok(self.status().into())
    }

    /// Starts a guided session (the default routine when none is named).
    pub(super) fn start_session(&mut self, args: StartArgs) -> Result<Status, AgentError> {
        if let Some(running) = &self.session {
            return Err(AgentError::SessionRunning(running.routine().name.clone()));
        }
        let id = args.routine.unwrap_or_else(|| self.default_routine());
        let Some(routine) = self.catalog.routine(&id).cloned() else {
            return Err(self.no_such_routine(id));
        };
        let now = self.clock.now();
        let from_break = self.schedule.state() == State::Due;
        let effects = self.schedule.handle(ScheduleCommand::SessionStarted, &now);
        self.apply(effects);
        let exercises = self.catalog.exercises_of(&routine);
        log::info!(
            "session {} started{}",
            routine.id,
            if from_break { " from a due break" } else { "" }
        );
        self.session = Some(Session::start(routine, exercises, from_break, &now));
        self.last_session = None;
        if args.open {
            self.open_window(Some(View::Session));
        }
        self.publish_status();
        self.refresh_tray();
        Ok(self.status())
    }

    pub(super) fn session_command(&mut self, action: SessionAction) -> Result<Status, AgentError> {
        let now = self.clock.now();
        let session = self.session.as_mut().ok_or(AgentError::NoSession)?;
        let effects = session.handle(action, &now);
        self.apply_session(effects);
        self.publish_status();
        self.refresh_tray();
        Ok(self.status())
    }

    fn therapy_command(
        &mut self,
        request: TherapyRequest,
        origin: Origin,
    ) -> Result<Status, AgentError> {
        let now = self.clock.now();
        let end = match (request, self.therapy.as_mut()) {
            (TherapyRequest::Start { .. }, Some(running)) => {
                return Err(AgentError::TherapyRunning(running.kind().name()))
            }
            (TherapyRequest::Start { kind, minutes }, None) => {
                let length = self
                    .therapy_length_override
                    .unwrap_or_else(|| chrono::Duration::minutes(i64::from(minutes.get())));
                self.therapy = Some(Therapy::start(kind, minutes, length, &now));
                if kind == TherapyKind::Heat {
                    self.heat_cautions_once(origin);
                }
                None
            }
            (TherapyRequest::Control(_), None) => return Err(AgentError::NoTherapy),
            (TherapyRequest::Control(control), Some(t)) => t.handle(control, &now),
        };
        if let Some(end) = end {
            self.therapy_ended(end);
        }
        self.publish_status();
        self.refresh_tray();
        Ok(self.status())
    }

    /// The first heat started where the Guide is not in view (the tray, the CLI) comes
    /// with the cautions before using heat, once.
    fn heat_cautions_once(&mut self, origin: Origin) {
        let from_window =
            matches!(origin, Origin::Socket(conn) if self.window_conns.contains(&conn));
        // A save of the flag may still be in flight.
        let shown = self.pending_settings.as_ref().unwrap_or(&self.settings);
        if from_window || shown.heat_cautions_shown {
            return;
        }
        self.shell.notify(Notice::Info {
            summary: "Before you use heat".to_owned(),
            body: limber_core::therapy::HEAT_CAUTIONS.join("\n"),
        });
        self.remember("heat_cautions_shown");
    }

    fn check_in(&mut self, args: CheckInArgs, reply: Responder) {
        if args.after_session {
            self.last_session = None;
            self.publish_status();
        }
        // Answered once the event is on disk (or could not be written).
        self.record(
            EventKind::CheckIn {
                score: args.score,
                area: args.area,
                note: args.note,
                after_session: args.after_session,
            },
            Some(reply),
        );
    }

    pub(super) fn set_settings(
        &mut self,
        values: &serde_json::Map<String, serde_json::Value>,
        reply: Responder,
    ) {
        if !self.settings_writable {
            let error = AgentError::SettingsNotWritable(self.paths.settings_file());
            return self.respond(reply, Err(error));
        }
        let base = self.pending_settings.as_ref().unwrap_or(&self.settings);
        let next = match base.with_changes(values) {
            Ok(next) => next,
            Err(errors) => return self.respond(reply, Err(errors.into())),
        };
        // The settings know ids; the agent knows which routines exist.
        if values.contains_key("default_routine")
            && self.catalog.routine(&next.default_routine).is_none()
        {
            let error = limber_core::settings::SettingError::new(
                "default_routine",
                format!(
                    "there is no routine '{}' (`limber routines` lists them)",
                    next.default_routine
                ),
            );
            let errors = limber_core::settings::SettingErrors(vec![error]);
            return self.respond(reply, Err(errors.into()));
        }
        let base_login = self
            .pending_settings
            .as_ref()
            .unwrap_or(&self.settings)
            .start_at_login;
        let autostart = (next.start_at_login != base_login).then(|| {
            let program = next.start_at_login.then(|| self.autostart_program.clone());
            (self.paths.autostart_file(), program)
        });
        self.pending_settings = Some(next.clone());
        self.files.send(
            Job::SaveSettings {
                path: self.paths.settings_file(),
                settings: next.clone(),
                autostart,
            },
            Then::ApplySettings { next, reply },
        );
    }

    /// Settings the agent changes by itself (a flag that something was shown once).
    pub(super) fn remember(&mut self, key: &str) {
        let mut values = serde_json::Map::new();
        values.insert(key.to_owned(), true.into());
        self.set_settings(&values, Responder::detached(Origin::Agent));
    }

    fn about(&self) -> About {
        About {
            version: VERSION.to_owned(),
            protocol: self.protocol,
            pid: std::process::id(),
            executable: std::fs::read_link("/proc/self/exe")
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            settings_file: self.paths.settings_file(),
            history_file: self.paths.history_file(),
            routines_dir: self.paths.routines_dir(),
            socket: self.paths.socket(),
            autostart_file: self.paths.autostart_file(),
            idle_detection: self.shell.idle_description(),
            lock_detection: self.shell.lock_description(),
        }
    }

    fn save_routine(&mut self, text: &str, overwrite: bool, reply: Responder) {
        let parsed = parse_routine(
            text,
            "the routine",
            &self.catalog.exercises,
            RoutineOrigin::Custom {
                file: String::new(),
            },
        );
        let mut routine = match parsed {
            Ok(routine) => routine,
            Err(e) => return self.respond(reply, Err(e.into())),
        };
        if let Err(error) = self.catalog.check_custom_id(&routine.id) {
            return self.respond(reply, Err(error.into()));
        }
        routine.origin = RoutineOrigin::Custom {
            file: format!("{}.json", routine.id),
        };
        self.files.send(
            Job::SaveRoutine {
                dir: self.paths.routines_dir(),
                routine: routine.clone(),
                overwrite,
            },
            Then::RoutineSaved { routine, reply },
        );
    }

    fn delete_routine(&mut self, id: &str, reply: Responder) {
        match self.catalog.routine(id).map(|r| r.origin.clone()) {
            None => {
                let error = AgentError::NoSuchRoutine {
                    id: id.to_owned(),
                    known: self.custom_ids(),
                };
                self.respond(reply, Err(error));
            }
            Some(RoutineOrigin::BuiltIn) => self.respond(reply, Err(AgentError::BuiltInRoutine)),
            Some(RoutineOrigin::Custom { .. }) => self.files.send(
                Job::DeleteRoutine {
                    dir: self.paths.routines_dir(),
                    id: id.to_owned(),
                },
                Then::RoutineDeleted(reply),
            ),
        }
    }

    fn custom_ids(&self) -> String {
        let ids: Vec<&str> = self
            .catalog
            .routines
            .iter()
            .filter(|r| r.origin != RoutineOrigin::BuiltIn)
            .map(|r| r.id.as_str())
            .collect();
        if ids.is_empty() {
            "none yet".to_owned()
        } else {
            ids.join(", ")
        }
    }

    /// The error for a routine id the catalog lacks, listing the ones it has.
    fn no_such_routine(&self, id: String) -> AgentError {
        let known: Vec<&str> = self
            .catalog
            .routines
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        AgentError::NoSuchRoutine {
            id,
            known: known.join(", "),
        }
    }

    fn export_routine(&mut self, id: &str, save: bool, reply: Responder) {
        let Some(routine) = self.catalog.routine(id) else {
            let error = self.no_such_routine(id.to_owned());
            return self.respond(reply, Err(error));
        };
        let file_name = format!("{}.json", routine.id);
        let text = serde_json::to_string_pretty(&catalog::routine_to_file(routine))
            .unwrap_or_default()
            + "\n";
        if !save {
            let answer = ExportedRoutine {
                file_name,
                text,
                path: None,
            };
            return self.respond(reply, Ok(answer.into()));
        }
        self.files.send(
            Job::SaveText {
                target: Target::NewIn {
                    dir: self.paths.downloads_dir.clone(),
                    file_name: file_name.clone(),
                },
                text: text.clone(),
            },
            Then::RoutineExported {
                file_name,
                text,
                reply,
            },
        );
    }

    fn export_history(&mut self, args: ExportHistoryArgs, reply: Responder) {
        let extension = args.format.extension();
        let stamp = self.clock.now().wall.format("%Y-%m-%d");
        let target = match args.to {
            ExportTo::Downloads => Target::NewIn {
                dir: self.paths.downloads_dir.clone(),
                file_name: format!("limber-history-{stamp}.{extension}"),
            },
            ExportTo::File { path, .. } if !path.is_absolute() => {
                return self.respond(reply, Err(AgentError::RelativePath(path)))
            }
            ExportTo::File { path, replace } => Target::Path { path, replace },
            ExportTo::Spool => Target::NewIn {
                dir: self.paths.spool_dir(),
                file_name: format!("export-{}.{extension}", std::process::id()),
            },
        };
        self.files.send(
            Job::ExportHistory {
                log: self.paths.history_file(),
                format: args.format,
                target,
            },
            Then::HistoryExported(reply),
        );
    }
}
