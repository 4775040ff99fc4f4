import { randomUUID } from 'node:crypto';

/**
 * Errors of the login authority, in Entra's shape (not Graph's envelope):
 * `{"error","error_description":"AADSTSnnnnn: … Trace ID … Correlation ID … Timestamp …",
 *   "error_codes":[n],"timestamp","trace_id","correlation_id","error_uri"}`.
 */
export class EntraError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 404 | 408 | 413 | 414 | 429 | 431,
    /** OAuth 2.0 error code, e.g. `invalid_grant`. */
    readonly error: string,
    /** The AADSTS number. */
    readonly aadsts: number,
    /** Text after `AADSTSnnnnn: `. */
    readonly description: string,
    /** Sent as `Retry-After` (throttling answers only). */
    readonly retryAfterSeconds?: number,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
    this.name = 'EntraError';
  }
}

/** The JSON body Entra sends for an error. */
export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

/**
 * Renders an error. `correlationId` is the client's `client-request-id` when it sent one (as
 * MSAL does); `traceId` is our request id.
 */
export function entraErrorBody(
  e: EntraError,
  ctx: { now: number; traceId: string; correlationId?: string; publicUrl: string },
): EntraErrorBody {
  const timestamp = new Date(ctx.now)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  const correlationId = ctx.correlationId ?? randomUUID();
  return {
    error: e.error,
    error_description: `${e.message}\r\nTrace ID: ${ctx.traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [e.aadsts],
    timestamp,
    trace_id: ctx.traceId,
    correlation_id: correlationId,
    error_uri: `${ctx.publicUrl}/error?code=${e.aadsts}`,
  };
}

/** The catalogue of authority errors (docs/authentication.md, "Errors"). */
export const entraErrors = {
  tenantNotFound: (tenant: string): EntraError =>
    new EntraError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  /** A body over the service's 1 MiB limit: refused before it is read (Longrun's choice; docs/authentication.md). */
  requestTooLarge: (): EntraError =>
    new EntraError(
      413,
      'invalid_request',
      9002313,
      'Invalid request. Request is malformed or invalid. The request body is larger than 1 MiB.',
    ),
  missingParameter: (name: string): EntraError =>
    new EntraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  unsupportedGrantType: (grantType: string): EntraError =>
    new EntraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`),
  unknownClient: (appId: string, tenantName: string): EntraError =>
    new EntraError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${appId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  missingClientSecret: (): EntraError =>
    new EntraError(
      401,
      'invalid_client',
      7000218,
      `The request body must contain the following parameter: 'client_assertion' or 'client_secret'.`,
    ),
  invalidClientSecret: (appId: string): EntraError =>
    new EntraError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`,
    ),
  /** Same text whether the user exists or not. */
  invalidCredentials: (): EntraError =>
    new EntraError(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.'),
  accountDisabled: (): EntraError => new EntraError(400, 'invalid_grant', 50057, 'The user account is disabled.'),
  invalidScope: (detail: string): EntraError => new EntraError(400, 'invalid_scope', 70011, detail),
  /** Smart lockout: refused whatever the password (docs/authentication.md, "Smart lockout"). */
  accountLocked: (): EntraError =>
    new EntraError(
      400,
      'invalid_grant',
      50053,
      "Your account is locked because you've tried to sign in too many times with an incorrect user ID or password.",
    ),
  /** An administrator reset the password: it must be changed interactively first. */
  passwordExpired: (): EntraError => new EntraError(400, 'invalid_grant', 50055, 'The password is expired.'),
  /**
   * Too many sign-ins at once (verification-gate.ts). Entra answers throttled token requests
   * with 429 and `Retry-After` (MSAL.NET "client and server throttling") and user flows with
   * AADSTS50196; RFC 6749's `temporarily_unavailable` keeps MSAL from asking for interaction.
   */
  throttled: (retryAfterSeconds: number): EntraError =>
    new EntraError(
      429,
      'temporarily_unavailable',
      50196,
      'The server terminated an operation because it encountered a loop while processing a request.',
      retryAfterSeconds,
    ),
  malformedGrant: (): EntraError => new EntraError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'),
  invalidGrant: (detail: string): EntraError => new EntraError(400, 'invalid_grant', 70000, detail),
  codeExpired: (): EntraError =>
    new EntraError(
      400,
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    ),
  codeRedeemed: (): EntraError =>
    new EntraError(
      400,
      'invalid_grant',
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    ),
  codeVerifierMismatch: (): EntraError =>
    new EntraError(
      400,
      'invalid_grant',
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    ),
  replyAddressMismatch: (given: string, expected: string): EntraError =>
    new EntraError(
      400,
      'invalid_grant',
      500112,
      `The reply address '${given}' does not match the reply address '${expected}' provided when requesting Authorization code.`,
    ),
  wrongTenantCode: (): EntraError =>
    new EntraError(400, 'invalid_grant', 700005, 'Provided Authorization Code is intended to use against other tenant, thus rejected.'),
  refreshTokenExpired: (issuedAt: string): EntraError =>
    new EntraError(
      400,
      'invalid_grant',
      700082,
      `The refresh token has expired due to inactivity. The token was issued on ${issuedAt} and was inactive for 90.00:00:00.`,
    ),
  grantRevoked: (issuedAt: string): EntraError =>
    new EntraError(
      400,
      'invalid_grant',
      50173,
      `The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '${issuedAt}'.`,
    ),
  authorizationPending: (): EntraError =>
    new EntraError(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.'),
  slowDown: (): EntraError =>
    new EntraError(400, 'slow_down', 70016, 'OAuth 2.0 device flow error. Polling too often: wait for the interval before polling again.'),
  deviceCodeExpired: (): EntraError =>
    new EntraError(
      400,
      'expired_token',
      70020,
      "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
    ),
  authorizationDeclined: (): EntraError =>
    new EntraError(400, 'authorization_declined', 70000, 'The user declined to authorize the device. Start the flow again to sign in.'),
  multiTenantClientCredentials: (): EntraError =>
    new EntraError(
      400,
      'invalid_request',
      90009,
      'Application is requesting a token for itself. This scenario is supported only if resource is specified using the GUID based App Identifier. Use a tenant-specific authority for client credentials.',
    ),
  invalidAssertion: (detail: string): EntraError =>
    new EntraError(401, 'invalid_client', 700027, `Client assertion failed signature validation. ${detail}`),
  unknownCertificate: (thumbprint: string, appId: string): EntraError =>
    new EntraError(
      401,
      'invalid_client',
      700027,
      `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${appId}'.]`,
    ),
} as const;
