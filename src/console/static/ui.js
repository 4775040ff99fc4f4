// @ts-check
// What every view shares: building DOM, messages, formats, and the words the console shows for
// Graph's values (statuses and kinds as a person says them; alerts under their definitions'
// display names, read from Graph at run time).
import { graph } from './api.js';

/** h('tag.class', { attr }, ...children): builds DOM without markup strings. */
export function h(spec, attrs = {}, ...children) {
  const [tag, ...classes] = spec.split('.');
  const e = document.createElement(tag);
  if (classes.length) e.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}

export function message(kind, ...content) {
  return h(`div.message.${kind}`, { role: kind === 'error' ? 'alert' : 'status' }, ...content);
}

export const fmtTime = (ms) => (ms ? new Date(ms).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' }) : '—');
export const fmtIso = (iso) => (iso ? fmtTime(Date.parse(iso)) : 'never');
export const num = (n) => n.toLocaleString();
export const opHref = (id) => `#/operations/${encodeURIComponent(id)}`;

/** Graph's operation kinds, as an operator would name them. */
export const KIND_LABELS = { alertRefresh: 'Alert refresh', alertRefreshAll: 'Refresh of all alerts', passwordReset: 'Password reset' };
/** longRunningOperationStatus members, in the order an operation moves through them. */
export const STATUSES = ['notStarted', 'running', 'succeeded', 'failed'];
export const STATUS_LABELS = { notStarted: 'Not started', running: 'Running', succeeded: 'Succeeded', failed: 'Failed' };
export const EVENT_LABELS = {
  queued: 'Queued',
  claimed: 'Claimed by a worker',
  retryScheduled: 'Retry scheduled',
  leaseExpired: 'Lease expired',
  handedBack: 'Handed back',
  succeeded: 'Succeeded',
  failed: 'Failed',
};

/** The status in words; the class (and tests) keep Graph's value. */
export const statusBadge = (status) => h('span.status.status-' + status, {}, STATUS_LABELS[status] ?? status);

// ── alert names ───────────────────────────────────────────────────────────────────────

let definitionNames;

/**
 * Alert id → its definition's displayName (a definition has the id of its alert). Read once per
 * page from Graph; when the caller may not read alerts, or the read fails, the map is empty and
 * an alert is shown by its id.
 */
export function loadAlertNames(canRead) {
  if (!canRead) return Promise.resolve(new Map());
  definitionNames ??= graph.alertDefinitions().then(
    (definitions) => new Map(definitions.map((d) => [d.id, d.displayName])),
    () => {
      definitionNames = undefined;
      return new Map();
    },
  );
  return definitionNames;
}

/** An alert's name: its definition's displayName, or the alert id when it is unknown. */
export const alertName = (names, alertId) => names.get(alertId) ?? alertId;

/** What an operation acts on, in words. */
export function targetLabel(op, names) {
  if (op.kind === 'alertRefresh') return alertName(names, op.targetId);
  if (op.kind === 'alertRefreshAll') return 'All alerts';
  return op.targetName ?? op.targetId;
}

/**
 * For a view whose loads can overlap (pushed changes, buttons, a resync): each call marks a new
 * load and returns `isLatest()`, false once a later load has started, so only the latest renders.
 */
export function loadCounter() {
  let latest = 0;
  return () => {
    const mine = ++latest;
    return () => mine === latest;
  };
}
