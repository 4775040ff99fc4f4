/**
 * What the login authority answers for a path under its prefixes that no route serves, or a
 * method a route does not take: Entra's OAuth error shape, never Graph's envelope (the app's
 * not-found handler speaks Graph). A known path with another method gets Entra's AADSTS900561;
 * anything else a 404. The prefixes are the ones `isAuthorityPath` (src/framework-errors.ts)
 * names, so refusals before routing and after it agree on the surface.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CataloguedRoute } from '../http/register-routes.js';
import { EntraError } from './entra-errors.js';

/** Everything under these is the authority's, whatever the tenant segment. */
const FALLBACK_PATHS = ['/:tenant/oauth2/*', '/:tenant/discovery/*', '/:tenant/.well-known/*', '/:tenant/v2.0/*'];

/** The authority's browser pages (not declared routes): their methods, for AADSTS900561. */
const PAGES: ReadonlyArray<{ pattern: RegExp; methods: string[] }> = [
  { pattern: /^\/[^/]+\/oauth2\/v2\.0\/authorize$/, methods: ['GET', 'POST'] },
  { pattern: /^\/[^/]+\/oauth2\/v2\.0\/logout$/, methods: ['GET'] },
];

const patternOf = (url: string): RegExp => new RegExp(`^${url.replace(/\./g, '\\.').replace(/:\w+/g, '[^/]+')}$`);

export function registerAuthorityFallback(
  scope: FastifyInstance,
  catalogue: readonly CataloguedRoute[],
  send: (reply: FastifyReply, request: FastifyRequest, error: EntraError) => FastifyReply,
): void {
  const known = [
    ...catalogue.filter((r) => r.wire === 'authority').map((r) => ({ pattern: patternOf(r.url), methods: [r.method as string] })),
    ...PAGES,
  ];
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = (request.raw.url ?? '/').split('?')[0]!;
    const methods = [...new Set(known.filter((k) => k.pattern.test(path)).flatMap((k) => k.methods))];
    if (methods.length > 0) {
      const error = new EntraError(
        400,
        'invalid_request',
        900561,
        `The endpoint only accepts ${methods.join(', ')} requests. Received a ${request.method} request.`,
      );
      return send(reply, request, error);
    }
    return send(
      reply,
      request,
      new EntraError(404, 'invalid_request', 9002313, 'Invalid request. Request is malformed or invalid. The endpoint does not exist.'),
    );
  };
  for (const url of FALLBACK_PATHS) scope.all(url, handler);
}
