// The History screen: today and this week at a glance, minutes moved over the last 14
// days, how the back felt at each check-in (and a check-in form for any time), the recent
// sessions, and exporting the whole history as CSV or JSON.
//
// The agent keeps the figures up to date and sends them as the `history` snapshot; this
// page only draws them. The panel's frame is built once; only the parts that show the
// figures are redrawn, and only when the figures changed, so focus, scroll and a
// half-written check-in survive the agent's snapshots.

import { h } from '../dom.js';
import { clockTime } from '../time.js';
import { barChart, lineChart, localDay } from '../charts.js';
import { areaLabel, backAreas, noteMaxChars } from '../vocabulary.js';

const OUTCOMES = { completed: 'completed', stopped: 'stopped early', abandoned: 'ended after a long pause' };
const DAY_MS = 24 * 60 * 60 * 1000;
// The last render's arguments, to redraw after a resize.
let latest = null;
// The figures each panel shows (as JSON), to redraw only when they change, and the width
// the charts were drawn for.
const drawn = new WeakMap();
let drawnWidth = 0;
let resizeTimer = null;

/** The width to draw charts at: the body's, less a card's padding and border. */
function chartWidth(body) {
  return Math.round(Math.min(900, Math.max(320, (body.clientWidth || 720) - 58)));
}

function onResize() {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    if (!latest || latest.panel.hidden || !drawnWidth) return;
    const body = latest.panel.querySelector('[data-history-body]');
    if (!body?.clientWidth || Math.abs(chartWidth(body) - drawnWidth) < 24) return;
    drawn.delete(latest.panel);
    render(latest.panel, latest.ctx.store?.state ?? latest.state, latest.ctx);
  }, 200);
}

// ---------- words ----------

const plural = (n, one, many) => (n === 1 ? one : many);

