// Small inline SVG charts, built element by element (no HTML parsing, no inline styles).
// Colours come from CSS classes (see css/history.css), so light and dark mode both work.
// Every chart is an image for assistive technology: role="img" and an aria-label summary
// given by the caller, who also offers the same figures as a table.

const NS = 'http://www.w3.org/2000/svg';
const DAY_MS = 24 * 60 * 60 * 1000;

/** An SVG element: s('rect', {x: 1, class: 'bar'}, child, 'text', ...). Text via text nodes. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Midnight at the start of a "2026-11-11" day, in local time (not UTC as Date.parse would). */
export function localDay(isoDate) {
  const [y, m, d] = String(isoDate).split('-').map(Number);
  return new Date(y, (m || 1) - 1, d || 1);
}

const short = (n) => Math.round(n * 10) / 10;

/** A bar with rounded top corners only, standing on `base`. */
function barPath(x, base, width, height) {
  const r = Math.min(5, width / 2, height);
  const top = base - height;
  return `M${short(x)},${short(base)}V${short(top + r)}Q${short(x)},${short(top)} ${short(x + r)},${short(top)}`
    + `H${short(x + width - r)}Q${short(x + width)},${short(top)} ${short(x + width)},${short(top + r)}V${short(base)}Z`;
}

/**
 * A bar chart: one bar per item, a label (and a second, smaller label) under each, the value
 * above each bar. Items with 0 get a thin stub so the day is still visibly there.
 *
 * options: value(d) → number, label(d, i), sublabel(d, i), valueText(d), title(d) (hover
 * text), highlight(d, i) → bool (default: the last item), ariaLabel, width, height,
 * minScale (the axis never tops out below this, so one small value is not a tall bar).
 */
export function barChart(items, options = {}) {
  const {
    width = 640,
    height = 220,
    value = (d) => d.moved_min,
    label = (d) => localDay(d.date).toLocaleDateString(undefined, { weekday: 'short' }),
    sublabel = (d) => String(localDay(d.date).getDate()),
    valueText = (d) => String(value(d)),
    title = (d) => `${label(d)}: ${value(d)}`,
    highlight = (d, i) => i === items.length - 1,
    ariaLabel = '',
    minScale = 5,
  } = options;
  const margin = { top: 26, bottom: 46, left: 4, right: 4 };
  const base = height - margin.bottom;
  const plotHeight = base - margin.top;
  const slot = (width - margin.left - margin.right) / Math.max(1, items.length);
  const barWidth = Math.min(34, slot * 0.62);
  const values = items.map((d) => Math.max(0, Number(value(d)) || 0));
  const max = Math.max(minScale, ...values);

  const svg = s('svg', {
    class: 'chart bar-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': ariaLabel,
  });
  items.forEach((d, i) => {
    const v = values[i];
    const center = margin.left + slot * (i + 0.5);
    const marked = highlight(d, i);
    const group = s('g', { class: marked ? 'bar-day is-today' : 'bar-day' });
    if (marked) {
      group.append(s('rect', {
        class: 'today-band', x: short(center - slot / 2 + 2), y: 2, width: short(slot - 4), height: height - 4, rx: 10,
      }));
    }
    if (v > 0) {
      const barHeight = Math.max(4, (plotHeight * v) / max);
      group.append(
        s('path', { class: 'bar', d: barPath(center - barWidth / 2, base, barWidth, barHeight) }, s('title', {}, title(d))),
        s('text', { class: 'bar-value', x: short(center), y: short(base - barHeight - 7), 'text-anchor': 'middle' }, valueText(d)),
      );
    } else {
      group.append(s('rect', {
        class: 'bar-zero', x: short(center - barWidth / 2), y: base - 3, width: short(barWidth), height: 3, rx: 1.5,
      }, s('title', {}, title(d))));
    }
    group.append(
      s('text', { class: 'bar-label', x: short(center), y: base + 20, 'text-anchor': 'middle' }, label(d, i)),
      s('text', { class: 'bar-sublabel', x: short(center), y: base + 37, 'text-anchor': 'middle' }, sublabel(d, i)),
    );
    svg.append(group);
  });
  svg.append(s('line', { class: 'baseline', x1: margin.left, x2: width - margin.right, y1: base, y2: base }));
  return svg;
}

