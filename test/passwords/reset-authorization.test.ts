import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_USER_ROLE_TEMPLATE_ID, ROLE } from '../../src/directory/roles.js';
import {
  PASSWORD_RESET_TABLE,
  RESET_PASSWORD_CALLER_ROLES,
  canResetPassword,
  isResetPasswordCaller,
} from '../../src/passwords/reset-authorization.js';

const CALLERS = [
  ['Password Administrator', ROLE.passwordAdministrator],
  ['Helpdesk Administrator', ROLE.helpdeskAdministrator],
  ['Authentication Administrator', ROLE.authenticationAdministrator],
  ['User Administrator', ROLE.userAdministrator],
  ['Privileged Authentication Administrator', ROLE.privilegedAuthenticationAdministrator],
  ['Global Administrator', ROLE.globalAdministrator],
] as const;

const CUSTOM_ROLE = '11111111-2222-3333-4444-555555555555';

/**
 * Transcribed independently from https://learn.microsoft.com/graph/api/resources/users#who-can-reset-passwords: one character per caller column, in the
 * order of CALLERS ('x' = allowed, '.' = denied).
 */
const EXPECTED: Array<[label: string, targetRoles: string[], columns: string]> = [
  ['Authentication Administrator', [ROLE.authenticationAdministrator], '..x.xx'],
  ['Directory Readers', [ROLE.directoryReaders], 'xxxxxx'],
  ['Global Administrator', [ROLE.globalAdministrator], '....xx'],
  ['Groups Administrator', [ROLE.groupsAdministrator], '...xxx'],
  ['Guest Inviter', [ROLE.guestInviter], 'xxxxxx'],
  ['Helpdesk Administrator', [ROLE.helpdeskAdministrator], '.x.xxx'],
  ['Message Center Reader', [ROLE.messageCenterReader], '.xxxxx'],
  ['Password Administrator', [ROLE.passwordAdministrator], 'xxxxxx'],
  ['Privileged Authentication Administrator', [ROLE.privilegedAuthenticationAdministrator], '....xx'],
  ['Privileged Role Administrator', [ROLE.privilegedRoleAdministrator], '....xx'],
  ['Reports Reader', [ROLE.reportsReader], '.xxxxx'],
  ['User (no admin role)', [], 'xxxxxx'],
  ['User (only the default User role)', [DEFAULT_USER_ROLE_TEMPLATE_ID], 'xxxxxx'],
  ['User Administrator', [ROLE.userAdministrator], '...xxx'],
  ['Usage Summary Reports Reader', [ROLE.usageSummaryReportsReader], '.xxxxx'],
  ['All custom roles', [CUSTOM_ROLE], '....xx'],
  // Built-in roles missing from the table get the strictest treatment.
  ['Security Administrator (not in the table)', [ROLE.securityAdministrator], '....xx'],
  ['Global Reader (not in the table)', [ROLE.globalReader], '....xx'],
];

describe('who can reset whose password', () => {
  for (const [label, targetRoles, columns] of EXPECTED) {
    CALLERS.forEach(([callerName, callerRole], column) => {
      const expected = columns[column] === 'x';
      it(`${callerName} ${expected ? 'can' : 'cannot'} reset ${label}`, () => {
        assert.equal(canResetPassword([callerRole], targetRoles).allowed, expected);
      });
    });
  }

  it('keeps the two rows Longrun cannot detect (groups, restricted units) as data', () => {
    const undetectable = PASSWORD_RESET_TABLE.filter(
      (row) => row.target.kind === 'roleAssignableGroupMember' || row.target.kind === 'restrictedManagementUnitMember',
    );
    assert.equal(undetectable.length, 2);
    for (const row of undetectable) {
      const topTwo = [ROLE.privilegedAuthenticationAdministrator, ROLE.globalAdministrator];
      assert.deepEqual([...row.allowedCallerRoles].sort(), topTwo.sort());
    }
    assert.equal(PASSWORD_RESET_TABLE.length, 17);
  });

  it('denies a caller with no resetter role, with a reason', () => {
    const decision = canResetPassword([ROLE.globalReader, DEFAULT_USER_ROLE_TEMPLATE_ID], []);
    assert.deepEqual(decision, { allowed: false, reason: 'The caller has no role that can reset user passwords.' });
  });

  it('names the blocking role in the reason', () => {
    const decision = canResetPassword([ROLE.authenticationAdministrator], [ROLE.globalAdministrator]);
    assert.equal(decision.allowed, false);
    assert.match(decision.allowed ? '' : decision.reason, /Global Administrator role/);
    const custom = canResetPassword([ROLE.helpdeskAdministrator], [CUSTOM_ROLE]);
    assert.match(custom.allowed ? '' : custom.reason, new RegExp(`custom role ${CUSTOM_ROLE}`));
  });
});

describe('targets with several roles', () => {
  it('needs every target role to be covered: the strictest row wins', () => {
    // Helpdesk Admin may reset Reports Reader but not User Administrator.
    const target = [ROLE.reportsReader, ROLE.userAdministrator];
    assert.equal(canResetPassword([ROLE.helpdeskAdministrator], target).allowed, false);
    assert.equal(canResetPassword([ROLE.userAdministrator], target).allowed, true);
  });

  it('lets different caller roles cover different target roles', () => {
    // Auth Admin covers Authentication Administrator, User Admin covers Groups Administrator.
    const target = [ROLE.authenticationAdministrator, ROLE.groupsAdministrator];
    assert.equal(canResetPassword([ROLE.authenticationAdministrator], target).allowed, false);
    assert.equal(canResetPassword([ROLE.userAdministrator], target).allowed, false);
    assert.equal(canResetPassword([ROLE.authenticationAdministrator, ROLE.userAdministrator], target).allowed, true);
  });

  it('ignores the default User role and duplicates among target roles', () => {
    const target = [DEFAULT_USER_ROLE_TEMPLATE_ID, ROLE.directoryReaders, ROLE.directoryReaders];
    assert.equal(canResetPassword([ROLE.passwordAdministrator], target).allowed, true);
  });

  it('refuses everyone but the two top roles when a custom role is among the target roles', () => {
    const target = [ROLE.directoryReaders, CUSTOM_ROLE];
    assert.equal(canResetPassword([ROLE.userAdministrator, ROLE.authenticationAdministrator], target).allowed, false);
    assert.equal(canResetPassword([ROLE.privilegedAuthenticationAdministrator], target).allowed, true);
  });
});

describe('resetPassword endpoint callers', () => {
  it('admits Authentication, Privileged Authentication and Global Administrators only', () => {
    assert.deepEqual(
      [...RESET_PASSWORD_CALLER_ROLES].sort(),
      [ROLE.authenticationAdministrator, ROLE.privilegedAuthenticationAdministrator, ROLE.globalAdministrator].sort(),
    );
    assert.equal(isResetPasswordCaller([ROLE.authenticationAdministrator]), true);
    assert.equal(isResetPasswordCaller([ROLE.reportsReader, ROLE.globalAdministrator]), true);
    for (const refused of [ROLE.passwordAdministrator, ROLE.helpdeskAdministrator, ROLE.userAdministrator]) {
      assert.equal(isResetPasswordCaller([refused]), false, refused);
    }
    assert.equal(isResetPasswordCaller([]), false);
  });
});
