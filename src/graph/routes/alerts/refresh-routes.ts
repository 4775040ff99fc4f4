/**
 * POST alerts/{id}/refresh and POST alerts/refresh: queue a refresh through the executor and
 * answer 202 with the operation's URL in `Location` and `Operation-Location`.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { acceptOperation } from '../../accepted.js';
import { ALERT_SCOPE_ID, ALERT_SCOPE_TYPE } from '../../../alerts/alert-types.js';
import { queueAlertRefresh, queueAlertRefreshAll } from '../../../alerts/refresh/queue-refresh.js';
import type { QueuedRefresh } from '../../../alerts/refresh/queue-refresh.js';
import { declareRoute, type AnyRouteDeclaration } from '../../../http/route-declaration.js';
import { ALERTS_ROOT } from '../../resources/role-management-alert.js';
import type { GraphServices } from '../../services.js';
import { REQUIRED_SCOPE_FILTER } from './alert-filter.js';
import { resolveAlertType } from './alert-lookup.js';
import { ALERT_PARAMS } from './alert-params.js';

/** The body refresh-all requires (docs/alerts.md), quoted in the error whenever it is wrong. */
const REFRESH_ALL_HINT = `Refreshing all alerts needs the body {"scopeId":"${ALERT_SCOPE_ID}","scopeType":"${ALERT_SCOPE_TYPE}"}; it is the only supported scope.`;
const REFRESH_ALL_BODY = Type.Object(
  {
    scopeId: Type.Literal(ALERT_SCOPE_ID, { description: REFRESH_ALL_HINT }),
    scopeType: Type.Literal(ALERT_SCOPE_TYPE, { description: REFRESH_ALL_HINT }),
  },
  { additionalProperties: false, description: REFRESH_ALL_HINT },
);

export function refreshRoutes({ app, notifyExecutor }: GraphServices): AnyRouteDeclaration[] {
  const { store, publicUrl, clock, config } = app.deps;
  const alertsUrl = `${publicUrl}/beta/${ALERTS_ROOT}/alerts`;
  // Refresh is not offered in every cloud (not in China): there the action does not exist.
  const available = config.cloud.features.has('alerts.refresh');

  const accepted = (reply: FastifyReply, { operation }: QueuedRefresh): FastifyReply => {
    // The raw ':' of refresh:{alertId} stays in the path, as Graph writes it.
    const location = `${publicUrl}/beta/${ALERTS_ROOT}/operations/${operation.id}`;
    notifyExecutor();
    return acceptOperation(reply, location, config.extensions).send();
  };

  return [
    declareRoute({
      method: 'POST',
      url: `/beta/${ALERTS_ROOT}/alerts/:alertId/refresh`,
      available,
      schema: { params: ALERT_PARAMS },
      auth: 'alerts.write',
      handler: async ({ params, principal, reply }) => {
        const alertType = resolveAlertType(principal, params.alertId);
        const input = { tenantId: principal.tenantId, alertType, resourceLocation: `${alertsUrl}/${params.alertId}` };
        return accepted(reply, await queueAlertRefresh(store, input, clock.now()));
      },
    }),
    declareRoute({
      method: 'POST',
      url: `/beta/${ALERTS_ROOT}/alerts/refresh`,
      available,
      schema: { body: REFRESH_ALL_BODY },
      auth: 'alerts.write',
      handler: async ({ principal, reply }) => {
        // The collection with the scope filter it requires, so that a client that GETs
        // resourceLocation after success (@azure/core-lro does) gets the alerts, not a 400.
        const input = {
          tenantId: principal.tenantId,
          resourceLocation: `${alertsUrl}?$filter=${encodeURIComponent(REQUIRED_SCOPE_FILTER)}`,
        };
        return accepted(reply, await queueAlertRefreshAll(store, input, clock.now()));
      },
    }),
  ];
}
