// Soft sound cues: a tick at 3-2-1, a tone when a phase starts, a distinct two-note call
// to switch sides, a chord at the end. The window process plays them (src-tauri/window/
// cues.rs): WebAudio here would load WebKit's media pipeline, about 15 MB of the web
// process for as long as the window is open (measured in bench/). Without an audio
// device, or when muted, nothing plays.

import { cue } from './api.js';

const CUES = {
  tick: 'tick',
  phase: 'phase',
  switchSides: 'switch_sides',
  end: 'end',
};

/** Plays `name` unless sound is off in the settings. A cue never disturbs the session. */
export function play(name, enabled) {
  if (enabled && CUES[name]) cue(CUES[name]).catch(() => {});
}
