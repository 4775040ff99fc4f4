import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { privilegedAssignments } from '../../src/alerts/evaluators/directory-facts.js';
import { ROLE, isPrivilegedRole } from '../../src/directory/roles.js';
import { NOW, assignment, snapshot } from './snapshot-builder.js';

describe('which roles count as privileged for the PIM alerts', () => {
  it("follows Microsoft's PRIVILEGED label", () => {
    for (const role of [
      ROLE.globalAdministrator,
      ROLE.privilegedRoleAdministrator,
      ROLE.securityAdministrator,
      ROLE.userAdministrator,
      ROLE.conditionalAccessAdministrator,
    ]) {
      assert.equal(isPrivilegedRole(role), true, role);
    }
    for (const role of [ROLE.exchangeAdministrator, ROLE.groupsAdministrator, ROLE.directoryReaders, 'unknown-role']) {
      assert.equal(isPrivilegedRole(role), false, role);
    }
  });

  it('selects unexpired privileged assignments of the requested kind', () => {
    const directory = snapshot({
      roleAssignments: [
        assignment('ga', 'u1', ROLE.globalAdministrator),
        assignment('ga-eligible', 'u1', ROLE.globalAdministrator, { assignmentType: 'eligible' }),
        assignment('expires-now', 'u1', ROLE.globalAdministrator, { endAt: NOW }),
        assignment('expires-later', 'u1', ROLE.globalAdministrator, { endAt: NOW + 1 }),
        assignment('exchange', 'u1', ROLE.exchangeAdministrator),
        assignment('custom', 'u1', '00000000-0000-0000-0000-000000000000'),
      ],
    });
    assert.deepEqual(
      privilegedAssignments(directory, NOW, 'active').map((a) => a.id),
      ['ga', 'expires-later'],
    );
    assert.deepEqual(
      privilegedAssignments(directory, NOW, 'eligible').map((a) => a.id),
      ['ga-eligible'],
    );
  });
});
