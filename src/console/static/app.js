// @ts-check
// The Longrun operator console: a small single-page app (hash routes), plain ES modules.
import { ApiError, consoleApi, graph, operationEvents, session } from './api.js';
import { fmtMs, LATENCY_COLOURS, latencyChart, legend, operationsChart, STATUS_COLOURS } from './chart.js';
import { operationControls, renderControls } from './controls.js';

const main = document.getElementById('main');
const banner = document.getElementById('banner');
const PAGE_SIZE = 50;
const KIND_LABELS = { alertRefresh: 'Alert refresh', alertRefreshAll: 'Refresh all alerts', passwordReset: 'Password reset' };
const STATUSES = ['notStarted', 'running', 'succeeded', 'failed'];
const EVENT_LABELS = {
  queued: 'Queued',
  claimed: 'Claimed by a worker',
  retryScheduled: 'Retry scheduled',
  leaseExpired: 'Lease expired',
  handedBack: 'Handed back',
  succeeded: 'Succeeded',
  failed: 'Failed',
};

/** h('tag.class', { attr }, ...children): builds DOM without markup strings. */
function h(spec, attrs = {}, ...children) {
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

const fmtTime = (ms) => (ms ? new Date(ms).toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' }) : '—');
const fmtIso = (iso) => (iso ? fmtTime(Date.parse(iso)) : 'never');
const num = (n) => n.toLocaleString();
const statusBadge = (status) => h('span.status.status-' + status, {}, status);
const alertTypeOf = (alertId) => String(alertId).split('_').pop() ?? alertId;
const humanType = (type) => type.replace(/Alert$/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
const opHref = (id) => `#/operations/${encodeURIComponent(id)}`;

function targetLabel(op) {
  if (op.kind === 'alertRefresh') return humanType(alertTypeOf(op.targetId));
  if (op.kind === 'alertRefreshAll') return 'All alerts';
  return op.targetName ?? op.targetId;
}

function message(kind, ...content) {
  return h(`div.message.${kind}`, { role: kind === 'error' ? 'alert' : 'status' }, ...content);
}

function showBanner(text, action) {
  banner.replaceChildren(h('span', {}, text), action ?? '');
  banner.hidden = false;
}
const hideBanner = () => {
  banner.hidden = true;
  banner.replaceChildren();
};

// ── session ────────────────────────────────────────────────────────────────────────────

let stopEvents = () => {};
const listeners = new Set();
let liveState = 'down';

function setWho() {
  const s = session.get();
  document.getElementById('nav').hidden = !s;
  document.getElementById('who').hidden = !s;
  document.getElementById('who-name').textContent = s ? `${s.user.name || s.user.upn} (${s.user.upn})` : '';
  if (s) {
    for (const a of /** @type {NodeListOf<HTMLAnchorElement>} */ (document.querySelectorAll('#nav a'))) {
      const view = a.dataset.view;
      a.parentElement.hidden =
        (view === 'alerts' && !s.access.readAlerts) ||
        (view === 'reset' && !s.access.resetPasswords) ||
        (view === 'controls' && !s.access.controls);
    }
  }
}

function signOut(reason) {
  stopEvents();
  stopEvents = () => {};
  session.clear();
  void consoleApi.signOut();
  setWho();
  hideBanner();
  renderSignIn(reason);
}

/** Any call's failure: an expired token signs out; an unreachable server shows the banner. */
function handleError(err, where) {
  if (err instanceof ApiError && err.expired) {
    signOut('Your session has expired or is no longer valid. Sign in again.');
    return null;
  }
  if (err instanceof ApiError && err.unreachable) {
    showBanner('The Longrun server cannot be reached.', h('button.secondary', { type: 'button', onclick: () => route() }, 'Try again'));
  }
  const text = err instanceof Error ? err.message : String(err);
  const box = message('error', text);
  where?.replaceChildren(box);
  return box;
}

function startEvents(since) {
  stopEvents();
  let closed = false;
  const stop = operationEvents(since, {
    onOperation: (row) => {
      for (const l of listeners) l(row);
    },
    onResync: () => {
      for (const l of listeners) l(null);
    },
    onExpired: () => signOut('Your session has expired. Sign in again.'),
    onState: (state) => {
      liveState = state;
      for (const el of document.querySelectorAll('.live')) renderLive(el);
      if (state === 'live') hideBanner();
      else if (!closed) showBanner('Live updates interrupted: the server cannot be reached. Reconnecting…');
    },
    onClosed: async () => {
      closed = true;
      try {
        await consoleApi.me();
        showBanner(
          'Live updates stopped.',
          h(
            'button.secondary',
            {
              type: 'button',
              onclick: () => {
                hideBanner();
                startEvents(Date.now() - 60_000);
              },
            },
            'Reconnect',
          ),
        );
      } catch (err) {
        handleError(err);
      }
    },
  });
  stopEvents = () => {
    closed = true;
    stop();
  };
}

function renderLive(el) {
  el.dataset.state = liveState;
  el.textContent = liveState === 'live' ? 'Live' : 'Not live';
}

// ── sign-in ────────────────────────────────────────────────────────────────────────────

function renderSignIn(notice) {
  const errorBox = h('div', { id: 'sign-in-error' });
  if (notice) errorBox.append(message('info', notice));
  const form = h(
    'form.signin',
    { novalidate: true, 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title', tabindex: '-1' }, 'Sign in'),
    h(
      'p.hint',
      {},
      'Sign in with your directory account. Operators need a role such as Privileged Role Administrator or Authentication Administrator.',
    ),
    errorBox,
    h(
      'div.field',
      {},
      h('label', { for: 'username' }, 'User name'),
      h('input', {
        id: 'username',
        name: 'username',
        type: 'email',
        autocomplete: 'username',
        required: true,
        placeholder: 'name@contoso.onmicrosoft.com',
      }),
    ),
    h(
      'div.field',
      {},
      h('label', { for: 'password' }, 'Password'),
      h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true }),
    ),
    h(
      'details',
      {},
      h('summary', {}, 'Other tenant or application'),
      h(
        'div.field',
        {},
        h('label', { for: 'tenant' }, 'Tenant (domain or id)'),
        h('input', { id: 'tenant', name: 'tenant', autocomplete: 'off', 'aria-describedby': 'tenant-hint' }),
        h('p.hint', { id: 'tenant-hint' }, 'Defaults to the domain of the user name.'),
      ),
      h(
        'div.field',
        {},
        h('label', { for: 'clientId' }, 'Public client id'),
        h('input', { id: 'clientId', name: 'clientId', autocomplete: 'off', 'aria-describedby': 'client-hint' }),
        h('p.hint', { id: 'client-hint' }, 'Defaults to the demo client; another application must be a public client (no secret).'),
      ),
    ),
    h('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    if (!data.username || !data.password) {
      errorBox.replaceChildren(message('error', 'Enter your user name and password.'));
      return;
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    button.textContent = 'Signing in…';
    try {
      const s = await consoleApi.signIn(data);
      session.set(s);
      startEvents(s.now - 5000);
      setWho();
      hideBanner();
      if (!location.hash || location.hash === '#/' || location.hash === '#/sign-in') location.hash = '#/operations';
      else void route();
    } catch (err) {
      errorBox.replaceChildren(message('error', err.message));
      if (err instanceof ApiError && err.unreachable) showBanner('The Longrun server cannot be reached.');
      form.querySelector('#password').value = '';
      form.querySelector('#password').focus();
    } finally {
      button.disabled = false;
      button.textContent = 'Sign in';
    }
  });
  main.replaceChildren(form);
  form.querySelector('#username').focus();
}

// ── operations list ────────────────────────────────────────────────────────────────────

const listState = { kind: '', status: '', skip: 0 };

function operationRow(op) {
  return h(
    'tr',
    { dataset: { id: op.id, status: op.status, kind: op.kind } },
    h('td', {}, statusBadge(op.status)),
    h('td.id', {}, h('a', { href: opHref(op.id) }, op.id)),
    h('td.wide', {}, KIND_LABELS[op.kind] ?? op.kind),
    h('td.wide', {}, targetLabel(op)),
    h('td', {}, fmtTime(op.createdAt)),
    h('td.wide', {}, op.finishedAt ? fmtMs(op.finishedAt - op.createdAt) : '—'),
    h('td.wide', {}, op.statusDetail || ''),
  );
}

async function renderOperations() {
  const s = session.get();
  const kinds = [
    ...(s.access.alertOperations ? ['alertRefresh', 'alertRefreshAll'] : []),
    ...(s.access.resetOperations ? ['passwordReset'] : []),
  ];
  const select = (id, label, options, value) =>
    h(
      'div.field',
      {},
      h('label', { for: id }, label),
      h(
        'select',
        {
          id,
          onchange: (e) => {
            listState[id] = e.target.value;
            listState.skip = 0;
            void load();
          },
        },
        options.map(([v, text]) => {
          const o = h('option', { value: v }, text);
          o.selected = v === value;
          return o;
        }),
      ),
    );
  const live = h('span.live', { role: 'status', 'aria-live': 'polite' });
  renderLive(live);
  const charts = h('section.charts', { 'aria-label': 'Charts' });
  const listArea = h('div', { id: 'operations-area' });
  main.replaceChildren(
    h('h1', { tabindex: '-1' }, 'Operations'),
    charts,
    h(
      'div.toolbar',
      {},
      select('kind', 'Kind', [['', 'All kinds'], ...kinds.map((k) => [k, KIND_LABELS[k]])], listState.kind),
      select('status', 'Status', [['', 'All statuses'], ...STATUSES.map((st) => [st, st])], listState.status),
      live,
    ),
    listArea,
  );

  let rows = [];
  let total = 0;
  let chartTimer;
  const matches = (op) => (!listState.kind || op.kind === listState.kind) && (!listState.status || op.status === listState.status);

  const loadCharts = async () => {
    try {
      const stats = await consoleApi.stats({ minutes: 30, ...(listState.kind ? { kind: listState.kind } : {}) });
      charts.replaceChildren(
        h('figure', {}, h('figcaption', {}, 'Operations per minute, by status'), operationsChart(stats), legend(STATUS_COLOURS)),
        h('figure', {}, h('figcaption', {}, 'Completion time (created → finished)'), latencyChart(stats), legend(LATENCY_COLOURS)),
      );
    } catch (err) {
      if (err instanceof ApiError && err.expired) return handleError(err);
      charts.replaceChildren(message('error', `Charts unavailable: ${err.message}`));
    }
  };

  const draw = () => {
    if (rows.length === 0) {
      const filtered = listState.kind || listState.status;
      listArea.replaceChildren(
        message(
          'info',
          filtered
            ? 'No operation matches these filters.'
            : 'No operations yet. Start one from Alerts (refresh) or Password reset; it appears here as it runs.',
        ),
      );
      return;
    }
    const from = listState.skip + 1;
    const to = listState.skip + rows.length;
    listArea.replaceChildren(
      h(
        'div.table-wrap',
        {},
        h(
          'table',
          { id: 'operations' },
          h('caption', {}, `Newest first. Showing ${num(from)}–${num(to)} of ${num(total)}.`),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Status', 'Operation', 'Kind', 'Target', 'Created', 'Took', 'Detail'].map((t, i) =>
                h(i >= 2 && i !== 4 ? 'th.wide' : 'th', { scope: 'col' }, t),
              ),
            ),
          ),
          h('tbody', {}, rows.map(operationRow)),
        ),
      ),
      h(
        'nav.pager',
        { 'aria-label': 'Pages' },
        h(
          'button.secondary',
          {
            type: 'button',
            disabled: listState.skip === 0,
            onclick: () => {
              listState.skip = Math.max(0, listState.skip - PAGE_SIZE);
              void load();
            },
          },
          '← Newer',
        ),
        h('span', {}, `Page ${num(Math.floor(listState.skip / PAGE_SIZE) + 1)} of ${num(Math.max(1, Math.ceil(total / PAGE_SIZE)))}`),
        h(
          'button.secondary',
          {
            type: 'button',
            disabled: to >= total,
            onclick: () => {
              listState.skip += PAGE_SIZE;
              void load();
            },
          },
          'Older →',
        ),
      ),
    );
  };

  const load = async () => {
    try {
      const page = await consoleApi.operations({
        top: PAGE_SIZE,
        skip: listState.skip,
        ...(listState.kind ? { kind: listState.kind } : {}),
        ...(listState.status ? { status: listState.status } : {}),
      });
      rows = page.value;
      total = page.total;
      draw();
      void loadCharts();
    } catch (err) {
      handleError(err, listArea);
    }
  };

  const onChange = (op) => {
    if (op === null) return load();
    const i = rows.findIndex((r) => r.id === op.id);
    if (i >= 0) {
      rows[i] = { ...rows[i], ...op, targetName: op.targetName ?? rows[i].targetName };
      const tr = listArea.querySelector(`tr[data-id="${CSS.escape(op.id)}"]`);
      if (tr) {
        const fresh = operationRow(rows[i]);
        fresh.classList.add('flash');
        tr.replaceWith(fresh);
      } else draw();
    } else if (listState.skip === 0 && matches(op)) {
      rows.unshift(op);
      if (rows.length > PAGE_SIZE) rows.pop();
      total += 1;
      draw();
      listArea.querySelector('tbody tr')?.classList.add('flash');
    }
    clearTimeout(chartTimer);
    chartTimer = setTimeout(loadCharts, 1500);
  };
  listeners.add(onChange);
  cleanup = () => {
    listeners.delete(onChange);
    clearTimeout(chartTimer);
  };
  await load();
}

