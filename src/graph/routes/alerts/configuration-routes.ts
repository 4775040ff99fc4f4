/**
 * GET alertConfigurations (with `$expand=alertDefinition`), alertConfigurations/{id}, and
 * PATCH alertConfigurations/{id}.
 */
import { Type } from '@sinclair/typebox';
import { alertConfiguration, alertConfigurations, alertState, alertStates } from '../../../alerts/alert-records.js';
import { updateAlertConfiguration } from '../../../alerts/alert-updates.js';
import { toWireConfiguration } from '../../../alerts/configuration.js';
import type { AlertConfiguration, WireAlertConfiguration } from '../../../alerts/configuration.js';
import type { AlertState } from '../../../alerts/alert-state.js';
import { declareRoute, type AnyRouteDeclaration } from '../../../http/route-declaration.js';
import { contextUrl } from '../../odata/context.js';
import { parseExpand, projection } from '../../odata/expand.js';
import { applySelect } from '../../odata/select.js';
import { ALERTS_ROOT, CONFIGURATION_PROPERTIES, CONFIGURATION_TYPE_NAME } from '../../resources/role-management-alert.js';
import { odataQuery } from '../../route-schemas.js';
import type { GraphServices } from '../../services.js';
import { sendOData } from '../../wire.js';
import { parseAlertFilter } from './alert-filter.js';
import { resolveAlertType, wireDefinition } from './alert-lookup.js';
import { CONFIGURATION_PARAMS } from './alert-params.js';

const CONFIGURATION_FILTERABLE = ['scopeId', 'scopeType', 'id', 'alertDefinitionId', 'isEnabled'];
const CONFIGURATION_RELATIONSHIPS = ['alertDefinition'] as const;
const CONFIGURATION_EXPAND = {
  navigation: CONFIGURATION_RELATIONSHIPS,
  properties: CONFIGURATION_PROPERTIES,
  type: CONFIGURATION_TYPE_NAME,
};
const CONFIGURATION_SELECT = { properties: CONFIGURATION_PROPERTIES, type: CONFIGURATION_TYPE_NAME };
const CONFIGURATION_KIND = 'unifiedRoleManagementAlertConfiguration';
/** The settings themselves are checked by `validateConfigurationPatch`, every problem at once. */
const CONFIGURATION_PATCH = Type.Record(Type.String(), Type.Unknown(), {
  description: "(Send the configuration's @odata.type with isEnabled and the type's own settings.)",
});

function wireConfiguration(
  tenantId: string,
  state: AlertState,
  configuration: AlertConfiguration,
  select: string[] | undefined,
  expandDefinition: boolean,
): Record<string, unknown> {
  const out = applySelect(toWireConfiguration(tenantId, configuration) as WireAlertConfiguration & Record<string, unknown>, select);
  if (expandDefinition) out.alertDefinition = wireDefinition(tenantId, state, configuration);
  return out;
}

export function configurationRoutes({ app }: GraphServices): AnyRouteDeclaration[] {
  const { store, publicUrl, clock } = app.deps;
  const base = `/beta/${ALERTS_ROOT}/alertConfigurations`;

  return [
    declareRoute({
      method: 'GET',
      url: base,
      schema: { querystring: odataQuery('select', 'expand', 'filter') },
      auth: 'alerts.read',
      select: CONFIGURATION_SELECT,
      handler: async ({ query, principal, select, reply }) => {
        const expand = parseExpand(query, CONFIGURATION_EXPAND);
        const keep = parseAlertFilter(query, CONFIGURATION_FILTERABLE, { requireScope: true });
        const tenantId = principal.tenantId;
        const [states, configurations] = await Promise.all([
          alertStates(store.alerts, tenantId),
          alertConfigurations(store.alerts, tenantId),
        ]);
        const value = configurations
          .filter((c) => keep(toWireConfiguration(tenantId, c)))
          .map((c) =>
            wireConfiguration(
              tenantId,
              states.find((s) => s.alertType === c.alertType)!,
              c,
              select,
              expand.length > 0,
            ),
          );
        const context = contextUrl(publicUrl, 'beta', `${ALERTS_ROOT}/alertConfigurations`, { select: projection(select, expand) });
        return sendOData(reply, { '@odata.context': context, value });
      },
    }),

    declareRoute({
      method: 'GET',
      url: `${base}/:configurationId`,
      schema: { params: CONFIGURATION_PARAMS, querystring: odataQuery('select', 'expand') },
      auth: 'alerts.read',
      select: CONFIGURATION_SELECT,
      handler: async ({ params, query, principal, select, reply }) => {
        const expand = parseExpand(query, CONFIGURATION_EXPAND);
        const type = resolveAlertType(principal, params.configurationId, CONFIGURATION_KIND);
        const tenantId = principal.tenantId;
        const configuration = await alertConfiguration(store.alerts, tenantId, type);
        const state = await alertState(store.alerts, tenantId, type);
        const context = contextUrl(publicUrl, 'beta', `${ALERTS_ROOT}/alertConfigurations`, {
          entity: true,
          select: projection(select, expand),
        });
        return sendOData(reply, {
          '@odata.context': context,
          ...wireConfiguration(tenantId, state, configuration, select, expand.length > 0),
        });
      },
    }),

    declareRoute({
      method: 'PATCH',
      url: `${base}/:configurationId`,
      schema: { params: CONFIGURATION_PARAMS, body: CONFIGURATION_PATCH },
      auth: 'alerts.write',
      handler: async ({ params, body, principal, reply }) => {
        const type = resolveAlertType(principal, params.configurationId, CONFIGURATION_KIND);
        await updateAlertConfiguration({ store, clock }, principal.tenantId, type, body);
        return reply.code(204).send();
      },
    }),
  ];
}
