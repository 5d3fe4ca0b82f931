// The Session screen. Four faces, chosen from the agent's status:
//   run    a guided session is running: picture, cue, big countdown, controls
//   end    the last session ended: what was done, and "How does your back feel?"
//   break  a break is due: pick a routine length, or snooze / skip
//   home   when the next break is, the schedule controls, and quick starts
// The agent runs the session; this screen renders its snapshot and sends commands. The
// countdown is animated locally from the snapshot's `ends_at` (an RFC 3339 instant).

import { h } from '../dom.js';
import { clockDuration, clockTime, humanDuration, secondsLeft, secondsUntil } from '../time.js';
import * as art from '../art.js';
import { play } from '../sound.js';
import { backAreas, noteMaxChars, pauseLengths } from '../vocabulary.js';

const LABELS = {
  active: 'Next movement break in',
  snoozed: 'Snoozed. Next break in',
  due: 'Time to move',
  paused: 'Reminders are paused',
  off_hours: 'Outside your working hours',
  in_session: 'Stretching now',
};

const PLACES = { floor: 'On the floor', desk: 'At your desk', standing: 'Standing' };

/** Whole minutes as routine lengths are said: rounded, never 0. */
function minutes(totalSeconds) {
  return Math.max(1, Math.round(totalSeconds / 60));
}

/** "about 3 min" from seconds, as the routines are offered. */
export function aboutMinutes(totalSeconds) {
  return `about ${minutes(totalSeconds)} min`;
}

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

function faceOf(state) {
  const status = state.status;
  if (status?.session) return 'run';
  if (status?.last_session) return 'end';
  if (status?.state === 'due') return 'break';
  return 'home';
}

/** Routines in the order a break offers them: shortest first, the default marked. */
function routinesByLength(state) {
  const routines = state.catalog?.routines ?? [];
  return [...routines].sort((a, b) => a.total_s - b.total_s);
}

function routineButton(routine, ctx, primary) {
  return h('button', {
    type: 'button',
    class: `routine-choice${primary ? ' primary' : ''}`,
    'data-start': routine.id,
    onclick: () => ctx.run(ctx.api.start(routine.id)),
  },
  h('span', { class: 'choice-length', 'aria-label': aboutMinutes(routine.total_s) }, `${minutes(routine.total_s)} min`),
  h('span', { class: 'choice-name' }, routine.name),
  h('span', { class: 'choice-place' }, PLACES[routine.place] ?? ''));
}

// ---------- home ----------

/** Snooze is offered while this break has snoozes left (`max_snoozes`). */
function canSnooze(status) {
  return status?.snoozes_left !== 0;
}

const HOLD_WORDS = {
  fullscreen: 'a window fills the screen',
  do_not_disturb: 'your notifications are on do-not-disturb',
  inhibited: 'a call or a video is on',
};

/** "Limber is holding your break while a call or a video is on." */
function holdText(status) {
  const why = HOLD_WORDS[status?.hold?.reason];
  return why ? `Limber holds breaks while ${why}; it will ask as soon as you are free.` : null;
}

