// The first-run welcome, shown over the window while `welcomed` is false: what Limber
// does, the break interval, where the user takes breaks (which picks the routine a break
// starts), and the signs that need a health professional rather than a
// stretch (the same list as the Guide's, from ../guide-content.js).
//
// The container is `<div data-welcome role="dialog" aria-modal="true"
// aria-labelledby="welcome-title">`; it is built once and kept while shown.

import { h } from '../dom.js';
import { RED_FLAGS, SEE_PRO, WELCOME } from '../guide-content.js';

const MIN = 5;
const MAX = 240;
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex="0"]';

/** The interval as a whole number of minutes, or null when it is out of range. */
export function intervalValue(raw) {
  const text = String(raw ?? '').trim();
  const n = Number(text);
  return text !== '' && Number.isInteger(n) && n >= MIN && n <= MAX ? n : null;
}

function showError(container, message) {
  const input = container.querySelector('[data-welcome-interval]');
  const error = container.querySelector('[data-welcome-error]');
  error.textContent = message ?? '';
  error.hidden = !message;
  input.setAttribute('aria-invalid', message ? 'true' : 'false');
}

async function finish(container, ctx, thenGuide) {
  const input = container.querySelector('[data-welcome-interval]');
  const minutes = intervalValue(input.value);
  if (minutes === null) {
    showError(container, WELCOME.intervalError);
    input.focus();
    return;
  }
  showError(container, null);
  const buttons = container.querySelectorAll('[data-welcome-done], [data-welcome-guide]');
  for (const button of buttons) button.disabled = true;
  let failed = false;
  // The window's banner may sit behind this overlay, so an error is shown here as well.
  const place = container.querySelector('[data-welcome-place] input:checked');
  const values = { break_interval_min: minutes, welcomed: true };
  if (place) values.default_routine = place.value;
  const login = container.querySelector('[data-welcome-login]');
  if (login) values.start_at_login = login.checked;
  await ctx.run(ctx.api.setSettings(values).catch((error) => {
    failed = true;
    showError(container, error?.message ?? String(error));
    throw error;
  }));
  for (const button of buttons) button.disabled = false;
  if (!failed && thenGuide) ctx.show('guide');
}

/** Keeps Tab and Shift+Tab inside the dialog while it is open. */
function trapFocus(event) {
  if (event.key !== 'Tab') return;
  const container = event.currentTarget;
  const items = [...container.querySelectorAll(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
  if (!items.length) return;
  const first = items[0];
  const last = items[items.length - 1];
  const active = document.activeElement;
  if (event.shiftKey && (active === first || !container.contains(active) || active.id === 'welcome-title')) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
}

/** "Where do you take your breaks?": two radio cards, the floor or the desk. */
function placeChoice(state) {
  const current = state.settings?.values?.default_routine ?? WELCOME.places[0].routine;
  const known = WELCOME.places.some((p) => p.routine === current);
  return h('fieldset', { class: 'welcome-place', 'data-welcome-place': true, 'aria-describedby': 'welcome-place-help' },
    h('legend', {}, WELCOME.placeLegend),
    WELCOME.places.map((place, i) => h('label', { class: 'place-option' },
      h('input', { type: 'radio', name: 'welcome-place', value: place.routine,
        checked: known ? place.routine === current : i === 0 }),
      h('span', { class: 'place-text' },
        h('span', { class: 'place-label' }, place.label),
        h('span', { class: 'place-detail muted small' }, place.detail)))),
    h('p', { id: 'welcome-place-help', class: 'muted small' }, WELCOME.placeHelp));
}

function build(container, state, ctx) {
  const interval = state.settings?.values?.break_interval_min ?? 60;
  const heading = h('h2', { id: 'welcome-title', tabindex: '-1' }, WELCOME.title);
  const form = h('form', { class: 'welcome-form', novalidate: true,
    onsubmit: (event) => { event.preventDefault(); finish(container, ctx, false); } },
  h('div', { class: 'welcome-interval' },
    h('label', { for: 'welcome-interval' }, WELCOME.intervalLabel),
    h('span', { class: 'welcome-interval-input' },
      h('input', { type: 'number', id: 'welcome-interval', 'data-welcome-interval': true, min: MIN, max: MAX, step: 1,
        inputmode: 'numeric', value: interval, 'aria-describedby': 'welcome-interval-help welcome-interval-error',
        oninput: (event) => { event.currentTarget.dataset.touched = 'yes'; showError(container, null); } }),
      h('span', {}, WELCOME.intervalUnit))),
  h('p', { id: 'welcome-interval-help', class: 'muted small' }, WELCOME.interval.text),
  h('p', { id: 'welcome-interval-error', class: 'error', role: 'alert', 'data-welcome-error': true, hidden: true }),
  placeChoice(state),
  h('div', { class: 'welcome-login' },
    h('label', { class: 'check' },
      h('input', { type: 'checkbox', 'data-welcome-login': true, checked: true, 'aria-describedby': 'welcome-login-help' }),
      WELCOME.loginLabel),
    h('p', { id: 'welcome-login-help', class: 'muted small' }, WELCOME.loginHelp)),
  h('section', { class: 'welcome-safety', 'aria-labelledby': 'welcome-safety-title' },
    h('h3', { id: 'welcome-safety-title' }, WELCOME.safetyTitle),
    h('div', { class: 'guide-urgent', 'data-urgent': true },
      h('h4', {}, RED_FLAGS.heading),
      h('ul', { class: 'flag-list flag-list-short' }, RED_FLAGS.items.map((item) => h('li', { 'data-flag': item.id }, item.text))),
      h('p', { class: 'guide-urgent-action' }, RED_FLAGS.action.text)),
    h('div', { class: 'guide-soon', 'data-see-pro': true },
      h('h4', {}, WELCOME.seeProHeading),
      h('ul', { class: 'flag-list flag-list-short' }, SEE_PRO.items.map((item) => h('li', { 'data-flag': item.id }, item.text))))),
  h('div', { class: 'actions welcome-actions' },
    h('button', { type: 'submit', class: 'btn btn-primary', 'data-welcome-done': true }, WELCOME.done),
    h('button', { type: 'button', class: 'btn', 'data-welcome-guide': true,
      onclick: () => finish(container, ctx, true) }, WELCOME.guide)));

  container.replaceChildren(h('div', { class: 'welcome-card', 'data-welcome-card': true },
    h('div', { class: 'welcome-head' },
      h('img', { src: 'art/logo.svg', alt: '', width: 48, height: 48 }),
      heading),
    h('p', { class: 'welcome-intro' }, WELCOME.intro),
    h('p', { class: 'welcome-intro' }, WELCOME.tray),
    h('p', { class: 'welcome-note' }, WELCOME.disclaimer),
    form));
  if (container.dataset.trap !== 'yes') {
    container.dataset.trap = 'yes';
    container.addEventListener('keydown', trapFocus);
  }
  // Focus the heading once the overlay is on screen.
  const focusHeading = () => { if (heading.isConnected && heading.getClientRects().length) heading.focus(); };
  focusHeading();
  requestAnimationFrame(focusHeading);
}

export function render(container, state, ctx) {
  if (!container.querySelector('[data-welcome-card]')) {
    build(container, state, ctx);
    return;
  }
  // Kept while shown: only follow the saved interval until the user edits it.
  const input = container.querySelector('[data-welcome-interval]');
  const interval = state.settings?.values?.break_interval_min;
  if (interval != null && input.dataset.touched !== 'yes' && document.activeElement !== input) input.value = String(interval);
}
