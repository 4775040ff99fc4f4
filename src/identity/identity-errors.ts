/**
 * What the identity module refuses, in its own terms. The wire that called it maps these to its
 * error shape at the boundary (Graph: `src/graph/conventions.ts`); identity knows no HTTP wire.
 */

/** A bearer token that is missing, malformed, expired or not ours (Graph answers 401). */
export class TokenRejectedError extends Error {
  constructor(
    message: string,
    /** Where a client gets a new token (Graph's `WWW-Authenticate: … authorization_uri`). */
    readonly authorizationUri: string,
  ) {
    super(message);
    this.name = 'TokenRejectedError';
  }
}

/** A valid caller that the policy does not allow (Graph answers 403 Authorization_RequestDenied). */
export class AccessDeniedError extends Error {
  constructor(message = 'Insufficient privileges to complete the operation.') {
    super(message);
    this.name = 'AccessDeniedError';
  }
}
