import { authorize } from '../../identity/policy/authorize.js';
import { revokeSignInSessions } from '../../identity/sign-in-sessions.js';
import type { GraphHandler } from '../route-table.js';
import type { GraphServices } from '../services.js';
import { resolveTargetUser } from '../target-user.js';
import { GRAPH_VERSIONS, sendOData } from '../wire.js';

/**
 * POST /{v}/users/{id | userPrincipalName}/revokeSignInSessions and /{v}/me/revokeSignInSessions
 * (user-revokesigninsessions): invalidates the user's refresh tokens; answers 200
 * `{"value": true}` as Graph does.
 */
export function registerRevokeSignInSessionsRoutes({ app, authenticator }: GraphServices): void {
  const { store, publicUrl, clock } = app.deps;
  for (const version of GRAPH_VERSIONS) {
    const handler: GraphHandler = async (request, reply) => {
      const principal = await authenticator.authenticate(request);
      const { user } = await resolveTargetUser(store, principal, request);
      authorize(principal, 'users.revokeSignInSessions', { targetUserId: user.id });
      await revokeSignInSessions(store, user.tenantId, user.id, clock.now());
      return sendOData(reply, { '@odata.context': `${publicUrl}/${version}/$metadata#Edm.Boolean`, value: true });
    };
    app.routes.add(`/${version}/users/:userKey/revokeSignInSessions`, { POST: handler });
    app.routes.add(`/${version}/me/revokeSignInSessions`, { POST: handler });
  }
}