// ── one operation ─────────────────────────────────────────────────────────────────────

async function renderOperation(id, run) {
  const area = h('div', {}, h('p.muted', {}, 'Loading…'));
  main.replaceChildren(h('p', {}, h('a', { href: '#/operations' }, '← All operations')), h('h1', { tabindex: '-1' }, 'Operation'), area);
  let incidentsShown = false;
  let controlsSection;
  const load = async () => {
    let d;
    try {
      d = await consoleApi.operation(id, run);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        area.replaceChildren(message('error', `Operation ${id} does not exist, or your roles do not let you see it.`));
        return;
      }
      return handleError(err, area);
    }
    const op = d.operation;
    const facts = [
      ['Id', h('code', {}, op.id)],
      ['Status', h('span', { id: 'detail-status' }, statusBadge(op.status))],
      ['Status detail', op.statusDetail || '—'],
      ['Kind', KIND_LABELS[op.kind] ?? op.kind],
      ['Target', op.kind === 'passwordReset' ? `${op.targetName ?? ''} (${op.targetId})` : `${targetLabel(op)} (${op.targetId})`],
      ['Created', fmtTime(op.createdAt)],
      ['Last action', fmtTime(op.lastActionAt)],
      ['Finished', op.finishedAt ? fmtTime(op.finishedAt) : 'not yet'],
      ['Duration', d.durationMs === null ? 'running…' : fmtMs(d.durationMs)],
      ['Attempts', `${op.attempts} of ${op.maxAttempts}`],
      [
        'Run',
        d.runs > 1
          ? h('span', {}, `${d.run} of ${d.runs} `, h('span.muted', {}, '(an alert refreshed again is a new run of the same id)'))
          : '1',
      ],
      ...(op.errorCode ? [['Error code', op.errorCode]] : []),
      ...(op.resourceLocation ? [['Resource', op.resourceLocation]] : []),
    ];
    const first = d.events[0]?.at ?? op.createdAt;
    const timeline =
      d.events.length === 0
        ? h('p.muted', {}, 'No events were recorded for this run.')
        : h(
            'ol.timeline',
            { id: 'timeline' },
            d.events.map((ev) =>
              h(
                `li.ev-${ev.type}`,
                {},
                h('strong', {}, EVENT_LABELS[ev.type] ?? ev.type),
                ev.attempt ? ` (attempt ${ev.attempt})` : '',
                h('br'),
                h('span.muted', {}, `${fmtTime(ev.at)} · +${fmtMs(ev.at - first)}`),
                ev.detail ? h('div', {}, ev.detail) : '',
              ),
            ),
          );
    const runLinks =
      d.runs > 1
        ? h(
            'p',
            {},
            'Runs: ',
            Array.from({ length: d.runs }, (_, i) => i + 1)
              .reverse()
              .map((r) => (r === d.run ? h('strong', {}, ` ${r} `) : h('a', { href: `${opHref(op.id)}/runs/${r}` }, ` ${r} `))),
          )
        : '';
    const incidents = h('section', { id: 'incidents', 'aria-labelledby': 'incidents-title' });
    // One section for the page's life, so a live re-render keeps the last button's answer.
    if (session.get().access.controls && !controlsSection) controlsSection = operationControls(op.id, { h, message, handleError }, load);
    const controls = controlsSection && !d.terminal && d.run === d.runs ? controlsSection : '';
    area.replaceChildren(
      h(
        'dl.facts',
        {},
        facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
      ),
      controls,
      h('h2', {}, 'Timeline'),
      runLinks,
      timeline,
      incidents,
    );
    if (op.kind !== 'passwordReset' && op.status === 'succeeded' && d.run === d.runs && session.get().access.readAlerts) {
      incidents.append(h('h2', { id: 'incidents-title' }, 'Incidents found'));
      try {
        const alerts = op.kind === 'alertRefresh' ? [await graph.alert(op.targetId)] : await graph.alerts();
        incidents.append(...alerts.map((a) => alertIncidents(a)));
      } catch (err) {
        handleError(err, incidents);
      }
      incidentsShown = true;
    }
  };
  const onChange = (op) => {
    if (op === null || (op.id === id && !incidentsShown)) void load();
  };
  listeners.add(onChange);
  cleanup = () => listeners.delete(onChange);
  await load();
}

