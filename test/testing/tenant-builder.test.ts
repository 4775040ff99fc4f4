/**
 * The tenant builder: a valid fixture from a few calls, deterministic, with the bad input named;
 * and a built tenant behaves once imported (the PIM alerts find what was declared).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateFixture } from '../../src/directory/fixture-validate.js';
import { ROLE } from '../../src/directory/roles.js';
import { startLongrun, tenant, type Longrun } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../support/backends.js';

const NOW = new Date('2026-06-01T12:00:00Z');

describe('tenant builder', () => {
  it('builds a fixture the importer validates, with roles by name, PIM and outside-PIM assignments', () => {
    const fixture = tenant({ domain: 'fabrikam.onmicrosoft.com', now: NOW })
      .user('ana', { eligible: ['Global Administrator'], lastSignIn: null })
      .user('bob', { outsidePim: ['Privileged Role Administrator'], roles: [{ role: ROLE.securityReader, until: '2027-01-01T00:00:00Z' }] })
      .user('carol@partner.com', { accountType: 'guest', activations: [{ role: 'Global Administrator', at: '2026-05-30T10:00:00Z' }] })
      .app('Helpdesk tool', { delegated: ['UserAuthenticationMethod.ReadWrite.All'], application: ['User.Read.All'] })
      .roleSetting('Global Administrator', { requireMfaOnActivation: false })
      .build();
    const result = validateFixture(fixture);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
    const f = result.fixture;
    assert.equal(f.tenant.defaultDomain, 'fabrikam.onmicrosoft.com');
    assert.deepEqual(f.tenant.licenses, ['AAD_PREMIUM_P2']);
    assert.deepEqual(
      f.users.map((u) => u.userPrincipalName),
      ['ana@fabrikam.onmicrosoft.com', 'bob@fabrikam.onmicrosoft.com', 'carol@partner.com'],
    );
    assert.equal(f.users[0]!.lastSignInAt, null);
    assert.equal(f.users[1]!.lastSignInAt, NOW.getTime() - 86_400_000);
    const byUser = (i: number) => f.roleAssignments.filter((a) => a.principalId === f.users[i]!.id);
    assert.deepEqual(
      byUser(0).map((a) => [a.roleTemplateId, a.assignmentType, a.viaPim]),
      [[ROLE.globalAdministrator, 'eligible', true]],
    );
    assert.deepEqual(
      byUser(1)
        .map((a) => [a.roleTemplateId, a.assignmentType, a.viaPim, a.endAt])
        .sort(),
      [
        [ROLE.privilegedRoleAdministrator, 'active', false, null],
        [ROLE.securityReader, 'active', true, Date.parse('2027-01-01T00:00:00Z')],
      ].sort(),
    );
    assert.equal(f.roleActivations[0]!.principalId, f.users[2]!.id);
    assert.equal(f.applications.length, 1, 'an explicit app replaces the default client');
    assert.deepEqual(f.applications[0]!.delegatedPermissions, ['UserAuthenticationMethod.ReadWrite.All']);
    assert.ok(fixture.applications![0]!.secret, 'the built fixture carries the clear secret for sign-in');
  });

  it('is deterministic, and adds a client app able to request every delegated permission when none is declared', () => {
    const make = () =>
      tenant({ now: NOW })
        .user('ana', { roles: ['Global Administrator'] })
        .build();
    assert.deepEqual(make(), make());
    const fixture = make();
    assert.equal(fixture.applications!.length, 1);
    assert.ok(fixture.applications![0]!.delegatedPermissions!.includes('UserAuthenticationMethod.ReadWrite.All'));
    assert.notEqual(fixture.users![0]!.password, tenant({ now: NOW }).user('bob').build().users![0]!.password);
  });

  it('names what is wrong: an unknown role at once, a duplicate user at build()', () => {
    assert.throws(() => tenant().user('ana', { roles: ['Chief Everything Officer'] }), /unknown role 'Chief Everything Officer'/);
    assert.throws(() => tenant().user('ana').user('ANA').build(), /users\[1\]\.userPrincipalName/);
  });
});

describe('a built tenant, imported and refreshed', () => {
  let db: TestDatabase;
  let lr: Longrun;
  const built = tenant({ domain: 'alerts.onmicrosoft.com' })
    .user('root', { roles: ['Global Administrator'] })
    .user('ana', { eligible: ['Global Administrator'] })
    .user('bob', { outsidePim: ['Privileged Role Administrator'] })
    .user('stale', { roles: ['Security Administrator'], lastSignIn: new Date(Date.now() - 90 * 86_400_000) })
    .roleSetting('Global Administrator', { requireMfaOnActivation: false });
  before(async () => {
    db = await createTestDatabase();
    lr = await startLongrun({ db: db.url, fixture: built, passwordHashing: 'fast' });
  });
  after(async () => {
    await lr.stop();
    await db.dispose();
  });

  it('the alerts find the eligible role without MFA, the assignment outside PIM and the stale sign-in', async () => {
    const token = await lr.token({ user: 'root@alerts.onmicrosoft.com' });
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const root = `${lr.url}/beta/identityGovernance/roleManagementAlerts`;
    const start = await fetch(`${root}/alerts/refresh`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ scopeId: '/', scopeType: 'DirectoryRole' }),
    });
    assert.equal(start.status, 202, await start.clone().text());
    const location = start.headers.get('location')!;
    const deadline = Date.now() + 20_000;
    for (;;) {
      const op = (await (await fetch(location, { headers })).json()) as { status: string };
      if (op.status === 'succeeded') break;
      assert.notEqual(op.status, 'failed');
      assert.ok(Date.now() < deadline, 'refresh did not finish in time');
      await new Promise((r) => setTimeout(r, 50));
    }
    const incidents = async (type: string) => {
      const res = await fetch(`${root}/alerts/DirectoryRole_${lr.tenantId}_${type}/alertIncidents`, { headers });
      assert.equal(res.status, 200);
      return ((await res.json()) as { value: Array<Record<string, unknown>> }).value;
    };
    assert.deepEqual(
      (await incidents('NoMfaOnRoleActivationAlert')).map((i) => i.roleTemplateId),
      [ROLE.globalAdministrator],
    );
    assert.deepEqual(
      (await incidents('RolesAssignedOutsidePimAlert')).map((i) => i.assigneeUserPrincipalName),
      ['bob@alerts.onmicrosoft.com'],
    );
    assert.deepEqual(
      (await incidents('StaleSignInAlert')).map((i) => i.assigneeUserPrincipalName),
      ['stale@alerts.onmicrosoft.com'],
    );
  });
});