function dayKey(date) {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** "Mon 23 Nov" (names in the user's language), with the year when it is not this year. */
function dayText(date, withYear = false) {
  const part = (opts) => date.toLocaleDateString(undefined, opts);
  const text = `${part({ weekday: 'short' })} ${date.getDate()} ${part({ month: 'short' })}`;
  return withYear ? `${text} ${date.getFullYear()}` : text;
}

/** "Today 10:05", "Yesterday 18:40", "Mon 23 Nov 14:30", from an RFC 3339 time. */
function whenText(rfc3339, todayKey) {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return '';
  const today = localDay(todayKey);
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  const key = dayKey(date);
  const time = clockTime(rfc3339);
  if (key === todayKey) return `Today ${time}`;
  if (key === dayKey(yesterday)) return `Yesterday ${time}`;
  return `${dayText(date, date.getFullYear() !== today.getFullYear())} ${time}`;
}

/** "45 s", "3 min", "3 min 13 s", "1 h 05 min". */
function movedText(seconds) {
  const total = Math.max(0, Math.round(Number(seconds) || 0));
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes >= 60) return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
  return total % 60 ? `${minutes} min ${total % 60} s` : `${minutes} min`;
}

function isConnected() {
  return Boolean(latest?.ctx?.store?.state?.connected ?? latest?.state?.connected);
}

function showMessage(el, text) {
  el.textContent = text ?? '';
  el.hidden = !text;
}

// ---------- the frame, built once ----------

function exportButton(format, text, panel, ctx) {
  return h('button', {
    type: 'button', class: 'btn', 'data-export': format, 'data-needs-agent': true,
    onclick: async (event) => {
      const button = event.currentTarget;
      const message = panel.querySelector('[data-export-message]');
      button.dataset.busy = 'yes';
      button.disabled = true;
      const saved = await ctx.run(ctx.api.exportHistory(format));
      delete button.dataset.busy;
      button.disabled = !isConnected();
      if (!saved) return;
      const text = `Saved to ${saved.path} (${saved.events} ${plural(saved.events, 'event', 'events')})`;
      showMessage(message, text);
      ctx.announce(text);
    },
  }, text);
}

function build(panel, ctx) {
  drawn.delete(panel);
  panel.dataset.built = 'history';
  panel.replaceChildren(
    h('h2', { id: 'history-title' }, 'History'),
    h('p', { class: 'lead' }, 'Breaks taken, minutes moved, and how your back feels over time.'),
    h('div', { class: 'history-status', role: 'status', 'data-history-status': true }),
    h('div', { class: 'history-body', 'data-history-body': true }),
    h('section', { class: 'card history-checkins', 'aria-labelledby': 'history-checkins-title', 'data-history-checkins': true, hidden: true },
      h('div', { class: 'card-head' },
        h('h3', { id: 'history-checkins-title' }, 'How your back felt'),
        h('button', { type: 'button', class: 'btn', 'data-checkin-open': true, 'data-needs-agent': true,
          onclick: () => openCheckin(panel, ctx) }, 'Check in now')),
      h('p', { class: 'form-message', 'data-checkin-message': true, hidden: true }),
      h('div', { 'data-checkin-slot': true }),
      h('div', { 'data-checkin-chart': true })),
    h('section', { class: 'card', 'aria-labelledby': 'history-sessions-title', 'data-history-sessions': true, hidden: true },
      h('h3', { id: 'history-sessions-title' }, 'Recent sessions'),
      h('div', { 'data-recent-sessions': true })),
    h('section', { class: 'card', 'aria-labelledby': 'history-export-title', 'data-history-export': true, hidden: true },
      h('h3', { id: 'history-export-title' }, 'Export your history'),
      h('p', { class: 'muted' }, 'A copy of everything Limber recorded, to keep or to show someone, for example your physiotherapist. CSV opens in a spreadsheet.'),
      h('div', { class: 'actions' },
        exportButton('csv', 'Export CSV', panel, ctx),
        exportButton('json', 'Export JSON', panel, ctx)),
      h('p', { class: 'form-message export-message', 'data-export-message': true, hidden: true })),
    h('p', { class: 'muted small history-footnote', 'data-history-footnote': true },
      'This history is for your own reflection. It is not a medical record, and Limber does not diagnose or treat. '
      + 'If your back pain is severe, getting worse, or spreads down a leg, talk to a health professional.'),
  );
}

// ---------- check in any time ----------

function openCheckin(panel, ctx) {
  const slot = panel.querySelector('[data-checkin-slot]');
  const button = panel.querySelector('[data-checkin-open]');
  showMessage(panel.querySelector('[data-checkin-message]'), null);
  if (!slot.firstChild) {
    slot.append(checkinForm(ctx, (saved) => {
      slot.replaceChildren();
      button.hidden = false;
      button.focus();
      if (saved) {
        const text = `Check-in saved: ${saved.score} out of 10. Thank you.`;
        showMessage(panel.querySelector('[data-checkin-message]'), text);
        ctx.announce(text);
      }
    }));
    button.hidden = true;
  }
  slot.querySelector('input[name="history-score"]')?.focus();
}

function checkinForm(ctx, close) {
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  const fail = (text) => { error.textContent = text; error.hidden = false; };
  const scores = h('div', { class: 'scores', role: 'radiogroup', 'aria-label': 'Pain from 0, none, to 10, the worst' },
    Array.from({ length: 11 }, (_, n) => h('label', { class: 'score' },
      h('input', { type: 'radio', name: 'history-score', value: n }), h('span', {}, String(n)))));
  const AREAS = backAreas(ctx.store?.state);
  const MAX_NOTE = noteMaxChars(ctx.store?.state);
  const areas = h('div', { class: 'chips' }, [['', 'Nowhere in particular'], ...AREAS].map(([value, label]) => h('label', { class: 'chip' },
    h('input', { type: 'radio', name: 'history-area', value, checked: value === '' }), h('span', {}, label))));
  const count = h('span', { id: 'history-note-count', class: 'muted small' }, `0 of ${MAX_NOTE} characters`);
  const note = h('textarea', {
    id: 'history-checkin-note', rows: 2, maxlength: MAX_NOTE, 'data-checkin-note': true, 'aria-describedby': 'history-note-count',
    oninput: () => { count.textContent = `${note.value.length} of ${MAX_NOTE} characters`; },
  });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', 'data-action': 'save-checkin', 'data-needs-agent': true,
    disabled: !isConnected() }, 'Save');
  const form = h('form', {
    class: 'checkin history-checkin', 'data-history-checkin': true, 'aria-label': 'Check in',
    onsubmit: async (event) => {
      event.preventDefault();
      error.hidden = true;
      const score = form.querySelector('input[name="history-score"]:checked');
      if (!score) {
        fail('Pick a number from 0 to 10.');
        form.querySelector('input[name="history-score"]').focus();
        return;
      }
      const area = form.querySelector('input[name="history-area"]:checked')?.value || null;
      const text = note.value.trim().slice(0, MAX_NOTE);
      save.dataset.busy = 'yes';
      save.disabled = true;
      try {
        await ctx.api.checkIn({ score: Number(score.value), area, note: text || null, after_session: false });
        close({ score: Number(score.value) });
      } catch (e) {
        fail(e?.message ?? String(e));
      } finally {
        delete save.dataset.busy;
        save.disabled = !isConnected();
      }
    },
  },
  h('fieldset', {},
    h('legend', {}, 'How does your back feel right now?'),
    h('p', { class: 'muted small' }, '0 is no pain, 10 the worst you can imagine.'),
    scores),
  h('fieldset', {}, h('legend', {}, 'Where, if anywhere?'), areas),
  h('div', { class: 'note-field' },
    h('label', { for: 'history-checkin-note' }, 'A note for yourself (optional)'),
    note,
    count),
  error,
  h('div', { class: 'actions' },
    save,
    h('button', { type: 'button', class: 'btn', 'data-action': 'cancel-checkin', onclick: () => close(null) }, 'Cancel')));
  return form;
}

