/**
 * The tenant's clock and failing an operation, in-process on a manual clock: the executor is
 * driven by hand (claimOnce), so every step is deterministic.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { decodeJwt } from 'jose';
import type { ManualClock } from '../../src/shared/clock.js';
import { buildControlHarness, DEMO, USERS, type ControlHarness } from './support/control-harness.js';
import { addRule, adminToken, controlGet, controlPost, signsIn, startReset } from './support/control-client.js';

describe('control API: the tenant clock', () => {
  let h: ControlHarness;
  before(async () => {
    h = await buildControlHarness({ config: { concurrency: 4 } });
  });
  after(() => h.close());

  it('GET answers the tenant time and offset; POST refuses a bad body naming advanceSeconds', async () => {
    const res = await controlGet(h, '/clock');
    assert.deepEqual(res.body, { now: new Date(h.clock.now()).toISOString().replace('Z', '0000Z'), offsetSeconds: 0 });
    for (const body of [{}, { advanceSeconds: 0 }, { advanceSeconds: -5 }, { advanceSeconds: '60' }, { advanceSeconds: 60, extra: 1 }]) {
      const bad = await controlPost(h, '/clock', body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.match(bad.body.error.message, /^(advanceSeconds|extra): /);
    }
  });

  it('an advance past a token lifetime (+ the 5-minute skew Graph allows) expires tokens issued before; new ones carry tenant time', async () => {
    const before = await h.appToken();
    assert.equal((await h.request('GET', '/_longrun/v1/clock', { token: before })).status, 200);
    const moved = await h.request('POST', '/_longrun/v1/clock', { token: before, body: { advanceSeconds: 3600 } });
    assert.equal(moved.body.offsetSeconds, 3600);
    // Within Graph's 5-minute clock skew the hour-old token (lifetime 3599 s) still passes.
    assert.equal((await h.request('GET', '/_longrun/v1/clock', { token: before })).status, 200);
    assert.equal((await h.request('POST', '/_longrun/v1/clock', { token: before, body: { advanceSeconds: 300 } })).status, 200);
    const refused = await h.request('GET', '/_longrun/v1/clock', { token: before });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.message, 'Lifetime validation failed, the token is expired.');
    const fresh = await h.appToken();
    assert.equal(decodeJwt(fresh).iat, Math.floor((h.clock.now() + 3900_000) / 1000));
    const clock = await h.request('GET', '/_longrun/v1/clock', { token: fresh });
    assert.equal(clock.body.offsetSeconds, 3900);
    assert.equal(clock.body.now, new Date(h.clock.now() + 3900_000).toISOString().replace('Z', '0000Z'));
  });

  it('an advance that covers a timeline completes it at once; operation timestamps are tenant time', async () => {
    const executor = h.service.executor!;
    const user = USERS.megan;
    await addRule(h, {
      type: 'operation',
      match: { kind: 'passwordReset', target: user.id },
      times: 1,
      timeline: { notStartedSeconds: 30, runningSeconds: 600 },
    });
    const op = await startReset(h, await adminToken(h), user.id, 'Advanced-Kq81-Zt!w');
    const offsetMs = (await controlGet(h, '/clock')).body.offsetSeconds * 1000;
    let record = (await controlGet(h, `/operations/${op.id}`)).body;
    assert.equal(record.createdDateTime, new Date(h.clock.now() + offsetMs).toISOString().replace('Z', '0000Z'));
    assert.equal(await executor.claimOnce(), 0, 'nothing is due yet');
    await controlPost(h, '/clock', { advanceSeconds: 40 }); // covers notStarted only
    assert.equal(await executor.claimOnce(), 1, 'entered its running phase');
    assert.equal(executor.inFlightCount, 0, 'the running phase holds no slot');
    record = (await controlGet(h, `/operations/${op.id}`)).body;
    assert.equal(record.status, 'running');
    assert.equal(record.lease, null);
    await controlPost(h, '/clock', { advanceSeconds: 600 }); // covers the rest
    assert.equal(await executor.claimOnce(), 1, 'claimed at once for its real end');
    await executor.drain();
    record = (await controlGet(h, `/operations/${op.id}`)).body;
    assert.equal(record.status, 'succeeded');
    assert.equal(await signsIn(h, user, 'Advanced-Kq81-Zt!w'), true);
  });
});

describe('control API: fail one operation', () => {
  let h: ControlHarness;
  before(async () => {
    h = await buildControlHarness({ config: { concurrency: 4 } });
  });
  after(() => h.close());

  it('a failed reset applies nothing: the old password still works and the audit has no entry; 409 once terminal', async () => {
    const user = USERS.johanna;
    await addRule(h, { type: 'operation', match: { kind: 'passwordReset', target: user.upn }, times: 1, timeline: { runningSeconds: 60 } });
    const op = await startReset(h, await adminToken(h), user.id, 'Never-Applied-Kq81!');
    await h.service.executor!.claimOnce();
    const bad = await controlPost(h, `/operations/${op.id}/fail`, { code: 'x' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /^detail: /);
    const failed = await controlPost(h, `/operations/${op.id}/fail`, {
      code: 'tenantLocked',
      detail: 'The tenant is locked for maintenance.',
    });
    assert.equal(failed.status, 200, JSON.stringify(failed.body));
    assert.equal(failed.body.status, 'failed');
    const graph = await h.request('GET', op.path, { token: await adminToken(h) });
    assert.equal(graph.body.status, 'failed');
    assert.equal(graph.body.statusDetail, 'The tenant is locked for maintenance.');
    // Time passes beyond the plan: nothing runs, nothing applies.
    (h.clock as ManualClock).advance(120_000);
    assert.equal(await h.service.executor!.claimOnce(), 0);
    await h.service.executor!.drain();
    assert.equal(await signsIn(h, user, user.password), true);
    assert.equal(await signsIn(h, user, 'Never-Applied-Kq81!'), false);
    assert.equal((await h.store.audit.countByOperation(DEMO.tenantId)).get(op.id), undefined);
    assert.equal((await controlPost(h, `/operations/${op.id}/fail`, { code: 'again', detail: 'again' })).status, 409);
    assert.equal((await controlPost(h, `/operations/${op.id}/release`)).status, 409);
  });

  it("another tenant's operation, or an unknown id: 404 for GET, release and fail", async () => {
    const { OTHER } = await import('./support/control-harness.js');
    const op = await startReset(h, await adminToken(h), USERS.megan.id, 'Other-Tenant-Kq81!');
    const theirs = await h.appToken(OTHER.app, OTHER.domain);
    for (const [method, path] of [
      ['GET', ''],
      ['POST', '/release'],
      ['POST', '/fail'],
    ] as const) {
      const res = await h.request(method, `/_longrun/v1/operations/${op.id}${path}`, {
        token: theirs,
        body: method === 'POST' ? { code: 'c', detail: 'd' } : undefined,
      });
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.body.error.code, 'itemNotFound');
    }
    assert.equal((await controlGet(h, '/operations/00000000-0000-4000-8000-000000000000')).status, 404);
  });
});
