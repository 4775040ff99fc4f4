/** What a queued background scan carries: the tenant, nothing else. */
import { PermanentOperationError } from '../../operations/handler.js';

export interface AlertScanInput {
  tenantId: string;
}

/** Checks a stored scan input; a malformed one can never succeed, so it fails at once. */
export function readScanInput(raw: unknown): AlertScanInput {
  const tenantId = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).tenantId : undefined;
  if (typeof tenantId !== 'string' || tenantId === '') {
    throw new PermanentOperationError('invalidOperationInput', `The queued scan has no valid 'tenantId'.`);
  }
  return { tenantId };
}
