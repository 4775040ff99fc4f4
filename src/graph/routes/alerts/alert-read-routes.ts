/**
 * GET alerts, alerts/{id} (with `$expand`), alerts/{id}/alertIncidents and
 * alerts/{id}/alertIncidents/{id}.
 */
import {
  alertConfiguration,
  alertConfigurations,
  alertIncident,
  alertIncidents,
  alertState,
  alertStates,
} from '../../../alerts/alert-records.js';
import { toWireIncident } from '../../../alerts/incidents.js';
import { declareRoute, type AnyRouteDeclaration } from '../../../http/route-declaration.js';
import { itemNotFound } from '../../errors.js';
import { contextUrl } from '../../odata/context.js';
import { parseExpand, projection } from '../../odata/expand.js';
import { applySelect } from '../../odata/select.js';
import {
  ALERT_PROPERTIES,
  ALERT_RELATIONSHIPS,
  ALERT_TYPE_NAME,
  ALERTS_ROOT,
  INCIDENT_PROPERTIES,
  INCIDENT_TYPE_NAME,
  toWireAlert,
} from '../../resources/role-management-alert.js';
import { odataQuery } from '../../route-schemas.js';
import type { GraphServices } from '../../services.js';
import { sendOData } from '../../wire.js';
import { parseAlertFilter } from './alert-filter.js';
import { incidentsContext, resolveAlertType, wireAlert } from './alert-lookup.js';
import { ALERT_PARAMS, INCIDENT_PARAMS } from './alert-params.js';

const ALERT_FILTERABLE = ['scopeId', 'scopeType', 'id', 'alertDefinitionId', 'isActive', 'incidentCount'];
const INCIDENT_FILTERABLE = ['id'];
const ALERT_EXPAND = { navigation: ALERT_RELATIONSHIPS, properties: ALERT_PROPERTIES, type: ALERT_TYPE_NAME };
const ALERT_SELECT = { properties: ALERT_PROPERTIES, type: ALERT_TYPE_NAME };
const INCIDENT_SELECT = { properties: INCIDENT_PROPERTIES, type: INCIDENT_TYPE_NAME };

export function alertReadRoutes({ app }: GraphServices): AnyRouteDeclaration[] {
  const { store, publicUrl } = app.deps;
  const base = `/beta/${ALERTS_ROOT}/alerts`;

  return [
    declareRoute({
      method: 'GET',
      url: base,
      schema: { querystring: odataQuery('select', 'expand', 'filter') },
      auth: 'alerts.read',
      select: ALERT_SELECT,
      handler: async ({ query, principal, select, reply }) => {
        const expand = parseExpand(query, ALERT_EXPAND);
        const keep = parseAlertFilter(query, ALERT_FILTERABLE, { requireScope: true });
        const tenantId = principal.tenantId;
        const [states, configurations] = await Promise.all([
          alertStates(store.alerts, tenantId),
          alertConfigurations(store.alerts, tenantId),
        ]);
        const value: Record<string, unknown>[] = [];
        for (const [i, state] of states.entries()) {
          const configuration = configurations[i]!;
          // The filter sees every property, the response only the selected ones.
          if (!keep(toWireAlert(tenantId, state))) continue;
          const incidents = expand.includes('alertIncidents') ? await alertIncidents(store.alerts, tenantId, state.alertType) : undefined;
          value.push(wireAlert({ tenantId, state, configuration, incidents }, select, expand, publicUrl));
        }
        const context = contextUrl(publicUrl, 'beta', `${ALERTS_ROOT}/alerts`, { select: projection(select, expand) });
        return sendOData(reply, { '@odata.context': context, value });
      },
    }),

    declareRoute({
      method: 'GET',
      url: `${base}/:alertId`,
      schema: { params: ALERT_PARAMS, querystring: odataQuery('select', 'expand') },
      auth: 'alerts.read',
      select: ALERT_SELECT,
      handler: async ({ params, query, principal, select, reply }) => {
        const expand = parseExpand(query, ALERT_EXPAND);
        const type = resolveAlertType(principal, params.alertId);
        const tenantId = principal.tenantId;
        const parts = {
          tenantId,
          state: await alertState(store.alerts, tenantId, type),
          configuration: await alertConfiguration(store.alerts, tenantId, type),
          incidents: expand.includes('alertIncidents') ? await alertIncidents(store.alerts, tenantId, type) : undefined,
        };
        const context = contextUrl(publicUrl, 'beta', `${ALERTS_ROOT}/alerts`, { entity: true, select: projection(select, expand) });
        return sendOData(reply, { '@odata.context': context, ...wireAlert(parts, select, expand, publicUrl) });
      },
    }),

    declareRoute({
      method: 'GET',
      url: `${base}/:alertId/alertIncidents`,
      schema: { params: ALERT_PARAMS, querystring: odataQuery('select', 'filter') },
      auth: 'alerts.read',
      select: INCIDENT_SELECT,
      handler: async ({ params, query, principal, select, reply }) => {
        const keep = parseAlertFilter(query, INCIDENT_FILTERABLE, { requireScope: false });
        const type = resolveAlertType(principal, params.alertId);
        const incidents = (await alertIncidents(store.alerts, principal.tenantId, type)).map(
          (i) => toWireIncident(i) as Record<string, unknown>,
        );
        const context = incidentsContext(publicUrl, params.alertId) + (select ? `(${select.join(',')})` : '');
        return sendOData(reply, { '@odata.context': context, value: incidents.filter(keep).map((i) => applySelect(i, select)) });
      },
    }),

    declareRoute({
      method: 'GET',
      url: `${base}/:alertId/alertIncidents/:incidentId`,
      schema: { params: INCIDENT_PARAMS, querystring: odataQuery('select') },
      auth: 'alerts.read',
      select: INCIDENT_SELECT,
      handler: async ({ params, principal, select, reply }) => {
        const type = resolveAlertType(principal, params.alertId);
        const incident = await alertIncident(store.alerts, principal.tenantId, type, params.incidentId);
        if (!incident) throw itemNotFound('unifiedRoleManagementAlertIncident', params.incidentId);
        const context = `${incidentsContext(publicUrl, params.alertId)}${select ? `(${select.join(',')})` : ''}/$entity`;
        return sendOData(reply, { '@odata.context': context, ...applySelect(toWireIncident(incident) as Record<string, unknown>, select) });
      },
    }),
  ];
}
