/**
 * Value rules for the settings of alert configurations. The ranges are the ones the Entra
 * portal offers (https://learn.microsoft.com/entra/id-governance/privileged-identity-management/pim-how-to-configure-security-alerts); Graph itself documents none.
 */
import type { AlertType } from './alert-types.js';
import { MS_PER_DAY, formatIsoDuration, parseIsoDuration } from './duration.js';

/** A property a client may set on an alert configuration. */
export type UpdatableProperty =
  | 'isEnabled'
  | 'duration'
  | 'timeIntervalBetweenActivations'
  | 'sequentialActivationCounterThreshold'
  | 'globalAdminCountThreshold'
  | 'percentageOfGlobalAdminsOutOfRolesThreshold';

/** One problem with a configuration body: which property, and what is wrong with it. */
export interface ConfigurationError {
  /** Property name relative to the body; `''` for the body itself. */
  property: string;
  message: string;
}

/** Where a value comes from: the Graph PATCH is a little more lenient than our own fixture. */
export type ValueOrigin = 'patch' | 'fixture';

export type ValueCheck = { ok: true; value: boolean | string | number } | { ok: false; message: string };

const DURATION_DAYS: { readonly [T in AlertType]?: { min: number; max: number } } = {
  StaleSignInAlert: { min: 1, max: 365 },
  RedundantAssignmentAlert: { min: 0, max: 100 },
};

const INTEGER_RANGES = {
  sequentialActivationCounterThreshold: { min: 2, max: 100 },
  globalAdminCountThreshold: { min: 2, max: 100 },
  percentageOfGlobalAdminsOutOfRolesThreshold: { min: 0, max: 100 },
} as const;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks one value; durations come back in canonical form (`PT720H` → `P30D`). */
export function checkUpdatableValue(type: AlertType, property: UpdatableProperty, value: unknown, origin: ValueOrigin): ValueCheck {
  switch (property) {
    case 'isEnabled':
      return checkBoolean(value, origin);
    case 'duration':
      return checkDayDuration(type, value);
    case 'timeIntervalBetweenActivations':
      return checkPositiveDuration(value);
    case 'sequentialActivationCounterThreshold':
    case 'globalAdminCountThreshold':
    case 'percentageOfGlobalAdminsOutOfRolesThreshold':
      return checkInteger(value, INTEGER_RANGES[property]);
  }
}

/**
 * Graph's own update example sends `"isEnabled": "true"`, so PATCH accepts the strings
 * "true"/"false" (any case) as .NET's JSON readers do; the fixture wants a real boolean.
 */
function checkBoolean(value: unknown, origin: ValueOrigin): ValueCheck {
  if (typeof value === 'boolean') return { ok: true, value };
  if (origin === 'patch' && typeof value === 'string') {
    const lowered = value.toLowerCase();
    if (lowered === 'true' || lowered === 'false') return { ok: true, value: lowered === 'true' };
  }
  return { ok: false, message: `must be a boolean (true or false); got ${describe(value)}.` };
}

function checkDayDuration(type: AlertType, value: unknown): ValueCheck {
  const parsed = parseDurationValue(value);
  if (!parsed.ok) return parsed;
  const range = DURATION_DAYS[type];
  if (range !== undefined && (parsed.ms < range.min * MS_PER_DAY || parsed.ms > range.max * MS_PER_DAY)) {
    return {
      ok: false,
      message: `must be between P${range.min}D and P${range.max}D (${range.min} to ${range.max} days); got '${String(value)}'.`,
    };
  }
  return { ok: true, value: formatIsoDuration(parsed.ms) };
}

function checkPositiveDuration(value: unknown): ValueCheck {
  const parsed = parseDurationValue(value);
  if (!parsed.ok) return parsed;
  if (parsed.ms <= 0) return { ok: false, message: `must be longer than zero; got '${String(value)}'.` };
  return { ok: true, value: formatIsoDuration(parsed.ms) };
}

function parseDurationValue(value: unknown): { ok: true; ms: number } | { ok: false; message: string } {
  if (typeof value !== 'string') {
    return { ok: false, message: `must be an ISO 8601 duration string such as 'P30D'; got ${describe(value)}.` };
  }
  return parseIsoDuration(value);
}

function checkInteger(value: unknown, range: { min: number; max: number }): ValueCheck {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return { ok: false, message: `must be an integer; got ${describe(value)}.` };
  }
  if (value < range.min || value > range.max) {
    return { ok: false, message: `must be between ${range.min} and ${range.max}; got ${value}.` };
  }
  return { ok: true, value };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string '${value}'`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects returned above: only primitives reach String()
  return `${typeof value} ${String(value)}`;
}