// ---------- the figures ----------

function stat(value, one, many, extra = '') {
  const n = Number(value) || 0;
  return h('li', { class: `stat${n === 0 ? ' is-zero' : ''}${extra}` },
    h('span', { class: 'stat-value' }, String(n)), ' ',
    h('span', { class: 'stat-label' }, plural(n, one, many)));
}

function periodCard(title, id, period, hook, aside) {
  return h('section', { class: 'card glance-card', 'aria-labelledby': id, [hook]: true },
    h('div', { class: 'card-head' }, h('h3', { id }, title), aside),
    h('ul', { class: 'stats', role: 'list' },
      stat(period.breaks_taken, 'break taken', 'breaks taken', ' stat-main'),
      stat(period.breaks_skipped, 'skipped', 'skipped'),
      stat(period.moved_min, 'minute moved', 'minutes moved', ' stat-main'),
      stat(period.sessions, 'stretch session', 'stretch sessions'),
      stat(period.natural_breaks, 'natural break', 'natural breaks')));
}

function streakText(stats) {
  const n = stats.streak_days ?? 0;
  if (n <= 0) return null;
  if (n === 1) return stats.today?.sessions > 0 ? 'Stretched today' : 'Stretched yesterday';
  return `Stretched ${n} days in a row`;
}

function glance(stats) {
  const streak = streakText(stats);
  return h('div', { class: 'glance' },
    periodCard('Today', 'history-today-title', stats.today, 'data-history-today',
      streak
        ? h('span', { class: 'streak', 'data-streak': stats.streak_days }, streak)
        : h('span', { class: 'muted small', 'data-streak': 0 }, 'A stretch session today starts a streak')),
    periodCard('This week', 'history-week-title', stats.week, 'data-history-week',
      h('span', { class: 'muted small' }, 'Monday to today')),
    h('p', { class: 'muted small glance-note' }, 'A natural break is time away from your computer long enough to count as a break.'));
}

function srTable(caption, headers, rows, hook) {
  // The wrapper, not the table, is visually hidden: a table would not shrink to 1px.
  return h('div', { class: 'sr-only' }, h('table', { [hook]: true },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((text, i) => (i === 0 ? h('th', { scope: 'row' }, text) : h('td', {}, text))))))));
}

