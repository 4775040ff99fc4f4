/**
 * The Graph wire for route declarations: bearer tokens through the authenticator, the policy
 * tables for authorization, and every refusal in Graph's error envelope (docs/errors.md).
 */
import type { App } from '../app.js';
import type { FastifyRequest } from 'fastify';
import type { RouteSink, RouteWire } from '../http/register-routes.js';
import { describeValidation } from '../http/validation-message.js';
import { isAllowed } from '../identity/policy/authorize.js';
import { POLICY_RULES } from '../identity/policy/rules.js';
import type { Authenticator } from '../identity/token-verifier.js';
import { accessDenied, badRequest, segmentNotFound } from './errors.js';
import { parseSelect } from './odata/select.js';

/**
 * A wire answering in Graph's envelope; `name` tells Graph routes from the control API's or the
 * operator endpoints' in docs/routes.md. Without an authenticator only `auth: 'none'` routes register.
 */
export function graphWire(app: App, authenticator: Authenticator | undefined, name = 'graph', sink: RouteSink = app.routes): RouteWire {
  return {
    name,
    sink,
    catalogue: app.catalogue,
    ...(authenticator ? { authenticate: (request: FastifyRequest) => authenticator.authenticate(request) } : {}),
    authorize: (principal, rule, target) => {
      if (!isAllowed(principal, POLICY_RULES[rule], target)) throw accessDenied();
    },
    invalidInput: (errors, part) => badRequest(describeValidation(errors, part).message),
    // Graph's answer for a path this deployment does not have: its last fixed segment is unknown.
    unavailable: (url) =>
      segmentNotFound(
        url
          .split('/')
          .filter((s) => s !== '' && !s.startsWith(':'))
          .pop() ?? '',
      ),
    readSelect: (query, spec) => parseSelect(query as Record<string, unknown>, spec.properties, spec.type),
  };
}
