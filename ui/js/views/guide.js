// The Guide screen: when to get help, the heat / ice timer, how long the pain has lasted,
// muscle or nerve, everyday habits, and where all of it comes from.
//
// The words live in ../guide-content.js, each next to the seed sentence it follows. The
// guide is built once; later renders only refresh the timer and the pain-stage parts, so
// scrolling and focus are kept. The agent runs the timer; the countdown is animated here
// from the snapshot's `ends_at` (an RFC 3339 instant), like a session's. The stage of the
// pain and the ice-or-heat suggestion are the agent's (`status.pain`); this page only
// words them.

import { h } from '../dom.js';
import { clockDuration, secondsLeft } from '../time.js';
import {
  ABOUT, COMPARISON, DISCLAIMER, HABITS, RED_FLAGS, SEE_PRO, SOURCES, STAGES, THERAPY, fromLine,
} from '../guide-content.js';

const SAVE_DELAY_MS = 700;

// ---------- dates ----------

/** "2026-03-14" for a local date. */
export function isoDay(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The start (local midnight) of a "YYYY-MM-DD" day, or null if it is not a real date. */
export function parseDay(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text ?? '').trim());
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(year, month - 1, day);
  if (year < 1900 || date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return null;
  return date;
}

/**
 * What the agent says the day the pain started tells (`status.pain`), in this page's
 * terms: {state: 'unset'|'future'|'ok', start (a local Date), days, stage, suggest}.
 */
export function painInfo(pain) {
  if (!pain) return { state: 'unset' };
  const start = parseDay(pain.started);
  if (pain.state === 'future' || !start) return { state: 'future', start };
  const stage = STAGES.stages.find((s) => s.id === pain.stage);
  return { state: 'ok', start, days: pain.days, stage, suggest: pain.suggest };
}

/** "today", "yesterday" or "on 3 March" (with the year when it is not this year). */
function whenText(info, now = new Date()) {
  if (info.days === 0) return 'today';
  if (info.days === 1) return 'yesterday';
  const options = { day: 'numeric', month: 'long' };
  if (info.start.getFullYear() !== now.getFullYear()) options.year = 'numeric';
  return `on ${info.start.toLocaleDateString([], options)}`;
}

function agoText(days) {
  if (days === 0) return 'today';
  if (days === 1) return '1 day ago';
  if (days < 14) return `${days} days ago`;
  const weeks = Math.floor(days / 7);
  return `${days} days ago (about ${weeks} weeks)`;
}

// ---------- small builders ----------

function source(seeds) {
  return h('p', { class: 'guide-source' }, fromLine(seeds));
}

function section(content, ...children) {
  const titleId = `guide-${content.id}-title`;
  const heading = content.cardHeading ?? content.heading;
  return h('section', {
    class: `card guide-card guide-${content.id}`,
    id: content.id,
    tabindex: '-1',
    'data-guide-section': content.id,
    'aria-labelledby': titleId,
  }, h('h3', { id: titleId }, heading), ...children);
}

/** Moves to a section of the guide and gives it focus (for keyboard and screen readers). */
function goTo(id) {
  const target = document.getElementById(id);
  if (!target) return;
  const smooth = !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  target.scrollIntoView({ block: 'start', behavior: smooth ? 'smooth' : 'auto' });
  target.focus({ preventScroll: true });
}

function jumpLink(id, label, attrs = {}) {
  return h('a', { href: `#${id}`, ...attrs, onclick: (event) => { event.preventDefault(); goTo(id); } }, label);
}

// ---------- 1. when to get help ----------

function flagList(items, attrs) {
  return h('ul', attrs, items.map((item) => h('li', { 'data-flag': item.id },
    h('strong', {}, item.text), h('span', { class: 'flag-detail' }, item.detail))));
}

function redFlags() {
  return section(RED_FLAGS,
    h('div', { class: 'guide-urgent', 'data-urgent': true },
      h('h4', {}, RED_FLAGS.heading),
      h('p', {}, RED_FLAGS.intro.text),
      flagList(RED_FLAGS.items, { class: 'flag-list' }),
      h('p', { class: 'guide-urgent-action' }, RED_FLAGS.action.text)),
    h('div', { class: 'guide-soon', 'data-see-pro': true },
      h('h4', {}, SEE_PRO.heading),
      flagList(SEE_PRO.items, { class: 'flag-list' }),
      h('p', {}, SEE_PRO.therapist.text)),
    h('p', { class: 'guide-stretch-note' }, SEE_PRO.whileStretching.text),
    source(RED_FLAGS.seeds));
}

