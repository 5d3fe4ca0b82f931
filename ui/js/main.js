// Entry point: keeps the store in step with the agent's snapshots and renders the screen.

import * as api from './api.js';
import { Store } from './store.js';
import { views } from './vocabulary.js';
import * as session from './views/session.js';
import * as settings from './views/settings.js';
import * as routines from './views/routines.js';
import * as history from './views/history.js';
import * as guide from './views/guide.js';
import * as welcome from './views/welcome.js';
import * as about from './views/about.js';

const store = new Store();
const $ = (selector) => document.querySelector(selector);

const renderers = {
  session: session.render,
  routines: routines.render,
  history: history.render,
  guide: guide.render,
  settings: settings.render,
  about: about.render,
};

function announce(text) {
  const region = $('[data-announce]');
  region.textContent = '';
  // A fresh text node makes screen readers read it even if it repeats.
  requestAnimationFrame(() => { region.textContent = text; });
}

function showView(view, anchor = null) {
  if (!views(store.state).includes(view)) return;
  store.update({ view, anchor });
}

const ctx = {
  api,
  store,
  announce,
  show: showView,
  /** Runs a command; an error from the agent is announced and shown in the banner. */
  async run(promise) {
    try {
      return await promise;
    } catch (error) {
      const banner = $('[data-link-banner]');
      $('[data-link-text]').textContent = error.message ?? String(error);
      banner.hidden = false;
      announce(error.message ?? String(error));
      return null;
    }
  },
};

function render() {
  const { state } = store;
  for (const button of document.querySelectorAll('[data-view]')) {
    if (button.dataset.view === state.view) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  for (const panel of document.querySelectorAll('[data-panel]')) {
    const active = panel.dataset.panel === state.view;
    panel.hidden = !active;
    if (active) renderers[state.view](panel, state, ctx);
  }
  const linkBanner = $('[data-link-banner]');
  linkBanner.hidden = state.connected;
  if (!state.connected) $('[data-link-text]').textContent = state.message ?? 'Connecting to the Limber agent…';
  // Agent and window of different versions (an update while Limber ran): one click restarts it.
  $('[data-restart-agent]').hidden = state.connected || !state.updated;
  const notices = [
    state.status?.settings_notice ?? state.settings?.notice ?? null,
    state.status?.history_notice ?? null,
  ].filter(Boolean);
  const noticeBanner = $('[data-notice-banner]');
  noticeBanner.hidden = notices.length === 0;
  const noticeText = notices.join(' ');
  if (noticeBanner.textContent !== noticeText) noticeBanner.textContent = noticeText;
  const sidebar = state.status?.session
    ? `Stretching: ${state.status.session.routine_name}`
    : `Limber ${state.status?.version ?? ''}`;
  $('[data-sidebar-status]').textContent = state.connected
    ? sidebar
    : (state.updated ? 'Limber needs a restart' : 'Agent not running');
  renderWelcome(state);
}

/** The first-run welcome, over everything until it is closed (the `welcomed` setting). */
function renderWelcome(state) {
  const dialog = $('[data-welcome]');
  if (state.settings?.values?.welcomed === false) {
    const opening = dialog.hidden;
    dialog.hidden = false; // before rendering, so its heading can take focus
    $('.app').inert = true;
    welcome.render(dialog, state, ctx);
    if (opening) dialog.querySelector('#welcome-title')?.focus();
  } else if (!dialog.hidden) {
    dialog.hidden = true;
    dialog.replaceChildren();
    $('.app').inert = false;
    $('#main').focus({ preventScroll: true });
  }
}

store.addEventListener('change', (event) => {
  const before = event.detail;
  render();
  if ('view' in before) {
    const target = before.anchor ? document.getElementById(before.anchor) : null;
    if (target) {
      target.scrollIntoView({ block: 'start' });
      target.focus({ preventScroll: true });
    } else {
      $('#main').focus({ preventScroll: true });
    }
  }
});

let lastState = null;
function onSnapshot({ area, data }) {
  if (area === 'status') {
    if (lastState && lastState !== data.state && !data.session) announce(`Limber: ${data.state.replace('_', ' ')}`);
    lastState = data.state;
    // A session starting (from the tray, the CLI or a break) brings its screen forward.
    if (data.session && !store.state.status?.session) store.update({ status: data, view: 'session' });
    else store.update({ status: data });
  } else if (['settings', 'catalog', 'history'].includes(area)) {
    store.update({ [area]: data });
  }
}

/** Light or dark, as the system prefers; `data-theme` carries it to the CSS. */
function followColourScheme() {
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = () => { document.documentElement.dataset.theme = dark.matches ? 'dark' : 'light'; };
  apply();
  dark.addEventListener('change', apply);
}

async function start() {
  followColourScheme();
  for (const button of document.querySelectorAll('[data-view]')) {
    button.addEventListener('click', () => showView(button.dataset.view));
  }
  $('[data-restart-agent]').addEventListener('click', async (event) => {
    event.currentTarget.disabled = true;
    $('[data-link-text]').textContent = 'Restarting Limber…';
    await ctx.run(api.restartAgent());
  });
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    session.key(event, store.state, ctx);
  });
  await api.on(api.EVENTS.snapshot, onSnapshot);
  await api.on(api.EVENTS.link, ({ connected, message, updated, vocabulary }) => store.update({ connected, message, updated, vocabulary }));
  await api.on(api.EVENTS.show, ({ view }) => { if (view) showView(view); });
  try {
    const initial = await api.agentState();
    store.update({ ...initial, view: initial.view ?? store.state.view });
  } catch (error) {
    store.update({ connected: false, message: error.message });
  }
  render();
  // Countdowns are animated here from the last snapshot; four times a second keeps the
  // session's seconds in step with the agent's deadlines without visible lag.
  setInterval(() => {
    if (document.hidden) return;
    if (store.state.view === 'session') session.tick(document.querySelector('[data-panel="session"]'), store.state);
    if (store.state.view === 'guide') guide.tick(document.querySelector('[data-panel="guide"]'), store.state);
  }, 250);
}

start();