// ── alerts ────────────────────────────────────────────────────────────────────────────

function incidentTable(incidents) {
  if (incidents.length === 0) return h('p.muted', {}, 'No incidents.');
  const keys = [...new Set(incidents.flatMap((i) => Object.keys(i)))].filter((k) => !k.startsWith('@'));
  const value = (v) => (v === null || v === undefined ? '—' : String(v));
  return h(
    'div.table-wrap',
    {},
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          keys.map((k) => h('th', { scope: 'col' }, k)),
        ),
      ),
      h(
        'tbody',
        {},
        incidents.map((i) =>
          h(
            'tr',
            {},
            keys.map((k) => h('td', {}, value(i[k]))),
          ),
        ),
      ),
    ),
  );
}

function alertIncidents(alert) {
  return h(
    'section.alert-incidents',
    { dataset: { alertId: alert.id } },
    h('h3', {}, `${humanType(alertTypeOf(alert.id))}: ${alert.incidentCount} incident(s)`),
    incidentTable(alert.alertIncidents ?? []),
  );
}

async function refreshButtonAction(start, status) {
  status.replaceChildren(message('info', 'Starting the refresh…'));
  try {
    const id = await start();
    status.replaceChildren(
      message('ok', 'Refresh started: operation ', h('a', { href: opHref(id) }, id), '. Its status updates live in Operations.'),
    );
  } catch (err) {
    handleError(err, status);
  }
}

