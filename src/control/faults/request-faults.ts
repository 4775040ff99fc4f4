import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { entraFault, graphFault, type FaultAnswer } from './fault-responses.js';
import { RequestRulesCache } from './request-rules-cache.js';
import { meteredHeaders, throttledHeaders } from './throttle-headers.js';
import { RequestShaper, type RequestFacts, type Shaping } from './request-shaper.js';

const TOKEN_ENDPOINT = /^\/([^/]+)\/oauth2\/v2\.0\/token$/;

/**
 * The one place where a request asks "does a control rule shape me?" (docs/controls-http.md):
 * a `preValidation` hook (after the body is parsed, so the token request's form is readable;
 * before the route validates it, as Graph's gateway throttles before the service looks at a
 * request) on Graph requests (`/v1.0/…`, `/beta/…`) and token requests
 * (`/{tenant}/oauth2/v2.0/token`). Every other path (`/_longrun/`, `/healthz`, `/readyz`,
 * `/metrics`, `/console`, discovery) is never shaped. The tenant and caller come from the bearer
 * token's claims, read without verifying it (a forged token only changes which test rules
 * match; the route still verifies it), or, on the token endpoint, from the path and the form.
 */
export function installRequestFaults(app: App): { unshaped: () => boolean } {
  const { fastify, deps } = app;
  const cache = new RequestRulesCache(deps).open();
  // The node's shared tenant clocks: a clock advance made here reaches the buckets at once.
  const shaper = new RequestShaper({ store: deps.store, tenantTime: app.tenantTime, cache });
  fastify.addHook('onClose', async () => cache.close());

  // A callback hook whose common case (no tenant has http/throttle rules, cached about a second)
  // answers synchronously: no promise per request on the polling path.
  fastify.addHook('preValidation', (request, reply, done) => {
    const path = pathOf(request.url);
    const tokenEndpoint = TOKEN_ENDPOINT.exec(path);
    if (!tokenEndpoint && !path.startsWith('/v1.0/') && !path.startsWith('/beta/')) return done();
    const tenants = cache.tenantsWithRules();
    if (tenants instanceof Set && tenants.size === 0) return done();
    Promise.resolve(tenants)
      .then((known) => (known.size === 0 ? false : shapeRequest(request, reply, path, tokenEndpoint, known)))
      // A hook that answered must not call done() (Fastify's callback-hook contract).
      .then((answered) => answered || done(), done);
  });

  /** Applies the first matching control rule: latency, a fault answer, or a throttle refusal; true when it answered. */
  const shapeRequest = async (
    request: FastifyRequest,
    reply: FastifyReply,
    path: string,
    tokenEndpoint: RegExpExecArray | null,
    tenants: Set<string>,
  ): Promise<boolean> => {
    const facts = tokenEndpoint ? await tokenRequestFacts(request, tokenEndpoint[1]!, path) : graphRequestFacts(request, path);
    if (!facts || !tenants.has(facts.tenantId)) return false;
    let usage: number | undefined;
    const shaping = await shaper.shape(facts, (u) => (usage = Math.max(usage ?? 0, u)));
    // Graph's metering headers on a Graph request a throttle bucket let through (Entra sends none).
    if (usage !== undefined && !tokenEndpoint) reply.headers(meteredHeaders(usage));
    if (!shaping) return false;
    request.log.info({ ruleId: shaping.ruleId, shaping: shaping.kind, tenantId: facts.tenantId }, 'request shaped by a control rule');
    if (shaping.kind !== 'throttle' && shaping.latencyMs > 0) await sleep(shaping.latencyMs);
    if (shaping.kind === 'delay') return false;
    send(reply, answerOf(shaping, facts, request, tokenEndpoint !== null));
    return true;
  };

  const answerOf = (
    shaping: Exclude<Shaping, { kind: 'delay' }>,
    facts: RequestFacts,
    request: FastifyRequest,
    tokenEndpoint: boolean,
  ): FaultAnswer => {
    const ctx = {
      now: deps.clock.now(),
      requestId: request.id,
      clientRequestId: request.clientRequestId || request.id,
      publicUrl: deps.publicUrl,
    };
    const status = shaping.kind === 'throttle' ? 429 : shaping.status;
    const retryAfter = shaping.retryAfterSeconds;
    if (tokenEndpoint) return entraFault(status, retryAfter, ctx);
    // Graph's identity throttling names the bucket it refused from (https://learn.microsoft.com/graph/throttling-limits).
    const throttleHeaders = shaping.kind === 'throttle' ? throttledHeaders(shaping.appId, facts.tenantId) : {};
    return graphFault(status, retryAfter, ctx, throttleHeaders);
  };

  /** The token endpoint's tenant is the path's (id or domain); the caller is the form's client and user. */
  const tokenRequestFacts = async (request: FastifyRequest, segment: string, path: string): Promise<RequestFacts | undefined> => {
    const tenant = await deps.store.directory.findTenant(decodeSegment(segment));
    if (!tenant) return undefined;
    const form = (request.body ?? {}) as Record<string, unknown>;
    const clientId = typeof form.client_id === 'string' ? form.client_id : basicClientId(request.headers.authorization);
    const username = typeof form.username === 'string' ? form.username.toLowerCase() : undefined;
    return {
      tenantId: tenant.id,
      method: request.method,
      path,
      appId: clientId?.toLowerCase(),
      user: username ? { upn: username } : undefined,
    };
  };

  // True while no tenant has http/throttle rules (as the hook's cheap path sees it): a request
  // answered outside the pipeline (graph/poll-replay.ts) could not have been shaped.
  return {
    unshaped: () => {
      const tenants = cache.tenantsWithRules();
      return tenants instanceof Set && tenants.size === 0;
    },
  };
}

function send(reply: FastifyReply, answer: FaultAnswer): FastifyReply {
  return reply.code(answer.status).headers(answer.headers).send(answer.body);
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A Graph request's tenant and caller, from the bearer token's claims (not verified here). */
function graphRequestFacts(request: FastifyRequest, path: string): RequestFacts | undefined {
  const claims = bearerClaims(request.headers.authorization);
  if (!claims || typeof claims.tid !== 'string') return undefined;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const appId = str(claims.appid) ?? str(claims.azp);
  const upn = str(claims.upn);
  return {
    tenantId: claims.tid,
    method: request.method,
    path,
    appId: appId?.toLowerCase(),
    user: upn ? { upn: upn.toLowerCase() } : undefined,
  };
}

function bearerClaims(header: string | undefined): Record<string, unknown> | undefined {
  if (!header || !/^bearer /i.test(header)) return undefined;
  const parts = header.slice(7).trim().split('.');
  if (parts.length !== 3) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `Authorization: Basic base64(client_id:secret)` on a token request: the client id only. */
function basicClientId(header: string | undefined): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decodeSegment(decoded.slice(0, colon).replace(/\+/g, ' '));
}
