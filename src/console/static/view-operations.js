// @ts-check
// The Operations view: charts, the filtered and paged list, rows updated live from the event stream.
import { ApiError, consoleApi, session } from './api.js';
import { fmtMs, LATENCY_COLOURS, latencyChart, legend, operationsChart, STATUS_COLOURS } from './chart.js';
import {
  fmtTime,
  h,
  KIND_LABELS,
  loadAlertNames,
  loadCounter,
  message,
  num,
  opHref,
  STATUS_LABELS,
  STATUSES,
  statusBadge,
  targetLabel,
} from './ui.js';

const PAGE_SIZE = 50;
const listState = { kind: '', status: '', skip: 0 };

function operationRow(op, names) {
  return h(
    'tr',
    { dataset: { id: op.id, status: op.status, kind: op.kind } },
    h('td', {}, statusBadge(op.status)),
    h('td.id', {}, h('a', { href: opHref(op.id) }, op.id)),
    h('td.wide', {}, KIND_LABELS[op.kind] ?? op.kind),
    h('td.wide', {}, targetLabel(op, names)),
    h('td', {}, fmtTime(op.createdAt)),
    h('td.wide', {}, op.finishedAt ? fmtMs(op.finishedAt - op.createdAt) : '—'),
    h('td.wide', {}, op.statusDetail || ''),
  );
}

/** The Operations view; `ctx` is the shell's: { main, handleError, listeners, setCleanup, renderLive }. */
export async function renderOperations(ctx) {
  const { main, handleError, listeners, renderLive } = ctx;
  const s = session.get();
  const names = await loadAlertNames(s.access.readAlerts);
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
      select('status', 'Status', [['', 'All statuses'], ...STATUSES.map((st) => [st, STATUS_LABELS[st]])], listState.status),
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
          h(
            'tbody',
            {},
            rows.map((row) => operationRow(row, names)),
          ),
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

  // A resync or a filter change can start a load while another is in flight: the latest wins.
  const nextLoad = loadCounter();
  const load = async () => {
    const isLatest = nextLoad();
    try {
      const page = await consoleApi.operations({
        top: PAGE_SIZE,
        skip: listState.skip,
        ...(listState.kind ? { kind: listState.kind } : {}),
        ...(listState.status ? { status: listState.status } : {}),
      });
      if (!isLatest()) return;
      rows = page.value;
      total = page.total;
      draw();
      void loadCharts();
    } catch (err) {
      if (isLatest()) handleError(err, listArea);
    }
  };

  const onChange = (op) => {
    if (op === null) return load();
    const i = rows.findIndex((r) => r.id === op.id);
    if (i >= 0) {
      rows[i] = { ...rows[i], ...op, targetName: op.targetName ?? rows[i].targetName };
      const tr = listArea.querySelector(`tr[data-id="${CSS.escape(op.id)}"]`);
      if (tr) {
        const fresh = operationRow(rows[i], names);
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
  ctx.setCleanup(() => {
    listeners.delete(onChange);
    clearTimeout(chartTimer);
  });
  await load();
}
