import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfiguration } from '../../src/alerts/configuration.js';
import { evaluateRedundantAssignment } from '../../src/alerts/evaluators/redundant-assignment.js';
import { ROLE } from '../../src/directory/roles.js';
import { DAY, NOW, activation, assignment, snapshot, user } from './snapshot-builder.js';

const config = defaultConfiguration('RedundantAssignmentAlert'); // P30D
const SA = ROLE.securityAdministrator;
const eligible = { assignmentType: 'eligible' as const };

describe('RedundantAssignmentAlert', () => {
  it('reports eligible privileged assignments not activated within the duration', () => {
    const incidents = evaluateRedundantAssignment(
      snapshot({
        users: [user('u1'), user('u2')],
        roleAssignments: [assignment('idle', 'u1', SA, eligible), assignment('used', 'u2', SA, eligible)],
        roleActivations: [activation('u1', SA, NOW - 40 * DAY), activation('u1', SA, NOW - 35 * DAY), activation('u2', SA, NOW - 2 * DAY)],
      }),
      config,
      NOW,
    );
    assert.deepEqual(incidents, [
      {
        '@odata.type': '#microsoft.graph.redundantAssignmentAlertIncident',
        id: 'idle',
        roleTemplateId: SA,
        roleDefinitionId: SA,
        roleDisplayName: 'Security Administrator',
        assigneeId: 'u1',
        assigneeDisplayName: 'User u1',
        assigneeUserPrincipalName: 'u1@contoso.test',
        lastActivationDateTime: NOW - 35 * DAY,
      },
    ]);
  });

  it('treats an activation exactly at the window start as use', () => {
    const directory = snapshot({
      users: [user('u1')],
      roleAssignments: [assignment('a1', 'u1', SA, eligible)],
      roleActivations: [activation('u1', SA, NOW - 30 * DAY)],
    });
    assert.equal(evaluateRedundantAssignment(directory, config, NOW).length, 0);
    assert.equal(evaluateRedundantAssignment(directory, config, NOW + 1).length, 1);
  });

  it('gives a never-activated assignment the whole window from its creation', () => {
    const incidents = evaluateRedundantAssignment(
      snapshot({
        users: [user('u1')],
        roleAssignments: [
          assignment('old', 'u1', SA, { ...eligible, createdAt: NOW - 31 * DAY }),
          assignment('new', 'u1', ROLE.globalAdministrator, { ...eligible, createdAt: NOW - 29 * DAY }),
        ],
      }),
      config,
      NOW,
    );
    assert.deepEqual(
      incidents.map((i) => [i.id, i.lastActivationDateTime]),
      [['old', null]],
    );
  });

  it('only counts activations of the same role by the same principal', () => {
    const incidents = evaluateRedundantAssignment(
      snapshot({
        users: [user('u1'), user('u2')],
        roleAssignments: [assignment('a1', 'u1', SA, eligible)],
        roleActivations: [activation('u1', ROLE.globalAdministrator, NOW - DAY), activation('u2', SA, NOW - DAY)],
      }),
      config,
      NOW,
    );
    assert.deepEqual(
      incidents.map((i) => i.id),
      ['a1'],
    );
  });

  it('ignores active, expired and non-privileged assignments', () => {
    const incidents = evaluateRedundantAssignment(
      snapshot({
        users: [user('u1')],
        roleAssignments: [
          assignment('active', 'u1', SA),
          assignment('expired', 'u1', SA, { ...eligible, endAt: NOW - DAY }),
          assignment('not-privileged', 'u1', ROLE.groupsAdministrator, eligible),
        ],
      }),
      config,
      NOW,
    );
    assert.deepEqual(incidents, []);
  });
});
