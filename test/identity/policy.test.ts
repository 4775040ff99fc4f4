import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccessDeniedError } from '../../src/identity/identity-errors.js';
import { ROLE, DEFAULT_USER_ROLE_TEMPLATE_ID } from '../../src/directory/roles.js';
import { authorize } from '../../src/identity/policy/authorize.js';
import { POLICY_RULES, assertRuleExists, type PolicyRuleName } from '../../src/identity/policy/rules.js';
import type { Principal } from '../../src/identity/principal.js';

const TENANT = '3b0e753b-22fa-4c16-9bf2-470b80be80d6';
const ME = '00000000-0000-4000-8000-00000000000a';
const OTHER = '00000000-0000-4000-8000-00000000000b';

function user(scopes: string[], roles: string[] = [], personal = false): Principal {
  return {
    kind: 'user',
    tenantId: TENANT,
    objectId: ME,
    appId: 'aaaaaaaa-0000-4000-8000-000000000001',
    scopes: new Set(scopes),
    appPermissions: new Set(),
    roleTemplateIds: new Set([DEFAULT_USER_ROLE_TEMPLATE_ID, ...roles]),
    personal,
  };
}

function app(permissions: string[]): Principal {
  return {
    kind: 'app',
    tenantId: TENANT,
    objectId: '5f0c0e3e-0000-5000-8000-000000000000',
    appId: 'aaaaaaaa-0000-4000-8000-000000000001',
    scopes: new Set(),
    appPermissions: new Set(permissions),
    roleTemplateIds: new Set(),
    personal: false,
  };
}

/** What the docs say, written out independently of rules.ts (each endpoint's Microsoft Learn page; docs/authentication.md). */
interface Expected {
  least: string;
  higher: string;
  /** Directory roles that pass (Global Administrator included, see docs/authentication.md). */
  roles: string[];
  /** A role that is not enough. */
  wrongRole: string;
  rolesOnlyForOthers: boolean;
  /** Scopes that suffice on oneself only. */
  selfOnly: string[];
  appLeast?: string;
  appHigher?: string;
}

const RMA_R = 'RoleManagementAlert.Read.Directory';
const RMA_RW = 'RoleManagementAlert.ReadWrite.Directory';
const UAM_R = 'UserAuthenticationMethod.Read';
const UAM_RW = 'UserAuthenticationMethod.ReadWrite';
const UAM_R_ALL = 'UserAuthenticationMethod.Read.All';
const UAM_RW_ALL = 'UserAuthenticationMethod.ReadWrite.All';
const alertReaders = [
  ROLE.privilegedRoleAdministrator,
  ROLE.globalReader,
  ROLE.securityAdministrator,
  ROLE.securityReader,
  ROLE.globalAdministrator,
];
const authReaders = [
  ROLE.globalReader,
  ROLE.authenticationAdministrator,
  ROLE.privilegedAuthenticationAdministrator,
  ROLE.globalAdministrator,
];

const EXPECTED: Record<PolicyRuleName, Expected> = {
  'operations.alerts.read': {
    least: RMA_R,
    higher: RMA_RW,
    roles: alertReaders,
    wrongRole: ROLE.securityOperator,
    rolesOnlyForOthers: false,
    selfOnly: [],
    appLeast: RMA_R,
    appHigher: RMA_RW,
  },
  'alerts.read': {
    least: RMA_R,
    higher: RMA_RW,
    roles: alertReaders,
    wrongRole: ROLE.userAdministrator,
    rolesOnlyForOthers: false,
    selfOnly: [],
    appLeast: RMA_R,
    appHigher: RMA_RW,
  },
  'alerts.write': {
    least: RMA_RW,
    higher: RMA_RW,
    roles: [ROLE.privilegedRoleAdministrator, ROLE.globalAdministrator],
    wrongRole: ROLE.securityAdministrator,
    rolesOnlyForOthers: false,
    selfOnly: [],
    appLeast: RMA_RW,
    appHigher: RMA_RW,
  },
  'operations.authentication.read': {
    least: UAM_R_ALL,
    higher: UAM_RW_ALL,
    roles: authReaders,
    wrongRole: ROLE.helpdeskAdministrator,
    rolesOnlyForOthers: true,
    selfOnly: [UAM_R, UAM_RW],
    appLeast: UAM_R_ALL,
    appHigher: UAM_RW_ALL,
  },
  'authenticationMethods.read': {
    least: UAM_R_ALL,
    higher: UAM_RW_ALL,
    roles: authReaders,
    wrongRole: ROLE.userAdministrator,
    rolesOnlyForOthers: true,
    selfOnly: [UAM_R, UAM_RW],
    appLeast: UAM_R_ALL,
    appHigher: UAM_RW_ALL,
  },
  'authenticationMethods.resetPassword': {
    least: UAM_RW_ALL,
    higher: UAM_RW_ALL,
    roles: [ROLE.authenticationAdministrator, ROLE.privilegedAuthenticationAdministrator, ROLE.globalAdministrator],
    wrongRole: ROLE.helpdeskAdministrator,
    rolesOnlyForOthers: false,
    selfOnly: [],
  },
  'users.revokeSignInSessions': {
    least: 'User.RevokeSessions.All',
    higher: 'Directory.ReadWrite.All',
    roles: [ROLE.helpdeskAdministrator, ROLE.userAdministrator, ROLE.privilegedAuthenticationAdministrator, ROLE.globalAdministrator],
    wrongRole: ROLE.securityReader,
    rolesOnlyForOthers: true,
    selfOnly: [],
    appLeast: 'User.RevokeSessions.All',
    appHigher: 'Directory.ReadWrite.All',
  },
  // Longrun's own control API (docs/controls.md): Global Administrator only, for delegated callers.
  'control.all': {
    least: 'Longrun.Control.All',
    higher: 'Longrun.Control.All',
    roles: [ROLE.globalAdministrator],
    wrongRole: ROLE.privilegedRoleAdministrator,
    rolesOnlyForOthers: false,
    selfOnly: [],
    appLeast: 'Longrun.Control.All',
    appHigher: 'Longrun.Control.All',
  },
  // The coarse gate of /subscriptions (docs/subscriptions.md): any resource's read permission, no role; the route checks the resource's own rule.
  'subscriptions.any': {
    least: RMA_R,
    higher: UAM_RW_ALL,
    roles: [],
    wrongRole: ROLE.securityReader,
    rolesOnlyForOthers: false,
    selfOnly: [],
    appLeast: UAM_R_ALL,
    appHigher: RMA_RW,
  },
  'users.read': {
    least: 'User.ReadBasic.All',
    higher: 'Directory.ReadWrite.All',
    roles: [],
    wrongRole: ROLE.securityReader,
    rolesOnlyForOthers: false,
    selfOnly: ['User.Read'],
    appLeast: 'User.Read.All',
    appHigher: 'Directory.Read.All',
  },
};

