//! The guided-session engine: a routine expands into timed phases (get ready, holds, sides,
//! reps, cycles, rests), and a deterministic state machine walks through them.
//!
//! Like the scheduler it reads no clock: the shell asks [`Session::time_to_deadline`],
//! sleeps, and calls [`Session::handle_timeout`] with the time it read. Time is kept as
//! deadlines on the monotonic clock and each phase ends at the previous phase's end plus
//! its own length, never at "now plus its length", so a late wake-up does not shift the
//! rest of the session: a running session ends exactly its total length after it started,
//! plus the time it spent paused.
//!
//! Invariants: the phase index is always within the phases while the session exists; a
//! session ends exactly once, with a [`SessionRecord`]; a session paused for
//! [`ABANDON_AFTER_MS`] ends as abandoned.

use crate::catalog::Exercise;
use crate::routine::{expand, Phase, PhaseKind, Place, Routine, Side};
use crate::time::Now;
use chrono::{DateTime, Duration, FixedOffset, SubsecRound, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// A session paused this long ends as abandoned.
pub const ABANDON_AFTER_MS: u64 = 10 * 60_000;
/// "Back" within this long of a step's start goes to the previous step; later it restarts
/// the current one (as a music player's "previous" does).
pub const BACK_RESTARTS_AFTER_MS: u64 = 3_000;

/// How a session ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Outcome {
    /// It reached its end.
    Completed,
    /// The user stopped it.
    Stopped,
    /// It stayed paused too long.
    Abandoned,
}

impl Outcome {
    /// Its wire name ("completed").
    pub fn name(self) -> &'static str {
        self.into()
    }
}

/// What a finished session leaves for history and the end screen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    pub routine: String,
    pub routine_name: String,
    pub outcome: Outcome,
    /// Steps whose holds ran to their end (not skipped).
    pub steps_done: u32,
    pub steps_total: u32,
    /// Time spent moving: running, not paused.
    #[serde(alias = "seconds")]
    pub active_s: u32,
    /// Local time, with its offset.
    pub started_at: DateTime<FixedOffset>,
    pub ended_at: DateTime<FixedOffset>,
    /// Started from a due break (so it answered that break).
    pub from_break: bool,
}

