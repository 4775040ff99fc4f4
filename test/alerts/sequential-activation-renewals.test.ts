import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfiguration } from '../../src/alerts/configuration.js';
import { evaluateSequentialActivationRenewals } from '../../src/alerts/evaluators/sequential-activation-renewals.js';
import { ROLE } from '../../src/directory/roles.js';
import { DAY, NOW, activation, snapshot, user } from './snapshot-builder.js';

const config = defaultConfiguration('SequentialActivationRenewalsAlert'); // PT10S, 3
const GA = ROLE.globalAdministrator;
const SECOND = 1000;
const T0 = NOW - DAY;

describe('SequentialActivationRenewalsAlert', () => {
  it('reports a sequence reaching the threshold, with gaps up to the interval inclusive', () => {
    const incidents = evaluateSequentialActivationRenewals(
      snapshot({
        users: [user('u1')],
        roleActivations: [
          activation('u1', GA, T0 + 20 * SECOND), // listed out of order on purpose
          activation('u1', GA, T0),
          activation('u1', GA, T0 + 10 * SECOND),
        ],
      }),
      config,
      NOW,
    );
    assert.deepEqual(incidents, [
      {
        '@odata.type': '#microsoft.graph.sequentialActivationRenewalsAlertIncident',
        id: `u1_${GA}_${T0}`,
        roleTemplateId: GA,
        roleDisplayName: 'Global Administrator',
        roleDefinitionId: GA,
        assigneeId: 'u1',
        assigneeDisplayName: 'User u1',
        assigneeUserPrincipalName: 'u1@contoso.test',
        activationCount: 3,
        sequenceStartDateTime: T0,
        sequenceEndDateTime: T0 + 20 * SECOND,
      },
    ]);
  });

  it('ends a sequence at a gap longer than the interval', () => {
    const directory = snapshot({
      users: [user('u1')],
      roleActivations: [
        activation('u1', GA, T0),
        activation('u1', GA, T0 + 10 * SECOND),
        activation('u1', GA, T0 + 20 * SECOND + 1),
        activation('u1', GA, T0 + 25 * SECOND),
        activation('u1', GA, T0 + 30 * SECOND),
      ],
    });
    const incidents = evaluateSequentialActivationRenewals(directory, config, NOW);
    assert.deepEqual(
      incidents.map((i) => [i.sequenceStartDateTime, i.activationCount]),
      [[T0 + 20 * SECOND + 1, 3]],
    );
  });

  it('stays silent below the threshold and respects a configured one', () => {
    const directory = snapshot({
      users: [user('u1')],
      roleActivations: [activation('u1', GA, T0), activation('u1', GA, T0 + SECOND)],
    });
    assert.deepEqual(evaluateSequentialActivationRenewals(directory, config, NOW), []);
    assert.equal(evaluateSequentialActivationRenewals(directory, { ...config, sequentialActivationCounterThreshold: 2 }, NOW).length, 1);
  });

  it('keeps principals and roles apart, and ignores non-privileged roles and future activations', () => {
    const directory = snapshot({
      users: [user('u1'), user('u2')],
      roleActivations: [
        activation('u1', GA, T0),
        activation('u2', GA, T0 + SECOND),
        activation('u1', ROLE.securityAdministrator, T0 + 2 * SECOND),
        activation('u1', ROLE.groupsAdministrator, T0),
        activation('u1', ROLE.groupsAdministrator, T0 + SECOND),
        activation('u1', ROLE.groupsAdministrator, T0 + 2 * SECOND),
        activation('u2', ROLE.userAdministrator, NOW),
        activation('u2', ROLE.userAdministrator, NOW + SECOND),
        activation('u2', ROLE.userAdministrator, NOW + 2 * SECOND),
      ],
    });
    assert.deepEqual(evaluateSequentialActivationRenewals(directory, config, NOW), []);
  });

  it('follows a longer configured interval', () => {
    const directory = snapshot({
      users: [user('u1')],
      roleActivations: [activation('u1', GA, T0), activation('u1', GA, T0 + 3600 * SECOND), activation('u1', GA, T0 + 7200 * SECOND)],
    });
    assert.deepEqual(evaluateSequentialActivationRenewals(directory, config, NOW), []);
    const incidents = evaluateSequentialActivationRenewals(directory, { ...config, timeIntervalBetweenActivations: 'PT1H' }, NOW);
    assert.equal(incidents[0]?.activationCount, 3);
  });
});
