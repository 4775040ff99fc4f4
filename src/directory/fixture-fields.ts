/**
 * Field readers for fixture validation. Each reader checks one field, records a `FixtureError`
 * naming its path when the field is wrong, and returns the normalised value, or `undefined`
 * when the field is unusable. Readers never throw, so one pass reports every bad field.
 */
import { isGuid } from '../shared/ids.js';
import { parseIsoTimestamp } from '../shared/timestamps.js';
import type { FixtureError } from './fixture.js';

/** A JSON object read from the fixture. */
export type JsonObject = Record<string, unknown>;

/** Where the fields of one object live: `users[3]`, `tenant`, or `` for the root. */
export type FieldPath = string;

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
/** Characters Entra accepts in a UPN's local part; `#` is there for guests' `#EXT#`. */
const UPN_LOCAL = /^[A-Za-z0-9'._%+!#^~&{}|$=-]+$/;
const PERMISSION = /^[A-Za-z]+(\.[A-Za-z]+)+$/;
const LICENSE_SKU = /^[A-Za-z0-9_]+$/;

export const GUID_EXAMPLE = 'a GUID like 6f1f7c3e-8d2a-4b8e-9c1d-2e3f4a5b6c7d';
export const DATE_TIME_EXAMPLE = 'an ISO 8601 date-time with a zone, like 2026-03-01T09:30:00Z';

export function fieldPath(base: FieldPath, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

export function itemPath(base: string, index: number): string {
  return `${base}[${index}]`;
}

/** A short, safe rendering of what was found, for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'object') return 'an object';
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects returned above: only primitives reach String()
  return `${typeof value} ${String(value)}`;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function looksLikeDomain(value: string): boolean {
  return DOMAIN.test(value);
}

export function looksLikeUserPrincipalName(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at <= 0) return false;
  const local = value.slice(0, at);
  const dotsInside = !local.startsWith('.') && !local.endsWith('.');
  return UPN_LOCAL.test(local) && dotsInside && looksLikeDomain(value.slice(at + 1));
}

/** Parses an ISO 8601 date-time, refusing impossible calendar dates that `Date.parse` rolls over. */
export function parseFixtureDateTime(text: string): number | undefined {
  const ms = parseIsoTimestamp(text);
  const ymd = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (ms === undefined || ymd === null) return undefined;
  const [year, month, day] = [Number(ymd[1]), Number(ymd[2]), Number(ymd[3])];
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const real = calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
  return real ? ms : undefined;
}

/** Collects errors while reading fields of one fixture. */
export class FixtureFieldReader {
  readonly errors: FixtureError[] = [];

  report(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  /** The value at `path` as an object whose keys are all in `allowedKeys` (typos must not pass). */
  object(value: unknown, path: string, allowedKeys: readonly string[] | 'any keys'): JsonObject | undefined {
    if (!isJsonObject(value)) {
      this.report(path || '(root)', `must be an object; got ${describeValue(value)}`);
      return undefined;
    }
    if (allowedKeys === 'any keys') return value;
    for (const key of Object.keys(value)) {
      if (!allowedKeys.includes(key)) {
        this.report(fieldPath(path, key), `is not a known property; expected one of: ${allowedKeys.join(', ')}`);
      }
    }
    return value;
  }

  /** The array at `object[key]`; absent or null reads as empty (contract: omitted arrays are empty). */
  array(object: JsonObject, key: string, base: FieldPath): unknown[] | undefined {
    const value = object[key];
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value as unknown[];
    this.report(fieldPath(base, key), `must be an array; got ${describeValue(value)}`);
    return undefined;
  }

  /** A required string with visible content. */
  text(object: JsonObject, key: string, base: FieldPath, expected = 'a non-empty string'): string | undefined {
    const value = object[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
    this.reportMissingOr(object, key, base, expected);
    return undefined;
  }

  /** An optional string: null when absent or null, undefined when present but not a non-empty string. */
  optionalText(object: JsonObject, key: string, base: FieldPath): string | null | undefined {
    const value = object[key];
    if (value === undefined || value === null) return null;
    if (typeof value === 'string' && value !== '') return value;
    this.report(fieldPath(base, key), `must be a non-empty string when present; got ${describeValue(value)}`);
    return undefined;
  }

  /** A required GUID, lower-cased so ids compare as Graph compares them. */
  guid(object: JsonObject, key: string, base: FieldPath): string | undefined {
    const value = object[key];
    if (typeof value === 'string' && isGuid(value)) return value.toLowerCase();
    this.reportMissingOr(object, key, base, GUID_EXAMPLE);
    return undefined;
  }

  domain(object: JsonObject, key: string, base: FieldPath): string | undefined {
    const value = object[key];
    if (typeof value === 'string' && looksLikeDomain(value)) return value;
    this.reportMissingOr(object, key, base, 'a domain name like contoso.onmicrosoft.com');
    return undefined;
  }

  userPrincipalName(object: JsonObject, key: string, base: FieldPath): string | undefined {
    const value = object[key];
    if (typeof value === 'string' && looksLikeUserPrincipalName(value)) return value;
    this.reportMissingOr(object, key, base, 'a user principal name local@domain, like alex@contoso.onmicrosoft.com');
    return undefined;
  }

  /** A boolean, or `fallback` when absent. */
  boolean(object: JsonObject, key: string, base: FieldPath, fallback?: boolean): boolean | undefined {
    const value = object[key];
    if (typeof value === 'boolean') return value;
    if (value === undefined && fallback !== undefined) return fallback;
    this.reportMissingOr(object, key, base, 'true or false');
    return undefined;
  }

  /** One of `allowed`, or `fallback` when absent. */
  oneOf<T extends string>(object: JsonObject, key: string, base: FieldPath, allowed: readonly T[], fallback?: T): T | undefined {
    const value = object[key];
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    if (value === undefined && fallback !== undefined) return fallback;
    this.reportMissingOr(object, key, base, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
    return undefined;
  }

  /** A required ISO 8601 date-time, as epoch ms. */
  dateTime(object: JsonObject, key: string, base: FieldPath): number | undefined {
    const value = object[key];
    const ms = typeof value === 'string' ? parseFixtureDateTime(value) : undefined;
    if (ms !== undefined) return ms;
    this.reportMissingOr(object, key, base, DATE_TIME_EXAMPLE);
    return undefined;
  }

  /** An ISO 8601 date-time or null; absent reads as null. */
  nullableDateTime(object: JsonObject, key: string, base: FieldPath): number | null | undefined {
    const value = object[key];
    if (value === undefined || value === null) return null;
    const ms = typeof value === 'string' ? parseFixtureDateTime(value) : undefined;
    if (ms !== undefined) return ms;
    this.report(fieldPath(base, key), `must be ${DATE_TIME_EXAMPLE}, or null; got ${describeValue(value)}`);
    return undefined;
  }

  /** An array of permission names such as `User.Read.All`; absent reads as empty. */
  permissions(object: JsonObject, key: string, base: FieldPath): string[] | undefined {
    return this.stringList(object, key, base, PERMISSION, 'a permission name like User.Read.All');
  }

  /** An array of licence SKU part numbers such as `AAD_PREMIUM_P2`; absent reads as empty. */
  licenses(object: JsonObject, key: string, base: FieldPath): string[] | undefined {
    return this.stringList(object, key, base, LICENSE_SKU, 'a licence SKU part number like AAD_PREMIUM_P2');
  }

  private stringList(object: JsonObject, key: string, base: FieldPath, pattern: RegExp, expected: string): string[] | undefined {
    const items = this.array(object, key, base);
    if (items === undefined) return undefined;
    const before = this.errors.length;
    items.forEach((item, index) => {
      if (typeof item !== 'string' || !pattern.test(item)) {
        this.report(itemPath(fieldPath(base, key), index), `must be ${expected}; got ${describeValue(item)}`);
      }
    });
    return this.errors.length === before ? (items as string[]) : undefined;
  }

  private reportMissingOr(object: JsonObject, key: string, base: FieldPath, expected: string): void {
    const value = object[key];
    const message = value === undefined ? `is required: ${expected}` : `must be ${expected}; got ${describeValue(value)}`;
    this.report(fieldPath(base, key), message);
  }
}

/** Returns the draft as a complete value when none of its fields is `undefined` (unreadable). */
export function completed<T extends object>(draft: { [K in keyof T]-?: T[K] | undefined }): T | undefined {
  return Object.values(draft).every((value) => value !== undefined) ? (draft as T) : undefined;
}
