/**
 * Resolving the alert a URL names, and building the alert's wire form with its expansions.
 */
import type { AlertState } from '../../../alerts/alert-state.js';
import { parseAlertId } from '../../../alerts/alert-types.js';
import type { AlertType } from '../../../alerts/alert-types.js';
import type { AlertConfiguration } from '../../../alerts/configuration.js';
import { toWireConfiguration } from '../../../alerts/configuration.js';
import { definitionFor } from '../../../alerts/definitions.js';
import { toWireIncident } from '../../../alerts/incidents.js';
import type { AlertIncident } from '../../../alerts/incidents.js';
import type { Principal } from '../../../identity/principal.js';
import { itemNotFound } from '../../errors.js';
import { ALERTS_ROOT, toWireAlert } from '../../resources/role-management-alert.js';
import type { AlertRelationship } from '../../resources/role-management-alert.js';
import { applySelect } from '../../odata/select.js';
import { encodeKeySegment } from '../../wire.js';

/**
 * The alert type named by `id` in the caller's tenant. An id that is malformed, unknown, or of
 * another tenant gets the same 404, so ids of other tenants cannot be probed.
 */
export function resolveAlertType(principal: Principal, id: string, kind = 'unifiedRoleManagementAlert'): AlertType {
  const parsed = parseAlertId(id);
  if (!parsed || parsed.tenantId !== principal.tenantId) throw itemNotFound(kind, id);
  return parsed.type;
}

/** The definition of an alert with its current figures (incident count, configured days). */
export function wireDefinition(tenantId: string, state: AlertState, configuration: AlertConfiguration): Record<string, unknown> {
  const type: AlertType = configuration.alertType;
  return { ...definitionFor(tenantId, type, { incidentCount: state.incidentCount, configuration }) };
}

/** What an alert's wire form is built from. */
export interface AlertParts {
  tenantId: string;
  state: AlertState;
  configuration: AlertConfiguration;
  /** Loaded only when `alertIncidents` is expanded. */
  incidents?: AlertIncident[];
}

/** `{base}/$metadata#…/alerts('{id}')/alertIncidents`: the context of an alert's incidents. */
export function incidentsContext(publicUrl: string, alertIdValue: string): string {
  return `${publicUrl}/beta/$metadata#${ALERTS_ROOT}/alerts('${encodeKeySegment(alertIdValue)}')/alertIncidents`;
}

/** An alert on the wire: the selected properties, then each expansion in the order asked. */
export function wireAlert(
  parts: AlertParts,
  select: string[] | undefined,
  expand: readonly AlertRelationship[],
  publicUrl: string,
): Record<string, unknown> {
  const alert = toWireAlert(parts.tenantId, parts.state);
  const out = applySelect(alert, select);
  for (const relationship of expand) {
    switch (relationship) {
      case 'alertDefinition':
        out.alertDefinition = wireDefinition(parts.tenantId, parts.state, parts.configuration);
        break;
      case 'alertConfiguration':
        out.alertConfiguration = toWireConfiguration(parts.tenantId, parts.configuration);
        break;
      case 'alertIncidents':
        out['alertIncidents@odata.context'] = incidentsContext(publicUrl, String(alert.id));
        out.alertIncidents = (parts.incidents ?? []).map((i) => toWireIncident(i));
        break;
    }
  }
  return out;
}
