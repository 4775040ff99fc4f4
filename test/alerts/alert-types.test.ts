import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALERT_TYPES, alertId, isAlertType, parseAlertId } from '../../src/alerts/alert-types.js';

describe('alert types', () => {
  it('lists the seven types in the live order', () => {
    assert.deepEqual(ALERT_TYPES, [
      'InvalidLicenseAlert',
      'NoMfaOnRoleActivationAlert',
      'RedundantAssignmentAlert',
      'RolesAssignedOutsidePimAlert',
      'SequentialActivationRenewalsAlert',
      'TooManyGlobalAdminsAssignedToTenantAlert',
      'StaleSignInAlert',
    ]);
  });

  it('builds DirectoryRole_{tenant}_{type}', () => {
    assert.equal(
      alertId('3b0e753b-22fa-4c16-9bf2-470b80be80d6', 'InvalidLicenseAlert'),
      'DirectoryRole_3b0e753b-22fa-4c16-9bf2-470b80be80d6_InvalidLicenseAlert',
    );
  });

  it('round-trips every type through parseAlertId', () => {
    const tenantId = '19356be4-7e93-4ed6-a7c6-0ae28454d125';
    for (const type of ALERT_TYPES) {
      assert.deepEqual(parseAlertId(alertId(tenantId, type)), { tenantId, type });
    }
  });

  it('rejects ids that are not alert ids', () => {
    assert.equal(parseAlertId('DirectoryRole_abc_UnknownAlert'), null);
    assert.equal(parseAlertId('DirectoryRole__StaleSignInAlert'), null);
    assert.equal(parseAlertId('AzureRole_abc_StaleSignInAlert'), null);
    assert.equal(parseAlertId('directoryrole_abc_StaleSignInAlert'), null);
    assert.equal(parseAlertId('DirectoryRole_abc_staleSignInAlert'), null);
    assert.equal(parseAlertId(''), null);
  });

  it('recognises alert types exactly', () => {
    assert.equal(isAlertType('StaleSignInAlert'), true);
    assert.equal(isAlertType('staleSignInAlert'), false);
    assert.equal(isAlertType(3), false);
  });
});