// ---------- 2. ice and heat, with the timer ----------

/** The lengths offered: the short ones for a first try, then the usual 15–20 minutes. */
function minuteChoices() {
  const choices = [...(THERAPY.minutes.short ?? [])];
  for (let m = THERAPY.minutes.min; m <= THERAPY.minutes.max; m += 1) choices.push(m);
  return choices;
}

function minutesOptions() {
  return minuteChoices().map((m) => h('option', { value: m, selected: m === THERAPY.minutes.min }, `${m} minutes`));
}

function therapy(ctx) {
  const kinds = ['ice', 'heat'].map((kind) => h('label', { class: 'chip therapy-kind' },
    h('input', { type: 'radio', name: 'therapy-kind', value: kind, 'data-therapy-kind': kind, checked: kind === 'ice',
      onchange: (event) => { event.currentTarget.closest('[data-panel]').dataset.kindChosen = 'yes'; } }),
    h('span', {}, THERAPY.labels[kind], h('small', { class: 'suggested-tag', 'data-suggested': true, hidden: true }, ' · suggested'))));
  const minutes = h('select', { id: 'therapy-minutes', class: 'btn', 'data-therapy-minutes': true }, minutesOptions());
  const start = async (event) => {
    const card = event.currentTarget.closest('[data-guide-section]');
    const kind = card.querySelector('[data-therapy-kind]:checked')?.value ?? 'ice';
    const length = Number(minutes.value);
    if (!minuteChoices().includes(length)) return;
    card.querySelector('[data-therapy-done]').hidden = true;
    await ctx.run(ctx.api.therapy({ action: 'start', kind, minutes: length }));
  };
  const rule = (id) => THERAPY.rules.find((r) => r.id === id);
  const ruleText = (r) => `${r.lead} ${r.text}`;
  return section(THERAPY,
    h('p', {}, THERAPY.intro.text),
    h('p', { class: 'therapy-suggestion', 'data-therapy-suggestion': true }),
    h('div', { class: 'therapy-setup', 'data-therapy-setup': true },
      h('fieldset', { class: 'therapy-kinds' },
        h('legend', {}, 'Use'),
        h('div', { class: 'chips' }, kinds)),
      h('div', { class: 'therapy-length' },
        h('label', { for: 'therapy-minutes' }, 'For'),
        minutes),
      h('button', { type: 'button', class: 'btn btn-primary', 'data-therapy-start': true, onclick: start }, 'Start the timer'),
      h('p', { class: 'therapy-done', 'data-therapy-done': true, hidden: true })),
    h('div', { class: 'therapy-run', 'data-therapy-run': true, hidden: true },
      h('p', { class: 'therapy-run-label', 'data-therapy-label': true }),
      h('p', { class: 'therapy-count', role: 'timer', 'aria-live': 'off', 'data-therapy-count': true }, '–'),
      h('p', { class: 'therapy-reminder', 'data-therapy-reminder': true, 'data-ice': ruleText(rule('towel')), 'data-heat': ruleText(rule('pad-off')) }),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn btn-primary btn-wide', 'data-therapy-pause': true,
          onclick: (event) => ctx.run(ctx.api.therapy({ action: event.currentTarget.dataset.next ?? 'pause' })) }, 'Pause'),
        h('button', { type: 'button', class: 'btn', 'data-therapy-stop': true,
          onclick: () => ctx.run(ctx.api.therapy({ action: 'stop' })) }, 'Stop'))),
    h('p', { class: 'sr-only', 'aria-live': 'polite', 'data-therapy-announce': true }),
    h('h4', {}, 'The rules the guide’s sources give'),
    h('ul', { class: 'guide-rules' }, THERAPY.rules.map((r) => h('li', { 'data-rule': r.id },
      h('strong', {}, r.lead), ` ${r.text}`))),
    source(THERAPY.seeds));
}

function remainingSeconds(t) {
  return secondsLeft(t.state === 'paused' ? null : t.ends_at, t.remaining_s);
}

function suggestionText(info) {
  const s = THERAPY.suggest;
  if (info.state === 'future') return { text: s.future, kind: null };
  if (info.state !== 'ok') return { text: s.unset, kind: null };
  const when = whenText(info);
  return { text: s[info.suggest](when), kind: info.suggest };
}