function renderHome(panel, state, ctx) {
  const status = state.status;
  const snoozeMin = state.settings?.values?.snooze_min ?? 10;
  const paused = status?.state === 'paused';
  const offHours = status?.state === 'off_hours';
  const disabled = !state.connected;

  const pauseSelect = h('select', { class: 'btn', 'data-pause-length': true, 'aria-label': 'Pause length', disabled },
    pauseLengths(state).map(({ value, label }) => h('option', { value }, label)));

  const controls = offHours ? [] : paused
    ? [h('button', { type: 'button', class: 'btn btn-primary', 'data-action': 'resume', disabled,
        onclick: () => ctx.run(ctx.api.resume()) }, 'Resume reminders')]
    : [
        canSnooze(status) ? h('button', { type: 'button', class: 'btn', 'data-action': 'snooze', disabled,
          onclick: () => ctx.run(ctx.api.snooze()) }, `Snooze ${snoozeMin} min`) : null,
        h('button', { type: 'button', class: 'btn', 'data-action': 'skip', disabled,
          onclick: () => ctx.run(ctx.api.skip()) }, 'Skip next break'),
        h('span', { class: 'pause-group' },
          pauseSelect,
          h('button', { type: 'button', class: 'btn', 'data-action': 'pause', disabled,
            onclick: () => ctx.run(ctx.api.pause(pauseSelect.value)) }, 'Pause')),
      ];

  const routines = routinesByLength(state);
  panel.replaceChildren(
    h('h2', { id: 'session-title' }, 'Your next break'),
    h('p', { class: 'lead' }, 'Limber counts your sitting time and calls you to move.'),
    h('div', { class: `card state-${status?.state ?? 'unknown'}`, 'data-schedule-card': true },
      h('p', { class: 'countdown-label', 'data-state-label': true }, LABELS[status?.state] ?? 'Waiting for the agent…'),
      h('p', { class: 'countdown', 'data-countdown': true, 'aria-hidden': 'true' }, countdownText(status)),
      h('p', { class: 'countdown-sub', 'data-countdown-sub': true }, subText(status)),
      holdText(status) ? h('p', { class: 'hold-note', 'data-hold': status.hold.reason }, holdText(status)) : null,
      h('div', { class: 'actions' }, controls)),
    h('section', { class: 'card', 'aria-labelledby': 'quick-title' },
      h('h3', { id: 'quick-title' }, 'Stretch now'),
      h('p', { class: 'muted' }, 'A guided routine with a timer for every hold. Stop any exercise that makes your pain worse.'),
      routines.length
        ? h('div', { class: 'choices' }, routines.map((r) => routineButton(r, ctx, r.id === state.catalog?.default_routine)))
        : h('p', {}, 'Waiting for the routines…')),
  );
}

// ---------- break prompt ----------

function renderBreak(panel, state, ctx) {
  const status = state.status;
  const snoozeMin = state.settings?.values?.snooze_min ?? 10;
  const since = status?.due_since ? ` since ${clockTime(status.due_since)}` : '';
  const routines = routinesByLength(state);
  // `replaceChildren` writes a null as the text "null": absent parts are filtered out.
  panel.replaceChildren(...[
    h('h2', { id: 'session-title' }, 'Time to move'),
    h('p', { class: 'lead' }, `Your break has been due${since}. Pick how long you have:`),
    h('div', { class: 'choices choices-large', 'data-break-choices': true },
      routines.map((r) => routineButton(r, ctx, r.id === state.catalog?.default_routine))),
    h('div', { class: 'actions' },
      canSnooze(status) ? h('button', { type: 'button', class: 'btn', 'data-action': 'snooze', disabled: !state.connected,
        onclick: () => ctx.run(ctx.api.snooze()) }, `Snooze ${snoozeMin} min`) : null,
      h('button', { type: 'button', class: 'btn', 'data-action': 'skip', disabled: !state.connected,
        onclick: () => ctx.run(ctx.api.skip()) }, 'Skip this break')),
    canSnooze(status) ? null : h('p', { class: 'muted small', 'data-snooze-limit': true },
      'This break has been put off as often as your settings allow: take it now, even for a minute, or skip it.'),
    h('p', { class: 'muted small' }, 'A short walk away from your desk counts too: Limber notices when you are away.'),
  ].filter(Boolean));
}

// ---------- the running session ----------

let lastPhaseKey = null;
let lastCountdown = null;

function exerciseOf(state, id) {
  return state.catalog?.exercises?.find((e) => e.id === id) ?? null;
}

