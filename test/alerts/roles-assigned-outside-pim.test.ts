import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfiguration } from '../../src/alerts/configuration.js';
import { evaluateRolesAssignedOutsidePim } from '../../src/alerts/evaluators/roles-assigned-outside-pim.js';
import { ROLE } from '../../src/directory/roles.js';
import { DAY, NOW, assignment, snapshot, user } from './snapshot-builder.js';

const config = defaultConfiguration('RolesAssignedOutsidePimAlert');

describe('RolesAssignedOutsidePimAlert', () => {
  it('reports unexpired privileged assignments made outside PIM, active or eligible', () => {
    const incidents = evaluateRolesAssignedOutsidePim(
      snapshot({
        users: [user('u1')],
        roleAssignments: [
          assignment('direct', 'u1', ROLE.privilegedRoleAdministrator, { viaPim: false, createdAt: NOW - 3 * DAY }),
          assignment('direct-eligible', 'u1', ROLE.userAdministrator, { viaPim: false, assignmentType: 'eligible' }),
          assignment('pim', 'u1', ROLE.globalAdministrator),
          assignment('expired', 'u1', ROLE.globalAdministrator, { viaPim: false, endAt: NOW - DAY }),
          assignment('not-privileged', 'u1', ROLE.exchangeAdministrator, { viaPim: false }),
        ],
      }),
      config,
      NOW,
    );
    assert.deepEqual(
      incidents.map((i) => i.id),
      ['direct', 'direct-eligible'],
    );
    assert.deepEqual(incidents[0], {
      '@odata.type': '#microsoft.graph.rolesAssignedOutsidePrivilegedIdentityManagementAlertIncident',
      id: 'direct',
      roleTemplateId: ROLE.privilegedRoleAdministrator,
      roleDefinitionId: ROLE.privilegedRoleAdministrator,
      roleDisplayName: 'Privileged Role Administrator',
      assigneeId: 'u1',
      assigneeDisplayName: 'User u1',
      assigneeUserPrincipalName: 'u1@contoso.test',
      assignmentCreatedDateTime: NOW - 3 * DAY,
    });
  });

  it('leaves assignee names null for a principal that is not a known user', () => {
    const [incident] = evaluateRolesAssignedOutsidePim(
      snapshot({ roleAssignments: [assignment('a1', 'service-principal', ROLE.globalAdministrator, { viaPim: false })] }),
      config,
      NOW,
    );
    assert.equal(incident?.assigneeId, 'service-principal');
    assert.equal(incident?.assigneeDisplayName, null);
    assert.equal(incident?.assigneeUserPrincipalName, null);
  });
});