function updateTherapy(panel, state) {
  const card = panel.querySelector('[data-guide-section="therapy"]');
  const t = state.status?.therapy ?? null;
  const disabled = !state.connected;
  for (const button of card.querySelectorAll('button')) button.disabled = disabled;

  const suggestion = suggestionText(painInfo(state.status?.pain));
  const suggestionEl = card.querySelector('[data-therapy-suggestion]');
  if (suggestionEl.textContent !== suggestion.text) suggestionEl.textContent = suggestion.text;
  suggestionEl.dataset.suggest = suggestion.kind ?? 'none';
  if (suggestion.kind && panel.dataset.kindChosen !== 'yes') {
    const radio = card.querySelector(`[data-therapy-kind="${suggestion.kind}"]`);
    if (!radio.checked) radio.checked = true;
  }
  for (const label of card.querySelectorAll('.therapy-kind')) {
    const suggested = label.querySelector('input').value === suggestion.kind;
    label.classList.toggle('is-suggested', suggested);
    label.querySelector('[data-suggested]').hidden = !suggested;
  }

  const setup = card.querySelector('[data-therapy-setup]');
  const run = card.querySelector('[data-therapy-run]');
  const wasRunning = !run.hidden;
  // Focus follows the user's own click (Start → Pause, Stop → Start); a render never
  // takes focus from elsewhere.
  const focusInSetup = setup.contains(document.activeElement);
  const focusInRun = run.contains(document.activeElement);
  const announce = card.querySelector('[data-therapy-announce]');
  const seen = panel.dataset.therapySeen === 'yes';
  panel.dataset.therapySeen = 'yes';
  if (t) {
    run.hidden = false;
    setup.hidden = true;
    run.dataset.kind = t.kind;
    run.classList.toggle('is-paused', t.state === 'paused');
    const label = `${THERAPY.running[t.kind] ?? t.kind} · ${t.length_min} minutes${t.state === 'paused' ? ' · paused' : ''}`;
    const labelEl = card.querySelector('[data-therapy-label]');
    if (labelEl.textContent !== label) labelEl.textContent = label;
    const reminder = card.querySelector('[data-therapy-reminder]');
    reminder.textContent = reminder.dataset[t.kind] ?? '';
    const toggle = card.querySelector('[data-therapy-pause]');
    const paused = t.state === 'paused';
    toggle.textContent = paused ? 'Resume' : 'Pause';
    toggle.dataset.next = paused ? 'resume' : 'pause';
    toggle.setAttribute('aria-label', paused ? `Resume the ${t.kind} timer` : `Pause the ${t.kind} timer`);
    card.querySelector('[data-therapy-stop]').setAttribute('aria-label', `Stop the ${t.kind} timer`);
    if (!wasRunning) {
      card.querySelector('[data-therapy-done]').hidden = true;
      // Not on the first sight of a timer started elsewhere (the tray, the CLI).
      if (seen) {
        announce.textContent = `${THERAPY.labels[t.kind] ?? t.kind} timer started: ${t.length_min} minutes.`;
      }
      if (focusInSetup) toggle.focus();
    }
    panel.dataset.therapyKind = t.kind;
    panel.dataset.therapyEnds = t.state === 'running' && t.ends_at != null ? String(Date.parse(t.ends_at)) : '';
    tick(panel, state);
  } else {
    run.hidden = true;
    setup.hidden = false;
    if (wasRunning) {
      // Ended: by itself (its time ran out) or by Stop.
      const kind = panel.dataset.therapyKind;
      const ends = Number(panel.dataset.therapyEnds || NaN);
      // Its time was up (and only just: not a timer that ended while another screen was shown).
      const ranOut = ends <= Date.now() + 2000 && Date.now() - ends < 60 * 1000;
      const done = card.querySelector('[data-therapy-done]');
      if (ranOut && THERAPY.done[kind]) {
        done.textContent = THERAPY.done[kind];
        done.hidden = false;
        announce.textContent = THERAPY.done[kind];
      } else {
        announce.textContent = 'Timer stopped.';
      }
      if (focusInRun) card.querySelector('[data-therapy-start]').focus();
    }
  }
}

// ---------- 3. how long has it hurt? ----------

