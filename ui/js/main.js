// Entry point: keeps the store in step with the agent's snapshots and renders the screen.

import * as api from './api.js';
import { Store } from './store.js';
import { views } from './vocabulary.js';
import * as session from './views/session.js';

const store = new Store();
const $ = (selector) => document.querySelector(selector);

// The session screen (the break prompt, a running session) is what the window most often
// opens on, so it comes with the page; every other screen is fetched the first time it is
// shown (a local file: a few milliseconds), which keeps the start-up path and the memory
// of a break's window short.
const loaders = {
  routines: () => import('./views/routines.js'),
  history: () => import('./views/history.js'),
  guide: () => import('./views/guide.js'),
  settings: () => import('./views/settings.js'),
  about: () => import('./views/about.js'),
  welcome: () => import('./views/welcome.js'),
};
const modules = { session };
const loading = {};

/** Fetches a screen's module once; resolves to it. */
function load(name) {
  if (modules[name]) return Promise.resolve(modules[name]);
  loading[name] ??= loaders[name]()
    .then((loaded) => { modules[name] = loaded; return loaded; })
    .finally(() => { delete loading[name]; });
  return loading[name];
}

/** The screen's module, or null while it is being fetched (it renders when it arrives). */
function module(name) {
  if (modules[name] || !loaders[name]) return modules[name] ?? null;
  if (!loading[name]) {
    load(name).then(render, (error) => console.error(`screen ${name} failed to load`, error));
  }
  return null;
}

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

// Nothing renders until the window is on screen (see start): a hidden window has no size.
let onScreen = false;

function render() {
  if (!onScreen) return;
  const { state } = store;
  for (const button of document.querySelectorAll('[data-view]')) {
    if (button.dataset.view === state.view) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  for (const panel of document.querySelectorAll('[data-panel]')) {
    const active = panel.dataset.panel === state.view;
    panel.hidden = !active;
    if (active) module(state.view)?.render(panel, state, ctx);
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
  const welcome = state.settings?.values?.welcomed === false ? module('welcome') : null;
  if (welcome) {
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
  if (!onScreen) return;
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
  // The first screen (and the welcome, on a first run) is in place before the window shows.
  const first = [store.state.view];
  if (store.state.settings?.values?.welcomed === false) first.push('welcome');
  await Promise.all(first.filter((name) => loaders[name]).map((name) => load(name).catch(() => null)));
  // Now the window shows itself, with the page's frame in the right colours, and the
  // screen renders into it at its real size on the next frame: a hidden window has no
  // size, and a layout made there keeps a wrong wrapping and scroll position.
  await api.ready().catch(() => {});
  // A window the agent readied unseen before a break stays hidden until the break comes:
  // the screen is laid out only once the window is on screen.
  while (document.hidden) {
    await new Promise((resolve) => document.addEventListener('visibilitychange', resolve, { once: true }));
  }
  await new Promise((resolve) => requestAnimationFrame(resolve));
  onScreen = true;
  render();
  // The frame after next holds the screen: the benchmark times start-up to it.
  requestAnimationFrame(() => requestAnimationFrame(() => { api.painted().catch(() => {}); }));
  // Countdowns are animated here from the last snapshot; four times a second keeps the
  // session's seconds in step with the agent's deadlines without visible lag.
  setInterval(() => {
    if (document.hidden) return;
    if (store.state.view === 'session') session.tick(document.querySelector('[data-panel="session"]'), store.state);
    if (store.state.view === 'guide') modules.guide?.tick(document.querySelector('[data-panel="guide"]'), store.state);
  }, 250);
}

start();
