/**
 * GET alerts, alerts/{id} (with `$expand`), alerts/{id}/alertIncidents and
 * alerts/{id}/alertIncidents/{id}.
 */
import { toWireIncident } from '../../../alerts/incidents.js';
import { authorize } from '../../../identity/policy/authorize.js';
import { itemNotFound } from '../../errors.js';
import { contextUrl } from '../../odata/context.js';
import { applySelect, parseSelect } from '../../odata/select.js';
import {
  ALERT_PROPERTIES,
  ALERT_RELATIONSHIPS,
  ALERT_TYPE_NAME,
  ALERTS_ROOT,
  INCIDENT_PROPERTIES,
  INCIDENT_TYPE_NAME,
  toWireAlert,
} from '../../resources/role-management-alert.js';
import type { GraphHandler } from '../../route-table.js';
import type { GraphServices } from '../../services.js';
import { sendOData } from '../../wire.js';
import { parseExpand, projection } from './alert-expand.js';
import { parseAlertFilter } from './alert-filter.js';
import { incidentsContext, resolveAlertType, wireAlert } from './alert-lookup.js';

const ALERT_FILTERABLE = ['scopeId', 'scopeType', 'id', 'alertDefinitionId', 'isActive', 'incidentCount'];
const INCIDENT_FILTERABLE = ['id'];

/** The read routes; `patchAlert` serves PATCH on the single-alert path (one registration per path). */
export function registerAlertReadRoutes({ app, authenticator }: GraphServices, patchAlert: GraphHandler): void {
  const { store, publicUrl } = app.deps;
  const base = `/beta/${ALERTS_ROOT}/alerts`;

  app.routes.add(base, {
    GET: async (request, reply) => {
      const principal = await authenticator.authenticate(request);
      authorize(principal, 'alerts.read');
      const query = request.query as Record<string, unknown>;
      const select = parseSelect(query, ALERT_PROPERTIES, ALERT_TYPE_NAME);
      const expand = parseExpand(query, ALERT_RELATIONSHIPS, ALERT_TYPE_NAME);
      const keep = parseAlertFilter(query, ALERT_FILTERABLE, { requireScope: true });
      const tenantId = principal.tenantId;
      const [states, configurations] = await Promise.all([store.alerts.states(tenantId), store.alerts.configurations(tenantId)]);
      const value: Record<string, unknown>[] = [];
      for (const [i, state] of states.entries()) {
        const configuration = configurations[i]!;
        // The filter sees every property, the response only the selected ones.
        if (!keep(toWireAlert(tenantId, state))) continue;
        const incidents = expand.includes('alertIncidents') ? await store.alerts.incidents(tenantId, state.alertType) : undefined;
        value.push(wireAlert({ tenantId, state, configuration, incidents }, select, expand, publicUrl));
      }
      const context = contextUrl(publicUrl, 'beta', `${ALERTS_ROOT}/alerts`, { select: projection(select, expand) });
      return sendOData(reply, { '@odata.context': context, value });
    },
  });

  app.routes.add(`${base}/:alertId`, {
    PATCH: patchAlert,
    GET: async (request, reply) => {
      const principal = await authenticator.authenticate(request);
      authorize(principal, 'alerts.read');
      const query = request.query as Record<string, unknown>;
      const select = parseSelect(query, ALERT_PROPERTIES, ALERT_TYPE_NAME);
      const expand = parseExpand(query, ALERT_RELATIONSHIPS, ALERT_TYPE_NAME);
      const { alertId } = request.params as { alertId: string };
      const type = resolveAlertType(principal, alertId);
      const tenantId = principal.tenantId;
      const parts = {
        tenantId,
        state: await store.alerts.state(tenantId, type),
        configuration: await store.alerts.configuration(tenantId, type),
        incidents: expand.includes('alertIncidents') ? await store.alerts.incidents(tenantId, type) : undefined,
      };
      const context = contextUrl(publicUrl, 'beta', `${ALERTS_ROOT}/alerts`, { entity: true, select: projection(select, expand) });
      return sendOData(reply, { '@odata.context': context, ...wireAlert(parts, select, expand, publicUrl) });
    },
  });

  app.routes.add(`${base}/:alertId/alertIncidents`, {
    GET: async (request, reply) => {
      const principal = await authenticator.authenticate(request);
      authorize(principal, 'alerts.read');
      const query = request.query as Record<string, unknown>;
      const select = parseSelect(query, INCIDENT_PROPERTIES, INCIDENT_TYPE_NAME);
      const keep = parseAlertFilter(query, INCIDENT_FILTERABLE, { requireScope: false });
      const { alertId } = request.params as { alertId: string };
      const type = resolveAlertType(principal, alertId);
      const incidents = (await store.alerts.incidents(principal.tenantId, type)).map((i) => toWireIncident(i) as Record<string, unknown>);
      const context = incidentsContext(publicUrl, alertId) + (select ? `(${select.join(',')})` : '');
      return sendOData(reply, { '@odata.context': context, value: incidents.filter(keep).map((i) => applySelect(i, select)) });
    },
  });

  app.routes.add(`${base}/:alertId/alertIncidents/:incidentId`, {
    GET: async (request, reply) => {
      const principal = await authenticator.authenticate(request);
      authorize(principal, 'alerts.read');
      const select = parseSelect(request.query as Record<string, unknown>, INCIDENT_PROPERTIES, INCIDENT_TYPE_NAME);
      const { alertId, incidentId } = request.params as { alertId: string; incidentId: string };
      const type = resolveAlertType(principal, alertId);
      const incident = await store.alerts.incident(principal.tenantId, type, incidentId);
      if (!incident) throw itemNotFound('unifiedRoleManagementAlertIncident', incidentId);
      const context = `${incidentsContext(publicUrl, alertId)}${select ? `(${select.join(',')})` : ''}/$entity`;
      return sendOData(reply, { '@odata.context': context, ...applySelect(toWireIncident(incident) as Record<string, unknown>, select) });
    },
  });
}
