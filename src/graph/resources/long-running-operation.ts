import type { OperationRecord } from '../../operations/model.js';
import { toGraphTimestamp } from '../../shared/timestamps.js';

/** Properties of microsoft.graph.longRunningOperation, in the order Graph writes them. */
export const OPERATION_PROPERTIES = ['id', 'createdDateTime', 'lastActionDateTime', 'resourceLocation', 'status', 'statusDetail'] as const;

export const OPERATION_TYPE = 'microsoft.graph.longRunningOperation';

/** Seconds a client should wait before polling a non-terminal operation again. */
export const POLL_AFTER_SECONDS = 1;

export function toWireOperation(op: OperationRecord): Record<string, unknown> {
  return {
    id: op.id,
    createdDateTime: toGraphTimestamp(op.createdAt),
    lastActionDateTime: toGraphTimestamp(op.lastActionAt),
    resourceLocation: op.resourceLocation,
    status: op.status,
    statusDetail: op.statusDetail,
  };
}
