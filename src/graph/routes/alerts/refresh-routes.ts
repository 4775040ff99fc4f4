/**
 * POST alerts/{id}/refresh and POST alerts/refresh: queue a refresh through the executor and
 * answer 202 with the operation's URL in `Location` and `Operation-Location`.
 */
import type { FastifyReply } from 'fastify';
import { acceptOperation } from '../../accepted.js';
import { ALERT_SCOPE_ID, ALERT_SCOPE_TYPE } from '../../../alerts/alert-types.js';
import { queueAlertRefresh, queueAlertRefreshAll } from '../../../alerts/refresh/queue-refresh.js';
import type { QueuedRefresh } from '../../../alerts/refresh/queue-refresh.js';
import { authorize } from '../../../identity/policy/authorize.js';
import { badRequest, segmentNotFound } from '../../errors.js';
import { ALERTS_ROOT } from '../../resources/role-management-alert.js';
import type { GraphServices } from '../../services.js';
import { REQUIRED_SCOPE_FILTER } from './alert-filter.js';
import { resolveAlertType } from './alert-lookup.js';

/** The body refresh-all requires (https://learn.microsoft.com/graph/how-to-pim-alerts), quoted in the error when it is wrong. */
const REFRESH_ALL_BODY = `{"scopeId":"${ALERT_SCOPE_ID}","scopeType":"${ALERT_SCOPE_TYPE}"}`;

export function registerRefreshRoutes({ app, authenticator, notifyExecutor }: GraphServices): void {
  const { store, publicUrl, clock, config } = app.deps;
  const alertsUrl = `${publicUrl}/beta/${ALERTS_ROOT}/alerts`;

  /**
   * Refresh is not offered in every cloud (not in China, https://learn.microsoft.com/graph/how-to-pim-alerts). There the action
   * does not exist, so it is answered as Graph answers an unknown segment, before anything else.
   */
  const requireRefreshAvailable = (): void => {
    if (!config.cloud.features.has('alerts.refresh')) throw segmentNotFound('refresh');
  };

  const accepted = (reply: FastifyReply, { operation }: QueuedRefresh): FastifyReply => {
    // The raw ':' of refresh:{alertId} stays in the path, as Graph writes it.
    const location = `${publicUrl}/beta/${ALERTS_ROOT}/operations/${operation.id}`;
    notifyExecutor();
    return acceptOperation(reply, location).send();
  };

  app.routes.add(`/beta/${ALERTS_ROOT}/alerts/:alertId/refresh`, {
    POST: async (request, reply) => {
      requireRefreshAvailable();
      const principal = await authenticator.authenticate(request);
      authorize(principal, 'alerts.write');
      const { alertId } = request.params as { alertId: string };
      const alertType = resolveAlertType(principal, alertId);
      const input = { tenantId: principal.tenantId, alertType, resourceLocation: `${alertsUrl}/${alertId}` };
      return accepted(reply, await queueAlertRefresh(store, input, clock.now()));
    },
  });

  app.routes.add(`/beta/${ALERTS_ROOT}/alerts/refresh`, {
    POST: async (request, reply) => {
      requireRefreshAvailable();
      const principal = await authenticator.authenticate(request);
      authorize(principal, 'alerts.write');
      checkRefreshAllBody(request.body);
      // The collection with the scope filter it requires, so that a client that GETs
      // resourceLocation after success (@azure/core-lro does) gets the alerts, not a 400.
      const input = { tenantId: principal.tenantId, resourceLocation: `${alertsUrl}?$filter=${encodeURIComponent(REQUIRED_SCOPE_FILTER)}` };
      return accepted(reply, await queueAlertRefreshAll(store, input, clock.now()));
    },
  });
}

/** Exactly `{"scopeId":"/","scopeType":"DirectoryRole"}`; anything else is a 400 that quotes it. */
function checkRefreshAllBody(body: unknown): void {
  const b = body as Record<string, unknown> | null | undefined;
  const ok =
    typeof b === 'object' &&
    b !== null &&
    !Array.isArray(b) &&
    Object.keys(b).length === 2 &&
    b.scopeId === ALERT_SCOPE_ID &&
    b.scopeType === ALERT_SCOPE_TYPE;
  if (!ok) throw badRequest(`Refreshing all alerts needs the body ${REFRESH_ALL_BODY}; it is the only supported scope.`);
}
