//! The session's sound cues, played by this process through ALSA (rodio) rather than by the
//! page with WebAudio. WebAudio loads WebKit's media pipeline (GStreamer) into the web
//! process, which stays for the rest of the window's life: 9 MB with a sound server, 15 MB
//! without one (measured in bench/); here a cue costs an audio stream that is open only
//! while cues sound.
//!
//! Invariants: the page only names a cue (its notes are fixed here); a cue never blocks the
//! caller (an audio thread, started at the first cue, plays it); without an audio device
//! nothing plays, the window says so once on stderr and stays silent until it is opened
//! again; the output stream is closed
//! [`QUIET_AFTER`] after the last cue ends, so no stream stays open between cues.

use rodio::source::{SineWave, TriangleWave};
use rodio::{OutputStream, OutputStreamBuilder, Source};
use serde::Deserialize;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long the stream stays open after the last cue has faded.
const QUIET_AFTER: Duration = Duration::from_secs(2);
/// A soft attack: a chime, not a click.
const ATTACK: Duration = Duration::from_millis(20);

/// What the session screen can sound.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cue {
    /// Each of the last three seconds of a timed step.
    Tick,
    /// A new step starts.
    Phase,
    /// Time to switch sides: two falling notes.
    SwitchSides,
    /// The session is over: a chord.
    End,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Wave {
    Sine,
    Triangle,
}

/// One note of a cue: it starts `start` after the cue, rises over [`ATTACK`] to `gain` and
/// fades out over `length`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Note {
    pub hz: f32,
    pub start: Duration,
    pub length: Duration,
    pub gain: f32,
    pub wave: Wave,
}

const fn note(hz: f32, start_ms: u64, length_ms: u64, gain: f32, wave: Wave) -> Note {
    Note {
        hz,
        start: Duration::from_millis(start_ms),
        length: Duration::from_millis(length_ms),
        gain,
        wave,
    }
}

// C5, E5, G5 and C6: quiet (gain ≤ 0.15) and short by design.
const TICK: [Note; 1] = [note(880.0, 0, 120, 0.06, Wave::Triangle)];
const PHASE: [Note; 1] = [note(523.25, 0, 600, 0.12, Wave::Sine)];
const SWITCH_SIDES: [Note; 2] = [
    note(659.25, 0, 350, 0.1, Wave::Sine),
    note(523.25, 220, 500, 0.1, Wave::Sine),
];
const END: [Note; 4] = [
    note(523.25, 0, 1600, 0.08, Wave::Sine),
    note(659.25, 0, 1600, 0.08, Wave::Sine),
    note(783.99, 0, 1600, 0.08, Wave::Sine),
    note(1046.5, 150, 1400, 0.05, Wave::Sine),
];

impl Cue {
    pub fn notes(self) -> &'static [Note] {
        match self {
            Cue::Tick => &TICK,
            Cue::Phase => &PHASE,
            Cue::SwitchSides => &SWITCH_SIDES,
            Cue::End => &END,
        }
    }

    /// From the cue's start to the end of its last note.
    pub fn length(self) -> Duration {
        self.notes()
            .iter()
            .map(|n| n.start + n.length)
            .max()
            .unwrap_or_default()
    }
}

/// The window's cue player (Tauri state). The audio thread starts with the first cue and
/// ends with the process, or when it finds no audio output.
#[derive(Default)]
pub struct Cues {
    player: Mutex<Player>,
}

#[derive(Default)]
enum Player {
    #[default]
    NotStarted,
    Playing(mpsc::Sender<Cue>),
    /// No audio output (or no thread for it): cues are dropped.
    Silent,
}

