import { createHash, timingSafeEqual } from 'node:crypto';
import { GraphError, ERROR_CODES } from '../graph/errors.js';

/**
 * Whether `authorization` is `Bearer <expected>`. Both sides are hashed to equal lengths first,
 * then compared in constant time, so neither the token nor its length leaks through timing.
 */
export function bearerMatches(authorization: string | undefined, expected: string): boolean {
  const m = /^Bearer +(\S+) *$/i.exec(authorization ?? '');
  const given = createHash('sha256')
    .update(m?.[1] ?? '')
    .digest();
  const wanted = createHash('sha256').update(expected).digest();
  return timingSafeEqual(given, wanted) && m !== null;
}

/** `/metrics` without the right token (`--metrics-token`): 401 in Graph's envelope, with a Bearer challenge. */
export const metricsTokenRequired = (): GraphError =>
  new GraphError(401, ERROR_CODES.invalidAuthenticationToken, 'The metrics endpoint requires the bearer token set with --metrics-token.', {
    'WWW-Authenticate': 'Bearer realm="longrun-metrics"',
  });
