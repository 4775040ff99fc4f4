/**
 * The PIM alert resources on the wire (https://learn.microsoft.com/graph/api/resources/rolemanagementalert?view=graph-rest-beta): type names, property lists for
 * `$select`, and the alert's own shape. Definitions, configurations and incidents are shaped by
 * the alerts module (`definitionFor`, `toWireConfiguration`, `toWireIncident`).
 */
import type { AlertState } from '../../alerts/alert-state.js';
import { ALERT_SCOPE_ID, ALERT_SCOPE_TYPE, alertId } from '../../alerts/alert-types.js';
import { toGraphTimestamp } from '../../shared/timestamps.js';

/** Where every alert resource lives (beta only). */
export const ALERTS_ROOT = 'identityGovernance/roleManagementAlerts';

export const ALERT_TYPE_NAME = 'microsoft.graph.unifiedRoleManagementAlert';
export const DEFINITION_TYPE_NAME = 'microsoft.graph.unifiedRoleManagementAlertDefinition';
export const CONFIGURATION_TYPE_NAME = 'microsoft.graph.unifiedRoleManagementAlertConfiguration';
export const INCIDENT_TYPE_NAME = 'microsoft.graph.unifiedRoleManagementAlertIncident';

/** Alert properties in Graph's key order. */
export const ALERT_PROPERTIES = [
  'id',
  'alertDefinitionId',
  'scopeId',
  'scopeType',
  'incidentCount',
  'isActive',
  'lastModifiedDateTime',
  'lastScannedDateTime',
] as const;

/** The navigation properties of an alert, in the order `$expand=*` lists them (https://learn.microsoft.com/graph/how-to-pim-alerts). */
export const ALERT_RELATIONSHIPS = ['alertConfiguration', 'alertDefinition', 'alertIncidents'] as const;
export type AlertRelationship = (typeof ALERT_RELATIONSHIPS)[number];

export const DEFINITION_PROPERTIES = [
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
] as const;

/** Base and derived-type properties of configurations (`$select` may name any of them). */
export const CONFIGURATION_PROPERTIES = [
  'id',
  'alertDefinitionId',
  'scopeType',
  'scopeId',
  'isEnabled',
  'duration',
  'timeIntervalBetweenActivations',
  'sequentialActivationCounterThreshold',
  'globalAdminCountThreshold',
  'percentageOfGlobalAdminsOutOfRolesThreshold',
] as const;

/** Base and derived-type properties of incidents. */
export const INCIDENT_PROPERTIES = [
  'id',
  'tenantLicenseStatus',
  'roleTemplateId',
  'roleDefinitionId',
  'roleDisplayName',
  'assigneeId',
  'assigneeDisplayName',
  'assigneeUserPrincipalName',
  'lastActivationDateTime',
  'assignmentCreatedDateTime',
  'activationCount',
  'sequenceStartDateTime',
  'sequenceEndDateTime',
  'lastSignInDateTime',
] as const;

/**
 * What Graph returns for an alert that never fired: the .NET zero date as rendered by the
 * service (https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementalert?view=graph-rest-beta), kept byte for byte.
 */
export const NEVER_MODIFIED = '0001-01-01T08:00:00Z';

/** An alert as Graph sends it (no `@odata.type`). */
export function toWireAlert(tenantId: string, state: AlertState): Record<string, unknown> {
  const id = alertId(tenantId, state.alertType);
  return {
    id,
    alertDefinitionId: id,
    scopeId: ALERT_SCOPE_ID,
    scopeType: ALERT_SCOPE_TYPE,
    incidentCount: state.incidentCount,
    isActive: state.isActive,
    lastModifiedDateTime: state.lastModifiedAt === null ? NEVER_MODIFIED : toGraphTimestamp(state.lastModifiedAt),
    // Never scanned: null rather than a made-up date (docs/alerts.md).
    lastScannedDateTime: state.lastScannedAt === null ? null : toGraphTimestamp(state.lastScannedAt),
  };
}