function buildRun(panel, ctx) {
  const control = (action, label, key, extra = {}) => h('button', {
    type: 'button', class: 'btn', 'data-session': action, 'aria-keyshortcuts': key,
    onclick: () => ctx.run(ctx.api.session(action)), ...extra,
  }, label);
  panel.replaceChildren(
    h('div', { class: 'run', 'data-run': true },
      h('div', { class: 'run-head' },
        h('div', { class: 'run-head-row' },
          h('p', { class: 'run-routine', 'data-routine': true }),
          h('button', { type: 'button', class: 'btn btn-quiet btn-small', 'data-sound-toggle': true,
            onclick: (event) => ctx.run(ctx.api.setSettings({ sound: event.currentTarget.getAttribute('aria-pressed') !== 'true' })) }, 'Sound')),
        h('div', { class: 'progress', role: 'progressbar', 'aria-label': 'Routine progress', 'aria-valuemin': 0, 'aria-valuemax': 100, 'data-progress': true },
          h('span', { class: 'progress-fill' }))),
      h('div', { class: 'run-main' },
        h('div', { class: 'art-frame', 'data-run-art': true }),
        h('div', { class: 'run-text' },
          h('h2', { id: 'session-title', class: 'run-exercise', 'data-exercise': true }),
          h('p', { class: 'run-cue', 'data-cue': true }),
          h('p', { class: 'run-count', 'data-count': true, 'aria-hidden': 'true' }),
          h('p', { class: 'run-detail', 'data-detail': true }),
          h('p', { class: 'run-next', 'data-next': true }))),
      h('div', { class: 'run-controls' },
        control('back', '← Back', 'ArrowLeft'),
        h('button', { type: 'button', class: 'btn btn-primary btn-wide', 'data-session': 'toggle', 'aria-keyshortcuts': 'Space',
          onclick: (event) => ctx.run(ctx.api.session(event.currentTarget.dataset.next)) }, 'Pause'),
        control('skip', 'Skip →', 'ArrowRight'),
        control('stop', 'Stop', 'Escape', { class: 'btn btn-quiet' })),
      h('div', { class: 'run-info' },
        h('details', { class: 'run-how' },
          h('summary', {}, 'How to do it'),
          h('ol', { 'data-steps': true }),
          h('p', { class: 'muted', 'data-feel': true })),
        h('p', { class: 'run-safety' },
          h('span', { 'data-safety': true }), ' ',
          h('button', { type: 'button', class: 'link', 'data-action': 'help',
            onclick: async () => {
              // Stop means stop: the session waits, paused, while the user reads.
              if (ctx.store.state.status?.session?.state === 'running') await ctx.run(ctx.api.session('pause'));
              ctx.show('guide', 'red-flags');
            } }, 'Stop — when to get help'))),
      h('p', { class: 'sr-only', 'aria-live': 'polite', 'data-run-announce': true })),
  );
  panel.dataset.face = 'run';
}

function remainingSeconds(session) {
  return secondsLeft(session.state === 'paused' ? null : session.ends_at, session.remaining_s);
}

function updateRun(panel, state) {
  const session = state.status.session;
  const exercise = exerciseOf(state, session.exercise);
  const text = (selector, value) => { const el = panel.querySelector(selector); if (el.textContent !== value) el.textContent = value; };
  text('[data-routine]', `${session.routine_name} · exercise ${session.step_index + 1} of ${session.step_count}`);
  text('[data-exercise]', session.exercise_name);
  text('[data-cue]', session.cue);
  // (A flow's detail is the pose of the moment, kept by tickRun.)
  if (!(session.phase === 'flow' && exercise?.flow_cues)) text('[data-detail]', session.detail);
  text('[data-next]', session.next ?? 'Last one: nearly done');
  const progress = panel.querySelector('[data-progress]');
  const percent = Math.round((100 * session.elapsed_s) / Math.max(1, session.total_s));
  progress.setAttribute('aria-valuenow', String(percent));
  progress.setAttribute('aria-valuetext', `${humanDuration(session.total_s - session.elapsed_s)} left`);
  progress.querySelector('.progress-fill').style.width = `${percent}%`;
  const paused = session.state === 'paused';
  const toggle = panel.querySelector('[data-session="toggle"]');
  toggle.textContent = paused ? 'Resume' : 'Pause';
  toggle.dataset.next = paused ? 'resume' : 'pause';
  panel.querySelector('[data-run]').classList.toggle('is-paused', paused);
  const sound = Boolean(state.settings?.values?.sound);
  const soundButton = panel.querySelector('[data-sound-toggle]');
  soundButton.setAttribute('aria-pressed', String(sound));
  soundButton.textContent = sound ? 'Sound on' : 'Sound off';
  const frame = panel.querySelector('[data-run-art]');
  art.show(frame, session.art, exercise ? `${exercise.name}: ${exercise.start}` : session.exercise_name);
  const flowing = session.phase === 'flow' && !paused;
  frame.classList.toggle('flowing', flowing);
  frame.style.setProperty('--cycle', `${session.phase_duration_s}s`);
  if (exercise) {
    const steps = panel.querySelector('[data-steps]');
    if (steps.dataset.exercise !== exercise.id) {
      steps.dataset.exercise = exercise.id;
      steps.replaceChildren(...exercise.steps.map((step) => h('li', {}, step)));
    }
    text('[data-feel]', `You should feel: ${exercise.feel}`);
    text('[data-safety]', exercise.safety);
  }
  tickRun(panel, state);
}