function minutesCard(stats, width) {
  const days = stats.days ?? [];
  // Roomy slots say "Today" and "Mon"; narrow ones a letter ("M"), today still marked.
  const roomy = width / Math.max(1, days.length) >= 40;
  const last = days.length - 1;
  const total = days.reduce((sum, d) => sum + d.moved_min, 0);
  const active = days.filter((d) => d.moved_min > 0).length;
  const best = days.reduce((a, d) => (d.moved_min > (a?.moved_min ?? 0) ? d : a), null);
  const longDay = (d) => dayText(localDay(d.date));
  const summary = total
    ? `Minutes moved per day over the last ${days.length} days: ${total} in total, on ${active} ${plural(active, 'day', 'days')}. `
      + `Most on ${longDay(best)}, ${best.moved_min} min. Today ${days[last]?.moved_min ?? 0} min.`
    : `Minutes moved per day over the last ${days.length} days: none yet.`;
  const chart = barChart(days, {
    width,
    ariaLabel: summary,
    label: (d, i) => (i === last && roomy ? 'Today' : localDay(d.date).toLocaleDateString(undefined, { weekday: roomy ? 'short' : 'narrow' })),
    sublabel: (d) => String(localDay(d.date).getDate()),
    highlight: (d, i) => i === last,
    title: (d) => `${longDay(d)}: ${d.moved_min} min, ${d.sessions} ${plural(d.sessions, 'session', 'sessions')}`,
  });
  chart.setAttribute('data-bar-chart', '');
  return h('section', { class: 'card chart-card', 'aria-labelledby': 'history-minutes-title' },
    h('div', { class: 'card-head' },
      h('h3', { id: 'history-minutes-title' }, 'Minutes moved'),
      h('span', { class: 'muted small' }, `Last ${days.length} days`)),
    h('p', { class: 'muted small chart-sub' }, total
      ? `${total} min in all, on ${active} of ${days.length} days.`
      : days.some((d) => d.sessions > 0)
        ? 'Short sessions so far: under a minute in all.'
        : `No stretch sessions in the last ${days.length} days yet.`),
    h('div', { class: 'chart-wrap' }, chart),
    srTable('Minutes moved per day', ['Day', 'Minutes moved', 'Sessions'],
      days.map((d, i) => [i === last ? `Today, ${longDay(d)}` : longDay(d), `${d.moved_min} min`, String(d.sessions)]),
      'data-bar-chart-table'));
}

function fillCheckins(panel, stats, todayKey, width) {
  const slot = panel.querySelector('[data-checkin-chart]');
  const points = stats.checkins ?? [];
  if (!points.length) {
    slot.replaceChildren(h('div', { class: 'checkin-empty', 'data-checkin-empty': true },
      h('p', {}, h('strong', {}, 'No check-ins yet.')),
      h('p', { class: 'muted' }, 'Note how your back feels now and then, after a session or any time, and see here how it changes.')));
    return;
  }
  const lastPoint = points.at(-1);
  const scores = points.map((p) => p.score);
  const when = (p) => whenText(p.at, todayKey);
  const summary = points.length === 1
    ? `Pain check-ins, 0 is none and 10 the worst: one check-in, ${lastPoint.score} out of 10, ${when(lastPoint)}.`
    : `Pain check-ins, 0 is none and 10 the worst: ${points.length} check-ins from ${dayText(localDay(points[0].date))} to ${dayText(localDay(lastPoint.date))}, `
      + `scores from ${Math.min(...scores)} to ${Math.max(...scores)}. First ${points[0].score}, latest ${lastPoint.score}.`;
  const to = localDay(todayKey).getTime() + DAY_MS - 1;
  const chart = lineChart(points, {
    width,
    xTicks: width < 480 ? 3 : 5,
    ariaLabel: summary,
    from: Math.min(localDay(points[0].date).getTime(), to - 7 * DAY_MS),
    to,
    tickLabel: (t) => { const d = new Date(t); return `${d.getDate()} ${d.toLocaleDateString(undefined, { month: 'short' })}`; },
    title: (p) => `${when(p)}: ${p.score} out of 10${p.area ? `, ${areaLabel(p.area)}` : ''}`,
  });
  chart.setAttribute('data-line-chart', '');
  slot.replaceChildren(
    h('p', { class: 'muted small chart-sub' },
      `Latest: ${lastPoint.score} out of 10, ${when(lastPoint).replace(/^(Today|Yesterday)/, (w) => w.toLowerCase())}. 0 is no pain, 10 the worst.`),
    h('div', { class: 'chart-wrap' }, chart),
    srTable('Check-ins', ['When', 'Score', 'Where', 'Note'],
      points.map((p) => [when(p), `${p.score} out of 10`, p.area ? (areaLabel(p.area)) : 'Not given', p.note ?? '']),
      'data-line-chart-table'));
}