/// What the user can do to a running session (tray, CLI, window keys, hotkeys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, strum::VariantArray)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[serde(rename_all = "snake_case")]
pub enum SessionAction {
    Pause,
    Resume,
    /// To the next exercise (or the end, from the last one).
    Skip,
    /// To the start of this exercise, or the previous one if this one just began.
    Back,
    Stop,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionEffect {
    /// A new phase began (the shell publishes the snapshot).
    PhaseStarted {
        index: usize,
    },
    Finished(SessionRecord),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Run {
    /// The current phase ends at this monotonic time.
    Running {
        phase_end: u64,
    },
    Paused {
        remaining_ms: u64,
        since: u64,
    },
    Finished,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    routine: Routine,
    exercises: Vec<Exercise>,
    phases: Vec<Phase>,
    index: usize,
    run: Run,
    started_wall: DateTime<Utc>,
    /// Time spent running before the current running stretch began.
    moved_ms: u64,
    /// When the current running stretch began (mono).
    running_since: u64,
    steps_done: Vec<bool>,
    from_break: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionState {
    Running,
    Paused,
}

/// The session's part of `limber status --json`, in words a panel widget can show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionSnapshot {
    pub routine: String,
    pub routine_name: String,
    pub state: SessionState,
    /// 0-based index of the current step (exercise), and how many there are.
    pub step_index: usize,
    pub step_count: usize,
    pub exercise: String,
    pub exercise_name: String,
    pub phase: PhaseKind,
    pub phase_index: usize,
    pub phase_count: usize,
    pub side: Option<Side>,
    pub rep: u32,
    pub reps: u32,
    /// The big line: "Hold — left side", "Rep 3 of 10", "Get ready".
    pub cue: String,
    /// The smaller line: what to do now.
    pub detail: String,
    /// What comes after this phase, e.g. "Right side" or "Next: Cat-cow".
    pub next: Option<String>,
    /// When this phase ends (RFC 3339 with milliseconds, local offset); null while
    /// paused.
    pub ends_at: Option<DateTime<FixedOffset>>,
    pub remaining_s: u32,
    pub remaining_ms: u64,
    pub phase_duration_s: u32,
    /// Progress through the whole routine.
    pub elapsed_s: u32,
    pub total_s: u32,
    /// The picture to show (`ui/art/exercises/<art>.svg`).
    pub art: String,
    /// When a paused session will end as abandoned, while paused.
    pub abandons_at: Option<DateTime<FixedOffset>>,
}

fn ceil_s(ms: u64) -> u32 {
    u32::try_from(ms.div_ceil(1000)).unwrap_or(u32::MAX)
}

/// An instant in the user's local offset of that moment, to the second.
fn local<Tz: TimeZone>(t: DateTime<Utc>, tz: &Tz) -> DateTime<FixedOffset> {
    t.with_timezone(tz).fixed_offset().trunc_subsecs(0)
}

impl Session {
    /// Starts `routine` now. `exercises` must hold every exercise the routine uses (the
    /// catalog's `exercises_of`).
    pub fn start<Tz: TimeZone>(
        routine: Routine,
        exercises: Vec<Exercise>,
        from_break: bool,
        now: &Now<Tz>,
    ) -> Session {
        let phases = expand(&routine);
        let first = phases.first().map_or(0, |p| p.duration_ms);
        let steps = routine.steps.len();
        Session {
            routine,
            exercises,
            phases,
            index: 0,
            run: Run::Running {
                phase_end: now.mono_ms + first,
            },
            started_wall: now.wall.to_utc(),
            moved_ms: 0,
            running_since: now.mono_ms,
            steps_done: vec![false; steps],
            from_break,
        }
    }

    pub fn routine(&self) -> &Routine {
        &self.routine
    }

    pub fn is_paused(&self) -> bool {
        matches!(self.run, Run::Paused { .. })
    }

    pub fn is_finished(&self) -> bool {
        self.run == Run::Finished
    }

    pub fn phases(&self) -> &[Phase] {
        &self.phases
    }

    pub fn phase_index(&self) -> usize {
        self.index
    }

    pub fn time_to_deadline<Tz: TimeZone>(&self, now: &Now<Tz>) -> Option<Duration> {
        let at = match self.run {
            Run::Running { phase_end } => phase_end,
            Run::Paused { since, .. } => since + ABANDON_AFTER_MS,
            Run::Finished => return None,
        };
        Some(Duration::milliseconds(
            i64::try_from(at.saturating_sub(now.mono_ms)).unwrap_or(i64::MAX),
        ))
    }

    /// Moves on through every phase whose end has passed, each starting at the previous
    /// one's end; ends the session at the last one, or when paused too long.
    pub fn handle_timeout<Tz: TimeZone>(&mut self, now: &Now<Tz>) -> Vec<SessionEffect> {
        match self.run {
            Run::Running { mut phase_end } if now.mono_ms >= phase_end => {
                while now.mono_ms >= phase_end {
                    self.mark_done_if_last_of_step();
                    if self.index + 1 >= self.phases.len() {
                        // The session ends at the deadline, not at the (later) wake-up.
                        let end = Now::new(
                            phase_end,
                            now.wall.clone()
                                - Duration::milliseconds(
                                    i64::try_from(now.mono_ms - phase_end).unwrap_or(0),
                                ),
                        );
                        return vec![self.finish(super::session::Outcome::Completed, &end)];
                    }
                    self.index += 1;
                    phase_end += self.phases[self.index].duration_ms;
                }
                self.run = Run::Running { phase_end };
                vec![SessionEffect::PhaseStarted { index: self.index }]
            }
            Run::Paused { since, .. } if now.mono_ms >= since + ABANDON_AFTER_MS => {
                vec![self.finish(Outcome::Abandoned, now)]
            }
            _ => Vec::new(),
        }
    }

    fn mark_done_if_last_of_step(&mut self) {
        let phase = &self.phases[self.index];
        if phase.kind == PhaseKind::Rest || phase.kind == PhaseKind::Prepare {
            return;
        }
        let last_of_step = self
            .phases
            .get(self.index + 1)
            .is_none_or(|next| next.step != phase.step || next.kind == PhaseKind::Rest);
        if last_of_step {
            self.steps_done[phase.step] = true;
        }
    }

    pub fn handle<Tz: TimeZone>(
        &mut self,
        command: SessionAction,
        now: &Now<Tz>,
    ) -> Vec<SessionEffect> {
        let mono = now.mono_ms;
        match (command, self.run) {
            (_, Run::Finished) => Vec::new(),
            (SessionAction::Pause, Run::Running { phase_end }) => {
                self.moved_ms += mono.saturating_sub(self.running_since);
                self.run = Run::Paused {
                    remaining_ms: phase_end.saturating_sub(mono),
                    since: mono,
                };
                vec![SessionEffect::PhaseStarted { index: self.index }]
            }
            (SessionAction::Resume, Run::Paused { remaining_ms, .. }) => {
                self.running_since = mono;
                self.run = Run::Running {
                    phase_end: mono + remaining_ms,
                };
                vec![SessionEffect::PhaseStarted { index: self.index }]
            }
            (SessionAction::Pause | SessionAction::Resume, _) => Vec::new(),
            (SessionAction::Stop, _) => vec![self.finish(Outcome::Stopped, now)],
            (SessionAction::Skip, _) => {
                let step = self.phases[self.index].step;
                match self.phases.iter().position(|p| p.step > step) {
                    Some(next) => self.jump(next, mono),
                    None => vec![self.finish(Outcome::Completed, now)],
                }
            }
            (SessionAction::Back, run) => {
                let step = self.phases[self.index].step;
                let step_start = self.phases.iter().position(|p| p.step == step).unwrap_or(0);
                let into_phase = match run {
                    Run::Running { phase_end } => self.phases[self.index]
                        .duration_ms
                        .saturating_sub(phase_end.saturating_sub(mono)),
                    Run::Paused { remaining_ms, .. } => self.phases[self.index]
                        .duration_ms
                        .saturating_sub(remaining_ms),
                    Run::Finished => 0,
                };
                let into_step: u64 = self.phases[step_start..self.index]
                    .iter()
                    .map(|p| p.duration_ms)
                    .sum::<u64>()
                    + into_phase;
                let target = if into_step < BACK_RESTARTS_AFTER_MS && step > 0 {
                    self.phases
                        .iter()
                        .position(|p| p.step == step - 1)
                        .unwrap_or(0)
                } else {
                    step_start
                };
                self.jump(target, mono)
            }
        }
    }

    /// Goes to the start of phase `index`, keeping paused or running as it was.
    fn jump(&mut self, index: usize, mono: u64) -> Vec<SessionEffect> {
        self.index = index;
        let duration = self.phases[index].duration_ms;
        self.run = match self.run {
            Run::Paused { since, .. } => Run::Paused {
                remaining_ms: duration,
                since,
            },
            _ => Run::Running {
                phase_end: mono + duration,
            },
        };
        vec![SessionEffect::PhaseStarted { index }]
    }

    fn finish<Tz: TimeZone>(&mut self, outcome: Outcome, now: &Now<Tz>) -> SessionEffect {
        if let Run::Running { .. } = self.run {
            self.moved_ms += now.mono_ms.saturating_sub(self.running_since);
        }
        self.run = Run::Finished;
        let tz = now.wall.timezone();
        SessionEffect::Finished(SessionRecord {
            routine: self.routine.id.clone(),
            routine_name: self.routine.name.clone(),
            outcome,
            steps_done: u32::try_from(self.steps_done.iter().filter(|d| **d).count())
                .unwrap_or(u32::MAX),
            steps_total: u32::try_from(self.routine.steps.len()).unwrap_or(u32::MAX),
            active_s: u32::try_from(self.moved_ms / 1000).unwrap_or(u32::MAX),
            started_at: local(self.started_wall, &tz),
            ended_at: local(now.wall.to_utc(), &tz),
            from_break: self.from_break,
        })
    }

    fn exercise(&self, step: usize) -> Option<&Exercise> {
        let id = &self.routine.steps.get(step)?.exercise;
        self.exercises.iter().find(|e| &e.id == id)
    }

    fn exercise_name(&self, step: usize) -> String {
        self.exercise(step)
            .map(|e| e.name.clone())
            .unwrap_or_default()
    }

    fn cue(&self, phase: &Phase) -> (String, String) {
        let exercise = self.exercise(phase.step);
        let text = |f: fn(&Exercise) -> &str| exercise.map(f).unwrap_or_default().to_owned();
        let of = |what: &str| {
            if phase.reps > 1 {
                format!("{what} {} of {}", phase.rep, phase.reps)
            } else {
                what.to_owned()
            }
        };
        match phase.kind {
            PhaseKind::Prepare => ("Get ready".into(), text(|e| &e.start)),
            PhaseKind::Hold => (of("Hold"), text(|e| &e.cue)),
            PhaseKind::Side => {
                let side = phase.side.map_or("", Side::label);
                (format!("Hold — {side}"), text(|e| &e.cue))
            }
            PhaseKind::Switch => (
                "Switch sides".into(),
                format!(
                    "Get ready for the {}",
                    phase.side.map_or("other side", Side::label)
                ),
            ),
            PhaseKind::Rep => (of("Rep"), text(|e| &e.cue)),
            PhaseKind::Release => ("Release".into(), "Let go and breathe.".into()),
            PhaseKind::Flow => {
                let cues = exercise
                    .and_then(|e| e.flow_cues.clone())
                    .map(|[a, b]| format!("{a} · {b}"))
                    .unwrap_or_else(|| text(|e| &e.cue));
                (of("Cycle"), cues)
            }
            PhaseKind::Rest => ("Rest".into(), "Breathe easy and shake out.".into()),
        }
    }

    fn next_text(&self) -> Option<String> {
        let phase = &self.phases[self.index];
        let next = self.phases.get(self.index + 1)?;
        Some(if next.step != phase.step {
            format!("Next: {}", self.exercise_name(next.step))
        } else {
            let text = self.next_in_step(next);
            format!("Next: {text}")
        })
    }

    /// The next phase of the same step, in a few words.
    fn next_in_step(&self, next: &Phase) -> String {
        {
            match next.kind {
                PhaseKind::Switch | PhaseKind::Side => {
                    next.side.map_or("other side", Side::label).to_owned()
                }
                PhaseKind::Rest => format!(
                    "rest, then {}",
                    self.phases
                        .get(self.index + 2)
                        .map(|p| self.exercise_name(p.step))
                        .unwrap_or_default()
                ),
                PhaseKind::Release => "release".into(),
                PhaseKind::Rep => format!("rep {} of {}", next.rep, next.reps),
                PhaseKind::Hold if next.reps > 1 => format!("hold {} of {}", next.rep, next.reps),
                PhaseKind::Hold => "hold".into(),
                PhaseKind::Flow => format!("cycle {} of {}", next.rep, next.reps),
                _ => self.exercise_name(next.step),
            }
        }
    }

    /// What a panel widget or the window shows; `None` once finished.
    pub fn snapshot<Tz: TimeZone>(&self, now: &Now<Tz>) -> Option<SessionSnapshot> {
        let phase = self.phases.get(self.index)?;
        let (remaining_ms, ends_at, abandons_at) = match self.run {
            Run::Running { phase_end } => {
                let remaining = phase_end.saturating_sub(now.mono_ms);
                let at = now.wall.to_utc()
                    + Duration::milliseconds(i64::try_from(remaining).unwrap_or(0));
                let at = at
                    .with_timezone(&now.wall.timezone())
                    .fixed_offset()
                    .trunc_subsecs(3);
                (remaining, Some(at), None)
            }
            Run::Paused {
                remaining_ms,
                since,
            } => {
                let at = now.wall.to_utc()
                    + Duration::milliseconds(
                        i64::try_from((since + ABANDON_AFTER_MS).saturating_sub(now.mono_ms))
                            .unwrap_or(0),
                    );
                (remaining_ms, None, Some(local(at, &now.wall.timezone())))
            }
            Run::Finished => return None,
        };
        let before: u64 = self.phases[..self.index]
            .iter()
            .map(|p| p.duration_ms)
            .sum();
        let total: u64 = self.phases.iter().map(|p| p.duration_ms).sum();
        let elapsed = before + phase.duration_ms.saturating_sub(remaining_ms);
        let (cue, detail) = self.cue(phase);
        let exercise = self.exercise(phase.step);
        let art = exercise
            .map(|e| {
                let both = phase.side == Some(Side::Both) && e.art.len() > 1;
                e.art[usize::from(both)].clone()
            })
            .unwrap_or_default();
        // A rest where the step was done: kneeling on the mat after a floor exercise,
        // sitting back in the chair after a desk or standing one.
        let art = match (phase.kind, exercise.map(|e| e.place)) {
            (PhaseKind::Rest, Some(Place::Floor) | None) => "rest".to_owned(),
            (PhaseKind::Rest, Some(_)) => "rest-seated".to_owned(),
            _ => art,
        };
        Some(SessionSnapshot {
            routine: self.routine.id.clone(),
            routine_name: self.routine.name.clone(),
            state: if self.is_paused() {
                SessionState::Paused
            } else {
                SessionState::Running
            },
            step_index: phase.step,
            step_count: self.routine.steps.len(),
            exercise: exercise.map(|e| e.id.clone()).unwrap_or_default(),
            exercise_name: self.exercise_name(phase.step),
            phase: phase.kind,
            phase_index: self.index,
            phase_count: self.phases.len(),
            side: phase.side,
            rep: phase.rep,
            reps: phase.reps,
            cue,
            detail,
            next: self.next_text(),
            ends_at,
            remaining_s: ceil_s(remaining_ms),
            remaining_ms,
            phase_duration_s: ceil_s(phase.duration_ms),
            elapsed_s: u32::try_from(elapsed / 1000).unwrap_or(u32::MAX),
            total_s: ceil_s(total),
            art,
            abandons_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{parse_routine, Catalog};
    use crate::routine::Origin;
    use chrono::FixedOffset;

    fn at_ms(ms: u64) -> Now<FixedOffset> {
        let tz = FixedOffset::east_opt(3600).unwrap();
        let start = tz.with_ymd_and_hms(2026, 11, 23, 10, 0, 0).unwrap();
        Now::new(
            ms,
            start + Duration::milliseconds(i64::try_from(ms).unwrap()),
        )
    }

    fn routine(steps: &str) -> (Routine, Vec<Exercise>) {
        let catalog = Catalog::builtin().unwrap();
        let text = format!(r#"{{"id":"t","name":"Test","steps":[{steps}]}}"#);
        let routine = parse_routine(&text, "t", &catalog.exercises, Origin::BuiltIn).unwrap();
        let exercises = catalog.exercises_of(&routine);
        (routine, exercises)
    }

    fn kinds(routine: &Routine) -> Vec<(PhaseKind, Option<Side>, u32, u64)> {
        expand(routine)
            .into_iter()
            .map(|p| (p.kind, p.side, p.rep, p.duration_ms / 1000))
            .collect()
    }

    #[test]
    fn routines_expand_into_the_phases_the_user_hears() {
        use PhaseKind::*;
        let (r, _) = routine(
            r#"{"exercise":"knee-to-chest","hold_s":20,"sides":["left","right","both"],"switch_s":4,"rest_s":8},
               {"exercise":"pelvic-tilt","hold_s":6,"reps":3,"release_s":2,"rest_s":8},
               {"exercise":"cat-cow","hold_s":8,"reps":2,"rest_s":30}"#,
        );
        assert_eq!(
            kinds(&r),
            vec![
                (Prepare, None, 0, 5),
                (Side, Some(crate::routine::Side::Left), 1, 20),
                (Switch, Some(crate::routine::Side::Right), 1, 4),
                (Side, Some(crate::routine::Side::Right), 1, 20),
                (Switch, Some(crate::routine::Side::Both), 1, 4),
                (Side, Some(crate::routine::Side::Both), 1, 20),
                (Rest, None, 0, 8),
                (Prepare, None, 0, 5),
                (Rep, None, 1, 6),
                (Release, None, 1, 2),
                (Rep, None, 2, 6),
                (Release, None, 2, 2),
                (Rep, None, 3, 6),
                (Rest, None, 0, 8),
                (Prepare, None, 0, 5),
                (Flow, None, 1, 8),
                (Flow, None, 2, 8),
            ],
            "no rest after the last step"
        );
        let total: u64 = expand(&r).iter().map(|p| p.duration_ms).sum();
        assert_eq!(u64::from(r.total_s) * 1000, total);
    }

    #[test]
    fn bird_dog_alternates_sides_rep_by_rep() {
        use crate::routine::Side::{Left, Right};
        let (r, _) = routine(r#"{"exercise":"bird-dog","hold_s":4,"reps":2,"switch_s":3}"#);
        let sides: Vec<_> = expand(&r)
            .into_iter()
            .filter(|p| p.kind == PhaseKind::Side)
            .map(|p| (p.side.unwrap(), p.rep))
            .collect();
        assert_eq!(sides, vec![(Left, 1), (Right, 1), (Left, 2), (Right, 2)]);
    }

    #[test]
    fn a_session_walks_its_phases_and_completes_on_time() {
        let (r, ex) = routine(
            r#"{"exercise":"childs-pose","hold_s":10,"rest_s":5},{"exercise":"walk","hold_s":20}"#,
        );
        let mut s = Session::start(r, ex, false, &at_ms(0));
        let snap = s.snapshot(&at_ms(0)).unwrap();
        assert_eq!((snap.cue.as_str(), snap.remaining_s), ("Get ready", 5));
        assert_eq!(snap.next.as_deref(), Some("Next: hold"));
        assert_eq!(snap.total_s, 5 + 10 + 5 + 5 + 20);
        assert_eq!(s.time_to_deadline(&at_ms(0)), Some(Duration::seconds(5)));
        assert_eq!(
            s.handle_timeout(&at_ms(5_000)),
            vec![SessionEffect::PhaseStarted { index: 1 }]
        );
        let snap = s.snapshot(&at_ms(6_000)).unwrap();
        assert_eq!((snap.phase, snap.remaining_s), (PhaseKind::Hold, 9));
        assert_eq!(snap.next.as_deref(), Some("Next: rest, then Walking break"));
        assert_eq!(snap.ends_at, Some(at_ms(15_000).wall));
        // Woken 700 ms late: the next phase still ends on the original schedule.
        s.handle_timeout(&at_ms(15_700));
        assert_eq!(s.snapshot(&at_ms(15_700)).unwrap().phase, PhaseKind::Rest);
        assert_eq!(
            s.time_to_deadline(&at_ms(15_700)),
            Some(Duration::milliseconds(4_300))
        );
        let effects = s.handle_timeout(&at_ms(45_000));
        let [SessionEffect::Finished(record)] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert_eq!(record.outcome, Outcome::Completed);
        assert_eq!((record.steps_done, record.steps_total), (2, 2));
        assert_eq!(record.active_s, 45);
        assert_eq!(record.ended_at.to_rfc3339(), "2026-11-23T10:00:45+01:00");
        assert!(s.is_finished());
        assert_eq!(s.snapshot(&at_ms(45_000)), None);
        assert_eq!(
            s.handle_timeout(&at_ms(50_000)),
            vec![],
            "ends exactly once"
        );
    }

    #[test]
    fn pause_freezes_the_countdown_and_resume_continues_it() {
        let (r, ex) = routine(r#"{"exercise":"childs-pose","hold_s":30}"#);
        let mut s = Session::start(r, ex, false, &at_ms(0));
        s.handle_timeout(&at_ms(5_000));
        s.handle(SessionAction::Pause, &at_ms(12_000));
        let paused = s.snapshot(&at_ms(60_000)).unwrap();
        assert_eq!(
            (paused.state, paused.remaining_s),
            (SessionState::Paused, 23)
        );
        assert_eq!(paused.ends_at, None);
        assert_eq!(s.handle_timeout(&at_ms(60_000)), vec![]);
        s.handle(SessionAction::Resume, &at_ms(100_000));
        assert_eq!(s.snapshot(&at_ms(100_000)).unwrap().remaining_s, 23);
        let effects = s.handle_timeout(&at_ms(123_000));
        let [SessionEffect::Finished(record)] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert_eq!(record.active_s, 35, "paused time is not time moved");
    }

    #[test]
    fn a_session_paused_for_ten_minutes_is_abandoned() {
        let (r, ex) = routine(r#"{"exercise":"childs-pose","hold_s":30}"#);
        let mut s = Session::start(r, ex, true, &at_ms(0));
        s.handle(SessionAction::Pause, &at_ms(2_000));
        assert_eq!(
            s.time_to_deadline(&at_ms(2_000)),
            Some(Duration::minutes(10))
        );
        assert_eq!(s.handle_timeout(&at_ms(601_999)), vec![]);
        let effects = s.handle_timeout(&at_ms(602_000));
        let [SessionEffect::Finished(record)] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert_eq!(
            (record.outcome, record.steps_done, record.from_break),
            (Outcome::Abandoned, 0, true)
        );
    }

    #[test]
    fn skip_back_and_stop_do_what_they_say() {
        let (r, ex) = routine(
            r#"{"exercise":"childs-pose","hold_s":10,"rest_s":5},{"exercise":"cat-cow","hold_s":8,"reps":2},{"exercise":"walk","hold_s":30}"#,
        );
        let mut s = Session::start(r, ex, false, &at_ms(0));
        let name = |s: &Session, t| s.snapshot(&at_ms(t)).unwrap().exercise;
        s.handle(SessionAction::Skip, &at_ms(1_000));
        assert_eq!(name(&s, 1_000), "cat-cow");
        assert_eq!(s.snapshot(&at_ms(1_000)).unwrap().phase, PhaseKind::Prepare);
        // Within 3 s of the step's start: back to the previous exercise.
        s.handle(SessionAction::Back, &at_ms(2_000));
        assert_eq!(name(&s, 2_000), "childs-pose");
        // Later into a step: back restarts it.
        s.handle_timeout(&at_ms(7_000));
        s.handle(SessionAction::Back, &at_ms(9_000));
        assert_eq!(
            (name(&s, 9_000), s.snapshot(&at_ms(9_000)).unwrap().phase),
            ("childs-pose".to_owned(), PhaseKind::Prepare)
        );
        // Skip while paused stays paused, on the next exercise's full first phase.
        s.handle(SessionAction::Pause, &at_ms(10_000));
        s.handle(SessionAction::Skip, &at_ms(11_000));
        let snap = s.snapshot(&at_ms(11_000)).unwrap();
        assert_eq!(
            (snap.state, snap.exercise.as_str(), snap.remaining_s),
            (SessionState::Paused, "cat-cow", 5)
        );
        s.handle(SessionAction::Resume, &at_ms(12_000));
        let effects = s.handle(SessionAction::Stop, &at_ms(14_000));
        let [SessionEffect::Finished(record)] = effects.as_slice() else {
            panic!("{effects:?}")
        };
        assert_eq!(record.outcome, Outcome::Stopped);
        assert_eq!(record.steps_done, 0, "nothing ran to its end");
        assert_eq!(s.handle(SessionAction::Resume, &at_ms(15_000)), vec![]);
    }

    #[test]
    fn skipping_the_last_exercise_completes_the_session() {
        let (r, ex) = routine(r#"{"exercise":"walk","hold_s":30}"#);
        let mut s = Session::start(r, ex, false, &at_ms(0));
        let effects = s.handle(SessionAction::Skip, &at_ms(1_000));
        assert!(matches!(
            effects.as_slice(),
            [SessionEffect::Finished(SessionRecord {
                outcome: Outcome::Completed,
                steps_done: 0,
                ..
            })]
        ));
    }

    #[test]
    fn cues_name_the_side_rep_and_what_comes_next() {
        let (r, ex) = routine(
            r#"{"exercise":"knee-to-chest","hold_s":20,"sides":["left","right","both"]},{"exercise":"pelvic-tilt","reps":3}"#,
        );
        let mut s = Session::start(r, ex, false, &at_ms(0));
        let mut seen = Vec::new();
        let mut t = 0;
        while let Some(snap) = s.snapshot(&at_ms(t)) {
            seen.push((snap.cue, snap.next.unwrap_or_default(), snap.art));
            t += snap.remaining_ms;
            s.handle_timeout(&at_ms(t));
        }
        let cues: Vec<&str> = seen.iter().map(|(c, _, _)| c.as_str()).collect();
        assert_eq!(
            cues,
            [
                "Get ready",
                "Hold — left side",
                "Switch sides",
                "Hold — right side",
                "Switch sides",
                "Hold — both together",
                "Rest",
                "Get ready",
                "Rep 1 of 3",
                "Release",
                "Rep 2 of 3",
                "Release",
                "Rep 3 of 3"
            ]
        );
        assert_eq!(seen[1].1, "Next: right side");
        assert_eq!(seen[5].2, "knee-to-chest-both");
        assert_eq!(seen[6].2, "rest");
        assert_eq!(seen[5].1, "Next: rest, then Pelvic tilt");
    }

    #[test]
    fn rests_are_drawn_where_the_exercise_was_done() {
        let catalog = Catalog::builtin().unwrap();
        for routine in &catalog.routines {
            let mut s = Session::start(
                routine.clone(),
                catalog.exercises_of(routine),
                false,
                &at_ms(0),
            );
            let mut t = 0;
            while let Some(snap) = s.snapshot(&at_ms(t)) {
                if snap.phase == PhaseKind::Rest {
                    let place = catalog.exercise(&snap.exercise).unwrap().place;
                    let want = if place == Place::Floor {
                        "rest"
                    } else {
                        "rest-seated"
                    };
                    assert_eq!(snap.art, want, "{} after {}", routine.id, snap.exercise);
                }
                t += snap.remaining_ms;
                s.handle_timeout(&at_ms(t));
            }
        }
        let (r, ex) = routine(r#"{"exercise":"posture-reset","rest_s":5},{"exercise":"walk"}"#);
        let mut s = Session::start(r, ex, false, &at_ms(0));
        s.handle_timeout(&at_ms(30_000));
        let rest = s.snapshot(&at_ms(30_000)).unwrap();
        assert_eq!(
            (rest.phase, rest.art.as_str()),
            (PhaseKind::Rest, "rest-seated"),
            "a desk routine rests in the chair, not on a mat"
        );
    }
}
