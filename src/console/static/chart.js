// @ts-check
// Two small inline-SVG charts, no library: operations per minute by status (stacked bars) and
// completion-time percentiles per minute (lines). Built with DOM calls: no markup from data.

const NS = 'http://www.w3.org/2000/svg';
export const STATUS_COLOURS = { succeeded: '#1e7b34', failed: '#b3261e', running: '#1a5fb4', notStarted: '#8e8e93' };
const LINE_COLOURS = { p50: '#1a5fb4', p90: '#c36b00', p99: '#b3261e' };
const W = 560,
  H = 200,
  L = 40,
  R = 8,
  T = 10,
  B = 24;

function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function niceMax(v) {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function frame(label, max, format) {
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label });
  svg.append(el('title', {}, label));
  for (let i = 0; i <= 4; i++) {
    const y = T + ((H - T - B) * i) / 4;
    svg.append(el('line', { x1: L, x2: W - R, y1: y, y2: y, stroke: '#e3e5e9' }));
    svg.append(el('text', { x: L - 4, y: y + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#5a5a60' }, format(max - (max * i) / 4)));
  }
  return svg;
}

const hhmm = (t) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });

function timeAxis(svg, minutes, x) {
  const step = Math.max(1, Math.ceil(minutes.length / 6));
  minutes.forEach((m, i) => {
    if (i % step === 0 || i === minutes.length - 1) {
      svg.append(
        el(
          'text',
          { x: x(i), y: H - 6, 'text-anchor': i === minutes.length - 1 ? 'end' : 'middle', 'font-size': 10, fill: '#5a5a60' },
          hhmm(m.t),
        ),
      );
    }
  });
}

export function legend(colours) {
  const ul = document.createElement('ul');
  ul.className = 'legend';
  for (const [name, colour] of Object.entries(colours)) {
    const li = document.createElement('li');
    li.style.setProperty('--c', colour);
    li.textContent = name;
    ul.append(li);
  }
  return ul;
}

/** Stacked bars: how many operations were created in each minute, by their current status. */
export function operationsChart(stats) {
  const minutes = stats.minutes;
  const totals = minutes.map((m) => Object.values(m.counts).reduce((a, b) => a + b, 0));
  const sum = totals.reduce((a, b) => a + b, 0);
  const max = niceMax(Math.max(...totals, 1));
  const svg = frame(`Operations created per minute over the last ${minutes.length} minutes, by status: ${sum} in all`, max, (v) =>
    String(Math.round(v)),
  );
  const slot = (W - L - R) / Math.max(minutes.length, 1);
  const x = (i) => L + slot * i + slot / 2;
  const yScale = (v) => ((H - T - B) * v) / max;
  minutes.forEach((m, i) => {
    let y = H - B;
    for (const status of ['succeeded', 'failed', 'running', 'notStarted']) {
      const n = m.counts[status] ?? 0;
      if (n === 0) continue;
      const h = yScale(n);
      y -= h;
      const rect = el('rect', { x: L + slot * i + slot * 0.15, y, width: slot * 0.7, height: h, fill: STATUS_COLOURS[status] });
      rect.append(el('title', {}, `${hhmm(m.t)}: ${n} ${status}`));
      svg.append(rect);
    }
  });
  timeAxis(svg, minutes, x);
  return svg;
}

const fmtMs = (ms) => (ms >= 10_000 ? `${Math.round(ms / 1000)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);

/** Lines of p50/p90/p99 completion time (created → finished) of the operations finished each minute. */
export function latencyChart(stats) {
  const minutes = stats.minutes;
  const values = minutes.flatMap((m) => [m.p50, m.p90, m.p99]).filter((v) => v !== null);
  const max = niceMax(Math.max(...values, 1));
  const o = stats.overall;
  const label =
    o.finished === 0
      ? 'Completion-time percentiles: no operation finished in this window'
      : `Completion-time percentiles per minute; over the window p50 ${fmtMs(o.p50)}, p90 ${fmtMs(o.p90)}, p99 ${fmtMs(o.p99)} of ${o.finished} operations`;
  const svg = frame(label, max, fmtMs);
  const slot = (W - L - R) / Math.max(minutes.length, 1);
  const x = (i) => L + slot * i + slot / 2;
  const y = (v) => H - B - ((H - T - B) * v) / max;
  for (const key of ['p50', 'p90', 'p99']) {
    let d = '';
    minutes.forEach((m, i) => {
      const v = m[key];
      if (v === null) return;
      d += `${d === '' || minutes[i - 1]?.[key] === null ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
      const dot = el('circle', { cx: x(i), cy: y(v), r: 2.5, fill: LINE_COLOURS[key] });
      dot.append(el('title', {}, `${hhmm(m.t)} ${key}: ${fmtMs(v)} (${m.finished} finished)`));
      svg.append(dot);
    });
    if (d) svg.append(el('path', { d, fill: 'none', stroke: LINE_COLOURS[key], 'stroke-width': 2 }));
  }
  timeAxis(svg, minutes, x);
  return svg;
}

export const LATENCY_COLOURS = LINE_COLOURS;
export { fmtMs };
