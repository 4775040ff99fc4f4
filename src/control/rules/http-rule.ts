import { validatePathGlob } from '../faults/path-glob.js';
import { RuleValidationError } from './rule-error.js';
import { appIdAt, integerAt, objectAt, onlyKnown, stringAt } from './rule-fields.js';

/** The statuses an `http` rule may answer with: Graph's throttling and transient server errors. */
export const FAULT_STATUSES = [429, 500, 502, 503, 504] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export const MAX_LATENCY_MS = 60_000;
export const MAX_RETRY_AFTER_SECONDS = 3600;

/**
 * A `http` rule (docs/controls-http.md): requests to Graph or the token endpoint that match
 * `method` and `path` (and, when given, the caller's app or user) are answered with
 * `respond.status` in Graph's error envelope, after `latencyMs`; without `respond` they pass
 * through after `latencyMs`.
 */
export type HttpRule = {
  type: 'http';
  times?: number;
  match: { method: (typeof METHODS)[number]; path: string; appId?: string; user?: string };
  probability: number;
  respond?: { status: FaultStatus; retryAfterSeconds?: number };
  latencyMs?: number;
};

/** Validates a `http` rule body; throws RuleValidationError naming the bad field. */
export function parseHttpRule(body: Record<string, unknown>): HttpRule {
  onlyKnown(body, ['type', 'times', 'match', 'probability', 'respond', 'latencyMs'], '');
  if (body.match === undefined) throw new RuleValidationError('match', 'is required');
  const match = objectAt(body.match, 'match');
  onlyKnown(match, ['method', 'path', 'appId', 'user'], 'match.');
  if (match.method === undefined) throw new RuleValidationError('match.method', `is required; one of ${METHODS.join(', ')}`);
  const method = typeof match.method === 'string' ? match.method.toUpperCase() : '';
  if (!(METHODS as readonly string[]).includes(method))
    throw new RuleValidationError('match.method', `must be one of ${METHODS.join(', ')}`);
  if (match.path === undefined) throw new RuleValidationError('match.path', 'is required');
  const rule: HttpRule = {
    type: 'http',
    match: { method: method as HttpRule['match']['method'], path: validatePathGlob(match.path, 'match.path') },
    probability: 1,
  };
  if (body.times !== undefined) rule.times = body.times as number;
  if (match.appId !== undefined) rule.match.appId = appIdAt(match.appId, 'match.appId');
  if (match.user !== undefined) {
    const user = stringAt(match.user, 'match.user', 256);
    if (!user.includes('@')) throw new RuleValidationError('match.user', 'must be a user principal name (name@domain)');
    rule.match.user = user.toLowerCase();
  }
  if (body.probability !== undefined) {
    const p = body.probability;
    if (typeof p !== 'number' || !Number.isFinite(p) || p < 0 || p > 1)
      throw new RuleValidationError('probability', 'must be a number from 0 to 1');
    rule.probability = p;
  }
  if (body.respond !== undefined) {
    const respond = objectAt(body.respond, 'respond');
    onlyKnown(respond, ['status', 'retryAfterSeconds'], 'respond.');
    if (!(FAULT_STATUSES as readonly unknown[]).includes(respond.status)) {
      throw new RuleValidationError('respond.status', `must be one of ${FAULT_STATUSES.join(', ')}`);
    }
    rule.respond = { status: respond.status as FaultStatus };
    if (respond.retryAfterSeconds !== undefined) {
      rule.respond.retryAfterSeconds = integerAt(respond.retryAfterSeconds, 'respond.retryAfterSeconds', 0, MAX_RETRY_AFTER_SECONDS);
    }
  }
  if (body.latencyMs !== undefined) rule.latencyMs = integerAt(body.latencyMs, 'latencyMs', 0, MAX_LATENCY_MS);
  if (!rule.respond && !rule.latencyMs) {
    throw new RuleValidationError('respond', 'is required unless latencyMs is greater than 0 (the rule would change nothing)');
  }
  return rule;
}
