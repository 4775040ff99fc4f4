import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultConfiguration,
  defaultConfigurations,
  toWireConfiguration,
  validateConfigurationPatch,
  validateFixtureConfiguration,
} from '../../src/alerts/configuration.js';
import type { ConfigurationValidation } from '../../src/alerts/configuration.js';
import { TENANT_ID } from './snapshot-builder.js';

const STALE = '#microsoft.graph.staleSignInAlertConfiguration';
const REDUNDANT = '#microsoft.graph.redundantAssignmentAlertConfiguration';
const SEQUENTIAL = '#microsoft.graph.sequentialActivationRenewalsAlertConfiguration';
const TOO_MANY = '#microsoft.graph.tooManyGlobalAdminsAssignedToTenantAlertConfiguration';

function errorsOf<C>(result: ConfigurationValidation<C>): string[] {
  assert.equal(result.ok, false, 'expected validation to fail');
  return result.ok ? [] : result.errors.map((e) => e.property);
}

function accepted<C>(result: ConfigurationValidation<C>): C {
  if (!result.ok) assert.fail(`expected success, got ${JSON.stringify(result.errors)}`);
  return result.configuration;
}

describe('alert configuration defaults and wire shape', () => {
  it('has the observed defaults', () => {
    assert.ok(defaultConfigurations().every((c) => c.isEnabled));
    assert.equal(defaultConfiguration('StaleSignInAlert').duration, 'P30D');
    assert.equal(defaultConfiguration('RedundantAssignmentAlert').duration, 'P30D');
    const sequential = defaultConfiguration('SequentialActivationRenewalsAlert');
    assert.equal(sequential.timeIntervalBetweenActivations, 'PT10S');
    assert.equal(sequential.sequentialActivationCounterThreshold, 3);
    const tooMany = defaultConfiguration('TooManyGlobalAdminsAssignedToTenantAlert');
    assert.equal(tooMany.globalAdminCountThreshold, 3);
    assert.equal(tooMany.percentageOfGlobalAdminsOutOfRolesThreshold, 10);
  });

  it("uses Graph's key order, extras last", () => {
    const wire = toWireConfiguration(TENANT_ID, defaultConfiguration('TooManyGlobalAdminsAssignedToTenantAlert'));
    assert.deepEqual(Object.keys(wire), [
      '@odata.type',
      'id',
      'alertDefinitionId',
      'scopeType',
      'scopeId',
      'isEnabled',
      'globalAdminCountThreshold',
      'percentageOfGlobalAdminsOutOfRolesThreshold',
    ]);
    assert.equal(wire['@odata.type'], TOO_MANY);
    assert.equal(wire.id, `DirectoryRole_${TENANT_ID}_TooManyGlobalAdminsAssignedToTenantAlert`);
    assert.equal(wire.alertDefinitionId, wire.id);
  });

  it('names the PIM-outside configuration with its long @odata.type and no extras', () => {
    const wire = toWireConfiguration(TENANT_ID, defaultConfiguration('RolesAssignedOutsidePimAlert'));
    assert.equal(wire['@odata.type'], '#microsoft.graph.rolesAssignedOutsidePrivilegedIdentityManagementAlertConfiguration');
    assert.equal(Object.keys(wire).length, 6);
  });
});

