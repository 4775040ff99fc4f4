import { authorize } from '../../identity/policy/authorize.js';
import { contextUrl } from '../odata/context.js';
import { parseSelect } from '../odata/select.js';
import { toWireUser, USER_PROPERTIES } from '../resources/user.js';
import type { GraphHandler } from '../route-table.js';
import type { GraphServices } from '../services.js';
import { resolveTargetUser } from '../target-user.js';
import { GRAPH_VERSIONS, sendOData } from '../wire.js';

/** GET /{v}/users/{id | userPrincipalName} and /{v}/me, with $select. */
export function registerUserRoutes({ app, authenticator }: GraphServices): void {
  const { store, publicUrl } = app.deps;
  for (const version of GRAPH_VERSIONS) {
    const handler: GraphHandler = async (request, reply) => {
      const principal = await authenticator.authenticate(request);
      const select = parseSelect(request.query as Record<string, unknown>, USER_PROPERTIES, 'microsoft.graph.user');
      const { user } = await resolveTargetUser(store, principal, request);
      authorize(principal, 'users.read', { targetUserId: user.id });
      return sendOData(reply, {
        '@odata.context': contextUrl(publicUrl, version, 'users', { entity: true, select }),
        ...toWireUser(user, select),
      });
    };
    app.routes.add(`/${version}/users/:userKey`, { GET: handler });
    app.routes.add(`/${version}/me`, { GET: handler });
  }
}