/**
 * A line chart with dots over time: x is a time in ms (default: Date.parse(p.at)), y a value
 * on a fixed scale (default: p.score on 0–10, with grid lines every 2).
 *
 * options: x(p), y(p), yMin, yMax, yTicks, from / to (ms; default: the first and last
 * point), xTicks (how many date labels, at most), tickLabel(ms), title(p) (hover text),
 * valueLabels (write each value by its dot; default when there are at most 14 points),
 * ariaLabel, width, height.
 */
export function lineChart(points, options = {}) {
  const {
    width = 640,
    height = 240,
    x = (p) => Date.parse(p.at),
    y = (p) => p.score,
    yMin = 0,
    yMax = 10,
    yTicks = [0, 2, 4, 6, 8, 10],
    xTicks = 5,
    tickLabel = (t) => new Date(t).toLocaleDateString(undefined, { day: 'numeric', month: 'short' }),
    title = (p) => `${y(p)}`,
    valueLabels = points.length <= 14,
    ariaLabel = '',
  } = options;
  const margin = { top: 22, right: 22, bottom: 34, left: 36 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const sorted = [...points].sort((a, b) => x(a) - x(b));
  const xs = sorted.map(x);
  let from = options.from ?? Math.min(...xs);
  let to = options.to ?? Math.max(...xs);
  if (!Number.isFinite(from) || !Number.isFinite(to)) {
    from = Date.now() - DAY_MS;
    to = Date.now();
  }
  if (to - from < DAY_MS / 24) {
    from -= DAY_MS / 2;
    to += DAY_MS / 2;
  }
  const clampY = (v) => Math.min(yMax, Math.max(yMin, Number(v) || 0));
  const px = (t) => margin.left + (Math.min(to, Math.max(from, t)) - from) / (to - from) * plotWidth;
  const py = (v) => margin.top + (1 - (clampY(v) - yMin) / (yMax - yMin)) * plotHeight;

  const svg = s('svg', {
    class: 'chart line-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': ariaLabel,
  });
  const grid = s('g', { class: 'grid' });
  for (const tick of yTicks) {
    grid.append(
      s('line', { class: tick === yMin ? 'baseline' : 'grid-line', x1: margin.left, x2: width - margin.right, y1: short(py(tick)), y2: short(py(tick)) }),
      s('text', { class: 'axis-label', x: margin.left - 10, y: short(py(tick)), dy: '0.35em', 'text-anchor': 'end' }, String(tick)),
    );
  }
  // Date labels, evenly spaced, never the same day twice.
  const count = Math.max(2, Math.min(xTicks, Math.round((to - from) / DAY_MS) + 1));
  const seen = new Set();
  for (let i = 0; i < count; i += 1) {
    const t = from + ((to - from) * i) / (count - 1);
    const text = tickLabel(t);
    if (seen.has(text)) continue;
    seen.add(text);
    const anchor = i === 0 ? 'start' : i === count - 1 ? 'end' : 'middle';
    grid.append(s('text', { class: 'axis-label', x: short(px(t)), y: height - 10, 'text-anchor': anchor }, text));
  }
  svg.append(grid);

  const coords = sorted.map((p) => [short(px(x(p))), short(py(y(p)))]);
  if (coords.length > 1) {
    const line = coords.map(([cx, cy], i) => `${i ? 'L' : 'M'}${cx},${cy}`).join('');
    const floor = short(py(yMin));
    svg.append(
      s('path', { class: 'area', d: `${line}L${coords.at(-1)[0]},${floor}L${coords[0][0]},${floor}Z` }),
      s('path', { class: 'line', d: line }),
    );
  }
  const dots = s('g', { class: 'dots' });
  const labels = s('g', { class: 'dot-values' });
  let labelledX = Infinity;
  // Newest first, so the latest value is always written and crowded older ones are not.
  for (let i = sorted.length - 1; i >= 0; i -= 1) {
    const p = sorted[i];
    const [cx, cy] = coords[i];
    const latest = i === sorted.length - 1;
    dots.prepend(s('circle', { class: latest ? 'dot is-latest' : 'dot', cx, cy, r: latest ? 6.5 : 5 }, s('title', {}, title(p))));
    if (valueLabels && labelledX - cx >= 20) {
      labelledX = cx;
      // Above the dot, or below it when the dot is at the very top.
      const above = cy - 12 > margin.top - 8;
      labels.prepend(s('text', { class: 'dot-value', x: cx, y: short(above ? cy - 12 : cy + 22), 'text-anchor': 'middle' }, String(y(p))));
    }
  }
  svg.append(dots, labels);
  return svg;
}
