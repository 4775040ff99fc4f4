import { declareRoute, type AnyRouteDeclaration } from '../../http/route-declaration.js';
import { registerRoutes } from '../../http/register-routes.js';
import { contextUrl } from '../odata/context.js';
import { applySelect } from '../odata/select.js';
import { ALERTS_ROOT } from '../resources/role-management-alert.js';
import { odataQuery } from '../route-schemas.js';
import type { GraphServices } from '../services.js';
import { sendOData } from '../wire.js';

const ROOT_SELECT = { properties: ['id'], type: 'microsoft.graph.roleManagementAlert' };

/**
 * GET /beta/identityGovernance/roleManagementAlerts: the singleton the alert collections hang
 * from (roleManagementAlert: an entity with only `id`, https://learn.microsoft.com/graph/api/resources/rolemanagementalert?view=graph-rest-beta).
 * Graph documents no value for its id; Longrun answers the tenant id, one root per tenant
 * (docs/alerts.md). v1.0 has `identityGovernance` but no `roleManagementAlerts` under it, so the
 * route table learns that prefix and a v1.0 alert URL names `roleManagementAlerts` as the segment
 * not found.
 */
export function registerAlertRootRoutes(services: GraphServices): void {
  services.app.routes.addKnownPrefix('/v1.0/identityGovernance');
  registerRoutes(services.wire, alertRootRoutes(services));
}

function alertRootRoutes({ app }: GraphServices): AnyRouteDeclaration[] {
  const { publicUrl } = app.deps;
  return [
    declareRoute({
      method: 'GET',
      url: `/beta/${ALERTS_ROOT}`,
      schema: { querystring: odataQuery('select') },
      auth: 'alerts.read',
      select: ROOT_SELECT,
      handler: async ({ principal, select, reply }) =>
        sendOData(reply, {
          '@odata.context': contextUrl(publicUrl, 'beta', ALERTS_ROOT, { entity: true, select }),
          ...applySelect({ id: principal.tenantId }, select),
        }),
    }),
  ];
}
