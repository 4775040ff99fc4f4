import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { fastifySink, registerRoutes, type RouteWire } from '../http/register-routes.js';
import { declareRoute } from '../http/route-declaration.js';
import { describeValidation } from '../http/validation-message.js';
import { TenantTime } from '../shared/tenant-time.js';
import { StorageUnavailableError } from '../storage/sql.js';
import { discoveryHeaders, installAuthorityHeaders, TOKEN_RESPONSE_HEADERS } from './authority-headers.js';
import { instanceDiscovery, openIdConfigurationV1, openIdConfigurationV2 } from './discovery.js';
import { registerAuthorityFallback } from './authority-fallback.js';
import { EntraError, entraErrorBody, entraErrors } from './entra-errors.js';
import { startDeviceCode } from './flows/device-code.js';
import { IdTokenIssuer } from './id-token.js';
import { isMultiTenantAuthority, type SignInContext } from './sign-in-context.js';
import { registerSignInRoutes } from './sign-in-routes.js';
import type { SigningKeys } from './signing-keys.js';
import { handleTokenRequest, type TokenRequest, type VerifySecret } from './token-endpoint.js';
import { TokenIssuer } from './token-issuer.js';

/** RFC 6749's `temporarily_unavailable` with AADSTS90033, as Entra answers a transient fault. */
const STORE_UNAVAILABLE = new EntraError(400, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.');

/** What the login authority needs beyond the app's own dependencies. */
export interface AuthorityDeps {
  /** Shared with the token verifier, so a node signs and verifies with the same cache. */
  keys: SigningKeys;
  /** The passwords module's argon2id verify. */
  verifySecret: VerifySecret;
  /** Tenant time (lockout windows, code and refresh-token expiry); built from the store when absent. */
  tenantTime?: TenantTime | undefined;
  /** Access-token lifetime in seconds (tests shorten it to exercise refresh). */
  accessTokenLifetimeSeconds?: number | undefined;
}

/** Entra's content type for discovery, keys, tokens and errors. */
const ENTRA_JSON = 'application/json; charset=utf-8';

/** Tenant-less authorities whose JWKS is the same as every tenant's (keys are service-wide). */
const MULTI_TENANT_ALIASES = new Set(['common', 'organizations', 'consumers']);

/**
 * The Entra-compatible login authority (docs/authentication.md): OpenID discovery (v2.0 and
 * v1.0), instance discovery, JWKS, the v2.0 token and device-code endpoints, and the sign-in
 * pages (sign-in-routes.ts). Registered in its own Fastify scope so its form-body parser
 * and Entra-shaped errors do not leak into the Graph routes.
 */
export function registerAuthorityRoutes(app: App, deps: AuthorityDeps): void {
  const { store, clock, config, publicUrl } = app.deps;
  const issuer = new TokenIssuer({
    keys: deps.keys,
    clock,
    config,
    publicUrl,
    lifetimeSeconds: deps.accessTokenLifetimeSeconds,
    tenantTime: app.tenantTime,
  });
  const ctx: SignInContext = {
    store,
    clock,
    tenantTime: deps.tenantTime ?? app.tenantTime,
    issuer,
    idTokens: new IdTokenIssuer(deps.keys, publicUrl),
    graphRoot: config.cloud.graphRoot,
    publicUrl,
    verifySecret: deps.verifySecret,
  };
  registerSignInRoutes(app, ctx);

  app.fastify.register(async (scope: FastifyInstance) => {
    installAuthorityHeaders(scope, { tls: app.deps.tls !== undefined || publicUrl.startsWith('https:') });
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, parseForm(body as string));
    });

    scope.setErrorHandler(async (error, request, reply) => {
      if (error instanceof EntraError) return sendEntraError(reply, request, error);
      // The database refuses (full disk, read-only, down): Entra's transient answer, a 503 to retry.
      if (error instanceof StorageUnavailableError)
        return sendEntraError(reply.header('Retry-After', '5'), request, STORE_UNAVAILABLE, 503);
      const status = (error as { statusCode?: number }).statusCode;
      if ((error as { code?: string }).code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        return sendEntraError(reply, request, entraErrors.requestTooLarge());
      // A body that is not form-encoded reads, to Entra, as a body without grant_type.
      if (typeof status === 'number' && status >= 400 && status < 500) {
        return sendEntraError(reply, request, entraErrors.missingParameter('grant_type'));
      }
      throw error; // the Graph error handler renders a generic 500
    });

    const resolveTenant = async (segment: string) => {
      const tenant = await store.directory.findTenant(segment);
      if (!tenant) throw entraErrors.tenantNotFound(segment);
      return tenant;
    };

    /** Entra's wire: no bearer token on any of these routes, errors in Entra's OAuth shape. */
    const wire: RouteWire = {
      name: 'authority',
      sink: fastifySink(scope),
      catalogue: app.catalogue,
      invalidInput: (errors, part) => {
        const problem = describeValidation(errors, part);
        if (errors[0]?.keyword === 'required') return entraErrors.missingParameter(problem.field);
        return new EntraError(400, 'invalid_request', 9002313, `Invalid request. Request is malformed or invalid. ${problem.message}`);
      },
      unavailable: () => new EntraError(400, 'invalid_request', 9002313, 'Invalid request. Request is malformed or invalid.'),
    };
    const tenantParams = { params: Type.Object({ tenant: Type.String() }) };

    const jwks = async ({ params, reply }: { params: { tenant: string }; reply: FastifyReply }) => {
      if (!MULTI_TENANT_ALIASES.has(params.tenant.toLowerCase())) await resolveTenant(params.tenant);
      return sendJson(discoveryHeaders(reply), await deps.keys.jwks());
    };

    registerRoutes(wire, [
      declareRoute({
        method: 'GET',
        url: '/:tenant/v2.0/.well-known/openid-configuration',
        schema: tenantParams,
        auth: 'none',
        summary: 'OpenID discovery (v2.0)',
        handler: async ({ params, reply }) => {
          const tenantId = isMultiTenantAuthority(params.tenant) ? params.tenant.toLowerCase() : (await resolveTenant(params.tenant)).id;
          return sendJson(discoveryHeaders(reply), openIdConfigurationV2({ publicUrl, tenantId, cloud: config.cloud }));
        },
      }),
      declareRoute({
        method: 'GET',
        url: '/:tenant/.well-known/openid-configuration',
        schema: tenantParams,
        auth: 'none',
        summary: 'OpenID discovery (v1.0)',
        handler: async ({ params, reply }) => {
          const tenant = await resolveTenant(params.tenant);
          return sendJson(discoveryHeaders(reply), openIdConfigurationV1({ publicUrl, tenantId: tenant.id, cloud: config.cloud }));
        },
      }),
      declareRoute({
        method: 'GET',
        url: '/common/discovery/instance',
        schema: { querystring: Type.Object({ authorization_endpoint: Type.Optional(Type.String()) }) },
        auth: 'none',
        summary: "MSAL's instance discovery for this authority",
        handler: async ({ query, reply }) => sendJson(discoveryHeaders(reply), instanceDiscovery(publicUrl, query.authorization_endpoint)),
      }),
      declareRoute({
        method: 'POST',
        url: '/:tenant/oauth2/v2.0/devicecode',
        schema: tenantParams,
        auth: 'none',
        summary: 'device-code flow: start (form body)',
        handler: async ({ params, request, reply }) => {
          const isForm = String(request.headers['content-type'] ?? '')
            .toLowerCase()
            .startsWith('application/x-www-form-urlencoded');
          const body = await startDeviceCode(ctx, params.tenant, isForm && request.body ? (request.body as Record<string, string>) : {});
          reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
          return sendJson(reply, body);
        },
      }),
      declareRoute({
        method: 'GET',
        url: '/:tenant/discovery/v2.0/keys',
        schema: tenantParams,
        auth: 'none',
        summary: 'JWKS',
        handler: jwks,
      }),
      declareRoute({ method: 'GET', url: '/:tenant/discovery/keys', schema: tenantParams, auth: 'none', summary: 'JWKS', handler: jwks }),
      declareRoute({
        method: 'POST',
        url: '/:tenant/oauth2/v2.0/token',
        schema: tenantParams,
        auth: 'none',
        summary: 'token endpoint: client_credentials, password, authorization_code, refresh_token and device_code grants (form body)',
        handler: async ({ params, request, reply }) => {
          const isForm = String(request.headers['content-type'] ?? '')
            .toLowerCase()
            .startsWith('application/x-www-form-urlencoded');
          const tokenRequest: TokenRequest = {
            tenant: params.tenant,
            params: isForm && request.body ? (request.body as Record<string, string>) : {},
          };
          const basic = parseBasicAuth(request.headers.authorization);
          if (basic) tokenRequest.basic = basic;
          const body = await handleTokenRequest(ctx, tokenRequest);
          // Tokens must not be cached (RFC 6749 §5.1); Entra's own three headers.
          reply.headers(TOKEN_RESPONSE_HEADERS);
          return sendJson(reply, body);
        },
      }),
    ]);
    registerAuthorityFallback(scope, app.catalogue, sendEntraError);
  });

  function sendEntraError(
    reply: FastifyReply,
    request: FastifyRequest,
    error: EntraError,
    status: number = error.statusCode,
  ): FastifyReply {
    request.log.info({ error: error.error, code: error.aadsts, status }, 'token request refused');
    const body = entraErrorBody(error, {
      now: clock.now(),
      traceId: request.id,
      correlationId: request.clientRequestId || request.id,
      publicUrl,
    });
    if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
    return reply.code(status).header('content-type', ENTRA_JSON).headers(TOKEN_RESPONSE_HEADERS).send(body);
  }
}

function sendJson(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.code(200).header('content-type', ENTRA_JSON).send(body);
}

/** Form parameters, first value of each (URLSearchParams decodes `+` and percent escapes). */
function parseForm(body: string): Record<string, string> {
  // No prototype: a parameter named __proto__ must stay a plain parameter.
  const params = Object.create(null) as Record<string, string>;
  for (const [k, v] of new URLSearchParams(body)) if (!Object.hasOwn(params, k)) params[k] = v;
  return params;
}

/** `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1). */
function parseBasicAuth(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const formDecode = (s: string): string => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  };
  return { clientId: formDecode(decoded.slice(0, colon)), clientSecret: formDecode(decoded.slice(colon + 1)) };
}
