// @ts-check
// One operation's page (#/operations/{id}[/runs/{n}]).
import { ApiError, consoleApi, graph, session } from './api.js';
import { fmtMs } from './chart.js';
import { operationControls } from './controls.js';
import { EVENT_LABELS, fmtTime, h, KIND_LABELS, loadAlertNames, loadCounter, message, opHref, statusBadge, targetLabel } from './ui.js';
import { alertIncidents } from './view-alerts.js';

/** One operation: facts, timeline, controls, and the incidents a finished refresh found. */
export async function renderOperation(ctx, id, run) {
  const { main, handleError, listeners } = ctx;
  const names = await loadAlertNames(session.get().access.readAlerts);
  const area = h('div', {}, h('p.muted', {}, 'Loading…'));
  main.replaceChildren(h('p', {}, h('a', { href: '#/operations' }, '← All operations')), h('h1', { tabindex: '-1' }, 'Operation'), area);
  let incidentsShown = false;
  let controlsSection;
  // Events can start a load while another is in flight: only the latest one renders, and it
  // swaps the page in one step once its incidents are read, so what is shown never blanks out.
  const nextLoad = loadCounter();
  const load = async () => {
    const isLatest = nextLoad();
    let d;
    try {
      d = await consoleApi.operation(id, run);
    } catch (err) {
      if (!isLatest()) return;
      if (err instanceof ApiError && err.status === 404) {
        area.replaceChildren(message('error', `Operation ${id} does not exist, or your roles do not let you see it.`));
        return;
      }
      return handleError(err, area);
    }
    if (!isLatest()) return;
    const op = d.operation;
    const facts = [
      ['Id', h('code', {}, op.id)],
      ['Status', h('span', { id: 'detail-status' }, statusBadge(op.status))],
      ['Status detail', op.statusDetail || '—'],
      ['Kind', KIND_LABELS[op.kind] ?? op.kind],
      ['Target', op.kind === 'passwordReset' ? `${op.targetName ?? ''} (${op.targetId})` : `${targetLabel(op, names)} (${op.targetId})`],
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
    const withIncidents = op.kind !== 'passwordReset' && op.status === 'succeeded' && d.run === d.runs && session.get().access.readAlerts;
    if (withIncidents) {
      incidents.append(h('h2', { id: 'incidents-title' }, 'Incidents found'));
      try {
        const alerts = op.kind === 'alertRefresh' ? [await graph.alert(op.targetId)] : await graph.alerts();
        incidents.append(...alerts.map((a) => alertIncidents(a)));
      } catch (err) {
        handleError(err, incidents);
      }
      if (!isLatest()) return;
      incidentsShown = true;
    }
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
  };
  const onChange = (op) => {
    if (op === null || (op.id === id && !incidentsShown)) void load();
  };
  listeners.add(onChange);
  ctx.setCleanup(() => listeners.delete(onChange));
  await load();
}