function stageTable() {
  return h('table', { class: 'guide-table stage-table' },
    h('caption', {}, 'The three stages in the article'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, 'Stage'),
      h('th', { scope: 'col' }, 'How long it has lasted'),
      h('th', { scope: 'col' }, 'What the article suggests'))),
    h('tbody', {}, STAGES.stages.map((s) => h('tr', { 'data-stage-row': s.id },
      h('th', { scope: 'row' }, s.name),
      h('td', {}, s.range),
      h('td', {}, s.advice.text)))));
}

function stage(ctx) {
  const input = h('input', { type: 'date', id: 'pain-started', 'data-pain-started': true, 'aria-describedby': 'pain-started-help' });
  let timer = null;
  const save = async (panel) => {
    clearTimeout(timer);
    timer = null;
    const value = input.value;
    if (value !== '' && !parseDay(value)) return; // shown, not saved
    const saved = await ctx.run(ctx.api.setSettings({ pain_started: value }));
    if (saved === null && panel.dataset.stageDraft === value) {
      // Refused or not sent: show what is really saved again.
      delete panel.dataset.stageDraft;
      if (lastState) updateStage(panel, lastState);
    }
  };
  const changed = (event, delay) => {
    const panel = event.currentTarget.closest('[data-panel]');
    panel.dataset.stageDraft = input.value;
    if (lastState) updateStage(panel, lastState);
    clearTimeout(timer);
    // Typing a date a digit at a time passes through other dates: wait for a pause.
    timer = delay ? setTimeout(() => save(panel), SAVE_DELAY_MS) : null;
    if (!delay) save(panel);
  };
  input.addEventListener('input', (event) => changed(event, true));
  input.addEventListener('change', (event) => changed(event, true));
  input.addEventListener('blur', (event) => { if (timer) changed(event, false); });
  return section(STAGES,
    h('p', {}, STAGES.intro.text),
    h('div', { class: 'stage-form' },
      h('label', { for: 'pain-started' }, 'My pain started on'),
      h('div', { class: 'stage-controls' },
        input,
        h('button', { type: 'button', class: 'btn', 'data-pain-today': true,
          onclick: (event) => {
            input.value = isoDay(new Date());
            changed(event, false);
          } }, 'Today'),
        h('button', { type: 'button', class: 'btn btn-quiet', 'data-pain-clear': true,
          onclick: (event) => {
            input.value = '';
            changed(event, false);
          } }, 'Clear')),
      h('p', { id: 'pain-started-help', class: 'muted small' },
        'Saved in your settings; the ice-or-heat suggestion uses it too. Leave it empty if you’d rather not say.')),
    h('div', { class: 'stage-result', 'data-stage-result': true, 'aria-live': 'polite' }),
    stageTable(),
    source(STAGES.seeds));
}

function updateStage(panel, state) {
  const card = panel.querySelector('[data-guide-section="stage"]');
  const input = card.querySelector('[data-pain-started]');
  const saved = state.settings?.values?.pain_started ?? '';
  const now = new Date();
  input.max = isoDay(now);
  for (const button of card.querySelectorAll('button')) button.disabled = !state.connected;
  input.disabled = !state.connected;
  if (panel.dataset.stageDraft === saved) delete panel.dataset.stageDraft;
  const value = panel.dataset.stageDraft ?? saved;
  if (document.activeElement !== input && input.value !== value) input.value = value;

  const result = card.querySelector('[data-stage-result]');
  // A date being typed is checked here; once saved, the agent names its stage.
  const pending = panel.dataset.stageDraft !== undefined;
  const info = pending
    ? (value === '' || parseDay(value) ? null : { state: 'invalid' })
    : painInfo(state.status?.pain);
  if (!info) return; // saving: the agent's answer comes as the next status
  const key = `${value}|${info.state}|${info.days ?? ''}`;
  for (const row of card.querySelectorAll('[data-stage-row]')) {
    const current = info.state === 'ok' && row.dataset.stageRow === info.stage?.id;
    row.classList.toggle('is-current', current);
    if (current) row.setAttribute('aria-current', 'true');
    else row.removeAttribute('aria-current');
  }
  if (result.dataset.key === key) return;
  result.dataset.key = key;
  result.dataset.stage = info.state === 'ok' ? info.stage.id : info.state;
  if (info.state === 'unset') {
    result.replaceChildren(h('p', { class: 'muted' }, 'Enter the day your pain started to see which stage it is in.'));
  } else if (info.state === 'invalid') {
    result.replaceChildren(h('p', { class: 'stage-gentle' }, 'That doesn’t look like a full date yet. Check the day, month and year.'));
  } else if (info.state === 'future') {
    result.replaceChildren(h('p', { class: 'stage-gentle' }, STAGES.future));
  } else {
    const s = info.stage;
    result.replaceChildren(
      h('p', { class: 'stage-headline' },
        `Your pain started ${info.days < 2 ? whenText(info) : `${whenText(info)}, ${agoText(info.days)}`}. That is the `,
        h('strong', {}, `${s.name.toLowerCase()} stage`), ` (${s.range}).`),
      h('p', {}, s.about.text),
      h('p', {}, h('strong', {}, 'What the article suggests: '), s.advice.text),
      h('p', {}, h('strong', {}, 'When to see someone: '), s.see.text, ' ',
        jumpLink('red-flags', 'Signs that need help sooner'), '.'));
  }
}

