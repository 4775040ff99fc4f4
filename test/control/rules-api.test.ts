import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateFixture } from '../../src/directory/fixture-validate.js';
import { readDemoTenant } from '../../src/directory/demo-tenant.js';
import { importTenant } from '../../src/directory/tenant-import.js';
import { cheapHasher } from '../support/tenant.js';
import { buildControlHarness, DEMO, type ControlHarness } from './support/control-harness.js';

const RULES = '/_longrun/v1/rules';
const resetRule = {
  type: 'operation',
  match: { kind: 'passwordReset', target: 'megan@contoso.onmicrosoft.com' },
  times: 2,
  timeline: { notStartedSeconds: 2, runningSeconds: 5 },
  outcome: { status: 'succeeded' },
  effectLagSeconds: 0,
};

describe('control API: rules', () => {
  let h: ControlHarness;
  let token: string;
  before(async () => {
    h = await buildControlHarness();
    token = await h.appToken();
  });
  after(() => h.close());

  it('POST answers 201 with id, hits 0 and the rest as sent; GET lists and reads it; DELETE removes it', async () => {
    const created = await h.request('POST', RULES, { token, body: resetRule });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const { id, hits, ...rest } = created.body;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal(hits, 0);
    assert.deepEqual(rest, resetRule);
    assert.deepEqual((await h.request('GET', `${RULES}/${id}`, { token })).body, created.body);
    assert.deepEqual(
      (await h.request('GET', RULES, { token })).body.value.map((r: { id: string }) => r.id),
      [id],
    );
    assert.equal((await h.request('DELETE', `${RULES}/${id}`, { token })).status, 204);
    assert.equal((await h.request('GET', `${RULES}/${id}`, { token })).status, 404);
    assert.equal((await h.request('DELETE', `${RULES}/${id}`, { token })).status, 404);
  });

  it('DELETE /rules clears every rule of the tenant', async () => {
    for (let i = 0; i < 3; i++)
      assert.equal(
        (await h.request('POST', RULES, { token, body: { type: 'operation', match: { kind: 'alertRefreshAll' } } })).status,
        201,
      );
    assert.equal((await h.request('DELETE', RULES, { token })).status, 204);
    assert.deepEqual((await h.request('GET', RULES, { token })).body, { value: [] });
  });

  const bad: Array<[string, unknown, string]> = [
    ['not an object', [1, 2], '(body)'],
    ['no type', { match: { kind: 'passwordReset' } }, 'type'],
    ['unknown type', { type: 'chaos' }, 'type'],
    ['times 0', { type: 'operation', match: { kind: 'passwordReset' }, times: 0 }, 'times'],
    ['times fractional', { type: 'operation', match: { kind: 'passwordReset' }, times: 1.5 }, 'times'],
    ['times a string', { type: 'operation', match: { kind: 'passwordReset' }, times: '3' }, 'times'],
    ['an id sent', { type: 'operation', id: 'x', match: { kind: 'passwordReset' } }, 'id'],
    ['no match', { type: 'operation' }, 'match'],
    ['unknown kind', { type: 'operation', match: { kind: 'deleteUser' } }, 'match.kind'],
    ['a target for refresh-all', { type: 'operation', match: { kind: 'alertRefreshAll', target: 'x' } }, 'match.target'],
    [
      'negative seconds',
      { type: 'operation', match: { kind: 'passwordReset' }, timeline: { runningSeconds: -1 } },
      'timeline.runningSeconds',
    ],
    [
      'seconds as text',
      { type: 'operation', match: { kind: 'passwordReset' }, timeline: { notStartedSeconds: '2' } },
      'timeline.notStartedSeconds',
    ],
    [
      'unknown timeline field',
      { type: 'operation', match: { kind: 'passwordReset' }, timeline: { doneSeconds: 2 } },
      'timeline.doneSeconds',
    ],
    ['unknown outcome', { type: 'operation', match: { kind: 'passwordReset' }, outcome: { status: 'exploded' } }, 'outcome.status'],
    [
      'failed without code',
      { type: 'operation', match: { kind: 'passwordReset' }, outcome: { status: 'failed', detail: 'x' } },
      'outcome.code',
    ],
    [
      'failed without detail',
      { type: 'operation', match: { kind: 'passwordReset' }, outcome: { status: 'failed', code: 'x' } },
      'outcome.detail',
    ],
    [
      'a lag on a failure',
      { type: 'operation', match: { kind: 'passwordReset' }, outcome: { status: 'failed', code: 'c', detail: 'd' }, effectLagSeconds: 1 },
      'effectLagSeconds',
    ],
    ['an unknown field', { type: 'operation', match: { kind: 'passwordReset' }, delay: 3 }, 'delay'],
  ];
  for (const [name, body, field] of bad) {
    it(`400 naming the field: ${name}`, async () => {
      const res = await h.request('POST', RULES, { token, body });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, 'BadRequest');
      assert.ok(res.body.error.message.startsWith(`${field}: `), res.body.error.message);
    });
  }

  it('a refused rule is not stored', async () => {
    await h.request('POST', RULES, { token, body: { type: 'operation', match: { kind: 'nope' } } });
    assert.deepEqual((await h.request('GET', RULES, { token })).body, { value: [] });
  });
});

describe('fixture rules', () => {
  const withRules = (rules: unknown[]) => ({ ...(readDemoTenant() as Record<string, unknown>), rules });

  it('a bad rule is refused with its path, and nothing is imported', () => {
    const result = validateFixture(
      withRules([
        resetRule,
        { type: 'operation', match: { kind: 'alertRefresh' } },
        { type: 'operation', match: { kind: 'passwordReset' }, timeline: { runningSeconds: 'long' } },
      ]),
    );
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(
      result.errors.map((e) => e.path),
      ['rules[2].timeline.runningSeconds'],
    );
  });

  it('rules are imported with the tenant, in order, and a re-import replaces them', async () => {
    const h = await buildControlHarness({
      fixture: withRules([resetRule, { type: 'operation', match: { kind: 'alertRefreshAll' }, outcome: { status: 'stuck' } }]),
    });
    try {
      const token = await h.appToken();
      const listed = (await h.request('GET', RULES, { token })).body.value;
      assert.deepEqual(
        listed.map((r: { match: { kind: string } }) => r.match.kind),
        ['passwordReset', 'alertRefreshAll'],
      );
      assert.equal(listed[0].times, 2);
      const again = await importTenant(
        h.store,
        withRules([{ type: 'operation', match: { kind: 'alertRefresh' } }]),
        cheapHasher,
        Date.now(),
      );
      assert.equal(again.ok, true);
      const replaced = await h.store.controlRules.list(DEMO.tenantId);
      assert.deepEqual(
        replaced.map((r) => (r.body.match as { kind: string }).kind),
        ['alertRefresh'],
      );
    } finally {
      await h.close();
    }
  });
});
