import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfiguration } from '../../src/alerts/configuration.js';
import { evaluateTooManyGlobalAdmins } from '../../src/alerts/evaluators/too-many-global-admins.js';
import type { RoleAssignment } from '../../src/directory/model.js';
import { ROLE } from '../../src/directory/roles.js';
import { NOW, assignment, snapshot, user } from './snapshot-builder.js';

const GA = ROLE.globalAdministrator;
const config = { ...defaultConfiguration('TooManyGlobalAdminsAssignedToTenantAlert') }; // 3 and 10 %

function gaAssignments(count: number): RoleAssignment[] {
  return Array.from({ length: count }, (_, i) => assignment(`ga-${i}`, `u${i}`, GA));
}

function otherAssignments(count: number): RoleAssignment[] {
  return Array.from({ length: count }, (_, i) => assignment(`other-${i}`, `x${i}`, ROLE.directoryReaders));
}

const users = Array.from({ length: 5 }, (_, i) => user(`u${i}`));

describe('TooManyGlobalAdminsAssignedToTenantAlert', () => {
  it('fires at exactly both thresholds, one incident per Global Administrator (id = user id)', () => {
    // 3 GAs out of 30 assignments = exactly 10 %.
    const incidents = evaluateTooManyGlobalAdmins(
      snapshot({ users, roleAssignments: [...gaAssignments(3), ...otherAssignments(27)] }),
      config,
      NOW,
    );
    assert.deepEqual(
      incidents.map((i) => i.id),
      ['u0', 'u1', 'u2'],
    );
    assert.deepEqual(Object.keys(incidents[0] ?? {}), [
      '@odata.type',
      'id',
      'assigneeId',
      'assigneeDisplayName',
      'assigneeUserPrincipalName',
    ]);
    assert.equal(incidents[0]?.assigneeUserPrincipalName, 'u0@contoso.test');
  });

  it('does not fire when only the count threshold is reached', () => {
    // 3 GAs out of 31 assignments: 9.7 %.
    const directory = snapshot({ users, roleAssignments: [...gaAssignments(3), ...otherAssignments(28)] });
    assert.deepEqual(evaluateTooManyGlobalAdmins(directory, config, NOW), []);
  });

  it('does not fire when only the percentage threshold is reached', () => {
    // 2 GAs out of 2 assignments: 100 %, but fewer than 3 admins.
    const directory = snapshot({ users, roleAssignments: gaAssignments(2) });
    assert.deepEqual(evaluateTooManyGlobalAdmins(directory, config, NOW), []);
    assert.equal(evaluateTooManyGlobalAdmins(directory, { ...config, globalAdminCountThreshold: 2 }, NOW).length, 2);
  });

  it('counts only active, unexpired assignments, and counts a person once', () => {
    const directory = snapshot({
      users,
      roleAssignments: [
        ...gaAssignments(2),
        assignment('ga-eligible', 'u3', GA, { assignmentType: 'eligible' }),
        assignment('ga-expired', 'u4', GA, { endAt: NOW - 1 }),
        assignment('ga-duplicate', 'u0', GA, { directoryScopeId: '/administrativeUnits/x' }),
      ],
    });
    assert.deepEqual(evaluateTooManyGlobalAdmins(directory, config, NOW), []);
    assert.deepEqual(
      evaluateTooManyGlobalAdmins(directory, { ...config, globalAdminCountThreshold: 2 }, NOW).map((i) => i.id),
      ['u0', 'u1'],
    );
  });
});
