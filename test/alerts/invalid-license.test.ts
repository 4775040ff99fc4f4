import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfiguration } from '../../src/alerts/configuration.js';
import { evaluateInvalidLicense } from '../../src/alerts/evaluators/invalid-license.js';
import { NOW, snapshot } from './snapshot-builder.js';

const config = defaultConfiguration('InvalidLicenseAlert');

describe('InvalidLicenseAlert', () => {
  it('is silent when the tenant has P2, Governance or a suite that includes P2', () => {
    for (const licenses of [['AAD_PREMIUM_P2'], ['IDENTITY_GOVERNANCE'], ['EMSPREMIUM'], ['SPE_E5'], ['aad_premium_p2']]) {
      assert.deepEqual(evaluateInvalidLicense(snapshot({ licenses }), config, NOW), [], licenses.join());
    }
  });

  it('reports one fixed incident naming what the tenant holds', () => {
    const incidents = evaluateInvalidLicense(snapshot({ licenses: ['ENTERPRISEPREMIUM', 'AAD_PREMIUM'] }), config, NOW);
    assert.equal(incidents.length, 1);
    assert.deepEqual(Object.keys(incidents[0] ?? {}), ['@odata.type', 'id', 'tenantLicenseStatus']);
    assert.equal(incidents[0]?.['@odata.type'], '#microsoft.graph.invalidLicenseAlertIncident');
    assert.equal(incidents[0]?.id, 'InvalidLicense');
    assert.match(incidents[0]?.tenantLicenseStatus ?? '', /AAD_PREMIUM, ENTERPRISEPREMIUM/);
    const none = evaluateInvalidLicense(snapshot({ licenses: [] }), config, NOW);
    assert.match(none[0]?.tenantLicenseStatus ?? '', /licences held: none/);
  });
});
