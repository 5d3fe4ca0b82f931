// Soft sound cues made with WebAudio, no audio files: a tick at 3-2-1, a tone when a
// phase starts, a distinct two-note call to switch sides, a chord at the end. Quiet by
// design (gain ≤ 0.15) and short. Without an audio device, or when muted, nothing plays.

let context = null;
let closing = null;

// A running audio context holds an audio stream open and keeps rendering silence into it:
// close it once the last cue has faded, and open a new one for the next cue. (The media
// pipeline it loaded, about 15 MB of the web process measured in bench/, stays loaded.)
function closeAfter(seconds) {
  clearTimeout(closing);
  closing = setTimeout(() => {
    const open = context;
    if (open) {
      context = null;
      open.close().catch(() => {});
    }
  }, (seconds + 2) * 1000);
}

function audio() {
  if (context === null) {
    try {
      const Ctor = window.AudioContext || window.webkitAudioContext;
      context = Ctor ? new Ctor() : false;
    } catch {
      context = false;
    }
  }
  if (context && context.state === 'suspended') context.resume().catch(() => {});
  return context || null;
}

function note(frequency, startIn, length, gain = 0.12, type = 'sine') {
  const ctx = audio();
  if (!ctx) return;
  try {
    const t0 = ctx.currentTime + startIn;
    const osc = ctx.createOscillator();
    const amp = ctx.createGain();
    osc.type = type;
    osc.frequency.value = frequency;
    // A soft attack and a long release: a chime, not a beep.
    amp.gain.setValueAtTime(0.0001, t0);
    amp.gain.exponentialRampToValueAtTime(gain, t0 + 0.02);
    amp.gain.exponentialRampToValueAtTime(0.0001, t0 + length);
    osc.connect(amp).connect(ctx.destination);
    osc.start(t0);
    osc.stop(t0 + length + 0.05);
    closeAfter(startIn + length);
  } catch {
    // An audio failure must never disturb the session.
  }
}

export const cues = {
  tick: () => note(880, 0, 0.12, 0.06, 'triangle'),
  phase: () => note(523.25, 0, 0.6, 0.12),
  switchSides: () => { note(659.25, 0, 0.35, 0.1); note(523.25, 0.22, 0.5, 0.1); },
  end: () => { [523.25, 659.25, 783.99].forEach((f) => note(f, 0, 1.6, 0.08)); note(1046.5, 0.15, 1.4, 0.05); },
};

/** Plays `name` unless sound is off in the settings. */
export function play(name, enabled) {
  if (enabled && cues[name]) cues[name]();
}
