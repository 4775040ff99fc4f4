import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALERT_TYPES } from '../../src/alerts/alert-types.js';
import { definitionFor } from '../../src/alerts/definitions.js';
import { evaluateAlert } from '../../src/alerts/evaluators/index.js';
import { defaultConfiguration } from '../../src/alerts/configuration.js';
import { alertTypeOfIncident } from '../../src/alerts/incidents.js';
import { planRemediation } from '../../src/alerts/remediation.js';
import { ROLE } from '../../src/directory/roles.js';
import { DAY, NOW, TENANT_ID, activation, assignment, setting, snapshot, user } from './snapshot-builder.js';

const GA = ROLE.globalAdministrator;

/** A directory in which every one of the seven alerts has at least one incident. */
const directory = snapshot({
  licenses: [],
  users: [user('u1', { lastSignInAt: NOW - 60 * DAY }), user('u2'), user('u3'), user('u4')],
  roleAssignments: [
    assignment('ga-1', 'u1', GA, { viaPim: false }),
    assignment('ga-2', 'u2', GA),
    assignment('ga-3', 'u3', GA),
    assignment('ga-1-expired', 'u1', GA, { endAt: NOW - DAY }),
    assignment('ga-1-eligible', 'u1', GA, { assignmentType: 'eligible', createdAt: NOW - 90 * DAY }),
  ],
  roleActivations: [activation('u4', GA, NOW - DAY), activation('u4', GA, NOW - DAY + 1000), activation('u4', GA, NOW - DAY + 2000)],
  roleSettings: [setting(GA, false)],
});

describe('remediation plans', () => {
  const incidentsByType = new Map(ALERT_TYPES.map((type) => [type, evaluateAlert(directory, defaultConfiguration(type), NOW)] as const));

  it('has a test directory where every alert fires', () => {
    for (const [type, incidents] of incidentsByType) assert.ok(incidents.length > 0, type);
  });

  it('agrees with isRemediatable of every definition', () => {
    for (const [type, incidents] of incidentsByType) {
      for (const incident of incidents) {
        const plan = planRemediation(incident, directory.roleAssignments, NOW);
        assert.equal(plan.kind !== 'notRemediable', definitionFor(TENANT_ID, type).isRemediatable, type);
      }
    }
  });

  it('removes the reported assignment for stale, redundant and outside-PIM incidents', () => {
    for (const type of ['StaleSignInAlert', 'RedundantAssignmentAlert', 'RolesAssignedOutsidePimAlert'] as const) {
      const [incident] = incidentsByType.get(type) ?? [];
      assert.ok(incident);
      assert.deepEqual(planRemediation(incident, directory.roleAssignments, NOW), {
        kind: 'removeRoleAssignments',
        assignmentIds: [incident.id],
      });
    }
  });

  it("removes all of a Global Administrator's active, unexpired GA assignments", () => {
    const incident = incidentsByType.get('TooManyGlobalAdminsAssignedToTenantAlert')?.find((i) => i.id === 'u1');
    assert.ok(incident);
    assert.deepEqual(planRemediation(incident, directory.roleAssignments, NOW), {
      kind: 'removeRoleAssignments',
      assignmentIds: ['ga-1'],
    });
  });

  it('turns on MFA for the role of a no-MFA incident', () => {
    const [incident] = incidentsByType.get('NoMfaOnRoleActivationAlert') ?? [];
    assert.ok(incident);
    assert.equal(alertTypeOfIncident(incident), 'NoMfaOnRoleActivationAlert');
    assert.deepEqual(planRemediation(incident, directory.roleAssignments, NOW), {
      kind: 'requireMfaOnActivation',
      roleTemplateId: GA,
    });
  });

  it('refuses licence and sequential-activation incidents', () => {
    for (const type of ['InvalidLicenseAlert', 'SequentialActivationRenewalsAlert'] as const) {
      const [incident] = incidentsByType.get(type) ?? [];
      assert.ok(incident);
      assert.deepEqual(planRemediation(incident, directory.roleAssignments, NOW), { kind: 'notRemediable' });
    }
  });
});

describe('evaluateAlert', () => {
  it('dispatches on the configuration type and is deterministic', () => {
    const first = evaluateAlert(directory, defaultConfiguration('TooManyGlobalAdminsAssignedToTenantAlert'), NOW);
    const reversed = snapshot({ ...directory, licenses: [], roleAssignments: [...directory.roleAssignments].reverse() });
    const second = evaluateAlert(reversed, defaultConfiguration('TooManyGlobalAdminsAssignedToTenantAlert'), NOW);
    assert.deepEqual(first, second);
    assert.deepEqual(
      first.map((i) => i['@odata.type']),
      Array(3).fill('#microsoft.graph.tooManyGlobalAdminsAssignedToTenantAlertIncident'),
    );
  });
});