async function renderAlerts() {
  const s = session.get();
  const status = h('div', { id: 'alerts-status', 'aria-live': 'polite' });
  const area = h('div', {}, h('p.muted', {}, 'Loading…'));
  main.replaceChildren(
    h('h1', { tabindex: '-1' }, 'Alerts'),
    h(
      'p.muted',
      {},
      'PIM alerts for Microsoft Entra roles, tenant-wide. A refresh evaluates the alerts against the directory as an operation.',
    ),
    s.access.refreshAlerts
      ? h(
          'div.toolbar',
          {},
          h(
            'button',
            { type: 'button', id: 'refresh-all', onclick: () => refreshButtonAction(() => graph.refreshAll(), status) },
            'Refresh all alerts',
          ),
        )
      : h(
          'p.muted',
          {},
          'Your roles let you read alerts but not refresh them (Privileged Role Administrator or Global Administrator can).',
        ),
    status,
    area,
  );
  try {
    const alerts = await graph.alerts();
    area.replaceChildren(
      h(
        'div.table-wrap',
        {},
        h(
          'table',
          { id: 'alerts' },
          h('caption', {}, 'Incident counts are from the last refresh.'),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Alert', 'Incidents', 'Active', 'Last scanned', ''].map((t, i) => h(i === 3 ? 'th.wide' : 'th', { scope: 'col' }, t)),
            ),
          ),
          h(
            'tbody',
            {},
            alerts.map((a) => {
              const name = humanType(alertTypeOf(a.id));
              return h(
                'tr',
                { dataset: { alertId: a.id } },
                h('td', {}, h('a', { href: `#/alerts/${encodeURIComponent(a.id)}` }, name)),
                h('td', {}, String(a.incidentCount)),
                h('td', {}, a.isActive ? 'yes' : 'no'),
                h('td.wide', {}, fmtIso(a.lastScannedDateTime)),
                h(
                  'td',
                  {},
                  s.access.refreshAlerts
                    ? h(
                        'button.secondary',
                        {
                          type: 'button',
                          'aria-label': `Refresh ${name}`,
                          onclick: () => refreshButtonAction(() => graph.refreshAlert(a.id), status),
                        },
                        'Refresh',
                      )
                    : '',
                ),
              );
            }),
          ),
        ),
      ),
    );
  } catch (err) {
    handleError(err, area);
  }
}

