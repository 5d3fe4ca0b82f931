// The Settings screen: one row per setting from the agent's schema. A change is checked
// here against the same ranges the agent uses, then sent; the agent's answer (or its
// error, naming the field) is shown beside the field. Nothing is saved while invalid.

import { h } from '../dom.js';

// Numbers come in three units; each says what 0 means when 0 is allowed.
const UNITS = {
  minutes: { short: 'min', words: 'minutes', zero: 'off' },
  seconds: { short: 's', words: 'seconds', zero: 'off' },
  times: { short: '×', words: 'times', zero: 'no limit' },
};

const isNumber = (spec) => spec.type in UNITS;

function rangeText(spec) {
  if (!isNumber(spec)) return '';
  const unit = UNITS[spec.type];
  const range = `${spec.min}–${spec.max} ${unit.short}`;
  return spec.zero_means_off ? `0 (${unit.zero}) or ${range}` : range;
}

const DAY_LABELS = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/** The same rule as the agent's, so the user hears about a mistake before it is sent. */
export function localError(spec, raw) {
  if (spec.type === 'time') {
    return /^([01]?\d|2[0-3]):[0-5]\d$/.test(String(raw).trim()) ? null : 'Use a time of day such as 09:00.';
  }
  if (!isNumber(spec)) return null;
  const text = String(raw).trim();
  const n = Number(text);
  const ok = text !== '' && Number.isInteger(n)
    && ((spec.zero_means_off && n === 0) || (n >= spec.min && n <= spec.max));
  if (ok) return null;
  const unit = UNITS[spec.type];
  return spec.zero_means_off
    ? `Use 0 (${unit.zero}) or a whole number of ${unit.words} from ${spec.min} to ${spec.max}.`
    : `Use a whole number of ${unit.words} from ${spec.min} to ${spec.max}.`;
}

function valueOf(spec, input) {
  if (spec.type === 'bool') return input.checked;
  if (spec.type === 'days') {
    return [...input.querySelectorAll('input:checked')].map((box) => box.value);
  }
  if (isNumber(spec)) return Number(input.value);
  return input.value;
}

function setValue(spec, input, value) {
  if (spec.type === 'bool') input.checked = Boolean(value);
  else if (spec.type === 'days') {
    for (const box of input.querySelectorAll('input')) box.checked = value.includes(box.value);
  }
  else input.value = String(value);
}

function showError(row, message) {
  const input = row.querySelector('[data-setting]');
  const error = row.querySelector('.error');
  error.textContent = message ?? '';
  error.hidden = !message;
  input.setAttribute('aria-invalid', message ? 'true' : 'false');
}

function buildRow(spec, ctx, saveState) {
  const id = `setting-${spec.key}`;
  const errorId = `${id}-error`;
  const helpId = `${id}-help`;
  let input;
  if (spec.type === 'bool') {
    input = h('input', { type: 'checkbox', id, 'data-setting': spec.key, 'aria-describedby': helpId });
  } else if (spec.type === 'time') {
    input = h('input', { type: 'time', id, 'data-setting': spec.key, 'aria-describedby': `${helpId} ${errorId}` });
  } else if (spec.type === 'days') {
    input = h('fieldset', { class: 'days', id, 'data-setting': spec.key, 'aria-describedby': helpId },
      h('legend', { class: 'sr-only' }, spec.label),
      spec.options.map((day) => h('label', { class: 'day' },
        h('input', { type: 'checkbox', value: day }), DAY_LABELS[day] ?? day)));
  } else if (spec.type === 'routine') {
    // Its options are the catalog's routines, filled in by `render` (they can change).
    input = h('select', { id, 'data-setting': spec.key, 'aria-describedby': helpId });
  } else if (spec.type === 'choice') {
    input = h('select', { id, 'data-setting': spec.key, 'aria-describedby': helpId },
      spec.options.map((option) => h('option', { value: option }, option[0].toUpperCase() + option.slice(1))));
  } else {
    input = h('input', {
      type: 'number', id, 'data-setting': spec.key, inputmode: 'numeric', step: 1,
      min: spec.zero_means_off ? 0 : spec.min, max: spec.max,
      'aria-describedby': `${helpId} ${errorId}`,
    });
  }
  const row = h('div', { class: 'field', 'data-field': spec.key },
    spec.type === 'days' ? h('span', { class: 'label' }, spec.label) : h('label', { for: id }, spec.label),
    h('p', { class: 'help', id: helpId }, spec.help, rangeText(spec) ? ` Allowed: ${rangeText(spec)}.` : ''),
    h('div', { class: 'control' }, input,
      isNumber(spec) ? h('span', { class: 'range', 'aria-hidden': 'true' }, UNITS[spec.type].short) : null),
    h('p', { class: 'error', id: errorId, role: 'alert', hidden: true }));

  input.addEventListener('input', () => showError(row, localError(spec, input.value)));
  input.addEventListener('change', async () => {
    const problem = localError(spec, input.value);
    showError(row, problem);
    if (problem) {
      saveState.textContent = `Not saved: ${spec.label.toLowerCase()} needs a valid value.`;
      return;
    }
    saveState.textContent = 'Saving…';
    try {
      await ctx.api.setSettings({ [spec.key]: valueOf(spec, input) });
      showError(row, null);
      saveState.textContent = `Saved: ${spec.label.toLowerCase()}.`;
    } catch (error) {
      const fieldError = (error.fields ?? []).find((f) => f.key === spec.key);
      showError(row, fieldError ? fieldError.message : error.message);
      saveState.textContent = 'Not saved.';
    }
  });
  return row;
}

