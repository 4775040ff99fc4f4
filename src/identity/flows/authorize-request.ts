import type { Tenant } from '../../directory/model.js';
import { isPublicClient, type StoredApplication } from '../client-authentication.js';
import { EntraError, entraErrors } from '../entra-errors.js';
import { isMultiTenantAuthority, type SignInContext } from '../sign-in-context.js';
import { parseDelegatedScope } from '../token-scopes.js';

export type ResponseMode = 'query' | 'fragment' | 'form_post';

/** A checked `/authorize` request: everything the sign-in page carries from step to step. */
export interface AuthorizeRequest {
  /** The `{tenant}` segment as sent. */
  authority: string;
  /** The tenant named by the path; undefined on `common` / `organizations`. */
  tenant: Tenant | undefined;
  clientId: string;
  /** The app's registrations this request matched (one per tenant on a multi-tenant authority). */
  apps: StoredApplication[];
  redirectUri: string;
  scope: string;
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'S256' | undefined;
  responseMode: ResponseMode;
  prompt: string | undefined;
  loginHint: string | undefined;
}

/**
 * An `/authorize` problem. `redirect: false` is shown on Longrun's own error page (the client
 * or redirect URI cannot be trusted, as Entra does); otherwise it is sent back to the
 * redirect URI as `error`, `error_description` and `state`.
 */
export class AuthorizeError extends Error {
  constructor(
    readonly entra: EntraError,
    readonly redirect: { uri: string; mode: ResponseMode; state: string | undefined } | false,
  ) {
    super(entra.message);
    this.name = 'AuthorizeError';
  }
}

/** The parameters the page forwards from step to step (hidden fields), exactly as received. */
export const AUTHORIZE_PARAMETERS = [
  'client_id',
  'response_type',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'response_mode',
  'prompt',
  'login_hint',
] as const;

/**
 * Checks an authorization request as Entra does, in Entra's order: the client and its redirect
 * URI first (errors shown on a page: never redirect to an unverified URI), then everything else
 * (errors sent to the redirect URI).
 */
export async function validateAuthorizeRequest(
  ctx: SignInContext,
  authority: string,
  params: Readonly<Record<string, string | undefined>>,
): Promise<AuthorizeRequest> {
  const page = (e: EntraError) => new AuthorizeError(e, false);
  let tenant: Tenant | undefined;
  if (!isMultiTenantAuthority(authority)) {
    tenant = await ctx.store.directory.findTenant(authority);
    if (!tenant) throw page(entraErrors.tenantNotFound(authority));
  }
  const clientId = params.client_id;
  if (!clientId) throw page(entraErrors.missingParameter('client_id'));
  const apps = tenant
    ? [await ctx.store.directory.findApplication(tenant.id, clientId)].filter((a): a is StoredApplication => a !== undefined)
    : await ctx.store.directory.findApplicationInAnyTenant(clientId);
  if (apps.length === 0) throw page(entraErrors.unknownClient(clientId, tenant?.displayName ?? authority));
  const redirectUri = params.redirect_uri;
  if (!redirectUri) throw page(entraErrors.missingParameter('redirect_uri'));
  const matching = apps.filter((a) => a.redirectUris.includes(redirectUri));
  if (matching.length === 0) throw page(redirectUriMismatch(redirectUri, clientId));

  const mode = params.response_mode ?? 'query';
  const responseMode: ResponseMode = mode === 'form_post' || mode === 'fragment' ? mode : 'query';
  const back = (e: EntraError) => new AuthorizeError(e, { uri: redirectUri, mode: responseMode, state: params.state });
  if (mode !== 'query' && mode !== 'form_post' && mode !== 'fragment') {
    throw back(
      new EntraError(400, 'invalid_request', 900144, `The provided value for the input parameter 'response_mode' is not valid: '${mode}'.`),
    );
  }
  if (!params.response_type) throw back(entraErrors.missingParameter('response_type'));
  if (params.response_type !== 'code') {
    throw back(
      new EntraError(
        400,
        'unsupported_response_type',
        700054,
        `response_type '${params.response_type}' is not enabled for the application.`,
      ),
    );
  }
  const scope = params.scope;
  if (!scope) throw back(entraErrors.missingParameter('scope'));
  try {
    parseDelegatedScope(scope, ctx.graphRoot);
  } catch (e) {
    if (e instanceof EntraError) throw back(e);
    throw e;
  }
  const method = params.code_challenge_method;
  if (params.code_challenge !== undefined && params.code_challenge !== '') {
    if (method !== 'S256') {
      throw back(
        new EntraError(400, 'invalid_request', 50148, "The code_challenge_method must be 'S256' (the only method Longrun supports)."),
      );
    }
    if (!/^[A-Za-z0-9_-]{43}$/.test(params.code_challenge)) {
      throw back(
        new EntraError(
          400,
          'invalid_request',
          50148,
          'The code_challenge must be the base64url SHA-256 of the code_verifier (43 characters).',
        ),
      );
    }
  } else if (matching.every(isPublicClient)) {
    throw back(
      new EntraError(
        400,
        'invalid_request',
        9002325,
        'Proof Key for Code Exchange is required for public clients: send code_challenge and code_challenge_method=S256.',
      ),
    );
  }
  if (params.prompt === 'none') {
    // Longrun keeps no browser session (docs/authentication.md): a silent sign-in cannot succeed.
    throw back(new EntraError(400, 'login_required', 50058, 'A silent sign-in request was sent but no user is signed in.'));
  }
  return {
    authority,
    tenant,
    clientId: clientId.toLowerCase(),
    apps: matching,
    redirectUri,
    scope,
    state: params.state,
    nonce: params.nonce,
    codeChallenge: params.code_challenge || undefined,
    codeChallengeMethod: params.code_challenge ? 'S256' : undefined,
    responseMode,
    prompt: params.prompt,
    loginHint: params.login_hint,
  };
}

export function redirectUriMismatch(redirectUri: string, clientId: string): EntraError {
  return new EntraError(
    400,
    'invalid_request',
    50011,
    `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
  );
}
