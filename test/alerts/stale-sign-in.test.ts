import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfiguration } from '../../src/alerts/configuration.js';
import { evaluateStaleSignIn } from '../../src/alerts/evaluators/stale-sign-in.js';
import { ROLE } from '../../src/directory/roles.js';
import { DAY, NOW, assignment, snapshot, user } from './snapshot-builder.js';

const config = defaultConfiguration('StaleSignInAlert'); // P30D
const GA = ROLE.globalAdministrator;

describe('StaleSignInAlert', () => {
  it('reports an active privileged assignment of a user who has not signed in for longer than the duration', () => {
    const incidents = evaluateStaleSignIn(
      snapshot({
        users: [user('u1', { lastSignInAt: NOW - 31 * DAY, displayName: 'Ann' }), user('u2')],
        roleAssignments: [assignment('a1', 'u1', GA), assignment('a2', 'u2', GA)],
      }),
      config,
      NOW,
    );
    assert.deepEqual(incidents, [
      {
        '@odata.type': '#microsoft.graph.staleSignInAlertIncident',
        id: 'a1',
        roleTemplateId: GA,
        roleDisplayName: 'Global Administrator',
        roleDefinitionId: GA,
        assigneeId: 'u1',
        assigneeDisplayName: 'Ann',
        assigneeUserPrincipalName: 'u1@contoso.test',
        assignmentCreatedDateTime: NOW - 200 * DAY,
        lastSignInDateTime: NOW - 31 * DAY,
      },
    ]);
  });

  it('treats a sign-in exactly at the window start as recent', () => {
    const directory = snapshot({
      users: [user('u1', { lastSignInAt: NOW - 30 * DAY })],
      roleAssignments: [assignment('a1', 'u1', GA)],
    });
    assert.equal(evaluateStaleSignIn(directory, config, NOW).length, 0);
    assert.equal(evaluateStaleSignIn(directory, config, NOW + 1).length, 1);
  });

  it('reports never-signed-in accounts only once the account is older than the duration', () => {
    const incidents = evaluateStaleSignIn(
      snapshot({
        users: [
          user('old', { lastSignInAt: null, createdAt: NOW - 31 * DAY }),
          user('new', { lastSignInAt: null, createdAt: NOW - 29 * DAY }),
        ],
        roleAssignments: [assignment('a-old', 'old', GA), assignment('a-new', 'new', GA)],
      }),
      config,
      NOW,
    );
    assert.deepEqual(
      incidents.map((i) => [i.id, i.lastSignInDateTime]),
      [['a-old', null]],
    );
  });

  it('ignores eligible, expired and non-privileged assignments, and non-user principals', () => {
    const stale = { lastSignInAt: NOW - 100 * DAY };
    const incidents = evaluateStaleSignIn(
      snapshot({
        users: [user('u1', stale)],
        roleAssignments: [
          assignment('eligible', 'u1', GA, { assignmentType: 'eligible' }),
          assignment('expired', 'u1', GA, { endAt: NOW }),
          assignment('reader', 'u1', ROLE.directoryReaders),
          assignment('group', 'some-group', GA),
          assignment('ends-later', 'u1', ROLE.securityAdministrator, { endAt: NOW + 1 }),
        ],
      }),
      config,
      NOW,
    );
    assert.deepEqual(
      incidents.map((i) => i.id),
      ['ends-later'],
    );
  });

  it('follows the configured duration and orders incidents by id', () => {
    const directory = snapshot({
      users: [user('u1', { lastSignInAt: NOW - 10 * DAY })],
      roleAssignments: [assignment('b', 'u1', GA), assignment('a', 'u1', ROLE.securityReader)],
    });
    assert.equal(evaluateStaleSignIn(directory, config, NOW).length, 0);
    const incidents = evaluateStaleSignIn(directory, { ...config, duration: 'P7D' }, NOW);
    assert.deepEqual(
      incidents.map((i) => i.id),
      ['a', 'b'],
    );
  });
});
