/**
 * The seven PIM role-management alert types and the alert ids built from them.
 *
 * Graph names every alert `DirectoryRole_{tenantId}_{AlertType}`; the same string is the id of
 * the alert, of its definition and of its configuration (https://learn.microsoft.com/graph/how-to-pim-alerts).
 */

/** The alert types, in the order the live `alerts` list returns them. */
export const ALERT_TYPES = [
  'InvalidLicenseAlert',
  'NoMfaOnRoleActivationAlert',
  'RedundantAssignmentAlert',
  'RolesAssignedOutsidePimAlert',
  'SequentialActivationRenewalsAlert',
  'TooManyGlobalAdminsAssignedToTenantAlert',
  'StaleSignInAlert',
] as const;

/** One of the seven PIM alert types (the suffix of an alert id). */
export type AlertType = (typeof ALERT_TYPES)[number];

/** The only scope Graph supports for these alerts: the whole tenant. */
export const ALERT_SCOPE_ID = '/';
/** The only scope type Graph supports: Microsoft Entra directory roles. */
export const ALERT_SCOPE_TYPE = 'DirectoryRole';

const ID_PREFIX = `${ALERT_SCOPE_TYPE}_`;

export function isAlertType(value: unknown): value is AlertType {
  return typeof value === 'string' && (ALERT_TYPES as readonly string[]).includes(value);
}

/** `DirectoryRole_{tenantId}_{type}`: id of the alert, its definition and its configuration. */
export function alertId(tenantId: string, type: AlertType): string {
  return `${ID_PREFIX}${tenantId}_${type}`;
}

/** The parts of an alert id. */
export interface ParsedAlertId {
  tenantId: string;
  type: AlertType;
}

/**
 * Splits an alert id into tenant and type, or returns null when it is not one. Matching is
 * exact (case-sensitive), as Graph ids are compared byte for byte.
 */
export function parseAlertId(id: string): ParsedAlertId | null {
  if (!id.startsWith(ID_PREFIX)) return null;
  const rest = id.slice(ID_PREFIX.length);
  for (const type of ALERT_TYPES) {
    const suffix = `_${type}`;
    if (rest.endsWith(suffix) && rest.length > suffix.length) {
      return { tenantId: rest.slice(0, -suffix.length), type };
    }
  }
  return null;
}
