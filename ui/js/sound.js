// Soft sound cues: a tick at 3-2-1, a tone when a phase starts, a distinct two-note call
// to switch sides, a chord at the end. The window process plays them (src-tauri/window/
// cues.rs, where the cue names are defined): WebAudio here would keep WebKit's media
// pipeline in the web process for as long as the window is open, 9 MB with a sound server
// and 15 MB without one (measured in bench/). Without an audio device, or when muted,
// nothing plays.

import { cue } from './api.js';

/** Plays cue `name` (`tick`, `phase`, `switch_sides`, `end`) unless sound is off in the
 * settings. A cue never disturbs the session: an unknown name or a failure is dropped. */
export function play(name, enabled) {
  if (enabled) cue(name).catch(() => {});
}
