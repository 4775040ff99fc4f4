import { randomUUID } from 'node:crypto';

/**
 * Errors of the login authority, in Entra's shape (not Graph's envelope):
 * `{"error","error_description":"AADSTSnnnnn: … Trace ID … Correlation ID … Timestamp …",
 *   "error_codes":[n],"timestamp","trace_id","correlation_id","error_uri"}`.
 */
export class EntraError extends Error {
  constructor(
    readonly statusCode: 400 | 401,
    /** OAuth 2.0 error code, e.g. `invalid_grant`. */
    readonly error: string,
    /** The AADSTS number. */
    readonly aadsts: number,
    /** Text after `AADSTSnnnnn: `. */
    readonly description: string,
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
export function entraErrorBody(e: EntraError, ctx: { now: number; traceId: string; correlationId?: string; publicUrl: string }): EntraErrorBody {
  const timestamp = new Date(ctx.now).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
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
    new EntraError(401, 'invalid_client', 7000218, `The request body must contain the following parameter: 'client_assertion' or 'client_secret'.`),
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
  accountDisabled: (): EntraError =>
    new EntraError(400, 'invalid_grant', 50057, 'The user account is disabled.'),
  invalidScope: (detail: string): EntraError => new EntraError(400, 'invalid_scope', 70011, detail),
} as const;
