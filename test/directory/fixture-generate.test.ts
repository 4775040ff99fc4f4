import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TenantFixture } from '../../src/directory/fixture.js';
import { generateTenantFixture } from '../../src/directory/fixture-generate.js';
import { formatFixtureErrors, validateFixture } from '../../src/directory/fixture-validate.js';
import { ROLE } from '../../src/directory/roles.js';

const NOW = Date.parse('2026-11-28T00:00:00Z');
const DAY = 86_400_000;

function generateValid(users: number, seed: string | number): TenantFixture {
  const result = validateFixture(JSON.parse(JSON.stringify(generateTenantFixture({ users, seed, now: NOW }))));
  if (!result.ok) assert.fail(formatFixtureErrors(result.errors));
  return result.fixture;
}

function globalAdminShare(fixture: TenantFixture): { count: number; percent: number } {
  const count = fixture.roleAssignments.filter((a) => a.roleTemplateId === ROLE.globalAdministrator).length;
  return { count, percent: (100 * count) / fixture.roleAssignments.length };
}

describe('generateTenantFixture', () => {
  it('is deterministic: same seed and now give identical JSON, another seed does not', () => {
    const a = JSON.stringify(generateTenantFixture({ users: 300, seed: 'bench', now: NOW }));
    const b = JSON.stringify(generateTenantFixture({ users: 300, seed: 'bench', now: NOW }));
    const c = JSON.stringify(generateTenantFixture({ users: 300, seed: 'bench2', now: NOW }));
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.equal(
      JSON.stringify(generateTenantFixture({ users: 50, seed: 7, now: NOW })),
      JSON.stringify(generateTenantFixture({ users: 50, seed: '7', now: NOW })),
      'a numeric seed means the same as its decimal string',
    );
  });

  for (const users of [1, 2, 10, 200]) {
    it(`passes validation and has exactly ${users} user(s)`, () => {
      const fixture = generateValid(users, `count-${users}`);
      assert.equal(fixture.users.length, users);
      assert.equal(new Set(fixture.users.map((u) => u.userPrincipalName.toLowerCase())).size, users);
    });
  }

  it('always has admin@ as a Global Administrator assigned outside PIM, and an eligible assignment', () => {
    for (const seed of ['a', 'b', 'c']) {
      const fixture = generateValid(200, seed);
      const admin = fixture.users[0];
      assert.equal(admin?.userPrincipalName, `admin@${fixture.tenant.defaultDomain}`);
      const adminAssignment = fixture.roleAssignments.find((a) => a.principalId === admin?.id);
      assert.equal(adminAssignment?.roleTemplateId, ROLE.globalAdministrator);
      assert.equal(adminAssignment?.viaPim, false);
      assert.ok(fixture.roleAssignments.some((a) => a.assignmentType === 'eligible'));
      assert.ok(fixture.roleAssignments.some((a) => a.assignmentType === 'active' && a.viaPim && a.endAt !== null));
    }
    assert.ok(generateValid(2, 'tiny').roleAssignments.some((a) => a.assignmentType === 'eligible'));
  });

  it('has about 3–5% Global Administrators, crossing the 10% alert threshold for some seeds only', () => {
    const shares = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'].map((seed) => globalAdminShare(generateValid(400, seed)));
    for (const { count } of shares) assert.ok(count >= 12 && count <= 20, `GA count ${count} of 400 users`);
    assert.ok(
      shares.some((s) => s.percent >= 10),
      'some seed exceeds 10%',
    );
    assert.ok(
      shares.some((s) => s.percent < 10),
      'some seed stays under 10%',
    );
  });

  it('includes every privileged role of the mix once there are enough users', () => {
    const roles = new Set(generateValid(200, 'mix').roleAssignments.map((a) => a.roleTemplateId));
    for (const role of [
      ROLE.privilegedRoleAdministrator,
      ROLE.securityAdministrator,
      ROLE.securityReader,
      ROLE.globalReader,
      ROLE.authenticationAdministrator,
      ROLE.privilegedAuthenticationAdministrator,
      ROLE.helpdeskAdministrator,
      ROLE.userAdministrator,
      ROLE.passwordAdministrator,
    ]) {
      assert.ok(roles.has(role), `missing ${role}`);
    }
  });

  it('gives privileged users stale and missing sign-ins, and someone sequential activations', () => {
    const fixture = generateValid(1000, 'alerts');
    const privileged = new Set(fixture.roleAssignments.map((a) => a.principalId));
    const holders = fixture.users.filter((u) => privileged.has(u.id));
    assert.ok(holders.some((u) => u.lastSignInAt === null));
    assert.ok(holders.some((u) => u.lastSignInAt !== null && NOW - u.lastSignInAt > 60 * DAY));

    const byUserAndRole = new Map<string, number[]>();
    for (const activation of fixture.roleActivations) {
      const key = `${activation.principalId}|${activation.roleTemplateId}`;
      byUserAndRole.set(key, [...(byUserAndRole.get(key) ?? []), activation.activatedAt]);
    }
    const sequential = [...byUserAndRole.values()].some((times) => {
      const sorted = [...times].sort((x, y) => x - y);
      return sorted.some((t, i) => sorted[i + 3] !== undefined && (sorted[i + 3] ?? 0) - t <= 10_000);
    });
    assert.ok(sequential, 'four activations of one role within ten seconds');
    assert.ok(fixture.roleSettings.some((s) => !s.requireMfaOnActivation));
    assert.ok(fixture.roleActivations.every((a) => a.activatedAt <= NOW));
  });

  it('writes passwords that meet a usual complexity policy, different per user', () => {
    const fixture = generateValid(200, 'passwords');
    const passwords = fixture.users.map((u) => u.password ?? '');
    for (const password of passwords) {
      assert.ok(password.length >= 12, password);
      assert.match(password, /[a-z]/);
      assert.match(password, /[A-Z]/);
      assert.match(password, /[0-9]/);
      assert.match(password, /[^A-Za-z0-9]/);
    }
    assert.equal(new Set(passwords).size, passwords.length);
  });

  it('registers one client application with a secret and the full permission set', () => {
    const [app, ...others] = generateValid(20, 'app').applications;
    assert.equal(others.length, 0);
    assert.ok((app?.secret ?? '').length >= 32);
    assert.deepEqual(app?.applicationPermissions, [
      'RoleManagementAlert.Read.Directory',
      'RoleManagementAlert.ReadWrite.Directory',
      'UserAuthenticationMethod.Read.All',
      'UserAuthenticationMethod.ReadWrite.All',
      'User.Read.All',
    ]);
    assert.deepEqual(app?.delegatedPermissions, [
      'RoleManagementAlert.Read.Directory',
      'RoleManagementAlert.ReadWrite.Directory',
      'UserAuthenticationMethod.Read.All',
      'UserAuthenticationMethod.ReadWrite.All',
      'User.Read',
      'User.Read.All',
    ]);
  });

  it('honours the domain option', () => {
    const fixture = generateValid(5, 'domain');
    const custom = generateTenantFixture({ users: 5, seed: 'domain', now: NOW, domain: 'example.com' });
    assert.notEqual(fixture.tenant.defaultDomain, 'example.com');
    assert.equal(custom.tenant.defaultDomain, 'example.com');
    assert.ok(custom.users?.every((u) => u.userPrincipalName.endsWith('@example.com')));
  });

  it('refuses a user count below one', () => {
    assert.throws(() => generateTenantFixture({ users: 0, seed: 1 }), RangeError);
    assert.throws(() => generateTenantFixture({ users: 2.5, seed: 1 }), RangeError);
  });

  // Speed is measured in bench/, not asserted here.
  it('generates a valid tenant of 10,000 users', () => {
    const json = generateTenantFixture({ users: 10_000, seed: 'large', now: NOW });
    assert.equal(json.users?.length, 10_000);
    assert.equal(validateFixture(json).ok, true);
  });
});