describe('PATCH alertConfigurations/{id} validation', () => {
  const stale = defaultConfiguration('StaleSignInAlert');

  it('merges a good body and canonicalises the duration', () => {
    const merged = accepted(validateConfigurationPatch(stale, { '@odata.type': STALE, duration: 'PT1440H' }));
    assert.deepEqual(merged, { alertType: 'StaleSignInAlert', isEnabled: true, duration: 'P60D' });
  });

  it('merges thresholds of the too-many-GA configuration', () => {
    const current = defaultConfiguration('TooManyGlobalAdminsAssignedToTenantAlert');
    const merged = accepted(
      validateConfigurationPatch(current, {
        '@odata.type': TOO_MANY,
        isEnabled: false,
        globalAdminCountThreshold: 7,
        percentageOfGlobalAdminsOutOfRolesThreshold: 70,
      }),
    );
    assert.equal(merged.isEnabled, false);
    assert.equal(merged.globalAdminCountThreshold, 7);
    assert.equal(merged.percentageOfGlobalAdminsOutOfRolesThreshold, 70);
  });

  it('accepts the docs example\'s string "true" for isEnabled', () => {
    const current = { ...stale, isEnabled: false };
    assert.equal(accepted(validateConfigurationPatch(current, { '@odata.type': STALE, isEnabled: 'true' })).isEnabled, true);
    assert.equal(accepted(validateConfigurationPatch(stale, { '@odata.type': STALE, isEnabled: 'False' })).isEnabled, false);
  });

  it('requires the matching @odata.type', () => {
    assert.deepEqual(errorsOf(validateConfigurationPatch(stale, { isEnabled: true })), ['@odata.type']);
    assert.deepEqual(errorsOf(validateConfigurationPatch(stale, { '@odata.type': REDUNDANT, isEnabled: true })), ['@odata.type']);
    assert.deepEqual(errorsOf(validateConfigurationPatch(stale, { '@odata.type': 'microsoft.graph.staleSignInAlertConfiguration' })), [
      '@odata.type',
    ]);
  });

  it("rejects unknown, read-only and other types' properties", () => {
    assert.deepEqual(
      errorsOf(
        validateConfigurationPatch(stale, {
          '@odata.type': STALE,
          colour: 'blue',
          scopeId: '/',
          globalAdminCountThreshold: 4,
        }),
      ),
      ['colour', 'scopeId', 'globalAdminCountThreshold'],
    );
  });

  it('rejects values of the wrong type', () => {
    const sequential = defaultConfiguration('SequentialActivationRenewalsAlert');
    assert.deepEqual(
      errorsOf(
        validateConfigurationPatch(sequential, {
          '@odata.type': SEQUENTIAL,
          isEnabled: 'yes',
          timeIntervalBetweenActivations: 10,
          sequentialActivationCounterThreshold: '3',
        }),
      ),
      ['isEnabled', 'timeIntervalBetweenActivations', 'sequentialActivationCounterThreshold'],
    );
    assert.deepEqual(errorsOf(validateConfigurationPatch(stale, { '@odata.type': STALE, isEnabled: 1 })), ['isEnabled']);
    assert.deepEqual(errorsOf(validateConfigurationPatch(stale, { '@odata.type': STALE, duration: 'P1M' })), ['duration']);
  });

  it('enforces the ranges, inclusive at both ends', () => {
    const redundant = defaultConfiguration('RedundantAssignmentAlert');
    accepted(validateConfigurationPatch(stale, { '@odata.type': STALE, duration: 'P1D' }));
    accepted(validateConfigurationPatch(stale, { '@odata.type': STALE, duration: 'P365D' }));
    errorsOf(validateConfigurationPatch(stale, { '@odata.type': STALE, duration: 'PT23H' }));
    errorsOf(validateConfigurationPatch(stale, { '@odata.type': STALE, duration: 'P366D' }));
    accepted(validateConfigurationPatch(redundant, { '@odata.type': REDUNDANT, duration: 'P0D' }));
    errorsOf(validateConfigurationPatch(redundant, { '@odata.type': REDUNDANT, duration: 'P101D' }));

    const sequential = defaultConfiguration('SequentialActivationRenewalsAlert');
    errorsOf(validateConfigurationPatch(sequential, { '@odata.type': SEQUENTIAL, sequentialActivationCounterThreshold: 1 }));
    errorsOf(validateConfigurationPatch(sequential, { '@odata.type': SEQUENTIAL, sequentialActivationCounterThreshold: 2.5 }));
    accepted(validateConfigurationPatch(sequential, { '@odata.type': SEQUENTIAL, sequentialActivationCounterThreshold: 100 }));
    errorsOf(validateConfigurationPatch(sequential, { '@odata.type': SEQUENTIAL, timeIntervalBetweenActivations: 'PT0S' }));

    const tooMany = defaultConfiguration('TooManyGlobalAdminsAssignedToTenantAlert');
    errorsOf(validateConfigurationPatch(tooMany, { '@odata.type': TOO_MANY, globalAdminCountThreshold: 101 }));
    errorsOf(validateConfigurationPatch(tooMany, { '@odata.type': TOO_MANY, percentageOfGlobalAdminsOutOfRolesThreshold: -1 }));
    accepted(validateConfigurationPatch(tooMany, { '@odata.type': TOO_MANY, percentageOfGlobalAdminsOutOfRolesThreshold: 0 }));
  });

  it('rejects a body that is not an object', () => {
    for (const body of [null, [], 'x', 3]) {
      assert.deepEqual(errorsOf(validateConfigurationPatch(stale, body)), ['']);
    }
  });
});

describe('fixture alertConfigurations entries', () => {
  it('fill omitted settings from the defaults', () => {
    assert.deepEqual(accepted(validateFixtureConfiguration({ alertType: 'StaleSignInAlert', duration: 'P45D' })), {
      alertType: 'StaleSignInAlert',
      isEnabled: true,
      duration: 'P45D',
    });
    assert.deepEqual(accepted(validateFixtureConfiguration({ alertType: 'InvalidLicenseAlert', isEnabled: false })), {
      alertType: 'InvalidLicenseAlert',
      isEnabled: false,
    });
  });

  it('apply the same value rules and want a real boolean', () => {
    assert.deepEqual(errorsOf(validateFixtureConfiguration({ alertType: 'Nope' })), ['alertType']);
    assert.deepEqual(errorsOf(validateFixtureConfiguration({ alertType: 'StaleSignInAlert', duration: 'P400D' })), ['duration']);
    assert.deepEqual(errorsOf(validateFixtureConfiguration({ alertType: 'StaleSignInAlert', isEnabled: 'true' })), ['isEnabled']);
    assert.deepEqual(errorsOf(validateFixtureConfiguration({ alertType: 'InvalidLicenseAlert', duration: 'P1D' })), ['duration']);
  });
});
