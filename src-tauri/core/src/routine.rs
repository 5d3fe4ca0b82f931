//! Routines as data, and their expansion into timed phases.
//!
//! A routine is a list of steps (an exercise with its hold, reps, sides and rests). The
//! catalog validates routine files into [`Routine`]s; the session engine walks the
//! [`Phase`]s that [`expand`] makes of them; the catalog also uses [`expand`] to compute a
//! routine's length, so the length shown is always the length run.
//!
//! This module depends on nothing else in the crate: the catalog and the session engine
//! both build on it.

use serde::{Deserialize, Serialize};

/// Whether `text` can be an exercise's or a routine's id: 1 to 40 lowercase ASCII letters,
/// digits and inner hyphens (it names a file and appears in commands).
pub fn is_id(text: &str) -> bool {
    (1..=40).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
}

/// Seconds to get into position before each exercise.
pub const PREPARE_S: u32 = 5;

/// Where an exercise is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    Floor,
    Desk,
    Standing,
}

/// How an exercise is timed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExerciseKind {
    /// One still hold, possibly repeated.
    Hold,
    /// A hold on each side in turn.
    Sides,
    /// A short hold or movement repeated, with a release between.
    Reps,
    /// Slow cycles between two poses.
    Flow,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Left,
    Right,
    Both,
}

impl Side {
    pub fn label(self) -> &'static str {
        match self {
            Side::Left => "left side",
            Side::Right => "right side",
            Side::Both => "both together",
        }
    }
}

/// One step of a routine, validated and with every default filled in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub exercise: String,
    /// The exercise's kind, which decides how the step is timed.
    pub kind: ExerciseKind,
    /// Seconds of one hold, rep or cycle.
    pub hold_s: u32,
    /// How many holds, reps or cycles (per side for sided exercises).
    pub reps: u32,
    /// The sides, in order; empty for exercises without sides.
    pub sides: Vec<Side>,
    /// Seconds of release between reps.
    pub release_s: u32,
    /// Seconds to change sides.
    pub switch_s: u32,
    /// Seconds of rest after this step (none after the last).
    pub rest_s: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Origin {
    BuiltIn,
    /// A file in the user's routines directory.
    Custom {
        file: String,
    },
}

impl Routine {
    /// Its length in whole minutes as people say them ("3" for 193 s), never 0.
    pub fn minutes(&self) -> u32 {
        ((self.total_s + 30) / 60).max(1)
    }
}

impl Origin {
    /// The file name of a custom routine.
    pub fn file(&self) -> Option<&str> {
        match self {
            Origin::BuiltIn => None,
            Origin::Custom { file } => Some(file),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routine {
    pub id: String,
    pub name: String,
    pub summary: String,
    pub steps: Vec<Step>,
    pub origin: Origin,
    /// Whole routine, every phase included (computed).
    pub total_s: u32,
    /// Where it is done: the floor if any step is on the floor, else the desk if any
    /// step is, else standing.
    pub place: Place,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseKind {
    /// Get into position.
    Prepare,
    Hold,
    /// A hold on one side.
    Side,
    /// Change sides.
    Switch,
    /// One repetition.
    Rep,
    /// Let go between repetitions.
    Release,
    /// One slow cycle between two poses.
    Flow,
    /// Rest between exercises.
    Rest,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phase {
    pub kind: PhaseKind,
    /// The routine step it belongs to.
    pub step: usize,
    pub side: Option<Side>,
    /// 1-based repetition (or cycle) within the step, and how many there are.
    pub rep: u32,
    pub reps: u32,
    pub duration_ms: u64,
}

fn secs(s: u32) -> u64 {
    u64::from(s) * 1000
}

/// The phases of a routine, in order. Each step starts with a get-ready phase and is
/// followed by its rest, except the last.
pub fn expand(routine: &Routine) -> Vec<Phase> {
    let mut phases = Vec::new();
    let count = routine.steps.len();
    for (i, step) in routine.steps.iter().enumerate() {
        let phase = |kind, side, rep, duration_s| Phase {
            kind,
            step: i,
            side,
            rep,
            reps: step.reps,
            duration_ms: secs(duration_s),
        };
        phases.push(phase(PhaseKind::Prepare, None, 0, PREPARE_S));
        for rep in 1..=step.reps {
            match step.kind {
                ExerciseKind::Sides => {
                    for (j, side) in step.sides.iter().enumerate() {
                        if (rep > 1 || j > 0) && step.switch_s > 0 {
                            phases.push(phase(PhaseKind::Switch, Some(*side), rep, step.switch_s));
                        }
                        phases.push(phase(PhaseKind::Side, Some(*side), rep, step.hold_s));
                    }
                }
                ExerciseKind::Hold | ExerciseKind::Reps => {
                    if rep > 1 && step.release_s > 0 {
                        phases.push(phase(PhaseKind::Release, None, rep - 1, step.release_s));
                    }
                    let kind = if step.kind == ExerciseKind::Hold {
                        PhaseKind::Hold
                    } else {
                        PhaseKind::Rep
                    };
                    phases.push(phase(kind, None, rep, step.hold_s));
                }
                ExerciseKind::Flow => phases.push(phase(PhaseKind::Flow, None, rep, step.hold_s)),
            }
        }
        if i + 1 < count && step.rest_s > 0 {
            phases.push(phase(PhaseKind::Rest, None, 0, step.rest_s));
        }
    }
    phases
}

/// A routine's whole length, every phase included, in milliseconds.
pub fn total_ms(routine: &Routine) -> u64 {
    expand(routine).iter().map(|p| p.duration_ms).sum()
}
