import type { OperationRecord } from '../../operations/model.js';
import { toGraphTimestamp } from '../../shared/timestamps.js';

/** Properties of microsoft.graph.longRunningOperation, in the order Graph writes them. */
export const OPERATION_PROPERTIES = ['id', 'createdDateTime', 'lastActionDateTime', 'resourceLocation', 'status', 'statusDetail'] as const;

export const OPERATION_TYPE = 'microsoft.graph.longRunningOperation';

/** Seconds a client should wait before polling a non-terminal operation again. */
export const POLL_AFTER_SECONDS = 1;

/**
 * The wire shape. A `failed` operation also carries `error: {code, message}` (Azure's status
 * monitor shape, richLongRunningOperation's `error`): @azure/core-lro reads its failure reason
 * only from there, and the Graph SDKs keep the unknown property in `additionalData`
 * (docs/compatibility.md). `$select` can leave it out; it is never selectable by name.
 */
export function toWireOperation(op: OperationRecord): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    id: op.id,
    createdDateTime: toGraphTimestamp(op.createdAt),
    lastActionDateTime: toGraphTimestamp(op.lastActionAt),
    resourceLocation: op.resourceLocation,
    status: op.status,
    statusDetail: op.statusDetail,
  };
  if (op.status === 'failed') wire.error = { code: op.errorCode ?? 'failed', message: op.statusDetail || 'The operation failed.' };
  return wire;
}
