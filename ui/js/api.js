// The only module that touches window.__TAURI__: every call to the agent goes through here.
// Errors from the agent arrive as {code, message[, fields]} and are shown as they are.

const tauri = window.__TAURI__;

export const available = Boolean(tauri && tauri.core && tauri.event);

const notInTauri = {
  code: 'unavailable',
  message: 'This page runs outside the Limber window, so it cannot reach the agent.',
};

function call(command, args = {}) {
  if (!available) return Promise.reject(notInTauri);
  return tauri.core.invoke(command, args).catch((error) => {
    // Commands reject with {code, message}; anything else is a bug in the bridge itself.
    if (error && typeof error === 'object' && 'message' in error) throw error;
    throw { code: 'internal', message: String(error) };
  });
}

/** Calls `handler(payload)` for every event `name`; returns a promise of the unlisten fn. */
export function on(name, handler) {
  if (!available) return Promise.resolve(() => {});
  return tauri.event.listen(name, (event) => handler(event.payload));
}

export const EVENTS = {
  snapshot: 'limber://snapshot',
  link: 'limber://link',
  show: 'limber://show',
};

export const agentState = () => call('agent_state');
export const setSettings = (values) => call('set_settings', { values });
export const snooze = (minutes = null) => call('snooze', { minutes });
export const skip = () => call('skip');
export const pause = (length) => call('pause', { length });
export const resume = () => call('resume');
export const breakNow = () => call('break_now');