async function renderAlert(id) {
  const area = h('div', {}, h('p.muted', {}, 'Loading…'));
  main.replaceChildren(
    h('p', {}, h('a', { href: '#/alerts' }, '← All alerts')),
    h('h1', { tabindex: '-1' }, humanType(alertTypeOf(id))),
    area,
  );
  try {
    const a = await graph.alert(id);
    area.replaceChildren(
      h(
        'dl.facts',
        {},
        h('dt', {}, 'Id'),
        h('dd', {}, h('code', {}, a.id)),
        h('dt', {}, 'Incidents'),
        h('dd', {}, String(a.incidentCount)),
        h('dt', {}, 'Active'),
        h('dd', {}, a.isActive ? 'yes' : 'no'),
        h('dt', {}, 'Last scanned'),
        h('dd', {}, fmtIso(a.lastScannedDateTime)),
      ),
      h('h2', {}, 'Incidents'),
      incidentTable(a.alertIncidents ?? []),
    );
  } catch (err) {
    handleError(err, area);
  }
}

// ── password reset ────────────────────────────────────────────────────────────────────

function renderReset() {
  const result = h('div', { id: 'reset-result', 'aria-live': 'polite' });
  const form = h(
    'form',
    { novalidate: true },
    h(
      'div.field',
      {},
      h('label', { for: 'reset-user' }, 'User (user principal name or object id)'),
      h('input', { id: 'reset-user', name: 'user', autocomplete: 'off', required: true, 'aria-describedby': 'reset-hint' }),
      h(
        'p.hint',
        { id: 'reset-hint' },
        'Longrun generates a new password and shows it here once. It is never stored in clear, and cannot be shown again.',
      ),
    ),
    h('button', { type: 'submit' }, 'Reset password'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const user = form.querySelector('#reset-user').value.trim();
    if (!user) {
      result.replaceChildren(message('error', 'Enter the user whose password to reset.'));
      return;
    }
    const button = form.querySelector('button');
    button.disabled = true;
    result.replaceChildren(message('info', 'Resetting…'));
    try {
      const r = await graph.resetPassword(user);
      const secret = h('code.secret', { id: 'new-password' }, r.newPassword ?? '');
      result.replaceChildren(
        message(
          'ok',
          h('p', {}, `New password for ${user}:`),
          h(
            'div.row',
            {},
            secret,
            h(
              'button.secondary',
              {
                type: 'button',
                onclick: async (ev) => {
                  try {
                    await navigator.clipboard.writeText(r.newPassword);
                    ev.target.textContent = 'Copied';
                  } catch {
                    ev.target.textContent = 'Select and copy it';
                  }
                },
              },
              'Copy',
            ),
          ),
          h(
            'p',
            {},
            'It is shown once: copy it now. The reset runs as operation ',
            h('a', { href: opHref(r.operationId) }, r.operationId),
            '; the new password works once it has succeeded.',
          ),
        ),
      );
      form.reset();
    } catch (err) {
      handleError(err, result);
    } finally {
      button.disabled = false;
    }
  });
  main.replaceChildren(h('h1', { tabindex: '-1' }, 'Password reset'), form, result);
}