impl Cues {
    /// Queues `cue` and returns at once.
    pub fn play(&self, cue: Cue) {
        let Ok(mut player) = self.player.lock() else {
            return;
        };
        match &*player {
            Player::Playing(sender) => {
                if sender.send(cue).is_err() {
                    // The thread found no audio output and ended.
                    *player = Player::Silent;
                }
            }
            Player::Silent => {}
            Player::NotStarted => {
                let (sender, receiver) = mpsc::channel();
                let started = std::thread::Builder::new()
                    .name("limber-cues".into())
                    .spawn(move || play_cues(receiver));
                *player = match started {
                    Ok(_) => {
                        // The thread holds the receiver until it ends, so this cannot fail
                        // unless it already has, which the next cue notices.
                        let _ = sender.send(cue);
                        Player::Playing(sender)
                    }
                    Err(e) => {
                        eprintln!("limber-window: no sound cues: no audio thread: {e}");
                        Player::Silent
                    }
                };
            }
        }
    }
}

/// The audio thread: opens the default output at a cue, closes it once the cues have been
/// quiet for [`QUIET_AFTER`].
fn play_cues(cues: mpsc::Receiver<Cue>) {
    let mut stream: Option<OutputStream> = None;
    let mut close_at = Instant::now();
    loop {
        let next = match stream {
            Some(_) => cues.recv_timeout(close_at.saturating_duration_since(Instant::now())),
            None => cues.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        let cue = match next {
            Ok(cue) => cue,
            Err(RecvTimeoutError::Timeout) => {
                stream = None;
                // The closed stream's buffers are free now; a session is quiet for a while.
                crate::heap::give_back_free_memory();
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if stream.is_none() {
            match OutputStreamBuilder::open_default_stream() {
                Ok(mut opened) => {
                    opened.log_on_drop(false);
                    stream = Some(opened);
                }
                Err(e) => {
                    // Trying again at every tick would only repeat ALSA's complaints: this
                    // window stays silent (the next one tries again).
                    eprintln!("limber-window: no sound cues in this window: {e}");
                    return;
                }
            }
        }
        if let Some(open) = &stream {
            for note in cue.notes() {
                add(open, *note);
            }
            close_at = close_at.max(Instant::now() + cue.length() + QUIET_AFTER);
        }
    }
}

fn add(stream: &OutputStream, note: Note) {
    match note.wave {
        Wave::Sine => shaped(stream, SineWave::new(note.hz), note),
        Wave::Triangle => shaped(stream, TriangleWave::new(note.hz), note),
    }
}

fn shaped<S>(stream: &OutputStream, wave: S, note: Note)
where
    S: Source + Send + 'static,
{
    let mut sound = wave
        .amplify(note.gain)
        .fade_in(ATTACK)
        .take_duration(note.length);
    // Fades linearly to silence over the note's length: a chime's release.
    sound.set_filter_fadeout();
    stream.mixer().add(sound.delay(note.start));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cue_is_quiet_and_short() {
        for cue in [Cue::Tick, Cue::Phase, Cue::SwitchSides, Cue::End] {
            assert!(!cue.notes().is_empty(), "{cue:?}");
            for note in cue.notes() {
                assert!(note.gain > 0.0 && note.gain <= 0.15, "{cue:?} is too loud");
                assert!((200.0..=2000.0).contains(&note.hz), "{cue:?}");
                assert!(note.length > ATTACK, "{cue:?}");
            }
            assert!(cue.length() <= Duration::from_secs(2), "{cue:?} is long");
        }
        // A tick must be over before the next second's tick.
        assert!(Cue::Tick.length() < Duration::from_millis(500));
    }

    #[test]
    fn cues_after_a_failed_output_are_dropped_without_retrying() {
        let cues = Cues::default();
        let (sender, receiver) = mpsc::channel();
        drop(receiver);
        *cues.player.lock().unwrap() = Player::Playing(sender);
        cues.play(Cue::Tick);
        assert!(matches!(*cues.player.lock().unwrap(), Player::Silent));
        cues.play(Cue::Phase);
        assert!(matches!(*cues.player.lock().unwrap(), Player::Silent));
    }

    #[test]
    fn the_page_names_cues_in_snake_case() {
        let cue: Cue = serde_json::from_str("\"switch_sides\"").unwrap();
        assert_eq!(cue, Cue::SwitchSides);
        assert!(serde_json::from_str::<Cue>("\"siren\"").is_err());
    }
}
