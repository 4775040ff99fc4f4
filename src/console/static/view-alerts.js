// @ts-check
// The Alerts views (#/alerts, #/alerts/{id}): alerts are read with their definitions expanded, and
// listed under the definition's displayName, the name Graph gives them.
import { graph, session } from './api.js';
import { fmtIso, h, message, opHref } from './ui.js';

/** The definition's displayName; the id when the alert came without its definition. */
const nameOf = (alert) => alert.alertDefinition?.displayName ?? alert.id;

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

/** An alert's incidents under its definition's name. */
export function alertIncidents(alert) {
  return h(
    'section.alert-incidents',
    { dataset: { alertId: alert.id } },
    h('h3', {}, `${nameOf(alert)}: ${alert.incidentCount} incident(s)`),
    incidentTable(alert.alertIncidents ?? []),
  );
}

async function refreshButtonAction(start, status, handleError) {
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

/** The Alerts view: every alert under its definition's displayName, with refresh buttons. */
export async function renderAlerts(ctx) {
  const { main, handleError } = ctx;
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
            { type: 'button', id: 'refresh-all', onclick: () => refreshButtonAction(() => graph.refreshAll(), status, handleError) },
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
              const name = nameOf(a);
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
                          onclick: () => refreshButtonAction(() => graph.refreshAlert(a.id), status, handleError),
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

/** One alert: its facts and incidents. */
export async function renderAlert(ctx, id) {
  const { main, handleError } = ctx;
  const area = h('div', {}, h('p.muted', {}, 'Loading…'));
  const title = h('h1', { tabindex: '-1' }, 'Alert');
  main.replaceChildren(h('p', {}, h('a', { href: '#/alerts' }, '← All alerts')), title, area);
  try {
    const a = await graph.alert(id);
    title.textContent = nameOf(a);
    area.replaceChildren(
      h(
        'dl.facts',
        {},
        h('dt', {}, 'Id'),
        h('dd', {}, h('code', {}, a.id)),
        ...(a.alertDefinition?.description ? [h('dt', {}, 'About'), h('dd', {}, a.alertDefinition.description)] : []),
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
