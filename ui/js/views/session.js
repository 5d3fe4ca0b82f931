// The Session screen: when the next break is, and the schedule controls.

import { h } from '../dom.js';
import { clockDuration, clockTime, secondsUntil } from '../time.js';

const PAUSES = [
  ['30m', '30 minutes'],
  ['1h', '1 hour'],
  ['2h', '2 hours'],
  ['tomorrow', 'Until tomorrow'],
  ['forever', 'Until I resume'],
];

const LABELS = {
  active: 'Next movement break in',
  snoozed: 'Snoozed. Next break in',
  due: 'Time to move',
  paused: 'Reminders are paused',
  off_hours: 'Outside your working hours',
  in_session: 'Stretching now',
};

function countdownText(status) {
  if (!status) return '–';
  if (status.state === 'due') return 'Now';
  if (status.state === 'paused') return 'Paused';
  if (status.state === 'off_hours') return 'Off';
  if (!status.next_break_at) return '–';
  return clockDuration(secondsUntil(status.next_break_at));
}

function subText(status) {
  if (!status) return '';
  if (status.state === 'paused') {
    return status.paused_until ? `until ${clockTime(status.paused_until)}` : 'until you resume';
  }
  if (status.state === 'due') return 'Stand up, walk a little, or stretch gently at your desk.';
  if (status.state === 'off_hours') {
    return status.working_hours_resume_at ? `Reminders start again at ${clockTime(status.working_hours_resume_at)}` : '';
  }
  if (status.away) return 'You seem to be away: that counts as a break.';
  if (!status.next_break_at) return '';
  return `at ${clockTime(status.next_break_at)} · a break every ${status.break_interval_min} min`;
}

export function render(panel, state, ctx) {
  const status = state.status;
  const snoozeMin = state.settings?.values?.snooze_min ?? 10;
  const paused = status?.state === 'paused';
  const offHours = status?.state === 'off_hours';
  const disabled = !state.connected;

  const pauseSelect = h('select', { class: 'btn', 'data-pause-length': true, 'aria-label': 'Pause length', disabled },
    PAUSES.map(([value, label]) => h('option', { value }, label)));

  const controls = offHours ? [] : paused
    ? [h('button', { type: 'button', class: 'btn btn-primary', 'data-action': 'resume', disabled,
        onclick: () => ctx.run(ctx.api.resume()) }, 'Resume reminders')]
    : [
        h('button', { type: 'button', class: 'btn', 'data-action': 'snooze', disabled,
          onclick: () => ctx.run(ctx.api.snooze()) }, `Snooze ${snoozeMin} min`),
        h('button', { type: 'button', class: 'btn', 'data-action': 'skip', disabled,
          onclick: () => ctx.run(ctx.api.skip()) }, 'Skip next break'),
        h('span', { class: 'pause-group' },
          pauseSelect,
          h('button', { type: 'button', class: 'btn', 'data-action': 'pause', disabled,
            onclick: () => ctx.run(ctx.api.pause(pauseSelect.value)) }, 'Pause')),
      ];

  panel.replaceChildren(
    h('h2', { id: 'session-title' }, 'Your next break'),
    h('p', { class: 'lead' }, 'Limber counts your sitting time and calls you to move.'),
    h('div', { class: `card state-${status?.state ?? 'unknown'}`, 'data-schedule-card': true },
      h('p', { class: 'countdown-label', 'data-state-label': true }, LABELS[status?.state] ?? 'Waiting for the agent…'),
      h('p', { class: 'countdown', 'data-countdown': true, 'aria-hidden': 'true' }, countdownText(status)),
      h('p', { class: 'countdown-sub', 'data-countdown-sub': true }, subText(status)),
      h('div', { class: 'actions' }, controls)),
    h('div', { class: 'card empty' },
      h('img', { src: 'art/empty-mat.svg', alt: '' }),
      h('h3', {}, 'Guided stretches'),
      h('p', {}, 'Step-by-step routines with a timer for every hold are not installed yet. '
        + 'Until they are, a short walk or a few gentle stretches at your desk make a good break.')),
  );
}

/** Called every second while the screen is shown: only the countdown text changes. */
export function tick(panel, state) {
  const el = panel.querySelector('[data-countdown]');
  if (el) el.textContent = countdownText(state.status);
}
