/**
 * What a queued alert refresh carries. The route knows the public URL; the handler does not,
 * so the URL the operation will report (`resourceLocation`) travels in the input.
 */
import { PermanentOperationError } from '../../operations/handler.js';
import { isAlertType } from '../alert-types.js';
import type { AlertType } from '../alert-types.js';

/** Input of an `alertRefresh` operation (one alert). */
export interface AlertRefreshInput {
  tenantId: string;
  alertType: AlertType;
  /** The alert's absolute URL, reported once the operation has succeeded. */
  resourceLocation: string;
}

/** Input of an `alertRefreshAll` operation (all seven alerts of a tenant). */
export interface AlertRefreshAllInput {
  tenantId: string;
  /** The absolute URL of the tenant's alerts collection, reported once it has succeeded. */
  resourceLocation: string;
}

/** Checks a stored refresh input; a malformed one can never succeed, so it fails at once. */
export function readRefreshInput(raw: unknown): AlertRefreshInput {
  const input = readRefreshAllInput(raw);
  const alertType = (raw as { alertType?: unknown }).alertType;
  if (!isAlertType(alertType)) throw malformed('alertType');
  return { ...input, alertType };
}

/** Checks a stored refresh-all input. */
export function readRefreshAllInput(raw: unknown): AlertRefreshAllInput {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (typeof r.tenantId !== 'string' || r.tenantId === '') throw malformed('tenantId');
  if (typeof r.resourceLocation !== 'string') throw malformed('resourceLocation');
  return { tenantId: r.tenantId, resourceLocation: r.resourceLocation };
}

function malformed(property: string): PermanentOperationError {
  return new PermanentOperationError('invalidOperationInput', `The queued refresh has no valid '${property}'.`);
}
