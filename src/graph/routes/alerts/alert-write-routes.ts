/**
 * PATCH alerts/{id} (dismiss or re-enable) and
 * POST alerts/{id}/alertIncidents/{id}/remediate.
 */
import { Type } from '@sinclair/typebox';
import { setAlertActive } from '../../../alerts/alert-updates.js';
import { remediateIncident } from '../../../alerts/remediate-incident.js';
import { declareRoute, type AnyRouteDeclaration } from '../../../http/route-declaration.js';
import { ALERTS_ROOT, ALERT_TYPE_NAME } from '../../resources/role-management-alert.js';
import type { GraphServices } from '../../services.js';
import { resolveAlertType } from './alert-lookup.js';
import { ALERT_PARAMS, INCIDENT_PARAMS } from './alert-params.js';

const IS_ACTIVE_HINT = '(isActive: false dismisses the alert, true re-enables it; nothing else can be updated.)';

/** `isActive` and nothing else; clients that serialise the entity type are accepted (the alert has no derived types). */
const ALERT_PATCH = Type.Object(
  { isActive: Type.Boolean(), '@odata.type': Type.Optional(Type.Literal(`#${ALERT_TYPE_NAME}`, { description: IS_ACTIVE_HINT })) },
  { title: ALERT_TYPE_NAME, additionalProperties: false, description: IS_ACTIVE_HINT },
);

export function alertWriteRoutes({ app }: GraphServices): AnyRouteDeclaration[] {
  const { store, clock } = app.deps;
  const base = `/beta/${ALERTS_ROOT}/alerts`;
  return [
    declareRoute({
      method: 'PATCH',
      url: `${base}/:alertId`,
      schema: { params: ALERT_PARAMS, body: ALERT_PATCH },
      auth: 'alerts.write',
      handler: async ({ params, body, principal, reply }) => {
        await setAlertActive(store, principal.tenantId, resolveAlertType(principal, params.alertId), body.isActive);
        return reply.code(204).send();
      },
    }),
    declareRoute({
      method: 'POST',
      url: `${base}/:alertId/alertIncidents/:incidentId/remediate`,
      schema: { params: INCIDENT_PARAMS },
      auth: 'alerts.write',
      handler: async ({ params, principal, reply }) => {
        const alertType = resolveAlertType(principal, params.alertId);
        await remediateIncident(
          { store, clock },
          { tenantId: principal.tenantId, alertType, incidentId: params.incidentId, initiatedBy: principal.objectId },
        );
        return reply.code(200).send();
      },
    }),
  ];
}