// ---------- 4. muscle or nerve ----------

function comparison() {
  return section(COMPARISON,
    h('p', {}, COMPARISON.intro.text),
    h('div', { class: 'table-scroll' },
      h('table', { class: 'guide-table compare-table' },
        h('caption', {}, COMPARISON.caption),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Sign')),
          COMPARISON.columns.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, COMPARISON.rows.map((row) => h('tr', { 'data-compare-row': row.id },
          h('th', { scope: 'row' }, row.label),
          h('td', {}, row.muscle),
          h('td', {}, row.nerve)))))),
    h('ul', { class: 'guide-notes' }, COMPARISON.notes.map((note) => h('li', { 'data-note': note.id }, note.text))),
    h('p', {}, jumpLink('red-flags', 'When to get help')),
    source(COMPARISON.seeds));
}

// ---------- 5. habits ----------

function habits() {
  return section(HABITS,
    h('p', {}, HABITS.intro.text),
    h('ul', { class: 'habit-list' }, HABITS.items.map((item) => h('li', { class: 'habit', 'data-habit': item.id },
      h('h4', {}, item.title),
      h('p', {}, item.text)))),
    source(HABITS.seeds));
}

// ---------- 6. about ----------

function about() {
  return h('section', {
    class: 'card guide-card guide-about', id: 'guide-about', tabindex: '-1',
    'data-guide-section': ABOUT.id, 'aria-labelledby': 'guide-about-title',
  },
  h('h3', { id: 'guide-about-title' }, ABOUT.heading),
  h('p', {}, ABOUT.text),
  h('p', {}, ABOUT.listIntro),
  h('ul', { class: 'source-list' }, ABOUT.seeds.map((seed) => h('li', { 'data-source': seed },
    SOURCES[seed].name, h('span', { class: 'muted' }, ` (${SOURCES[seed].role})`)))));
}

// ---------- the screen ----------

const CONTENTS = [
  [RED_FLAGS.id, RED_FLAGS.title],
  [THERAPY.id, THERAPY.title],
  [STAGES.id, STAGES.title],
  [COMPARISON.id, COMPARISON.title],
  [HABITS.id, HABITS.title],
  ['guide-about', ABOUT.title],
];

function build(panel, ctx) {
  panel.replaceChildren(
    h('div', { class: 'guide', 'data-guide': true },
      h('h2', { id: 'guide-title' }, 'Guide'),
      h('p', { class: 'lead' }, 'Back-care basics in plain words, and a timer for ice or heat.'),
      h('p', { class: 'guide-disclaimer', 'data-guide-disclaimer': true }, DISCLAIMER.text),
      h('nav', { class: 'guide-toc', 'aria-label': 'In this guide' },
        h('ul', {}, CONTENTS.map(([id, title]) => h('li', {}, jumpLink(id, title, { 'data-toc': id }))))),
      redFlags(),
      therapy(ctx),
      stage(ctx),
      comparison(),
      habits(),
      about()));
}

let lastState = null;

export function render(panel, state, ctx) {
  lastState = state;
  if (!panel.querySelector('[data-guide]')) build(panel, ctx);
  updateTherapy(panel, state);
  updateStage(panel, state);
}

/** Called several times a second while the Guide is shown: only the timer changes. */
export function tick(panel, state) {
  const el = panel.querySelector('[data-therapy-count]');
  const t = state.status?.therapy;
  if (!el || !t) return;
  const left = remainingSeconds(t);
  const shown = clockDuration(left);
  if (el.textContent !== shown) el.textContent = shown;
}
