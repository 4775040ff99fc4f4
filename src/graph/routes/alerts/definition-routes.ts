/** GET alertDefinitions and alertDefinitions/{id}. */
import { alertConfiguration, alertConfigurations, alertState, alertStates } from '../../../alerts/alert-records.js';
import { declareRoute, type AnyRouteDeclaration } from '../../../http/route-declaration.js';
import { contextUrl } from '../../odata/context.js';
import { applySelect } from '../../odata/select.js';
import { ALERTS_ROOT, DEFINITION_PROPERTIES, DEFINITION_TYPE_NAME } from '../../resources/role-management-alert.js';
import { odataQuery } from '../../route-schemas.js';
import type { GraphServices } from '../../services.js';
import { sendOData } from '../../wire.js';
import { parseAlertFilter } from './alert-filter.js';
import { resolveAlertType, wireDefinition } from './alert-lookup.js';
import { DEFINITION_PARAMS } from './alert-params.js';

const DEFINITION_FILTERABLE = ['scopeId', 'scopeType', 'id', 'severityLevel', 'isRemediatable', 'isConfigurable'];
const DEFINITION_SELECT = { properties: DEFINITION_PROPERTIES, type: DEFINITION_TYPE_NAME };

export function definitionRoutes({ app }: GraphServices): AnyRouteDeclaration[] {
  const { store, publicUrl } = app.deps;
  const base = `/beta/${ALERTS_ROOT}/alertDefinitions`;

  return [
    declareRoute({
      method: 'GET',
      url: base,
      schema: { querystring: odataQuery('select', 'filter') },
      auth: 'alerts.read',
      select: DEFINITION_SELECT,
      handler: async ({ query, principal, select, reply }) => {
        const keep = parseAlertFilter(query, DEFINITION_FILTERABLE, { requireScope: true });
        const tenantId = principal.tenantId;
        const [states, configurations] = await Promise.all([
          alertStates(store.alerts, tenantId),
          alertConfigurations(store.alerts, tenantId),
        ]);
        const value = states
          .map((state, i) => wireDefinition(tenantId, state, configurations[i]!))
          .filter(keep)
          .map((d) => applySelect(d, select));
        const context = contextUrl(publicUrl, 'beta', `${ALERTS_ROOT}/alertDefinitions`, { select });
        return sendOData(reply, { '@odata.context': context, value });
      },
    }),

    declareRoute({
      method: 'GET',
      url: `${base}/:definitionId`,
      schema: { params: DEFINITION_PARAMS, querystring: odataQuery('select') },
      auth: 'alerts.read',
      select: DEFINITION_SELECT,
      handler: async ({ params, principal, select, reply }) => {
        const type = resolveAlertType(principal, params.definitionId, 'unifiedRoleManagementAlertDefinition');
        const tenantId = principal.tenantId;
        const definition = wireDefinition(
          tenantId,
          await alertState(store.alerts, tenantId, type),
          await alertConfiguration(store.alerts, tenantId, type),
        );
        const context = contextUrl(publicUrl, 'beta', `${ALERTS_ROOT}/alertDefinitions`, { entity: true, select });
        return sendOData(reply, { '@odata.context': context, ...applySelect(definition, select) });
      },
    }),
  ];
}
