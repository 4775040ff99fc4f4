/**
 * The error catalogue: every error the Graph surface returns, with its HTTP status and Graph
 * code. Rendered in Graph's envelope by `error-handler.ts`; documented in docs/errors.md (a
 * test checks both directions).
 */
export class GraphError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. WWW-Authenticate or Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export const ERROR_CODES = {
  badRequest: 'BadRequest',
  requestBadRequest: 'Request_BadRequest',
  invalidAuthenticationToken: 'InvalidAuthenticationToken',
  authorizationRequestDenied: 'Authorization_RequestDenied',
  resourceNotFound: 'Request_ResourceNotFound',
  itemNotFound: 'itemNotFound',
  methodNotAllowed: 'MethodNotAllowed',
  unsupportedMediaType: 'UnsupportedMediaType',
  requestEntityTooLarge: 'RequestEntityTooLarge',
  /** Before routing (src/framework-errors.ts): a request line over Node's 16 KB header limit. */
  requestUriTooLong: 'RequestUriTooLong',
  /** Before routing: headers over Node's 16 KB limit. */
  requestHeaderFieldsTooLarge: 'RequestHeaderFieldsTooLarge',
  /** Before routing: a request not received within Node's request timeout. */
  requestTimeout: 'RequestTimeout',
  conflict: 'Conflict',
  preconditionFailed: 'PreconditionFailed',
  notImplemented: 'NotImplemented',
  serviceNotAvailable: 'serviceNotAvailable',
  generalException: 'generalException',
  /** Change-notification subscriptions: a refused body or a failed endpoint validation. */
  subscriptionInvalidRequest: 'InvalidRequest',
  /** Change-notification subscriptions: an expiry outside the allowed lifetime. */
  subscriptionExtensionError: 'ExtensionError',
  /** Graph's throttling answer: control rules (docs/controls-http.md) and the process's limits (docs/configuration.md, "Limits"). */
  tooManyRequests: 'TooManyRequests',
  /** Only from control rules: what Graph's gateway answers with a 502/504. */
  unknownError: 'UnknownError',
} as const;

export const badRequest = (message: string): GraphError => new GraphError(400, ERROR_CODES.badRequest, message);

export const segmentNotFound = (segment: string): GraphError =>
  new GraphError(400, ERROR_CODES.badRequest, `Resource not found for the segment '${segment}'.`);

export const unknownSelectProperty = (property: string, type: string): GraphError =>
  new GraphError(
    400,
    ERROR_CODES.badRequest,
    `Parsing OData Select and Expand failed: Could not find a property named '${property}' on type '${type}'.`,
  );

export function invalidToken(message: string, authorizationUri: string): GraphError {
  return new GraphError(401, ERROR_CODES.invalidAuthenticationToken, message, {
    'WWW-Authenticate': `Bearer realm="", authorization_uri="${authorizationUri}", client_id="00000003-0000-0000-c000-000000000000"`,
  });
}

export const accessDenied = (message = 'Insufficient privileges to complete the operation.'): GraphError =>
  new GraphError(403, ERROR_CODES.authorizationRequestDenied, message);

/** Directory objects (users): Graph's `Request_ResourceNotFound` wording. */
export const resourceNotFound = (id: string): GraphError =>
  new GraphError(
    404,
    ERROR_CODES.resourceNotFound,
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

/** Non-directory items (operations, alerts, incidents). Same body whether the item is missing or not yours. */
export const itemNotFound = (kind: string, id: string): GraphError =>
  new GraphError(404, ERROR_CODES.itemNotFound, `The ${kind} '${id}' was not found.`);

export const methodNotAllowed = (method: string): GraphError =>
  new GraphError(405, ERROR_CODES.methodNotAllowed, `The HTTP method '${method}' is not allowed for the requested resource.`);

/** The resource is in a state that refuses the request (e.g. failing an operation that has ended). */
export const conflict = (message: string): GraphError => new GraphError(409, ERROR_CODES.conflict, message);

/** A request precondition (e.g. `Repeatability-First-Sent` too long ago) no longer holds. */
export const preconditionFailed = (message: string, headers: Record<string, string> = {}): GraphError =>
  new GraphError(412, ERROR_CODES.preconditionFailed, message, headers);

export const serviceNotAvailable = (retryAfterSeconds: number): GraphError =>
  new GraphError(
    503,
    ERROR_CODES.serviceNotAvailable,
    'The service is temporarily unavailable (its database cannot be reached). Retry after the indicated delay.',
    { 'Retry-After': String(retryAfterSeconds) },
  );

/** Graph's throttling answer (https://learn.microsoft.com/graph/throttling), for a limit of this process. */
export const tooManyRequests = (retryAfterSeconds: number, message = 'Please retry again later.'): GraphError =>
  new GraphError(429, ERROR_CODES.tooManyRequests, message, { 'Retry-After': String(retryAfterSeconds) });

export const internalError = (): GraphError => new GraphError(500, ERROR_CODES.generalException, 'An internal server error occurred.');
