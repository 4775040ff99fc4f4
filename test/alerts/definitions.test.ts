import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALERT_TYPES, alertId } from '../../src/alerts/alert-types.js';
import { definitionFor, definitionsFor } from '../../src/alerts/definitions.js';
import { TENANT_ID } from './snapshot-builder.js';

/** https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementalertdefinition?view=graph-rest-beta: display name, severity, isRemediatable, isConfigurable. */
const EXPECTED = {
  InvalidLicenseAlert: ["The organization doesn't have Azure AD Premium P2", 'high', false, false],
  NoMfaOnRoleActivationAlert: ["Roles don't require multi-factor authentication for activation", 'medium', true, false],
  RedundantAssignmentAlert: ["Eligible administrators aren't activating their privileged role", 'low', true, true],
  RolesAssignedOutsidePimAlert: ['Roles are being assigned outside of Privileged Identity Management', 'high', true, false],
  SequentialActivationRenewalsAlert: ['Roles are being activated too frequently', 'medium', false, true],
  StaleSignInAlert: ['Potential stale accounts in a privileged role', 'medium', true, true],
  TooManyGlobalAdminsAssignedToTenantAlert: ['There are too many global administrators', 'low', true, true],
} as const;

describe('alert definitions', () => {
  it('match the Graph table for every type', () => {
    for (const type of ALERT_TYPES) {
      const definition = definitionFor(TENANT_ID, type);
      const [displayName, severityLevel, isRemediatable, isConfigurable] = EXPECTED[type];
      assert.equal(definition.displayName, displayName, type);
      assert.equal(definition.severityLevel, severityLevel, type);
      assert.equal(definition.isRemediatable, isRemediatable, type);
      assert.equal(definition.isConfigurable, isConfigurable, type);
      assert.equal(definition.id, alertId(TENANT_ID, type));
      assert.equal(definition.scopeId, '/');
      assert.equal(definition.scopeType, 'DirectoryRole');
    }
  });

  it("use Graph's key order and no @odata.type", () => {
    assert.deepEqual(Object.keys(definitionFor(TENANT_ID, 'StaleSignInAlert')), [
      'id',
      'displayName',
      'scopeType',
      'scopeId',
      'description',
      'severityLevel',
      'securityImpact',
      'mitigationSteps',
      'howToPrevent',
      'isRemediatable',
      'isConfigurable',
    ]);
  });

  it('fill in 0 and the default days before any scan', () => {
    assert.equal(
      definitionFor(TENANT_ID, 'StaleSignInAlert').description,
      '0 account(s) in privileged roles have not signed in during the past 30 day(s)',
    );
    assert.match(definitionFor(TENANT_ID, 'RedundantAssignmentAlert').description, /^0 eligible user\(s\).* 30 day\(s\)$/);
  });

  it('fill in the incident count and the configured days', () => {
    const definition = definitionFor(TENANT_ID, 'StaleSignInAlert', {
      incidentCount: 2,
      configuration: { alertType: 'StaleSignInAlert', isEnabled: true, duration: 'P90D' },
    });
    assert.equal(definition.description, '2 account(s) in privileged roles have not signed in during the past 90 day(s)');
    const outside = definitionFor(TENANT_ID, 'RolesAssignedOutsidePimAlert', { incidentCount: 5 });
    assert.match(outside.description, /^5 privileged role assignment\(s\)/);
  });

  it('refuse a configuration of another alert type', () => {
    const type: 'StaleSignInAlert' | 'RedundantAssignmentAlert' = 'RedundantAssignmentAlert';
    assert.throws(
      () =>
        definitionFor(TENANT_ID, type as 'StaleSignInAlert' | 'RedundantAssignmentAlert', {
          configuration: { alertType: 'StaleSignInAlert', isEnabled: true, duration: 'P5D' },
        }),
      /was given a StaleSignInAlert configuration/,
    );
  });

  it('write multi-bullet fields as ·-bullets joined by CRLF', () => {
    const { mitigationSteps, howToPrevent } = definitionFor(TENANT_ID, 'StaleSignInAlert');
    for (const text of [mitigationSteps, howToPrevent]) {
      const lines = text.split('\r\n');
      assert.ok(lines.length >= 2);
      for (const line of lines) assert.ok(line.startsWith('·'), line);
    }
  });

  it('lists the seven definitions in alert-type order', () => {
    assert.deepEqual(
      definitionsFor(TENANT_ID).map((d) => d.id),
      ALERT_TYPES.map((type) => alertId(TENANT_ID, type)),
    );
  });
});
