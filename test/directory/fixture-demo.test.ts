import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { TenantFixture } from '../../src/directory/fixture.js';
import { formatFixtureErrors, parseFixture } from '../../src/directory/fixture-validate.js';
import { ROLE } from '../../src/directory/roles.js';

const DEMO_PATH = new URL('../../../fixtures/demo-tenant.json', import.meta.url);
const DAY = 86_400_000;

function loadDemo(): TenantFixture {
  const result = parseFixture(readFileSync(DEMO_PATH, 'utf8'));
  if (!result.ok) assert.fail(formatFixtureErrors(result.errors));
  return result.fixture;
}

describe('fixtures/demo-tenant.json', () => {
  const demo = loadDemo();
  const user = (local: string) => {
    const found = demo.users.find((u) => u.userPrincipalName.startsWith(`${local}@`));
    assert.ok(found, `no ${local}@ user`);
    return found;
  };
  const assignmentsOf = (local: string) => demo.roleAssignments.filter((a) => a.principalId === user(local).id);

  it('is Contoso, licensed for P2', () => {
    assert.equal(demo.tenant.displayName, 'Contoso');
    assert.equal(demo.tenant.defaultDomain, 'contoso.onmicrosoft.com');
    assert.ok(demo.tenant.licenses.includes('AAD_PREMIUM_P2'));
  });

  it('gives every user a different password', () => {
    const passwords = demo.users.map((u) => u.password);
    assert.ok(passwords.every((p) => typeof p === 'string' && p.length >= 12));
    assert.equal(new Set(passwords).size, passwords.length);
  });

  it('has the documented administrators, each with their role', () => {
    const expected: Array<[string, string]> = [
      ['admin', ROLE.globalAdministrator],
      ['pra', ROLE.privilegedRoleAdministrator],
      ['secreader', ROLE.securityReader],
      ['globalreader', ROLE.globalReader],
      ['authadmin', ROLE.authenticationAdministrator],
      ['privauthadmin', ROLE.privilegedAuthenticationAdministrator],
      ['helpdesk', ROLE.helpdeskAdministrator],
    ];
    for (const [local, role] of expected) {
      assert.deepEqual(
        assignmentsOf(local).map((a) => a.roleTemplateId),
        [role],
        local,
      );
    }
    const [adminAssignment] = assignmentsOf('admin');
    assert.equal(adminAssignment?.viaPim, false);
    assert.equal(adminAssignment?.assignmentType, 'active');
  });

  it('has three Global Administrators: one eligible and never activated for 45 days, one stale for 120', () => {
    const globalAdmins = demo.roleAssignments.filter((a) => a.roleTemplateId === ROLE.globalAdministrator);
    assert.equal(globalAdmins.length, 3);
    const [eligible] = assignmentsOf('johanna');
    assert.equal(eligible?.assignmentType, 'eligible');
    assert.equal(Date.parse('2026-11-27T09:00:00Z') - (eligible?.createdAt ?? 0), 45 * DAY);
    assert.ok(!demo.roleActivations.some((a) => a.principalId === user('johanna').id));
    const stale = user('grady');
    assert.equal(assignmentsOf('grady')[0]?.assignmentType, 'active');
    assert.ok(Date.parse('2026-11-27T00:00:00Z') - (stale.lastSignInAt ?? 0) > 119 * DAY);
  });

  it('has plain users, a guest and a personal account', () => {
    assert.deepEqual(assignmentsOf('alex'), []);
    assert.deepEqual(assignmentsOf('megan'), []);
    assert.equal(demo.users.find((u) => u.userPrincipalName.includes('#EXT#'))?.accountType, 'guest');
    assert.equal(user('personal').accountType, 'personal');
    assert.match(user('personal').userPrincipalName, /@outlook\.com$/);
  });

  it('has one user who activated a role four times within 30 seconds', () => {
    const times = demo.roleActivations.map((a) => a.activatedAt).sort((a, b) => a - b);
    assert.equal(new Set(demo.roleActivations.map((a) => `${a.principalId}|${a.roleTemplateId}`)).size, 1);
    assert.equal(times.length, 4);
    assert.ok((times[3] ?? 0) - (times[0] ?? 0) <= 30_000);
  });

  it('requires MFA to activate Global Administrator but not Privileged Role Administrator', () => {
    const mfa = new Map(demo.roleSettings.map((s) => [s.roleTemplateId, s.requireMfaOnActivation]));
    assert.equal(mfa.get(ROLE.globalAdministrator), true);
    assert.equal(mfa.get(ROLE.privilegedRoleAdministrator), false);
  });

  it('registers the demo client and the alert reader', () => {
    const client = demo.applications.find((a) => a.displayName === 'Longrun Demo Client');
    assert.equal(client?.secret, 'demo-client-secret');
    assert.ok(client?.delegatedPermissions.includes('UserAuthenticationMethod.ReadWrite.All'));
    assert.ok(client?.applicationPermissions.includes('RoleManagementAlert.ReadWrite.Directory'));
    const reader = demo.applications.find((a) => a.displayName === 'Alert Reader');
    assert.deepEqual(reader?.applicationPermissions, ['RoleManagementAlert.Read.Directory']);
    assert.deepEqual(reader?.delegatedPermissions, ['RoleManagementAlert.Read.Directory']);
  });
});