function fillSessions(panel, stats, todayKey) {
  const box = panel.querySelector('[data-recent-sessions]');
  const rows = stats.recent_sessions ?? [];
  if (!rows.length) {
    box.replaceChildren(h('p', { class: 'muted' }, 'No stretch sessions yet. Start one from the Session or Routines screen.'));
    return;
  }
  box.replaceChildren(h('ul', { class: 'session-list', role: 'list' }, rows.map((row) => h('li', {
    class: 'session-row', 'data-session-row': true, 'data-outcome': row.outcome,
  },
  h('div', { class: 'session-main' },
    h('span', { class: 'session-name' }, row.routine_name || row.routine),
    h('span', { class: 'session-meta' },
      h('time', { datetime: row.at }, whenText(row.at, todayKey)),
      ' · ', `${row.steps_done} of ${row.steps_total} ${plural(row.steps_total, 'exercise', 'exercises')}`,
      ' · ', `${movedText(row.active_s)} moved`)),
  h('span', { class: `outcome outcome-${row.outcome}` }, OUTCOMES[row.outcome] ?? String(row.outcome))))));
}

function skippedNote(count, path) {
  return h('p', { class: 'history-note', 'data-history-skipped': count },
    `${count} damaged ${plural(count, 'line', 'lines')} in your history file ${plural(count, 'was', 'were')} skipped; everything else is shown here. The file is `,
    h('code', {}, String(path ?? '')), '.');
}

function draw(panel, result) {
  const stats = result.stats ?? {};
  const todayKey = stats.days?.at(-1)?.date ?? dayKey(new Date());
  const empty = !stats.total_events;
  const body = panel.querySelector('[data-history-body]');
  // Charts are drawn at the size they are shown (inside a card's padding), so their text
  // is as large as the page's; a resize redraws them.
  const width = chartWidth(body);
  drawnWidth = width;
  body.replaceChildren(...[
    result.skipped_lines > 0 ? skippedNote(result.skipped_lines, result.path) : null,
    ...(empty
      ? [h('div', { class: 'card empty', 'data-history-empty': true },
          h('img', { src: 'art/empty-mat.svg', alt: '' }),
          h('p', {}, 'Nothing recorded yet: your breaks and stretch sessions will appear here.'))]
      : [glance(stats), minutesCard(stats, width)]),
  ].filter(Boolean));
  fillCheckins(panel, stats, todayKey, width);
  fillSessions(panel, stats, todayKey);
  panel.querySelector('[data-history-checkins]').hidden = false;
  panel.querySelector('[data-history-sessions]').hidden = empty;
  panel.querySelector('[data-history-export]').hidden = false;
}

function drawStatus(panel, state) {
  const box = panel.querySelector('[data-history-status]');
  let key = '';
  if (!state.history) key = state.connected ? 'loading' : 'waiting';
  else if (!state.history.loaded) key = 'loading';
  if (box.dataset.key === key) return;
  box.dataset.key = key;
  if (key === 'loading') box.replaceChildren(h('p', { class: 'muted' }, 'Loading your history…'));
  else if (key === 'waiting') box.replaceChildren(h('p', { class: 'muted' }, 'Waiting for the Limber agent…'));
  else box.replaceChildren();
}

// ---------- entry point ----------

export function render(panel, state, ctx) {
  latest = { panel, state, ctx };
  if (panel.dataset.built !== 'history') {
    build(panel, ctx);
    window.removeEventListener('resize', onResize);
    window.addEventListener('resize', onResize);
  }
  for (const el of panel.querySelectorAll('[data-needs-agent]')) {
    const disabled = !state.connected || el.dataset.busy === 'yes';
    if (el.disabled !== disabled) el.disabled = disabled;
  }
  drawStatus(panel, state);
  const result = state.history;
  if (!result?.loaded) return;
  const key = JSON.stringify(result);
  // The window may have been resized while another screen was shown.
  const body = panel.querySelector('[data-history-body]');
  if (body.clientWidth && drawnWidth && Math.abs(chartWidth(body) - drawnWidth) >= 24) drawn.delete(panel);
  if (drawn.get(panel) === key) return;
  drawn.set(panel, key);
  draw(panel, result);
}
