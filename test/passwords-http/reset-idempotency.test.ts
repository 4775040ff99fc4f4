/**
 * Retrying resetPassword (docs/passwords.md, "Retries and idempotency"): the same
 * Repeatability-Request-ID (or, without it, the same client-request-id) from the same caller for
 * the same user within 10 minutes gets the first operation back and nothing runs twice; the same
 * key with a different request is refused; after the window the key starts a new reset.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CALLERS, PEOPLE, TARGETS, type FixtureUser } from '../support/fixtures/reset-tenant.js';
import {
  buildHarness,
  operationIdOf,
  passwordGrant,
  request,
  resetPassword,
  runOperations,
  userToken,
  type Harness,
  type Res,
} from '../support/passwords.js';

const WINDOW_MS = 10 * 60_000;
const rrid = (id: string, extra: Record<string, string> = {}) => ({ headers: { 'Repeatability-Request-ID': id, ...extra } });

describe('resetPassword: retries and idempotency', () => {
  let h: Harness;
  let admin: string;
  before(async () => {
    h = await buildHarness();
    admin = await userToken(h, CALLERS.authAdmin);
  });
  after(() => h.close());

  const operationCount = async (u: FixtureUser): Promise<number> => {
    const res = await request(h, 'GET', `/v1.0/users/${u.id}/authentication/operations?$count=true`, { token: admin });
    assert.equal(res.status, 200, res.raw);
    return res.body['@odata.count'];
  };
  const assertAccepted = (res: Res, repeatability: boolean) => {
    assert.equal(res.status, 202, res.raw);
    assert.equal(res.headers['repeatability-result'], repeatability ? 'accepted' : undefined);
  };

  it('the same Repeatability-Request-ID twice: the same operation, one reset, one audit event', async () => {
    const u = PEOPLE.alice;
    const body = { newPassword: 'Retry-Same-Kq81!' };
    const first = await resetPassword(h, admin, u.id, body, rrid('rr-1'));
    const second = await resetPassword(h, admin, u.userPrincipalName, body, { ...rrid('rr-1'), version: 'beta' });
    assertAccepted(first, true);
    assertAccepted(second, true);
    assert.equal(second.headers.location, first.headers.location, "the first request's Location, even on the other version");
    assert.equal(second.raw, '{}');
    assert.equal(await operationCount(u), 1);
    await runOperations(h);
    assert.equal((await h.store.audit.forOperation(operationIdOf(first.headers.location))).length, 1);
    // A retry after the operation ended still gets it back (terminal, so nothing else happens).
    const third = await resetPassword(h, admin, u.id, body, rrid('rr-1'));
    assert.equal(third.headers.location, first.headers.location);
    assert.equal(await operationCount(u), 1);
    // The new password is right, and must now be changed at sign-in (AADSTS50055, not 50126).
    assert.deepEqual((await passwordGrant(h, u.userPrincipalName, body.newPassword)).body.error_codes, [50055]);
  });

  it('a generated-password retry gets the same Location and no password: the password is not shown twice', async () => {
    const u = PEOPLE.bob;
    const first = await resetPassword(h, admin, u.id, {}, rrid('rr-gen'));
    const second = await resetPassword(h, admin, u.id, {}, rrid('rr-gen'));
    assertAccepted(first, true);
    assertAccepted(second, true);
    assert.equal(typeof first.body.newPassword, 'string');
    assert.equal(second.raw, '{}');
    assert.equal(second.headers.location, first.headers.location);
    assert.equal(await operationCount(u), 1);
    await runOperations(h);
    // The new password is right, and must now be changed at sign-in (AADSTS50055, not 50126).
    assert.deepEqual((await passwordGrant(h, u.userPrincipalName, first.body.newPassword)).body.error_codes, [50055]);
  });

  it('without a Repeatability-Request-ID, the same client-request-id is the key (no Repeatability-Result header)', async () => {
    const u = PEOPLE.carol;
    const body = { newPassword: 'Client-Req-Kq81!' };
    const first = await resetPassword(h, admin, u.id, body, { headers: { 'client-request-id': 'crid-1' } });
    const second = await resetPassword(h, admin, u.id, body, { headers: { 'client-request-id': 'crid-1' } });
    assertAccepted(first, false);
    assertAccepted(second, false);
    assert.equal(second.headers.location, first.headers.location);
    const third = await resetPassword(h, admin, u.id, body, { headers: { 'client-request-id': 'crid-2' } });
    assert.notEqual(third.headers.location, first.headers.location);
    assert.equal(await operationCount(u), 2);
  });

  it('requests without any key are never merged', async () => {
    const u = PEOPLE.dave;
    const a = await resetPassword(h, admin, u.id, { newPassword: 'No-Key-Kq81-Zt!' });
    const b = await resetPassword(h, admin, u.id, { newPassword: 'No-Key-Kq81-Zt!' });
    assert.notEqual(a.headers.location, b.headers.location);
    assert.equal(await operationCount(u), 2);
  });

  it('Repeatability-Request-ID wins over client-request-id', async () => {
    const u = TARGETS.noRole;
    const body = { newPassword: 'Both-Keys-Kq81!' };
    const first = await resetPassword(h, admin, u.id, body, rrid('rr-both', { 'client-request-id': 'c-a' }));
    const second = await resetPassword(h, admin, u.id, body, rrid('rr-both', { 'client-request-id': 'c-b' }));
    assert.equal(second.headers.location, first.headers.location);
    assert.equal(await operationCount(u), 1);
  });

  it('the same key with a different request: 400 BadRequest with Repeatability-Result: rejected, nothing queued', async () => {
    const u = PEOPLE.erin;
    const first = await resetPassword(h, admin, u.id, { newPassword: 'Original-Kq81-Zt!' }, rrid('rr-diff'));
    assertAccepted(first, true);
    for (const body of [{ newPassword: 'Different-Kq81-Zt!' }, {}]) {
      const res = await resetPassword(h, admin, u.id, body, rrid('rr-diff'));
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.code, 'BadRequest');
      assert.match(res.body.error.message, /Repeatability-Request-ID 'rr-diff' was already used/);
      assert.equal(res.headers['repeatability-result'], 'rejected');
    }
    const viaClientId = await resetPassword(h, admin, u.id, {}, { headers: { 'client-request-id': 'crid-gen' } });
    assertAccepted(viaClientId, false);
    const mismatch = await resetPassword(
      h,
      admin,
      u.id,
      { newPassword: 'Original-Kq81-Zt!' },
      { headers: { 'client-request-id': 'crid-gen' } },
    );
    assert.equal(mismatch.status, 400);
    assert.equal(mismatch.headers['repeatability-result'], undefined);
    assert.equal(await operationCount(u), 2);
  });

  it('a key is private to its caller and its target user', async () => {
    const body = { newPassword: 'Scoped-Key-Kq81!' };
    const a = await resetPassword(h, admin, TARGETS.passwordAdmin.id, body, rrid('rr-scope'));
    const otherTarget = await resetPassword(h, admin, TARGETS.guestInviter.id, body, rrid('rr-scope'));
    const otherCaller = await resetPassword(h, await userToken(h, CALLERS.privAuthAdmin), TARGETS.passwordAdmin.id, body, rrid('rr-scope'));
    for (const res of [a, otherTarget, otherCaller]) assertAccepted(res, true);
    assert.equal(new Set([a, otherTarget, otherCaller].map((r) => r.headers.location)).size, 3);
  });

  it('the window is 10 minutes: a retry just inside gets the operation back, one just after starts a new reset', async () => {
    const u = TARGETS.directoryReaders;
    const body = { newPassword: 'Window-Key-Kq81!' };
    const first = await resetPassword(h, admin, u.id, body, rrid('rr-window'));
    h.clock.advance(WINDOW_MS - 1);
    const inside = await resetPassword(h, admin, u.id, body, rrid('rr-window'));
    assert.equal(inside.headers.location, first.headers.location);
    h.clock.advance(1);
    const afterWindow = await resetPassword(h, admin, u.id, body, rrid('rr-window'));
    assertAccepted(afterWindow, true);
    assert.notEqual(afterWindow.headers.location, first.headers.location);
    // The expired record was replaced: the key now names the new operation for another 10 minutes.
    const retryOfNew = await resetPassword(h, admin, u.id, body, rrid('rr-window'));
    assert.equal(retryOfNew.headers.location, afterWindow.headers.location);
    assert.equal(await operationCount(u), 2);
  });

  it('concurrent identical requests: one operation', async () => {
    const u = TARGETS.reportsReader;
    const body = { newPassword: 'Racing-Key-Kq81!' };
    const results = await Promise.all(Array.from({ length: 5 }, () => resetPassword(h, admin, u.id, body, rrid('rr-race'))));
    for (const res of results) assertAccepted(res, true);
    assert.equal(new Set(results.map((r) => r.headers.location)).size, 1);
    assert.equal(await operationCount(u), 1);
    await runOperations(h);
    assert.equal((await h.store.audit.forOperation(operationIdOf(results[0]!.headers.location))).length, 1);
  });

  it('Repeatability headers are validated: malformed → 400, First-Sent older than the window → 412', async () => {
    const u = TARGETS.messageCenterReader;
    const body = { newPassword: 'Header-Check-Kq81!' };
    const now = new Date(h.clock.now());
    const cases: Array<[string, Record<string, string>, number]> = [
      ['a request id with spaces', { 'Repeatability-Request-ID': 'not valid' }, 400],
      ['a request id over 128 characters', { 'Repeatability-Request-ID': 'x'.repeat(129) }, 400],
      ['First-Sent not an IMF-fixdate', { 'Repeatability-Request-ID': 'rr-h1', 'Repeatability-First-Sent': now.toISOString() }, 400],
      [
        'First-Sent with the wrong weekday',
        {
          'Repeatability-Request-ID': 'rr-h2',
          'Repeatability-First-Sent': now.toUTCString().replace(/^\w{3}/, now.getUTCDay() === 1 ? 'Tue' : 'Mon'),
        },
        400,
      ],
      ['First-Sent without a request id', { 'Repeatability-First-Sent': now.toUTCString() }, 400],
      [
        'First-Sent 11 minutes ago',
        { 'Repeatability-Request-ID': 'rr-h3', 'Repeatability-First-Sent': new Date(h.clock.now() - 11 * 60_000).toUTCString() },
        412,
      ],
    ];
    for (const [label, headers, status] of cases) {
      const res = await resetPassword(h, admin, u.id, body, { headers });
      assert.equal(res.status, status, label);
      assert.equal(res.headers['repeatability-result'], 'rejected', label);
    }
    assert.equal(await operationCount(u), 0, 'nothing was queued by a refused request');
    const ok = await resetPassword(
      h,
      admin,
      u.id,
      body,
      rrid('rr-h4', { 'Repeatability-First-Sent': new Date(h.clock.now() - 60_000).toUTCString() }),
    );
    assertAccepted(ok, true);
  });
});
