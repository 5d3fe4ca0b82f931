// The Routines screen: the routines (start, export, delete your own), routine files that
// could not be loaded, a builder for your own routine, importing a routine file (say, from a
// physiotherapist), and the exercise library with pictures.
//
// Routines are validated by the agent (the same rules as files on disk); its error names
// the step and the field, and is shown as it is. Nothing is replaced without asking.

import { h } from '../dom.js';
import * as art from '../art.js';
import { SOURCES } from '../guide-content.js';
import { aboutMinutes } from './session.js';

const PLACES = { floor: 'On the floor', desk: 'At your desk', standing: 'Standing' };
const SIDE_LABELS = { left: 'Left', right: 'Right', both: 'Both' };

/** A routine id from its name: "My morning!" → "my-morning". */
export function slug(name) {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'my-routine';
}

function message(panel, selector, text, kind = 'ok') {
  const el = panel.querySelector(selector);
  el.textContent = text ?? '';
  el.hidden = !text;
  el.className = kind === 'error' ? 'form-message error' : 'form-message';
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status');
}

/**
 * Sends a routine's text to the agent. If one with that id exists, asks inline before
 * replacing it; `done(routine)` runs after a save.
 */
async function saveAsking(panel, ctx, text, where, done) {
  const ask = panel.querySelector(`${where} [data-replace]`);
  ask.hidden = true;
  try {
    const saved = await ctx.api.saveRoutine(text, false);
    done(saved);
  } catch (error) {
    if (error.code !== 'exists') {
      message(panel, `${where} [data-form-message]`, error.message, 'error');
      return;
    }
    message(panel, `${where} [data-form-message]`, null);
    ask.hidden = false;
    ask.querySelector('[data-replace-text]').textContent = `${error.message[0].toUpperCase()}${error.message.slice(1)}.`;
    ask.querySelector('[data-replace-yes]').onclick = async () => {
      ask.hidden = true;
      try {
        done(await ctx.api.saveRoutine(text, true));
      } catch (again) {
        message(panel, `${where} [data-form-message]`, again.message, 'error');
      }
    };
    ask.querySelector('[data-replace-no]').onclick = () => {
      ask.hidden = true;
      message(panel, `${where} [data-form-message]`, 'Nothing was changed.');
    };
  }
}

function replaceQuestion() {
  return h('div', { class: 'replace', 'data-replace': true, hidden: true, role: 'alertdialog', 'aria-label': 'Replace the routine?' },
    h('p', { 'data-replace-text': true }),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'btn btn-primary', 'data-replace-yes': true }, 'Replace it'),
      h('button', { type: 'button', class: 'btn', 'data-replace-no': true }, 'Keep the old one')));
}

// ---------- routine cards ----------

function routineCard(routine, state, ctx, panel) {
  const names = routine.steps.map((step) => state.catalog.exercises.find((e) => e.id === step.exercise)?.name ?? step.exercise);
  const custom = routine.origin.kind === 'custom';
  const busy = Boolean(state.status?.session);
  return h('article', { class: 'card routine', 'data-routine-card': routine.id },
    h('div', { class: 'routine-head' },
      h('h3', {}, routine.name),
      h('span', { class: 'badge' }, aboutMinutes(routine.total_s)),
      h('span', { class: 'badge badge-soft' }, PLACES[routine.place] ?? ''),
      custom ? h('span', { class: 'badge badge-soft' }, 'Yours') : null),
    routine.summary ? h('p', { class: 'muted' }, routine.summary) : null,
    h('ol', { class: 'step-chips' }, names.map((name) => h('li', {}, name))),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'btn btn-primary', 'data-start': routine.id, disabled: busy || !state.connected,
        onclick: async () => { if (await ctx.run(ctx.api.start(routine.id))) ctx.show('session'); } }, 'Start'),
      h('button', { type: 'button', class: 'btn', 'data-export': routine.id,
        onclick: async () => {
          const saved = await ctx.run(ctx.api.exportRoutine(routine.id));
          if (saved) message(panel, '[data-list-message]', `Saved a copy to ${saved.path}`);
        } }, 'Export'),
      custom ? h('button', { type: 'button', class: 'btn btn-quiet', 'data-delete': routine.id,
        onclick: (event) => {
          const button = event.currentTarget;
          if (button.dataset.confirm !== 'yes') {
            button.dataset.confirm = 'yes';
            button.textContent = 'Delete for good?';
            return;
          }
          ctx.run(ctx.api.deleteRoutine(routine.id));
        } }, 'Delete') : null));
}

// ---------- timings ----------

/**
 * Whose timing it is: the article's only where the exercise data says the article gives
 * it (`timing_from`); otherwise Limber chose it, and `timing_note` says why.
 */
function timingWho(exercise) {
  return exercise.timing_from === 'article' ? 'from the article' : 'Limber’s choice';
}

/** "20–30 s, from the article", "6–10 s, Limber’s choice". */
function timingHint(exercise) {
  const [low, high] = exercise.hold_s;
  return `${low === high ? low : `${low}–${high}`} s, ${timingWho(exercise)}`;
}

