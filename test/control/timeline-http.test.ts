/**
 * Planned timelines over real HTTP with the real clock: a poller sees each phase at the planned
 * times, and the effect (a new password) is usable exactly when the plan says.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildControlHarness, USERS, type ControlHarness } from './support/control-harness.js';
import { addRule, adminToken, controlGet, controlPost, signsIn, startReset, waitFor } from './support/control-client.js';

const TOLERANCE_MS = 500;

describe('operation rules over HTTP (real time)', () => {
  let h: ControlHarness;
  before(async () => {
    h = await buildControlHarness({ realTime: true });
  });
  after(() => h.close());

  it('notStarted 1 s, running 2 s: the poller sees each phase on time, and only then the new password signs in', async () => {
    const user = USERS.megan;
    await addRule(h, {
      type: 'operation',
      match: { kind: 'passwordReset', target: user.upn },
      times: 1,
      timeline: { notStartedSeconds: 1, runningSeconds: 2 },
    });
    const token = await adminToken(h);
    const newPassword = 'Timeline-Kq81-Zt!w';
    const op = await startReset(h, token, user.id, newPassword);
    // The operation was created just before the 202 (after hashing the new password).
    const t0 = Date.now();
    const firstSeen = new Map<string, number>();
    let newPasswordEarly = false;
    for (;;) {
      const res = await h.request('GET', op.path, { token });
      assert.equal(res.status, 200);
      const status = res.body.status as string;
      if (!firstSeen.has(status)) firstSeen.set(status, Date.now() - t0);
      if (status === 'succeeded' || status === 'failed') break;
      // Before the end the old password works and the new one does not.
      // (Read again after the sign-in: the operation may have ended while it was checked.)
      if (status === 'running' && !newPasswordEarly && (await signsIn(h, user, newPassword))) {
        newPasswordEarly = (await h.request('GET', op.path, { token })).body.status !== 'succeeded';
      }
      if (Date.now() - t0 > 10_000) assert.fail(`no end after 10 s: ${JSON.stringify([...firstSeen])}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(firstSeen.get('notStarted')! < TOLERANCE_MS, true, `notStarted at ${firstSeen.get('notStarted')}`);
    assert.ok(Math.abs(firstSeen.get('running')! - 1000) <= TOLERANCE_MS, `running first seen at ${firstSeen.get('running')} ms`);
    assert.ok(Math.abs(firstSeen.get('succeeded')! - 3000) <= TOLERANCE_MS, `succeeded first seen at ${firstSeen.get('succeeded')} ms`);
    assert.equal(newPasswordEarly, false, 'the new password signed in before the operation succeeded');
    assert.equal(await signsIn(h, user, newPassword), true);
    assert.equal(await signsIn(h, user, user.password), false);
    const record = await controlGet(h, `/operations/${op.id}`);
    assert.equal(record.body.rule.timeline.runningSeconds, 2);
    assert.deepEqual(
      record.body.events.map((e: { type: string }) => e.type),
      ['queued', 'running', 'claimed', 'succeeded'],
    );
  });

  it('effectLagSeconds 2: succeeded at once while the old password still works for ~2 s, then only the new one', async () => {
    const user = USERS.johanna;
    await addRule(h, { type: 'operation', match: { kind: 'passwordReset', target: user.id }, times: 1, effectLagSeconds: 2 });
    const token = await adminToken(h);
    const newPassword = 'Lagging-Kq81-Zt!w';
    const op = await startReset(h, token, user.id, newPassword);
    const done = await waitFor(
      () => h.request('GET', op.path, { token }),
      (r) => r.body.status === 'succeeded',
      5000,
    );
    assert.equal(done.body.status, 'succeeded', JSON.stringify((await controlGet(h, `/operations/${op.id}`)).body));
    const succeededAt = Date.now();
    // Succeeded, yet not usable: the old password still signs in, the new one does not.
    assert.equal(await signsIn(h, user, user.password), true);
    assert.equal(await signsIn(h, user, newPassword), false);
    await waitFor(
      () => signsIn(h, user, newPassword),
      (ok) => ok,
      5000,
    );
    const usableAfter = Date.now() - succeededAt;
    assert.ok(usableAfter >= 2000 - TOLERANCE_MS && usableAfter <= 2000 + TOLERANCE_MS * 2, `usable after ${usableAfter} ms`);
    assert.equal(await signsIn(h, user, user.password), false);
    const record = await controlGet(h, `/operations/${op.id}`);
    assert.equal(record.body.effectPendingUntil, null);
    assert.ok(record.body.events.some((e: { type: string }) => e.type === 'effectApplied'));
  });

  it('a stuck alert refresh stays running until released through the API, then runs for real', async () => {
    const alertId = `DirectoryRole_56fae684-cfd4-48bc-8670-1a55a06f4031_StaleSignInAlert`;
    await addRule(h, { type: 'operation', match: { kind: 'alertRefresh', target: alertId }, times: 1, outcome: { status: 'stuck' } });
    const token = await h.appToken();
    const start = await h.request('POST', `/beta/identityGovernance/roleManagementAlerts/alerts/${alertId}/refresh`, { token });
    assert.equal(start.status, 202, JSON.stringify(start.body));
    const path = new URL(String(start.headers.location)).pathname;
    const id = decodeURIComponent(path.split('/').pop()!);
    const running = await waitFor(
      () => controlGet(h, `/operations/${encodeURIComponent(id)}`),
      (r) => r.body.status === 'running',
      3000,
    );
    assert.equal(running.body.stuck, true);
    assert.equal(running.body.lease, null, 'a stuck operation holds no lease');
    // A second refresh joins the stuck run instead of starting another.
    const again = await h.request('POST', `/beta/identityGovernance/roleManagementAlerts/alerts/${alertId}/refresh`, { token });
    assert.equal(again.headers.location, start.headers.location);
    await new Promise((r) => setTimeout(r, 300)); // a stuck run must not end by itself: give it the chance
    assert.equal((await h.request('GET', path, { token })).body.status, 'running');
    const released = await controlPost(h, `/operations/${encodeURIComponent(id)}/release`);
    assert.equal(released.status, 200, JSON.stringify(released.body));
    const end = await waitFor(
      () => h.request('GET', path, { token }),
      (r) => r.body.status === 'succeeded',
      5000,
    );
    assert.equal(end.body.status, 'succeeded');
    assert.match(end.body.resourceLocation, /StaleSignInAlert$/);
    assert.equal((await controlPost(h, `/operations/${encodeURIComponent(id)}/release`)).status, 409);
  });
});
