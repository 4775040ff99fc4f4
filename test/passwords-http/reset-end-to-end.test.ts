/**
 * resetPassword end to end over HTTP: the 202 and its Location, the operation reaching
 * `succeeded`, and the login authority accepting the new password and refusing the old one
 * only once the operation has run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CALLERS, PEOPLE } from '../support/fixtures/reset-tenant.js';
import {
  buildHarness,
  operationIdOf,
  passwordGrant,
  pollLocation,
  request,
  PUBLIC_URL,
  resetPassword,
  runOperations,
  userToken,
  type Harness,
} from '../support/passwords.js';

describe('resetPassword end to end', () => {
  let h: Harness;
  let admin: string;
  before(async () => {
    h = await buildHarness();
    admin = await userToken(h, CALLERS.authAdmin);
  });
  after(() => h.close());

  it('with a given password: 202 with an empty object, the old password works until the operation runs, then only the new one', async () => {
    const alice = PEOPLE.alice;
    const newPassword = 'Fresh-Kq81-Zt!w';
    const res = await resetPassword(h, admin, alice.userPrincipalName, { newPassword });
    assert.equal(res.status, 202);
    assert.equal(res.raw, '{}');
    const location = res.headers.location as string;
    assert.match(
      location,
      new RegExp(`^${PUBLIC_URL}/v1\\.0/users/${alice.id}/authentication/operations/[0-9a-f-]{36}\\?aadgdc=DUB02P&aadgsu=ssprprod-a$`),
    );
    assert.equal(
      res.headers['operation-location'],
      undefined,
      'as Graph: Location only (Operation-Location needs the azure-lro extension)',
    );
    assert.ok(Number(res.headers['retry-after']) > 0);

    const before = await pollLocation(h, admin, location);
    assert.equal(before.status, 200);
    assert.equal(before.body.status, 'notStarted');
    assert.equal((await passwordGrant(h, alice.userPrincipalName, alice.password)).status, 200, 'old password still works before the run');
    assert.equal((await passwordGrant(h, alice.userPrincipalName, newPassword)).body.error, 'invalid_grant');

    await runOperations(h);

    const done = await pollLocation(h, admin, location);
    assert.equal(done.body.status, 'succeeded');
    assert.equal(done.body.id, operationIdOf(location));
    assert.equal(
      done.body.resourceLocation,
      `${PUBLIC_URL}/v1.0/users/${alice.id}/authentication/methods/28c10230-6103-485e-b985-444c60001490`,
    );
    // The new password is right, and must now be changed at sign-in (AADSTS50055, not 50126).
    assert.deepEqual((await passwordGrant(h, alice.userPrincipalName, newPassword)).body.error_codes, [50055]);
    const old = await passwordGrant(h, alice.userPrincipalName, alice.password);
    assert.equal(old.status, 400);
    assert.equal(old.body.error, 'invalid_grant');
    const audit = await h.store.audit.forOperation(operationIdOf(location));
    assert.deepEqual(
      audit.map((e) => [e.activity, e.targetId, e.initiatedBy]),
      [['Reset user password', alice.id, CALLERS.authAdmin.id]],
    );
  });

  it('with a generated password: 202 with a passwordResetResponse whose password signs in after the run', async () => {
    const bob = PEOPLE.bob;
    const res = await resetPassword(h, admin, bob.id, {}, { version: 'beta' });
    assert.equal(res.status, 202);
    assert.equal(res.body['@odata.context'], `${PUBLIC_URL}/beta/$metadata#microsoft.graph.passwordResetResponse`);
    const generated = res.body.newPassword as string;
    assert.equal(typeof generated, 'string');
    assert.equal([...generated].length, 16);
    assert.match(String(res.headers.location), new RegExp(`^${PUBLIC_URL}/beta/users/${bob.id}/authentication/operations/`));

    assert.equal((await passwordGrant(h, bob.userPrincipalName, bob.password)).status, 200, 'old password works before the run');
    await runOperations(h);
    assert.equal((await pollLocation(h, admin, res.headers.location)).body.status, 'succeeded');
    // The new password is right, and must now be changed at sign-in (AADSTS50055, not 50126).
    assert.deepEqual((await passwordGrant(h, bob.userPrincipalName, generated)).body.error_codes, [50055]);
    assert.equal((await passwordGrant(h, bob.userPrincipalName, bob.password)).body.error, 'invalid_grant');
  });

  it("the operation shows in the user's operations list", async () => {
    const list = await request(h, 'GET', `/v1.0/users/${PEOPLE.bob.id}/authentication/operations`, { token: admin });
    assert.equal(list.status, 200);
    assert.equal(list.body.value.length, 1);
    assert.equal(list.body.value[0].status, 'succeeded');
  });

  it('the beta passwordMethods path resets too', async () => {
    const carol = PEOPLE.carol;
    const res = await h.service.app.fastify.inject({
      method: 'POST',
      url: `/beta/users/${carol.id}/authentication/passwordMethods/28c10230-6103-485e-b985-444c60001490/resetPassword`,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ newPassword: 'Beta-Path-Kq81!' }),
    });
    assert.equal(res.statusCode, 202);
    await runOperations(h);
    // The new password is right, and must now be changed at sign-in (AADSTS50055, not 50126).
    assert.deepEqual((await passwordGrant(h, carol.userPrincipalName, 'Beta-Path-Kq81!')).body.error_codes, [50055]);
  });
});
