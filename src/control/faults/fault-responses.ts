import { ERROR_CODES } from '../../graph/errors.js';
import { EntraError, entraErrorBody } from '../../identity/entra-errors.js';
import { toErrorDate } from '../../shared/timestamps.js';
import type { FaultStatus } from '../rules/http-rule.js';

/** An answer the hook sends instead of the route's: status, headers and a JSON body. */
export interface FaultAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface AnswerContext {
  now: number;
  requestId: string;
  clientRequestId: string;
}

/**
 * Graph's code and message for each status a rule may answer with (docs/controls-http.md):
 * 429 as on https://learn.microsoft.com/graph/throttling; 500/503 with the codes of
 * https://learn.microsoft.com/graph/errors; 502/504 as Graph's gateway answers them in the
 * wild (`UnknownError` with an empty message).
 */
const GRAPH_FAULTS: Record<FaultStatus, { code: string; message: string }> = {
  429: { code: ERROR_CODES.tooManyRequests, message: 'Please retry again later.' },
  500: { code: ERROR_CODES.generalException, message: 'An unspecified error has occurred.' },
  502: { code: ERROR_CODES.unknownError, message: '' },
  503: { code: ERROR_CODES.serviceNotAvailable, message: 'The service is not available. Try the request again after a delay.' },
  504: { code: ERROR_CODES.unknownError, message: '' },
};

/** A Graph request's fault, in Graph's error envelope; `Retry-After` only when given. */
export function graphFault(
  status: FaultStatus,
  retryAfterSeconds: number | undefined,
  ctx: AnswerContext,
  extraHeaders: Record<string, string> = {},
): FaultAnswer {
  const { code, message } = GRAPH_FAULTS[status];
  const date = toErrorDate(ctx.now);
  const ids = { 'request-id': ctx.requestId, 'client-request-id': ctx.clientRequestId };
  // Graph's documented 429 carries the status inside innerError too.
  const innerError = status === 429 ? { code: '429', date, message: 'Please retry after', ...ids, status: '429' } : { date, ...ids };
  const headers: Record<string, string> = { 'content-type': 'application/json', ...extraHeaders };
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  return { status, headers, body: { error: { code, message, innerError } } };
}

/**
 * A token request's fault, in Entra's error shape (the login authority never answers with
 * Graph's envelope): RFC 6749's `temporarily_unavailable`, or `server_error` for a 500, with
 * AADSTS90033 ("A transient error has occurred").
 */
export function entraFault(
  status: FaultStatus,
  retryAfterSeconds: number | undefined,
  ctx: AnswerContext & { publicUrl: string },
): FaultAnswer {
  const error = new EntraError(
    400,
    status === 500 ? 'server_error' : 'temporarily_unavailable',
    90033,
    'A transient error has occurred. Please try again.',
  );
  const body = entraErrorBody(error, {
    now: ctx.now,
    traceId: ctx.requestId,
    correlationId: ctx.clientRequestId,
    publicUrl: ctx.publicUrl,
  });
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  return { status, headers, body };
}
