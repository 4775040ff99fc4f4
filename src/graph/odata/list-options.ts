import type { OperationStatus } from '../../operations/model.js';
import { badRequest } from '../errors.js';

export interface OperationListOptions {
  top: number;
  skip: number;
  status: OperationStatus | undefined;
  count: boolean;
}

const MAX_TOP = 999;
const DEFAULT_TOP = 100;
const STATUSES: OperationStatus[] = ['notStarted', 'running', 'succeeded', 'failed'];

/** Reads a query option given with or without `$`. */
export function queryOption(query: Record<string, unknown>, name: string): string | undefined {
  const a = query[`$${name}`];
  const b = query[name];
  if (a !== undefined && b !== undefined) throw badRequest(`Query option '${name}' was specified more than once.`);
  const v = a ?? b;
  if (v !== undefined && typeof v !== 'string') throw badRequest(`Query option '$${name}' was specified more than once.`);
  return v;
}

function nonNegativeInt(name: string, raw: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw badRequest(`Invalid value '${raw}' for query option '$${name}': expected a non-negative integer.`);
  const n = Number(raw);
  if (n > max) throw badRequest(`Invalid value '${raw}' for query option '$${name}': the maximum is ${max}.`);
  return n;
}

/** `$top`, `$skip`, `$count` and `$filter=status eq '…'` for operation collections. */
export function parseOperationListOptions(query: Record<string, unknown>): OperationListOptions {
  const top = nonNegativeInt('top', queryOption(query, 'top'), DEFAULT_TOP, MAX_TOP);
  const skip = nonNegativeInt('skip', queryOption(query, 'skip'), 0);
  const countRaw = queryOption(query, 'count');
  if (countRaw !== undefined && countRaw !== 'true' && countRaw !== 'false') {
    throw badRequest(`Invalid value '${countRaw}' for query option '$count': expected true or false.`);
  }
  const filter = queryOption(query, 'filter');
  let status: OperationStatus | undefined;
  if (filter !== undefined) {
    const m = /^\s*status\s+eq\s+'([^']*)'\s*$/.exec(filter);
    if (!m) throw badRequest(`Invalid filter clause '${filter}': only "status eq '<status>'" is supported on operations.`);
    const value = m[1]!;
    if (!STATUSES.includes(value as OperationStatus)) {
      throw badRequest(`Invalid filter clause: '${value}' is not a longRunningOperationStatus (${STATUSES.join(', ')}).`);
    }
    status = value as OperationStatus;
  }
  return { top, skip, status, count: countRaw === 'true' };
}
