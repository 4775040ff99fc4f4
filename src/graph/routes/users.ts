import { declareRoute, type AnyRouteDeclaration } from '../../http/route-declaration.js';
import { registerRoutes } from '../../http/register-routes.js';
import { contextUrl } from '../odata/context.js';
import { toWireUser, USER_PROPERTIES } from '../resources/user.js';
import { odataQuery, userPaths } from '../route-schemas.js';
import type { GraphServices } from '../services.js';
import { targetUser } from '../target-user.js';
import { GRAPH_VERSIONS, sendOData } from '../wire.js';

const USER_SELECT = { properties: USER_PROPERTIES, type: 'microsoft.graph.user' };

/** GET /{v}/users/{id | userPrincipalName} and /{v}/me, with $select. */
export function registerUserRoutes(services: GraphServices): void {
  registerRoutes(services.wire, userRoutes(services));
}

function userRoutes({ app }: GraphServices): AnyRouteDeclaration[] {
  const { store, publicUrl } = app.deps;
  return GRAPH_VERSIONS.flatMap((version) =>
    userPaths(version).map(({ url, params }) =>
      declareRoute({
        method: 'GET',
        url,
        schema: { params, querystring: odataQuery('select') },
        auth: { rule: 'users.read', target: targetUser(store) },
        select: USER_SELECT,
        handler: async ({ target, select, reply }) =>
          sendOData(reply, {
            '@odata.context': contextUrl(publicUrl, version, 'users', { entity: true, select }),
            ...toWireUser(target.user, select),
          }),
      }),
    ),
  );
}