function tickRun(panel, state) {
  const session = state.status?.session;
  const el = panel.querySelector('[data-count]');
  if (!session || !el) return;
  const remaining = remainingSeconds(session);
  const shown = clockDuration(remaining);
  if (el.textContent !== shown) el.textContent = shown;
  // A flow names the pose of the moment, in step with the picture's cross-fade.
  const exercise = exerciseOf(state, session.exercise);
  if (session.phase === 'flow' && exercise?.flow_cues) {
    const cycleMs = session.phase_duration_s * 1000;
    const left = session.state === 'paused' || session.ends_at == null
      ? session.remaining_ms
      : secondsUntil(session.ends_at) * 1000;
    const half = (cycleMs - left) % cycleMs < cycleMs / 2 ? 0 : 1;
    const detail = panel.querySelector('[data-detail]');
    if (detail.textContent !== exercise.flow_cues[half]) detail.textContent = exercise.flow_cues[half];
  }
  const key = `${session.phase_index}:${remaining}`;
  if (session.state === 'running' && key !== lastCountdown && remaining >= 1 && remaining <= 3
      && session.phase_duration_s > 3) {
    play('tick', Boolean(state.settings?.values?.sound));
  }
  lastCountdown = key;
}

/** Sounds and the polite announcement when a phase starts (never every second). */
function phaseChanged(panel, state) {
  const session = state.status.session;
  const key = `${session.routine}:${session.phase_index}:${session.state}`;
  if (key === lastPhaseKey) return;
  const firstSight = lastPhaseKey === null;
  const phaseMoved = !firstSight && !lastPhaseKey.startsWith(`${session.routine}:${session.phase_index}:`);
  lastPhaseKey = key;
  const sound = Boolean(state.settings?.values?.sound);
  if (phaseMoved && session.state === 'running') play(session.phase === 'switch' ? 'switch_sides' : 'phase', sound);
  const announce = panel.querySelector('[data-run-announce]');
  announce.textContent = session.state === 'paused'
    ? `Paused. ${session.exercise_name}, ${session.cue}.`
    : `${session.exercise_name}: ${session.cue}, ${humanDuration(session.remaining_s)}. ${session.detail}`;
}

function renderRun(panel, state, ctx) {
  if (panel.dataset.face !== 'run') buildRun(panel, ctx);
  updateRun(panel, state);
  phaseChanged(panel, state);
}

// ---------- the end screen ----------

