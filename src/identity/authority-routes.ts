import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { openIdConfigurationV1, openIdConfigurationV2 } from './discovery.js';
import { EntraError, entraErrorBody, entraErrors } from './entra-errors.js';
import type { SigningKeys } from './signing-keys.js';
import { handleTokenRequest, type TokenRequest, type VerifySecret } from './token-endpoint.js';
import { TokenIssuer } from './token-issuer.js';

/** What the login authority needs beyond the app's own dependencies. */
export interface AuthorityDeps {
  /** Shared with the token verifier, so a node signs and verifies with the same cache. */
  keys: SigningKeys;
  /** The passwords module's argon2id verify. */
  verifySecret: VerifySecret;
}

/** Entra's content type for discovery, keys, tokens and errors. */
const ENTRA_JSON = 'application/json; charset=utf-8';

/** Tenant-less authorities whose JWKS is the same as every tenant's (keys are service-wide). */
const MULTI_TENANT_ALIASES = new Set(['common', 'organizations', 'consumers']);

/**
 * The Entra-compatible login authority (contract §4): OpenID discovery (v2.0 and v1.0), JWKS,
 * and the v2.0 token endpoint. Registered in its own Fastify scope so its form-body parser
 * and Entra-shaped errors do not leak into the Graph routes.
 */
export function registerAuthorityRoutes(app: App, deps: AuthorityDeps): void {
  const { store, clock, config, publicUrl } = app.deps;
  const issuer = new TokenIssuer({ keys: deps.keys, clock, config, publicUrl, tenantTime: app.tenantTime });

  app.fastify.register(async (scope: FastifyInstance) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, parseForm(body as string));
    });

    scope.setErrorHandler(async (error, request, reply) => {
      if (error instanceof EntraError) return sendEntraError(reply, request, error);
      const status = (error as { statusCode?: number }).statusCode;
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

    scope.get<{ Params: { tenant: string } }>('/:tenant/v2.0/.well-known/openid-configuration', async (request, reply) => {
      const tenant = await resolveTenant(request.params.tenant);
      return sendJson(reply, openIdConfigurationV2({ publicUrl, tenantId: tenant.id, cloud: config.cloud }));
    });

    scope.get<{ Params: { tenant: string } }>('/:tenant/.well-known/openid-configuration', async (request, reply) => {
      const tenant = await resolveTenant(request.params.tenant);
      return sendJson(reply, openIdConfigurationV1({ publicUrl, tenantId: tenant.id, cloud: config.cloud }));
    });

    const jwks = async (request: FastifyRequest<{ Params: { tenant: string } }>, reply: FastifyReply) => {
      if (!MULTI_TENANT_ALIASES.has(request.params.tenant.toLowerCase())) await resolveTenant(request.params.tenant);
      return sendJson(reply, await deps.keys.jwks());
    };
    scope.get('/:tenant/discovery/v2.0/keys', jwks);
    scope.get('/:tenant/discovery/keys', jwks);

    scope.post<{ Params: { tenant: string } }>('/:tenant/oauth2/v2.0/token', async (request, reply) => {
      const isForm = String(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
      const tokenRequest: TokenRequest = {
        tenant: request.params.tenant,
        params: isForm && request.body ? (request.body as Record<string, string>) : {},
      };
      const basic = parseBasicAuth(request.headers.authorization);
      if (basic) tokenRequest.basic = basic;
      const body = await handleTokenRequest(
        { store, clock, issuer, graphRoot: config.cloud.graphRoot, verifySecret: deps.verifySecret },
        tokenRequest,
      );
      // Tokens must not be cached by intermediaries (RFC 6749 §5.1).
      reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
      return sendJson(reply, body);
    });
  });

  function sendEntraError(reply: FastifyReply, request: FastifyRequest, error: EntraError): FastifyReply {
    request.log.info({ error: error.error, code: error.aadsts, status: error.statusCode }, 'token request refused');
    const body = entraErrorBody(error, {
      now: clock.now(),
      traceId: request.id,
      correlationId: request.clientRequestId || request.id,
      publicUrl,
    });
    return reply.code(error.statusCode).header('content-type', ENTRA_JSON).header('Cache-Control', 'no-store').send(body);
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
