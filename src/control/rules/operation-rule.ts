import { RuleValidationError } from './rule-error.js';

export const OPERATION_RULE_KINDS = ['passwordReset', 'alertRefresh', 'alertRefreshAll'] as const;
export type OperationRuleKind = (typeof OPERATION_RULE_KINDS)[number];

export type OperationRuleOutcome = { status: 'succeeded' } | { status: 'failed'; code: string; detail: string } | { status: 'stuck' };

/** An `operation` rule (docs/controls.md), with every default applied. */
export type OperationRule = {
  match: { kind: OperationRuleKind; target?: string };
  timeline: { notStartedSeconds: number; runningSeconds: number };
  outcome: OperationRuleOutcome;
  effectLagSeconds: number;
};

/** Longest phase a rule may ask for: a year, far beyond any test, short of overflowing a timestamp. */
const MAX_SECONDS = 365 * 24 * 3600;
const TOP_LEVEL = ['type', 'times', 'match', 'timeline', 'outcome', 'effectLagSeconds'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function objectAt(value: unknown, field: string, keys: readonly string[], required: boolean): Record<string, unknown> | undefined {
  if (value === undefined && !required) return undefined;
  if (!isObject(value)) throw new RuleValidationError(field, `must be an object with ${keys.join(', ')}`);
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) throw new RuleValidationError(`${field}.${key}`, `is not a field of ${field}; expected ${keys.join(', ')}`);
  }
  return value;
}

function seconds(value: unknown, field: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_SECONDS) {
    throw new RuleValidationError(field, `must be a number of seconds from 0 to ${MAX_SECONDS}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 1000) {
    throw new RuleValidationError(field, `must be a non-empty string (at most 1000 characters), got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Reads an `operation` rule body (the whole rule as sent; `type` and `times` are checked by the
 * caller). Throws RuleValidationError naming the bad field (`timeline.runningSeconds`).
 */
export function readOperationRule(body: Record<string, unknown>): OperationRule {
  for (const key of Object.keys(body)) {
    if (!TOP_LEVEL.includes(key))
      throw new RuleValidationError(key, `is not a field of an operation rule; expected ${TOP_LEVEL.join(', ')}`);
  }
  const match = objectAt(body.match, 'match', ['kind', 'target'], true)!;
  if (typeof match.kind !== 'string' || !(OPERATION_RULE_KINDS as readonly string[]).includes(match.kind)) {
    throw new RuleValidationError('match.kind', `must be one of ${OPERATION_RULE_KINDS.join(', ')}, got ${JSON.stringify(match.kind)}`);
  }
  const kind = match.kind as OperationRuleKind;
  let target: string | undefined;
  if (match.target !== undefined) {
    if (kind === 'alertRefreshAll')
      throw new RuleValidationError('match.target', 'is not allowed for alertRefreshAll (it refreshes every alert of the tenant)');
    target = text(match.target, 'match.target');
  }
  const timeline = objectAt(body.timeline, 'timeline', ['notStartedSeconds', 'runningSeconds'], false) ?? {};
  const rawOutcome = objectAt(body.outcome, 'outcome', ['status', 'code', 'detail'], false) ?? { status: 'succeeded' };
  let outcome: OperationRuleOutcome;
  switch (rawOutcome.status) {
    case 'succeeded':
    case 'stuck':
      for (const key of ['code', 'detail']) {
        if (rawOutcome[key] !== undefined) throw new RuleValidationError(`outcome.${key}`, `is only allowed with outcome.status failed`);
      }
      outcome = { status: rawOutcome.status };
      break;
    case 'failed':
      outcome = { status: 'failed', code: text(rawOutcome.code, 'outcome.code'), detail: text(rawOutcome.detail, 'outcome.detail') };
      break;
    default:
      throw new RuleValidationError('outcome.status', `must be one of succeeded, failed, stuck, got ${JSON.stringify(rawOutcome.status)}`);
  }
  const effectLagSeconds = seconds(body.effectLagSeconds, 'effectLagSeconds');
  if (effectLagSeconds > 0 && outcome.status === 'failed') {
    throw new RuleValidationError(
      'effectLagSeconds',
      'applies only when the operation succeeds (outcome.status succeeded or stuck); a failed outcome has no effect',
    );
  }
  return {
    match: target === undefined ? { kind } : { kind, target },
    timeline: {
      notStartedSeconds: seconds(timeline.notStartedSeconds, 'timeline.notStartedSeconds'),
      runningSeconds: seconds(timeline.runningSeconds, 'timeline.runningSeconds'),
    },
    outcome,
    effectLagSeconds,
  };
}

/** Validates an `operation` rule body; throws RuleValidationError naming the bad field. Stored as sent. */
export function parseOperationRule(body: Record<string, unknown>): Record<string, unknown> {
  readOperationRule(body);
  return body;
}
