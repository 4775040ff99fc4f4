import { Type } from '@sinclair/typebox';
import { declareRoute, type AnyRouteDeclaration, type SelectSpec } from '../../http/route-declaration.js';
import { registerRoutes } from '../../http/register-routes.js';
import { itemNotFound } from '../errors.js';
import { contextUrl } from '../odata/context.js';
import { applySelect } from '../odata/select.js';
import {
  AUTHENTICATION_METHOD_PROPERTIES,
  AUTHENTICATION_METHOD_TYPE,
  PASSWORD_METHOD_ID,
  PASSWORD_METHOD_PROPERTIES,
  PASSWORD_METHOD_TYPE,
  toWirePasswordMethod,
} from '../resources/authentication-method.js';
import { KEY, odataQuery, userPaths } from '../route-schemas.js';
import type { GraphServices } from '../services.js';
import { targetUser, type TargetUser } from '../target-user.js';
import { encodeKeySegment, GRAPH_VERSIONS, sendOData } from '../wire.js';

const METHOD_SELECT: SelectSpec = { properties: AUTHENTICATION_METHOD_PROPERTIES, type: AUTHENTICATION_METHOD_TYPE };
const PASSWORD_SELECT: SelectSpec = { properties: PASSWORD_METHOD_PROPERTIES, type: PASSWORD_METHOD_TYPE };

/**
 * GET …/authentication/methods (every method, polymorphic), …/passwordMethods and
 * …/passwordMethods/{id}, under /users/{id | upn} and /me (https://learn.microsoft.com/graph/api/resources/passwordauthenticationmethod).
 * Reading your own methods needs UserAuthenticationMethod.Read; anyone else's needs a *.All
 * permission and, delegated, one of the reader roles (rule `authenticationMethods.read`).
 */
export function registerAuthenticationMethodRoutes(services: GraphServices): void {
  registerRoutes(services.wire, authenticationMethodRoutes(services));
}

function authenticationMethodRoutes({ app }: GraphServices): AnyRouteDeclaration[] {
  const { store, publicUrl } = app.deps;
  const auth = { rule: 'authenticationMethods.read', target: targetUser(store) } as const;
  const querystring = odataQuery('select');
  const baseOf = (target: TargetUser): string =>
    target.isMe ? 'me/authentication' : `users('${encodeKeySegment(target.key)}')/authentication`;
  const routes: AnyRouteDeclaration[] = [];

  for (const version of GRAPH_VERSIONS) {
    const context = (path: string, select: string[] | undefined, entity: boolean): string =>
      contextUrl(publicUrl, version, path, { select, entity });

    for (const { url, params } of userPaths(version, '/authentication')) {
      const withMethodId = Type.Composite([params, Type.Object({ methodId: KEY })]);
      routes.push(
        declareRoute({
          method: 'GET',
          url: `${url}/methods`,
          schema: { params, querystring },
          auth,
          select: METHOD_SELECT,
          handler: async ({ target, select, reply }) =>
            sendOData(reply, {
              '@odata.context': context(`${baseOf(target)}/methods`, select, false),
              value: [applySelect(toWirePasswordMethod(target.user), select)],
            }),
        }),
        // GET authenticationMethod by id (polymorphic): what a password reset's resourceLocation
        // points at, so a client that GETs it after success (@azure/core-lro) finds the method.
        declareRoute({
          method: 'GET',
          url: `${url}/methods/:methodId`,
          schema: { params: withMethodId, querystring },
          auth,
          select: METHOD_SELECT,
          handler: async ({ params, target, select, reply }) => {
            if (params.methodId.toLowerCase() !== PASSWORD_METHOD_ID) throw itemNotFound('authenticationMethod', params.methodId);
            return sendOData(reply, {
              '@odata.context': context(`${baseOf(target)}/methods`, select, true),
              ...applySelect(toWirePasswordMethod(target.user), select),
            });
          },
        }),
        declareRoute({
          method: 'GET',
          url: `${url}/passwordMethods`,
          schema: { params, querystring },
          auth,
          select: PASSWORD_SELECT,
          handler: async ({ target, select, reply }) =>
            sendOData(reply, {
              '@odata.context': context(`${baseOf(target)}/passwordMethods`, select, false),
              value: [applySelect(toWirePasswordMethod(target.user), select)],
            }),
        }),
        declareRoute({
          method: 'GET',
          url: `${url}/passwordMethods/:methodId`,
          schema: { params: withMethodId, querystring },
          auth,
          select: PASSWORD_SELECT,
          handler: async ({ params, target, select, reply }) => {
            // Same answer for an unknown id and for another kind of method: a user has only the password.
            if (params.methodId.toLowerCase() !== PASSWORD_METHOD_ID) throw itemNotFound('passwordAuthenticationMethod', params.methodId);
            return sendOData(reply, {
              '@odata.context': context(`${baseOf(target)}/passwordMethods`, select, true),
              ...applySelect(toWirePasswordMethod(target.user), select),
            });
          },
        }),
      );
    }
  }
  return routes;
}
