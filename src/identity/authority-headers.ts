import type { FastifyInstance, FastifyReply } from 'fastify';

/** Entra's `Strict-Transport-Security` (recorded token and discovery answers of login.microsoftonline.com). */
const ENTRA_HSTS = 'max-age=31536000; includeSubDomains';

/**
 * The headers Entra puts on discovery documents and key sets, as recorded from
 * login.microsoftonline.com: cached for a day by the client only, readable from any origin.
 */
const DISCOVERY_HEADERS = {
  'Cache-Control': 'max-age=86400, private',
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, OPTIONS',
} as const;

/** Entra's token answers (success and error): never stored, never cached (`Expires: -1` as Entra sends it). */
export const TOKEN_RESPONSE_HEADERS = { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache', Expires: '-1' } as const;

/**
 * What every answer of the login authority's scope carries, as Entra's do: `x-ms-request-id`
 * (the request's id, the same value as an error body's `trace_id`), `X-Content-Type-Options:
 * nosniff`, and over HTTPS Entra's `Strict-Transport-Security`.
 */
export function installAuthorityHeaders(scope: FastifyInstance, options: { tls: boolean }): void {
  const hsts = options.tls;
  scope.addHook('onRequest', async (request, reply) => {
    reply.header('x-ms-request-id', request.id).header('X-Content-Type-Options', 'nosniff');
    if (hsts) reply.header('Strict-Transport-Security', ENTRA_HSTS);
  });
}

/** Marks a discovery document or key set with Entra's caching and CORS headers. */
export function discoveryHeaders(reply: FastifyReply): FastifyReply {
  return reply.headers(DISCOVERY_HEADERS);
}
