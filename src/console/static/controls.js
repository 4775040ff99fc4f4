// The Controls view (docs/console.md): the tenant's control rules with their hits (add one as
// JSON, validated by the server with the control API's parsers; delete one; clear all), and the
// Release / Fail buttons on an operation's page. Only for a Global Administrator.
import { controlsApi } from './api.js';

const EXAMPLE = {
  type: 'http',
  match: { method: 'GET', path: '/v1.0/users/*/authentication/operations/*' },
  times: 3,
  respond: { status: 429, retryAfterSeconds: 2 },
};

/** The rule as sent: without the id and hits Longrun adds. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- id and hits are picked out to be dropped
const ruleBody = ({ id, hits, ...rule }) => rule;

function matchSummary(rule) {
  const m = rule.match ?? {};
  const who = [
    m.appId && `app ${m.appId}`,
    m.user && `user ${m.user}`,
    m.kind && `kind ${m.kind}`,
    m.target && `target ${m.target}`,
  ].filter(Boolean);
  return [m.method, m.path, ...who].filter(Boolean).join(' ');
}

/** Renders the view into `main`; `ui` is the page's helpers: { h, message, handleError }. */
export async function renderControls(main, ui) {
  const { h, message, handleError } = ui;
  const status = h('div', { id: 'controls-status', 'aria-live': 'polite' });
  const listArea = h('div', { id: 'rules-area' }, h('p.muted', {}, 'Loading…'));
  const textarea = h('textarea', { id: 'rule-json', name: 'rule', rows: '11', spellcheck: 'false', 'aria-describedby': 'rule-hint' });
  textarea.value = JSON.stringify(EXAMPLE, null, 2);
  const form = h(
    'form',
    { id: 'add-rule', novalidate: true },
    h(
      'div.field',
      {},
      h('label', { for: 'rule-json' }, 'Rule (JSON)'),
      textarea,
      h(
        'p.hint',
        { id: 'rule-hint' },
        'Types: http (faults and latency), throttle (a token bucket per app), operation. See docs/controls.md.',
      ),
    ),
    h('button', { type: 'submit' }, 'Add rule'),
  );

  const load = async () => {
    try {
      const rules = await controlsApi.rules();
      if (rules.length === 0) {
        listArea.replaceChildren(message('info', 'No rules. Requests and operations behave as Graph does.'));
        return;
      }
      listArea.replaceChildren(
        h(
          'div.table-wrap',
          {},
          h(
            'table',
            { id: 'rules' },
            h('caption', {}, 'Tried oldest first. Hits count the matches (for throttle rules, the refused requests).'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Type', 'Match', 'Times left', 'Hits', 'Rule', ''].map((t, i) => h(i === 4 ? 'th.wide' : 'th', { scope: 'col' }, t)),
              ),
            ),
            h(
              'tbody',
              {},
              rules.map((r) =>
                h(
                  'tr',
                  { dataset: { id: r.id, type: r.type } },
                  h('td', {}, r.type),
                  h('td', {}, matchSummary(r)),
                  // Every hit uses one of `times` (for throttle rules, one refusal).
                  h('td', {}, r.times === undefined ? 'until deleted' : String(Math.max(0, r.times - r.hits))),
                  h('td.hits', {}, String(r.hits)),
                  h('td.wide', {}, h('code.rule', {}, JSON.stringify(ruleBody(r)))),
                  h(
                    'td',
                    {},
                    h('button.secondary', { type: 'button', 'aria-label': `Delete rule ${r.id}`, onclick: () => remove(r.id) }, 'Delete'),
                  ),
                ),
              ),
            ),
          ),
        ),
      );
    } catch (err) {
      handleError(err, listArea);
    }
  };

  const remove = async (id) => {
    try {
      await controlsApi.deleteRule(id);
      status.replaceChildren(message('ok', 'Rule deleted.'));
    } catch (err) {
      handleError(err, status);
    }
    await load();
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    let rule;
    try {
      rule = JSON.parse(textarea.value);
    } catch (err) {
      status.replaceChildren(message('error', `The rule is not valid JSON: ${err.message}`));
      textarea.focus();
      return;
    }
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const added = await controlsApi.addRule(rule);
      status.replaceChildren(message('ok', `Rule ${added.id} added.`));
      await load();
    } catch (err) {
      // The server names the field: "respond.status: must be one of 429, 500, 502, 503, 504".
      handleError(err, status);
      textarea.focus();
    } finally {
      button.disabled = false;
    }
  });

  const clear = h(
    'button.secondary',
    {
      type: 'button',
      id: 'clear-rules',
      onclick: async () => {
        if (!window.confirm('Delete every rule of this tenant?')) return;
        try {
          await controlsApi.clearRules();
          status.replaceChildren(message('ok', 'All rules deleted.'));
        } catch (err) {
          handleError(err, status);
        }
        await load();
      },
    },
    'Clear all rules',
  );

  main.replaceChildren(
    h('h1', { tabindex: '-1' }, 'Controls'),
    h(
      'p.muted',
      {},
      "Rules shape how this tenant's requests and operations behave, so a client can be tested against throttling, faults and slow operations.",
    ),
    form,
    status,
    h('h2', {}, 'Rules'),
    h('div.toolbar', {}, h('button.secondary', { type: 'button', id: 'reload-rules', onclick: () => load() }, 'Reload'), clear),
    listArea,
  );
  await load();
}

/** The Release and Fail buttons of an operation's page (not for a terminal operation). */
export function operationControls(id, ui, onDone) {
  const { h, message, handleError } = ui;
  const status = h('div', { id: 'operation-controls-status', 'aria-live': 'polite' });
  const act = async (action) => {
    try {
      await action();
      status.replaceChildren(message('ok', 'Done.'));
      onDone();
    } catch (err) {
      handleError(err, status);
    }
  };
  return h(
    'section',
    { id: 'operation-controls', 'aria-labelledby': 'operation-controls-title' },
    h('h2', { id: 'operation-controls-title' }, 'Controls'),
    h(
      'div.toolbar',
      {},
      h('button.secondary', { type: 'button', onclick: () => act(() => controlsApi.release(id)) }, 'Release'),
      h(
        'button.secondary',
        { type: 'button', onclick: () => act(() => controlsApi.fail(id, 'failedByOperator', 'Failed from the Longrun console.')) },
        'Fail',
      ),
    ),
    status,
  );
}
