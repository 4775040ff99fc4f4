import { validatePathGlob } from '../faults/path-glob.js';
import { RuleValidationError } from './rule-error.js';
import { appIdAt, integerAt, objectAt, onlyKnown } from './rule-fields.js';

export const MAX_THROTTLE_REQUESTS = 1_000_000;
export const MAX_THROTTLE_SECONDS = 86_400;

/**
 * A `throttle` rule (docs/controls-http.md): a token bucket per (tenant, app) that lets
 * `requests` requests through per `perSeconds` seconds on matching paths; beyond it, 429
 * `TooManyRequests` with `Retry-After`, as Graph's identity throttling does.
 */
export type ThrottleRule = {
  type: 'throttle';
  times?: number;
  match: { path: string; appId?: string };
  requests: number;
  perSeconds: number;
};

/** Validates a `throttle` rule body; throws RuleValidationError naming the bad field. */
export function parseThrottleRule(body: Record<string, unknown>): ThrottleRule {
  onlyKnown(body, ['type', 'times', 'match', 'requests', 'perSeconds'], '');
  if (body.match === undefined) throw new RuleValidationError('match', 'is required');
  const match = objectAt(body.match, 'match');
  onlyKnown(match, ['path', 'appId'], 'match.');
  if (match.path === undefined) throw new RuleValidationError('match.path', 'is required');
  if (body.requests === undefined) throw new RuleValidationError('requests', 'is required');
  if (body.perSeconds === undefined) throw new RuleValidationError('perSeconds', 'is required');
  const rule: ThrottleRule = {
    type: 'throttle',
    match: { path: validatePathGlob(match.path, 'match.path') },
    requests: integerAt(body.requests, 'requests', 1, MAX_THROTTLE_REQUESTS),
    perSeconds: integerAt(body.perSeconds, 'perSeconds', 1, MAX_THROTTLE_SECONDS),
  };
  if (body.times !== undefined) rule.times = body.times as number;
  if (match.appId !== undefined) rule.match.appId = appIdAt(match.appId, 'match.appId');
  return rule;
}
