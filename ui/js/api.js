// The only module that touches Tauri's bridge: every call to the agent goes through here.
// Errors from the agent arrive as {code, message[, fields]} and are shown as they are.
//
// It uses the bridge Tauri injects into every page (`__TAURI_INTERNALS__`: `invoke` and
// `transformCallback`; the event plugin's `unregisterListener`), the same calls that the
// `@tauri-apps/api` modules make. The window does not ask Tauri for that API as a global
// (`withGlobalTauri` is off): its 41 KB bundle, evaluated at every start, weighed 0.7 MiB
// in the window's web process (bench/README.md), and these few calls are all the page needs.

const bridge = window.__TAURI_INTERNALS__;
const eventBridge = window.__TAURI_EVENT_PLUGIN_INTERNALS__;

export const available = Boolean(bridge && typeof bridge.invoke === 'function' && eventBridge);

const notInTauri = {
  code: 'unavailable',
  message: 'This page runs outside the Limber window, so it cannot reach the agent.',
};

function invoke(command, args = {}) {
  if (!available) return Promise.reject(notInTauri);
  return bridge.invoke(command, args).catch((error) => {
    // Commands reject with {code, message}; anything else is a bug in the bridge itself.
    if (error && typeof error === 'object' && 'message' in error) throw error;
    throw { code: 'internal', message: String(error) };
  });
}

/** Sends one protocol command to the agent (see src-tauri/core/src/protocol.rs). */
export const agent = (cmd, args = {}) => invoke('agent', { cmd, args });

/** Calls `handler(payload)` for every event `name`; returns a promise of the unlisten fn. */
export function on(name, handler) {
  if (!available) return Promise.resolve(() => {});
  // Tauri's event plugin calls the registered callback with {event, id, payload}.
  const callback = bridge.transformCallback((event) => handler(event.payload));
  return bridge
    .invoke('plugin:event|listen', { event: name, target: { kind: 'Any' }, handler: callback })
    .then((eventId) => async () => {
      eventBridge.unregisterListener(name, eventId);
      await bridge.invoke('plugin:event|unlisten', { event: name, eventId });
    });
}

export const EVENTS = {
  snapshot: 'limber://snapshot',
  link: 'limber://link',
  show: 'limber://show',
};

export const agentState = () => invoke('agent_state');
/** Runs `limber restart --open` (after an update, when agent and window disagree). */
export const restartAgent = () => invoke('restart_agent');
export const about = () => agent('about');
/** Tells the window the page shows the agent's data, so it can appear. */
export const ready = () => invoke('ready');
/** Tells the window its first frame is on screen (timed by the benchmark). */
export const painted = () => invoke('painted');
/** Sounds a session cue (`tick`, `phase`, `switch_sides`, `end`); the window plays it. */
export const cue = (name) => invoke('cue', { cue: name });
export const setSettings = (values) => agent('set_settings', { values });
export const snooze = (minutes = null) => agent('snooze', { minutes });
export const skip = () => agent('skip');
export const pause = (length) => agent('pause', { length });
export const resume = () => agent('resume');
export const breakNow = () => agent('break_now');
export const start = (routine) => agent('start', { routine, open: false });
export const session = (action) => agent('session', { action });
export const saveRoutine = (text, overwrite = false) => agent('save_routine', { text, overwrite });
export const deleteRoutine = (id) => agent('delete_routine', { id });
export const exportRoutine = (id) => agent('export_routine', { id, save: true });
export const dismissResult = () => agent('dismiss_result');
export const checkIn = (args) => agent('check_in', args);
export const history = () => agent('history');
export const therapy = (args) => agent('therapy', args);
export const exportHistory = (format) => agent('export_history', { format, to: 'downloads' });