interface Case {
  name: string;
  principal: Principal;
  target?: string;
  allow: boolean;
}

function casesFor(e: Expected): Case[] {
  const someRole = e.roles[0] ? [e.roles[0]] : [];
  const cases: Case[] = [
    { name: 'delegated least privileged (with a listed role)', principal: user([e.least], someRole), target: OTHER, allow: true },
    { name: 'delegated higher privileged (with a listed role)', principal: user([e.higher], someRole), target: OTHER, allow: true },
    ...e.roles.map((r) => ({ name: `role ${r}`, principal: user([e.least], [r]), target: OTHER, allow: true })),
    { name: 'no role', principal: user([e.least]), target: OTHER, allow: e.roles.length === 0 },
    { name: 'an unlisted role', principal: user([e.least], [e.wrongRole]), target: OTHER, allow: e.roles.length === 0 },
    { name: 'no target given counts as another user', principal: user([e.least]), allow: e.roles.length === 0 },
    {
      name: 'a listed role but no scope',
      principal: user(
        ['User.ReadBasic.All'].filter((s) => s !== e.least && s !== e.higher),
        e.roles,
      ),
      target: OTHER,
      allow: false,
    },
    { name: 'app least privileged', principal: app(e.appLeast ? [e.appLeast] : [e.least]), allow: e.appLeast !== undefined },
    { name: 'app higher privileged', principal: app(e.appHigher ? [e.appHigher] : [e.higher]), allow: e.appHigher !== undefined },
    {
      name: 'app without the permission',
      principal: app(['User.Read.All'].filter((p) => p !== e.appLeast && p !== e.appHigher)),
      allow: false,
    },
    { name: 'app holding the permission only as a delegated scope', principal: { ...app([]), scopes: new Set([e.least]) }, allow: false },
    {
      name: 'personal account with everything',
      principal: user([e.least, e.higher, ...e.selfOnly], e.roles, true),
      target: ME,
      allow: false,
    },
    {
      name: 'self, least privileged, no role',
      principal: user([e.least]),
      target: ME,
      allow: e.rolesOnlyForOthers || e.roles.length === 0,
    },
  ];
  for (const s of e.selfOnly) {
    cases.push({ name: `self-only scope ${s} on oneself`, principal: user([s]), target: ME, allow: true });
    cases.push({
      name: `self-only scope ${s} on another user (even with a role)`,
      principal: user([s], e.roles),
      target: OTHER,
      allow: false,
    });
  }
  return cases;
}

describe('policy rules', () => {
  it('has exactly the expected rules', () => {
    assert.deepEqual(Object.keys(POLICY_RULES).sort(), Object.keys(EXPECTED).sort());
  });

  for (const [ruleName, expected] of Object.entries(EXPECTED) as Array<[PolicyRuleName, Expected]>) {
    describe(ruleName, () => {
      for (const c of casesFor(expected)) {
        it(`${c.allow ? 'allows' : 'denies'}: ${c.name}`, () => {
          const run = () => authorize(c.principal, ruleName, c.target === undefined ? {} : { targetUserId: c.target });
          if (c.allow) assert.doesNotThrow(run);
          else {
            assert.throws(run, (e: unknown) => {
              // Graph renders it as 403 Authorization_RequestDenied (tests in test/graph).
              assert.ok(e instanceof AccessDeniedError);
              assert.equal(e.message, 'Insufficient privileges to complete the operation.');
              return true;
            });
          }
        });
      }
    });
  }

  it('resetPassword refuses every application token', () => {
    assert.deepEqual(POLICY_RULES['authenticationMethods.resetPassword'].application, []);
    assert.throws(() => authorize(app([UAM_RW_ALL, RMA_RW, 'Directory.ReadWrite.All']), 'authenticationMethods.resetPassword'));
  });

  it('matches permission names case-insensitively and ids case-insensitively', () => {
    assert.doesNotThrow(() =>
      authorize(user(['userauthenticationmethod.read']), 'authenticationMethods.read', { targetUserId: ME.toUpperCase() }),
    );
  });

  it('assertRuleExists accepts known rules and rejects unknown ones', () => {
    assert.doesNotThrow(() => assertRuleExists('alerts.read'));
    assert.throws(() => assertRuleExists('alerts.reed'), /unknown policy rule 'alerts.reed'/);
  });

  it('every rule refuses personal accounts', () => {
    for (const rule of Object.values(POLICY_RULES)) assert.equal(rule.personalAccounts, false);
  });
});