/** Why Limber chose the timing, folded away; nothing where the article gives it. */
function timingWhy(exercise) {
  return exercise.timing_note
    ? h('details', { class: 'timing-why', 'data-timing-why': true },
      h('summary', {}, 'Why this timing?'),
      h('p', {}, exercise.timing_note))
    : null;
}

// ---------- the builder ----------

function stepRow(exercise, ctx) {
  const [low, high] = exercise.hold_s;
  const number = (field, label, value, min, max, hint) => h('label', { class: 'num' },
    h('span', {}, label),
    h('input', { type: 'number', 'data-field': field, value, min, max, step: 1, inputmode: 'numeric' }),
    hint ? h('small', { class: 'muted' }, hint) : null);
  const row = h('li', { class: 'build-step', 'data-exercise': exercise.id },
    h('strong', {}, exercise.name),
    number('hold_s', exercise.kind === 'flow' ? 'Seconds per cycle' : 'Hold, seconds', Math.ceil((low + high) / 2), 1, 600, timingHint(exercise)),
    number('reps', exercise.kind === 'flow' ? 'Cycles' : 'Times', exercise.kind === 'reps' || exercise.kind === 'flow' ? 5 : 1, 1, 100),
    exercise.sides.length
      ? h('fieldset', { class: 'sides', 'data-field': 'sides' }, h('legend', {}, 'Sides'),
        exercise.sides.map((side) => h('label', { class: 'chip' },
          h('input', { type: 'checkbox', value: side, checked: side !== 'both' }), h('span', {}, SIDE_LABELS[side]))))
      : null,
    number('rest_s', 'Rest after, seconds', 10, 0, 600),
    timingWhy(exercise),
    h('div', { class: 'row-actions' },
      h('button', { type: 'button', class: 'btn btn-quiet', 'aria-label': `Move ${exercise.name} up`,
        onclick: () => row.previousElementSibling?.before(row) }, '↑'),
      h('button', { type: 'button', class: 'btn btn-quiet', 'aria-label': `Move ${exercise.name} down`,
        onclick: () => row.nextElementSibling?.after(row) }, '↓'),
      h('button', { type: 'button', class: 'btn btn-quiet', 'aria-label': `Remove ${exercise.name}`,
        onclick: () => row.remove() }, 'Remove')));
  void ctx;
  return row;
}

/** The routine file the builder describes (the agent validates it). */
function builderText(form) {
  const name = form.querySelector('[data-build-name]').value.trim();
  const steps = [...form.querySelectorAll('.build-step')].map((row) => {
    const value = (field) => Number(row.querySelector(`[data-field="${field}"]`)?.value);
    const step = { exercise: row.dataset.exercise, hold_s: value('hold_s'), reps: value('reps'), rest_s: value('rest_s') };
    const sides = row.querySelector('[data-field="sides"]');
    if (sides) step.sides = [...sides.querySelectorAll('input:checked')].map((box) => box.value);
    return step;
  });
  return JSON.stringify({ format: 1, id: slug(name), name, summary: form.querySelector('[data-build-summary]').value.trim(), steps }, null, 2);
}

