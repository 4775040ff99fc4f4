import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { Extensions } from '../../extensions.js';
import { acceptOperation } from '../accepted.js';
import { declareRoute, type AnyRouteDeclaration } from '../../http/route-declaration.js';
import { registerRoutes } from '../../http/register-routes.js';
import { RESET_IDEMPOTENCY_WINDOW_MS } from '../../passwords/reset-idempotency.js';
import { startPasswordReset } from '../../passwords/start-password-reset.js';
import { ERROR_CODES, GraphError, badRequest } from '../errors.js';
import { readRetryKey, REPEATABILITY_RESULT, type RetryKey } from '../repeatability.js';
import { PASSWORD_METHOD_ID } from '../resources/authentication-method.js';
import { KEY, userPaths } from '../route-schemas.js';
import type { GraphServices } from '../services.js';
import { targetUser } from '../target-user.js';
import { GRAPH_VERSIONS, sendOData } from '../wire.js';

/**
 * The routing hints Graph appends to a password reset's `Location`
 * (`…/authentication/operations/{id}?aadgdc=DUB02P&aadgsu=ssprprod-a` in the resetPassword
 * page's example): opaque to clients, ignored when the URL is polled. A client that appends a
 * path to `Location` breaks here as it breaks on Graph (docs/compatibility.md).
 */
const RESET_LOCATION_QUERY = '?aadgdc=DUB02P&aadgsu=ssprprod-a';

/** `{}` or `{"newPassword": "…"}` (or no body at all). */
const RESET_BODY = Type.Union([
  Type.Null(),
  Type.Object(
    { newPassword: Type.Optional(Type.Union([Type.String(), Type.Null()])) },
    { title: 'microsoft.graph.resetPassword', additionalProperties: false },
  ),
]);

/**
 * POST …/authentication/methods/{id}/resetPassword (and the older beta passwordMethods path).
 * The route reads the method id and the retry key and renders; `startPasswordReset` decides.
 *
 * A retry (same `Repeatability-Request-ID`, or else same `client-request-id`, from the same
 * caller for the same user within RESET_IDEMPOTENCY_WINDOW_MS) gets the first request's
 * operation back instead of a second reset; see docs/passwords.md, "Retries and idempotency".
 */
export function registerResetPasswordRoutes(services: GraphServices): void {
  registerRoutes(services.wire, resetPasswordRoutes(services));
}

function resetPasswordRoutes({ app, notifyExecutor }: GraphServices): AnyRouteDeclaration[] {
  const { store, publicUrl, clock, config } = app.deps;
  const routes: AnyRouteDeclaration[] = [];
  for (const version of GRAPH_VERSIONS) {
    // Per the national-cloud tables: China has resetPassword on beta only.
    const available = config.cloud.features.has(version === 'v1.0' ? 'resetPassword.v1' : 'resetPassword.beta');
    const methods = version === 'beta' ? ['methods', 'passwordMethods'] : ['methods'];
    for (const { url, params } of userPaths(version)) {
      for (const collection of methods) {
        routes.push(
          declareRoute({
            method: 'POST',
            url: `${url}/authentication/${collection}/:methodId/resetPassword`,
            available,
            schema: { params: Type.Composite([params, Type.Object({ methodId: KEY })]), body: RESET_BODY },
            auth: { rule: 'authenticationMethods.resetPassword', target: targetUser(store) },
            handler: async ({ params, body, principal, target, request, reply }) => {
              if (params.methodId.toLowerCase() !== PASSWORD_METHOD_ID) throw badRequest('The method is not supported for this URL.');
              const newPassword = body?.newPassword ?? undefined;
              const retryKey = readRetryKey(request.headers, clock.now(), RESET_IDEMPOTENCY_WINDOW_MS);
              const user = target.user;
              const started = await startPasswordReset(
                { store, clock },
                {
                  caller: principal,
                  target: user,
                  newPassword,
                  retryKey: retryKey?.key,
                  operationUrl: (id) => `${publicUrl}/${version}/users/${user.id}/authentication/operations/${id}${RESET_LOCATION_QUERY}`,
                  resourceLocation: `${publicUrl}/${version}/users/${user.id}/authentication/methods/${PASSWORD_METHOD_ID}`,
                },
              );
              switch (started.outcome) {
                case 'keyReused':
                  throw keyReused(retryKey!);
                case 'replayed':
                  // A generated password is not shown again: it was never stored (the first 202 was the only copy).
                  sendAccepted(reply, started.location, retryKey, config.extensions);
                  return sendOData(reply, {}, 202);
                case 'queued':
                  notifyExecutor();
                  sendAccepted(reply, started.location, retryKey, config.extensions);
                  // `{}` rather than no body: the Kiota SDKs parse every 202 and throw on an empty one
                  // ("no response content type found"); older Graph examples show this `{}` (docs/compatibility.md).
                  if (started.generatedPassword === undefined) return sendOData(reply, {}, 202);
                  // The body carries a password: no cache may keep it (RFC 9111 no-store, not Graph's default no-cache).
                  reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
                  return sendOData(
                    reply,
                    {
                      '@odata.context': `${publicUrl}/${version}/$metadata#microsoft.graph.passwordResetResponse`,
                      newPassword: started.generatedPassword,
                    },
                    202,
                  );
              }
            },
          }),
        );
      }
    }
  }
  return routes;
}

function sendAccepted(reply: FastifyReply, location: string, retryKey: RetryKey | undefined, extensions: Extensions): void {
  acceptOperation(reply, location, extensions);
  if (retryKey?.source === 'repeatability') reply.header(REPEATABILITY_RESULT, 'accepted');
}

/**
 * A request that reuses a retry key for something else is refused with 400, as Azure's
 * guidelines and ACS do for a non-matching duplicate.
 */
function keyReused(retryKey: RetryKey): GraphError {
  const header = retryKey.source === 'repeatability' ? 'Repeatability-Request-ID' : 'client-request-id';
  return new GraphError(
    400,
    ERROR_CODES.badRequest,
    `The ${header} '${retryKey.value}' was already used in the last ${RESET_IDEMPOTENCY_WINDOW_MS / 60_000} minutes ` +
      'for a different resetPassword request on this user; send a new request with a new id.',
    retryKey.source === 'repeatability' ? { [REPEATABILITY_RESULT]: 'rejected' } : {},
  );
}
