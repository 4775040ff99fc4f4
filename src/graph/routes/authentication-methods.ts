import { authorize } from '../../identity/policy/authorize.js';
import { itemNotFound } from '../errors.js';
import { contextUrl } from '../odata/context.js';
import { applySelect, parseSelect } from '../odata/select.js';
import {
  AUTHENTICATION_METHOD_PROPERTIES,
  AUTHENTICATION_METHOD_TYPE,
  PASSWORD_METHOD_ID,
  PASSWORD_METHOD_PROPERTIES,
  PASSWORD_METHOD_TYPE,
  toWirePasswordMethod,
} from '../resources/authentication-method.js';
import type { GraphHandler } from '../route-table.js';
import type { GraphServices } from '../services.js';
import { resolveTargetUser } from '../target-user.js';
import { encodeKeySegment, GRAPH_VERSIONS, sendOData } from '../wire.js';

/**
 * GET …/authentication/methods (every method, polymorphic), …/passwordMethods and
 * …/passwordMethods/{id}, under /users/{id | upn} and /me (contract §3.3, graph-facts §3.4).
 * Reading your own methods needs UserAuthenticationMethod.Read; anyone else's needs a *.All
 * permission and, delegated, one of the reader roles (rule `authenticationMethods.read`).
 */
export function registerAuthenticationMethodRoutes({ app, authenticator }: GraphServices): void {
  const { store, publicUrl } = app.deps;

  /** Authenticates, reads `$select` (a bad one is a 400 before any lookup), resolves and authorizes. */
  const prepare = async (request: Parameters<GraphHandler>[0], properties: readonly string[], type: string) => {
    const principal = await authenticator.authenticate(request);
    const select = parseSelect(request.query as Record<string, unknown>, properties, type);
    const { user, key, isMe } = await resolveTargetUser(store, principal, request.params as { userKey?: string });
    authorize(principal, 'authenticationMethods.read', { targetUserId: user.id });
    return { select, base: isMe ? 'me/authentication' : `users('${encodeKeySegment(key)}')/authentication` };
  };

  for (const version of GRAPH_VERSIONS) {
    const context = (path: string, select: string[] | undefined, entity: boolean): string =>
      contextUrl(publicUrl, version, path, { select, entity });

    const listMethods: GraphHandler = async (request, reply) => {
      const { select, base } = await prepare(request, AUTHENTICATION_METHOD_PROPERTIES, AUTHENTICATION_METHOD_TYPE);
      return sendOData(reply, {
        '@odata.context': context(`${base}/methods`, select, false),
        value: [applySelect(toWirePasswordMethod(), select)],
      });
    };
    const listPasswordMethods: GraphHandler = async (request, reply) => {
      const { select, base } = await prepare(request, PASSWORD_METHOD_PROPERTIES, PASSWORD_METHOD_TYPE);
      return sendOData(reply, {
        '@odata.context': context(`${base}/passwordMethods`, select, false),
        value: [applySelect(toWirePasswordMethod(), select)],
      });
    };
    const getPasswordMethod: GraphHandler = async (request, reply) => {
      const { select, base } = await prepare(request, PASSWORD_METHOD_PROPERTIES, PASSWORD_METHOD_TYPE);
      const { methodId } = request.params as { methodId: string };
      // Same answer for an unknown id and for another kind of method: a user has only the password.
      if (methodId.toLowerCase() !== PASSWORD_METHOD_ID) throw itemNotFound('passwordAuthenticationMethod', methodId);
      return sendOData(reply, {
        '@odata.context': context(`${base}/passwordMethods`, select, true),
        ...applySelect(toWirePasswordMethod(), select),
      });
    };

    // GET authenticationMethod by id (polymorphic): what a password reset's resourceLocation
    // points at, so a client that GETs it after success (@azure/core-lro) finds the method.
    const getMethod: GraphHandler = async (request, reply) => {
      const { select, base } = await prepare(request, AUTHENTICATION_METHOD_PROPERTIES, AUTHENTICATION_METHOD_TYPE);
      const { methodId } = request.params as { methodId: string };
      if (methodId.toLowerCase() !== PASSWORD_METHOD_ID) throw itemNotFound('authenticationMethod', methodId);
      return sendOData(reply, {
        '@odata.context': context(`${base}/methods`, select, true),
        ...applySelect(toWirePasswordMethod(), select),
      });
    };

    for (const prefix of [`/${version}/users/:userKey`, `/${version}/me`]) {
      app.routes.add(`${prefix}/authentication/methods`, { GET: listMethods });
      app.routes.add(`${prefix}/authentication/methods/:methodId`, { GET: getMethod });
      app.routes.add(`${prefix}/authentication/passwordMethods`, { GET: listPasswordMethods });
      app.routes.add(`${prefix}/authentication/passwordMethods/:methodId`, { GET: getPasswordMethod });
    }
  }
}
