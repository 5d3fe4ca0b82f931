// Entry point: keeps the store in step with the agent's snapshots and renders the screen.

import * as api from './api.js';
import { Store, VIEWS } from './store.js';
import * as session from './views/session.js';
import * as settings from './views/settings.js';
import * as placeholders from './views/placeholders.js';

const store = new Store();
const $ = (selector) => document.querySelector(selector);

const renderers = {
  session: session.render,
  routines: placeholders.routines,
  history: placeholders.history,
  guide: placeholders.guide,
  settings: settings.render,
};

function announce(text) {
  const region = $('[data-announce]');
  region.textContent = '';
  // A fresh text node makes screen readers read it even if it repeats.
  requestAnimationFrame(() => { region.textContent = text; });
}

const ctx = {
  api,
  store,
  /** Runs a command; an error from the agent is announced and shown in the banner. */
  async run(promise) {
    try {
      return await promise;
    } catch (error) {
      const banner = $('[data-link-banner]');
      banner.textContent = error.message ?? String(error);
      banner.hidden = false;
      announce(banner.textContent);
      return null;
    }
  },
};

function showView(view) {
  if (!VIEWS.includes(view)) return;
  store.update({ view });
}

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
  if (!state.connected) linkBanner.textContent = state.message ?? 'Connecting to the Limber agent…';
  const notice = state.status?.settings_notice ?? state.settings?.notice ?? null;
  const noticeBanner = $('[data-notice-banner]');
  noticeBanner.hidden = !notice;
  noticeBanner.textContent = notice ?? '';
  $('[data-sidebar-status]').textContent = state.connected ? `Limber ${state.status?.version ?? ''}` : 'Agent not running';
}

store.addEventListener('change', (event) => {
  const before = event.detail;
  render();
  if ('view' in before) $('#main').focus({ preventScroll: true });
});

let lastState = null;
function onSnapshot({ area, data }) {
  if (area === 'status') {
    if (lastState && lastState !== data.state) announce(session.describeState?.(data) ?? `Limber: ${data.state.replace('_', ' ')}`);
    lastState = data.state;
    store.update({ status: data });
  } else if (area === 'settings') {
    store.update({ settings: data });
  }
}

async function start() {
  for (const button of document.querySelectorAll('[data-view]')) {
    button.addEventListener('click', () => showView(button.dataset.view));
  }
  await api.on(api.EVENTS.snapshot, onSnapshot);
  await api.on(api.EVENTS.link, ({ connected, message }) => store.update({ connected, message }));
  await api.on(api.EVENTS.show, ({ view }) => { if (view) showView(view); });
  try {
    const initial = await api.agentState();
    store.update({ ...initial, view: initial.view ?? store.state.view });
  } catch (error) {
    store.update({ connected: false, message: error.message });
  }
  render();
  setInterval(() => {
    if (store.state.view === 'session' && !document.hidden) {
      session.tick(document.querySelector('[data-panel="session"]'), store.state);
    }
  }, 1000);
}

start();