function builder(state, ctx, panel) {
  const exercises = state.catalog.exercises;
  const list = h('ol', { class: 'build-steps', 'data-build-steps': true });
  const picker = h('select', { 'data-build-pick': true, 'aria-label': 'Exercise to add' },
    exercises.map((e) => h('option', { value: e.id }, `${e.name} (${PLACES[e.place]?.toLowerCase() ?? e.place})`)));
  const form = h('form', { class: 'card builder', 'data-builder': true,
    onsubmit: (event) => {
      event.preventDefault();
      if (!form.querySelector('[data-build-name]').value.trim()) {
        message(panel, '[data-builder] [data-form-message]', 'Give your routine a name.', 'error');
        return;
      }
      if (!list.children.length) {
        message(panel, '[data-builder] [data-form-message]', 'Add at least one exercise.', 'error');
        return;
      }
      saveAsking(panel, ctx, builderText(form), '[data-builder]', (saved) => {
        list.replaceChildren();
        form.reset();
        message(panel, '[data-builder] [data-form-message]', `Saved "${saved.name}" (${aboutMinutes(saved.total_s)}).`);
      });
    } },
  h('h3', { id: 'build-title' }, 'Make your own routine'),
  h('p', { class: 'muted' }, 'Pick exercises and set the timing. Each exercise suggests a range and says where it comes from; a physiotherapist may give you others.'),
  h('label', { for: 'build-name' }, 'Name'),
  h('input', { id: 'build-name', type: 'text', maxlength: 60, 'data-build-name': true, autocomplete: 'off' }),
  h('label', { for: 'build-summary' }, 'What it is for (optional)'),
  h('input', { id: 'build-summary', type: 'text', maxlength: 300, 'data-build-summary': true, autocomplete: 'off' }),
  list,
  h('div', { class: 'actions' }, picker,
    h('button', { type: 'button', class: 'btn', 'data-build-add': true,
      onclick: () => {
        const exercise = exercises.find((e) => e.id === picker.value);
        if (exercise) list.append(stepRow(exercise, ctx));
      } }, 'Add exercise')),
  h('p', { class: 'form-message', 'data-form-message': true, hidden: true }),
  replaceQuestion(),
  h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', 'data-build-save': true }, 'Save routine')));
  return form;
}

function importer(ctx, panel) {
  const input = h('input', { type: 'file', accept: '.json,application/json', id: 'import-file', 'data-import-file': true });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (!file) return;
    if (file.size > 256 * 1024) {
      message(panel, '[data-importer] [data-form-message]', `${file.name} is larger than 256 KiB; a routine file is much smaller.`, 'error');
      return;
    }
    file.text().then((text) => {
      // Cleared at once, so choosing the same file again (after fixing it) is noticed.
      input.value = '';
      return saveAsking(panel, ctx, text, '[data-importer]', (saved) => {
        message(panel, '[data-importer] [data-form-message]', `Imported "${saved.name}" (${aboutMinutes(saved.total_s)}).`);
      });
    });
  });
  return h('section', { class: 'card', 'data-importer': true, 'aria-labelledby': 'import-title' },
    h('h3', { id: 'import-title' }, 'Import a routine file'),
    h('p', { class: 'muted' }, 'A routine someone shared with you, for example your physiotherapist. Limber checks it before saving and tells you exactly what is wrong if it cannot use it.'),
    h('label', { for: 'import-file', class: 'btn file-button' }, 'Choose a file…'), input,
    h('p', { class: 'form-message', 'data-form-message': true, hidden: true }),
    replaceQuestion());
}

// ---------- the exercise library ----------

function exerciseCard(exercise) {
  const frame = h('div', { class: 'art-frame art-small' });
  art.show(frame, exercise.art[0], `${exercise.name}: ${exercise.start}`);
  const unit = exercise.kind === 'flow' ? 'per cycle' : exercise.kind === 'sides' ? 'per side' : 'per hold';
  const [timing, who] = timingHint(exercise).split(', ');
  return h('article', { class: 'card exercise', 'data-exercise-card': exercise.id },
    frame,
    h('div', {},
      h('h4', {}, exercise.name),
      h('p', { class: 'muted' }, exercise.summary),
      h('details', {},
        h('summary', {}, 'How to do it'),
        h('p', {}, h('strong', {}, 'Start: '), exercise.start),
        h('ol', {}, exercise.steps.map((step) => h('li', {}, step))),
        h('p', {}, h('strong', {}, 'You should feel: '), exercise.feel),
        h('p', { 'data-timing': exercise.timing_from }, h('strong', {}, 'Timing: '), `${timing} ${unit}, ${who}.`),
        timingWhy(exercise),
        h('p', { class: 'safety' }, exercise.safety),
        h('p', { class: 'muted small' }, `From “${exercise.source.section}”, in ${SOURCES[exercise.source.seed]?.name ?? 'one of the guide’s sources'}.`))));
}

export function render(panel, state, ctx) {
  if (!state.catalog) {
    panel.replaceChildren(h('h2', { id: 'routines-title' }, 'Routines'), h('p', { class: 'lead' }, 'Waiting for the Limber agent…'));
    return;
  }
  // Rebuild only when the catalog changes, so a half-built routine is not lost.
  const key = JSON.stringify([state.catalog.routines.map((r) => [r.id, r.total_s, r.name]), state.catalog.errors, Boolean(state.status?.session), state.connected]);
  if (panel.dataset.key === key) return;
  const keepBuilder = panel.querySelector('[data-builder]');
  const keepImporter = panel.querySelector('[data-importer]');
  panel.dataset.key = key;
  const errors = state.catalog.errors ?? [];
  panel.replaceChildren(...[
    h('h2', { id: 'routines-title' }, 'Routines'),
    h('p', { class: 'lead' }, 'Sets of stretches with a timer for every hold. Start one now, or from a break.'),
    h('p', { class: 'form-message', 'data-list-message': true, hidden: true }),
    errors.length ? h('div', { class: 'banner banner-warning', role: 'alert', 'data-routine-errors': true },
      h('p', {}, `Some routine files in ${state.catalog.dir} could not be used and were left as they are:`),
      h('ul', {}, errors.map((e) => h('li', {}, `${e.file}: ${e.at ? `${e.at}: ` : ''}${e.message}`)))) : null,
    h('div', { class: 'routine-list' }, state.catalog.routines.map((r) => routineCard(r, state, ctx, panel))),
    keepBuilder ?? builder(state, ctx, panel),
    keepImporter ?? importer(ctx, panel),
    h('h3', { class: 'section-title' }, 'Exercises'),
    h('div', { class: 'exercise-list' }, state.catalog.exercises.map(exerciseCard)),
  ].filter(Boolean));
}
