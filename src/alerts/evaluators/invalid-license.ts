/**
 * InvalidLicenseAlert: the tenant has no licence that includes Microsoft Entra ID P2 or
 * Microsoft Entra ID Governance, which PIM requires.
 */
import type { DirectorySnapshot } from '../../directory/model.js';
import type { InvalidLicenseAlertConfiguration } from '../configuration.js';
import { INCIDENT_ODATA_TYPES } from '../incidents.js';
import type { InvalidLicenseAlertIncident } from '../incidents.js';

/**
 * SKU part numbers that carry Entra ID P2 (or Governance, which includes PIM): P2 itself,
 * ID Governance, and the suites that bundle P2 (EMS E5, Microsoft 365 E5). Office 365 E5
 * (`ENTERPRISEPREMIUM`) does not include P2, so it is not here.
 */
export const PIM_LICENSE_SKUS: readonly string[] = [
  'AAD_PREMIUM_P2',
  'IDENTITY_GOVERNANCE',
  'Microsoft_Entra_ID_Governance',
  'EMSPREMIUM',
  'SPE_E5',
];

/** Fixed id: a tenant has at most one licence incident. */
export const INVALID_LICENSE_INCIDENT_ID = 'InvalidLicense';

export function tenantHasPimLicense(licenses: readonly string[]): boolean {
  const wanted = new Set(PIM_LICENSE_SKUS.map((sku) => sku.toUpperCase()));
  return licenses.some((sku) => wanted.has(sku.toUpperCase()));
}

export function evaluateInvalidLicense(
  snapshot: DirectorySnapshot,
  _configuration: InvalidLicenseAlertConfiguration,
  _now: number,
): InvalidLicenseAlertIncident[] {
  const licenses = snapshot.tenant.licenses;
  if (tenantHasPimLicense(licenses)) return [];
  const held = licenses.length === 0 ? 'none' : [...licenses].sort().join(', ');
  return [
    {
      '@odata.type': INCIDENT_ODATA_TYPES.InvalidLicenseAlert,
      id: INVALID_LICENSE_INCIDENT_ID,
      tenantLicenseStatus: `Missing Microsoft Entra ID P2 or Microsoft Entra ID Governance (licences held: ${held})`,
    },
  ];
}