/** The routines as options ("Back stretches · floor · 5 min"), kept in step with the catalog. */
function fillRoutines(select, state, current) {
  const routines = state.catalog?.routines ?? [];
  const ids = routines.map((r) => r.id);
  // The saved value stays choosable while the catalog is still on its way.
  if (!ids.includes(current)) ids.push(current);
  if (select.dataset.ids === ids.join(' ')) return;
  select.dataset.ids = ids.join(' ');
  select.replaceChildren(...ids.map((id) => {
    const routine = routines.find((r) => r.id === id);
    const text = routine
      ? `${routine.name} · ${PLACES[routine.place] ?? routine.place} · ${Math.max(1, Math.round(routine.total_s / 60))} min`
      : id;
    return h('option', { value: id }, text);
  }));
}

const PLACES = { floor: 'on the floor', desk: 'at the desk', standing: 'standing' };

export function render(panel, state, ctx) {
  const settings = state.settings;
  if (!settings) {
    panel.replaceChildren(
      h('h2', { id: 'settings-title' }, 'Settings'),
      h('p', { class: 'lead' }, 'Waiting for the Limber agent…'));
    return;
  }
  // Build the form once; later snapshots only refresh values the user is not editing.
  if (!panel.querySelector('form')) {
    const saveState = h('p', { class: 'save-state', 'aria-live': 'polite', 'data-save-state': true });
    const form = h('form', { class: 'form card', onsubmit: (e) => e.preventDefault() },
      settings.schema.filter((spec) => !spec.hidden).map((spec) => buildRow(spec, ctx, saveState)));
    panel.replaceChildren(
      h('h2', { id: 'settings-title' }, 'Settings'),
      h('p', { class: 'lead' }, 'Changes take effect at once and are saved to ', h('code', {}, settings.path), '.'),
      form, saveState);
  }
  for (const spec of settings.schema.filter((s) => !s.hidden)) {
    const input = panel.querySelector(`[data-setting="${spec.key}"]`);
    if (input && spec.type === 'routine') fillRoutines(input, state, settings.values[spec.key]);
    const row = input?.closest('.field');
    if (!input || input === document.activeElement || row?.querySelector('[aria-invalid="true"]')) continue;
    setValue(spec, input, settings.values[spec.key]);
  }
  for (const input of panel.querySelectorAll('[data-setting]')) {
    input.disabled = !state.connected || settings.writable === false;
  }
  // The day and time rows only matter while working hours are on.
  const hoursOn = Boolean(settings.values.working_hours);
  for (const key of ['work_days', 'work_start', 'work_end']) {
    const row = panel.querySelector(`[data-field="${key}"]`);
    if (row) row.classList.toggle('muted', !hoursOn);
  }
}
