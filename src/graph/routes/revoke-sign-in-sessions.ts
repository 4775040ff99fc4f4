import { declareRoute, type AnyRouteDeclaration } from '../../http/route-declaration.js';
import { registerRoutes } from '../../http/register-routes.js';
import { revokeSignInSessions } from '../../identity/sign-in-sessions.js';
import { userPaths } from '../route-schemas.js';
import type { GraphServices } from '../services.js';
import { targetUser } from '../target-user.js';
import { GRAPH_VERSIONS, sendOData } from '../wire.js';

/**
 * POST /{v}/users/{id | userPrincipalName}/revokeSignInSessions and /{v}/me/revokeSignInSessions
 * (user-revokesigninsessions): invalidates the user's refresh tokens; answers 200
 * `{"value": true}` as Graph does.
 */
export function registerRevokeSignInSessionsRoutes(services: GraphServices): void {
  registerRoutes(services.wire, revokeRoutes(services));
}

function revokeRoutes({ app }: GraphServices): AnyRouteDeclaration[] {
  const { store, publicUrl, clock } = app.deps;
  return GRAPH_VERSIONS.flatMap((version) =>
    userPaths(version, '/revokeSignInSessions').map(({ url, params }) =>
      declareRoute({
        method: 'POST',
        url,
        schema: { params },
        auth: { rule: 'users.revokeSignInSessions', target: targetUser(store) },
        handler: async ({ target, reply }) => {
          await revokeSignInSessions(store, target.user.tenantId, target.user.id, clock.now());
          return sendOData(reply, { '@odata.context': `${publicUrl}/${version}/$metadata#Edm.Boolean`, value: true });
        },
      }),
    ),
  );
}