function renderEnd(panel, state, ctx) {
  const record = state.status.last_session;
  const key = `${record.routine}:${record.ended_at}`;
  if (panel.dataset.face === 'end' && panel.dataset.record === key) return;
  if (lastPhaseKey !== null && record.outcome === 'completed') play('end', Boolean(state.settings?.values?.sound));
  lastPhaseKey = null;
  panel.dataset.face = 'end';
  panel.dataset.record = key;
  const title = { completed: 'Well done', stopped: 'Session ended', abandoned: 'Session ended' }[record.outcome] ?? 'Session ended';
  const moved = record.active_s >= 60 ? humanDuration(record.active_s) : `${record.active_s} s`;
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const scores = h('div', { class: 'scores', role: 'radiogroup', 'aria-label': 'Pain from 0, none, to 10, the worst' },
    Array.from({ length: 11 }, (_, n) => h('label', { class: 'score' },
      h('input', { type: 'radio', name: 'score', value: n }), h('span', {}, String(n)))));
  const areas = h('div', { class: 'chips' }, backAreas(state).map(([value, label]) => h('label', { class: 'chip' },
    h('input', { type: 'radio', name: 'area', value }), h('span', {}, label))));
  const note = h('textarea', { id: 'checkin-note', rows: 2, maxlength: noteMaxChars(state), 'data-checkin-note': true });
  const form = h('form', {
    class: 'card checkin', 'data-checkin': true,
    onsubmit: async (event) => {
      event.preventDefault();
      const score = form.querySelector('input[name="score"]:checked');
      if (!score) {
        error.textContent = 'Pick a number from 0 to 10, or skip.';
        error.hidden = false;
        return;
      }
      const area = form.querySelector('input[name="area"]:checked')?.value ?? null;
      try {
        await ctx.api.checkIn({ score: Number(score.value), area, note: note.value || null, after_session: true });
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
      }
    },
  },
  h('fieldset', {},
    h('legend', {}, 'How does your back feel?'),
    h('p', { class: 'muted small' }, '0 is no pain, 10 the worst you can imagine.'),
    scores),
  h('fieldset', {}, h('legend', {}, 'Where, if anywhere? (optional)'), areas),
  h('label', { for: 'checkin-note' }, 'A note for yourself (optional)'),
  note,
  error,
  h('div', { class: 'actions' },
    h('button', { type: 'submit', class: 'btn btn-primary', 'data-action': 'save-checkin' }, 'Save'),
    h('button', { type: 'button', class: 'btn', 'data-action': 'skip-checkin',
      onclick: () => ctx.run(ctx.api.dismissResult()) }, 'Skip')));
  panel.replaceChildren(
    h('h2', { id: 'session-title', 'data-end-title': true }, title),
    h('p', { class: 'lead', 'data-end-summary': true },
      `${record.routine_name}: ${record.steps_done} of ${record.steps_total} exercises · ${moved} moved.`),
    form,
    h('p', { class: 'muted small' }, 'Limber keeps this in your history so you can see how your back changes over time. It is not a medical record.'),
  );
}

// ---------- entry points ----------

export function render(panel, state, ctx) {
  const face = faceOf(state);
  if (face === 'run') return renderRun(panel, state, ctx);
  if (face === 'end') return renderEnd(panel, state, ctx);
  lastPhaseKey = null;
  panel.dataset.face = face;
  delete panel.dataset.record;
  if (face === 'break') return renderBreak(panel, state, ctx);
  return renderHome(panel, state, ctx);
}

/** Called several times a second while the screen is shown: only countdowns change. */
export function tick(panel, state) {
  if (panel.dataset.face === 'run') return tickRun(panel, state);
  const el = panel.querySelector('[data-countdown]');
  if (el) el.textContent = countdownText(state.status);
}

/** Keyboard control of a running session: Space, ←, →, Esc. Returns true if handled. */
export function key(event, state, ctx) {
  const session = state.status?.session;
  if (!session || state.view !== 'session') return false;
  const target = event.target;
  if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT')) return false;
  // Space on a focused button presses that button, as everywhere else.
  if (event.key === ' ' && target?.tagName === 'BUTTON') return false;
  const action = {
    ' ': session.state === 'paused' ? 'resume' : 'pause',
    ArrowRight: 'skip',
    ArrowLeft: 'back',
    Escape: 'stop',
  }[event.key];
  if (!action) return false;
  // Space on a focused button would click it too: handle it once, here.
  event.preventDefault();
  ctx.run(ctx.api.session(action));
  return true;
}
