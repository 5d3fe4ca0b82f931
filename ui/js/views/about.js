// The About screen: which Limber this is, where it keeps your settings, history and
// routines, and what it reads the desktop with. The figures come from the agent (`about`),
// asked for when the screen is shown and again when the agent changes (a restart).

import { h } from '../dom.js';
import { WELCOME } from '../guide-content.js';

let about = null;
let askedOf = null;

function load(state, ctx, panel) {
  const pid = state.status?.pid ?? null;
  if (!state.connected || pid === askedOf) return;
  askedOf = pid;
  ctx.api.about().then((answer) => {
    about = answer;
    if (!panel.hidden) render(panel, ctx.store.state, ctx);
  }).catch(() => { askedOf = null; });
}

function row(label, value, id) {
  return [h('dt', {}, label), h('dd', { 'data-about': id }, value)];
}

export function render(panel, state, ctx) {
  load(state, ctx, panel);
  const on = state.settings?.values?.start_at_login;
  const parts = [
    h('h2', { id: 'about-title' }, 'About Limber'),
    h('section', { class: 'card', 'aria-labelledby': 'about-version' },
      h('h3', { id: 'about-version' }, about ? `Limber ${about.version}` : 'Limber'),
      h('p', {}, 'Stretch breaks and posture reminders from the tray, with guided back-care stretches.'),
      h('p', { class: 'muted' }, WELCOME.disclaimer)),
  ];
  if (!about) {
    parts.push(h('p', { class: 'lead' }, state.connected ? 'Asking the Limber agent…' : 'The Limber agent is not running.'));
    panel.replaceChildren(...parts);
    return;
  }
  parts.push(
    h('section', { class: 'card', 'aria-labelledby': 'about-files' },
      h('h3', { id: 'about-files' }, 'Where your things are'),
      h('dl', { class: 'about-list' },
        ...row('Settings', h('code', {}, about.settings_file), 'settings'),
        ...row('History', h('code', {}, about.history_file), 'history'),
        ...row('Your routines', h('code', {}, about.routines_dir), 'routines'),
        ...row('Start at login', on
          ? h('span', {}, 'On: ', h('code', {}, about.autostart_file))
          : 'Off (turn it on in Settings)', 'autostart')),
      h('p', { class: 'muted small' }, 'Uninstalling Limber leaves these files alone: they are yours.')),
    h('section', { class: 'card', 'aria-labelledby': 'about-desktop' },
      h('h3', { id: 'about-desktop' }, 'What Limber reads from your desktop'),
      h('dl', { class: 'about-list' },
        ...row('Time away from the keyboard', about.idle_detection, 'idle'),
        ...row('Screen lock and sleep', about.lock_detection, 'lock'),
        ...row('Tray icon', state.status?.tray ? 'Shown' : 'No tray on this desktop: open Limber from your applications', 'tray'))),
    h('section', { class: 'card', 'aria-labelledby': 'about-agent' },
      h('h3', { id: 'about-agent' }, 'The agent'),
      h('dl', { class: 'about-list' },
        ...row('Program', h('code', {}, about.executable), 'executable'),
        ...row('Process', String(about.pid), 'pid'),
        ...row('Protocol', String(about.protocol), 'protocol'),
        ...row('Control socket', h('code', {}, about.socket), 'socket')),
      about.executable.endsWith(' (deleted)')
        ? h('p', { class: 'hold-note', 'data-about-updated': true }, 'Limber was updated since this agent started: restart it with “limber restart” to run the new version.')
        : null),
  );
  panel.replaceChildren(...parts);
}
