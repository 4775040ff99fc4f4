import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';

/**
 * Graph's `Strict-Transport-Security` on HTTPS (real responses carry `max-age=31536000`, without
 * `includeSubDomains`; docs/compatibility.md, "Response headers").
 */
const GRAPH_HSTS = 'max-age=31536000';

/**
 * The `x-ms-ags-diagnostic` value: Graph's JSON shape and key order
 * (`{"ServerInfo":{"DataCenter":…,"Slice":…,"Ring":…,"ScaleUnit":…,"RoleInstance":…}}`), with
 * Longrun's own values; `RoleInstance` names the node (its host name), as Graph's names the
 * front-end instance that answered, so a multi-node report says which node it came from.
 */
export function agsDiagnostic(roleInstance: string): string {
  return JSON.stringify({
    ServerInfo: { DataCenter: 'Longrun', Slice: 'E', Ring: '5', ScaleUnit: '000', RoleInstance: roleInstance },
  });
}

/** What Fastify makes of a JSON reply whose content type names no charset. */
const FASTIFY_JSON = 'application/json; charset=utf-8';
/** Graph's errors say only this, without charset or OData parameters (graph-facts §4.4, recorded traffic). */
const GRAPH_ERROR_JSON = 'application/json';

/** True for a Graph path (`/v1.0`, `/beta`, and below); the console, the authority and `/_longrun/` are not Graph. */
function isGraphPath(url: string): boolean {
  return url.startsWith('/v1.0') || url.startsWith('/beta');
}

/**
 * The headers every Graph response carries, success or error: `x-ms-ags-diagnostic`, and
 * `Strict-Transport-Security` when served over TLS. Both values are computed once; the hook
 * does one prefix test and sets one or two strings per request (callback hooks: no promise). Fastify appends
 * `; charset=utf-8` to every `application/json` it serializes, so a Graph error (whoever
 * rendered it: the error handler, a control rule's fault) would not carry Graph's bare
 * `application/json`; the onSend hook puts it back, leaving OData success types alone.
 */
export function installGraphResponseHeaders(app: FastifyInstance, options: { tls: boolean; roleInstance?: string }): void {
  const diagnostic = agsDiagnostic((options.roleInstance ?? hostname()).toUpperCase());
  const hsts = options.tls;
  app.addHook('onRequest', (request, reply, done) => {
    if (isGraphPath(request.url)) {
      reply.header('x-ms-ags-diagnostic', diagnostic);
      if (hsts) reply.header('Strict-Transport-Security', GRAPH_HSTS);
    }
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (reply.getHeader('content-type') === FASTIFY_JSON && isGraphPath(request.url)) reply.header('content-type', GRAPH_ERROR_JSON);
    done(null, payload);
  });
}