// ── routing ────────────────────────────────────────────────────────────────────────────

let cleanup = () => {};

async function route() {
  cleanup();
  cleanup = () => {};
  const s = session.get();
  if (!s) return renderSignIn();
  if (s.expiresAt && s.expiresAt <= Date.now()) return signOut('Your session has expired. Sign in again.');
  const [, view = 'operations', id, sub, run] = location.hash.replace(/^#\/?/, '/').split('/');
  for (const a of /** @type {NodeListOf<HTMLAnchorElement>} */ (document.querySelectorAll('#nav a'))) {
    if (a.dataset.view === view) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (view === 'operations' && id) await renderOperation(decodeURIComponent(id), sub === 'runs' ? Number(run) : undefined);
  else if (view === 'alerts' && id) await renderAlert(decodeURIComponent(id));
  else if (view === 'alerts') await renderAlerts();
  else if (view === 'reset') renderReset();
  else if (view === 'controls') await renderControls(main, { h, message, handleError });
  else await renderOperations();
  main.querySelector('h1')?.focus();
}

async function start() {
  document.getElementById('sign-out').addEventListener('click', () => signOut('You signed out.'));
  window.addEventListener('hashchange', () => void route());
  setWho();
  const s = session.get();
  if (s) {
    try {
      // Checks the token and renews the stream's cookie for this tab's user.
      const me = await consoleApi.me();
      session.set({ ...s, access: me.access, expiresAt: me.expiresAt });
      startEvents(me.now - 5000);
    } catch (err) {
      if (err instanceof ApiError && err.expired) return signOut('Your session has expired or is no longer valid. Sign in again.');
      handleError(err, main);
      return;
    }
  }
  await route();
}

void start();
