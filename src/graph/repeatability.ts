import type { IncomingHttpHeaders } from 'node:http';
import { badRequest, GraphError, preconditionFailed } from './errors.js';

/**
 * The client's retry key of a POST: OASIS Repeatable Requests 1.0 (`Repeatability-Request-ID`,
 * `Repeatability-First-Sent`, as Azure's guidelines adopt it: https://github.com/microsoft/api-guidelines/blob/vNext/azure/Guidelines.md#repeatability-of-requests) or, failing that,
 * Graph's `client-request-id`, which SDK retry handlers resend unchanged on a retry.
 */
export interface RetryKey {
  source: 'repeatability' | 'clientRequestId';
  /** The header's value as sent. */
  value: string;
  /** Source and value in one string: a Repeatability-Request-ID never matches a client-request-id. */
  key: string;
}

/** Response header telling the client its repeatable request was accepted or rejected. */
export const REPEATABILITY_RESULT = 'Repeatability-Result';

/** Same shape Graph's conventions accept for `client-request-id`. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;
/** IMF-fixdate (RFC 7231 §7.1.1.1), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

const rejected = { [REPEATABILITY_RESULT]: 'rejected' };

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  // Node joins repeated headers with ", " or gives an array: either way the client sent two.
  if (Array.isArray(v)) throw badRequest(`The '${name}' header was sent more than once.`);
  return v;
}

/** Parses an IMF-fixdate strictly: the weekday must match the date, as `toUTCString` writes it. */
export function parseImfFixdate(text: string): number | undefined {
  if (!IMF_FIXDATE.test(text)) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || new Date(ms).toUTCString() !== text) return undefined;
  return ms;
}

/**
 * Reads the retry key of a request, or undefined when it has none.
 *
 * - `Repeatability-Request-ID` wins over `client-request-id`. A malformed one is a 400 with
 *   `Repeatability-Result: rejected` (the client asked for repeatability and cannot have it).
 * - `Repeatability-First-Sent` is optional; when sent it must be an IMF-fixdate and come with a
 *   request id (400 otherwise). When it is older than `windowMs` the server can no longer tell a
 *   retry from a new request, so the request is refused with 412, as ACS does.
 * - A `client-request-id` that Graph's conventions would not echo (wrong shape) is no key.
 */
export function readRetryKey(headers: IncomingHttpHeaders, now: number, windowMs: number): RetryKey | undefined {
  const requestId = single(headers, 'repeatability-request-id');
  const firstSent = single(headers, 'repeatability-first-sent');
  if (requestId !== undefined) {
    if (!REQUEST_ID.test(requestId)) {
      throw withHeaders(badRequest("The 'Repeatability-Request-ID' header must be 1 to 128 letters, digits, '_', '.', ':' or '-'."));
    }
    if (firstSent !== undefined) {
      const sentAt = parseImfFixdate(firstSent);
      if (sentAt === undefined) {
        throw withHeaders(
          badRequest("The 'Repeatability-First-Sent' header must be an IMF-fixdate such as 'Sun, 06 Nov 1994 08:49:37 GMT'."),
        );
      }
      if (now - sentAt > windowMs) {
        throw preconditionFailed(
          `The request was first sent more than ${Math.round(windowMs / 60_000)} minutes ago, longer than repeated requests are tracked; send it as a new request with a new Repeatability-Request-ID.`,
          rejected,
        );
      }
    }
    return { source: 'repeatability', value: requestId, key: `repeatability:${requestId}` };
  }
  if (firstSent !== undefined) {
    throw withHeaders(badRequest("The 'Repeatability-First-Sent' header requires a 'Repeatability-Request-ID' header."));
  }
  const clientRequestId = single(headers, 'client-request-id');
  if (clientRequestId !== undefined && REQUEST_ID.test(clientRequestId)) {
    return { source: 'clientRequestId', value: clientRequestId, key: `client-request-id:${clientRequestId}` };
  }
  return undefined;
}

function withHeaders(error: GraphError): GraphError {
  return new GraphError(error.statusCode, error.code, error.message, { ...error.headers, ...rejected });
}
