import type { Extensions } from '../../extensions.js';
import type { OperationRecord } from '../../operations/model.js';

/** The fields of an operation its wire shape reads. */
export type WireOperation = Pick<
  OperationRecord,
  'id' | 'createdAt' | 'lastActionAt' | 'resourceLocation' | 'status' | 'statusDetail' | 'errorCode'
>;
import { toGraphTimestamp } from '../../shared/timestamps.js';

/** Properties of microsoft.graph.longRunningOperation, in the order Graph writes them. */
export const OPERATION_PROPERTIES = ['id', 'createdDateTime', 'lastActionDateTime', 'resourceLocation', 'status', 'statusDetail'] as const;

export const OPERATION_TYPE = 'microsoft.graph.longRunningOperation';

/** Seconds a client should wait before polling a non-terminal operation again. */
export const POLL_AFTER_SECONDS = 1;

/** How operations are written on the wire: the selectable properties and the body. */
export interface OperationShape {
  properties: readonly string[];
  toWire(op: WireOperation): Record<string, unknown>;
}

/**
 * Graph's shape by default: exactly the longRunningOperation properties. With the `azure-lro`
 * extension a `failed` operation also carries `error: {code, message}` (Azure's status-monitor
 * shape, richLongRunningOperation's `error`), and `$select=error` is allowed: @azure/core-lro
 * reads its failure reason only from there (docs/extensions.md, docs/compatibility.md).
 */
export function operationShape(extensions: Pick<Extensions, 'azureLro'>): OperationShape {
  const properties: readonly string[] = extensions.azureLro ? [...OPERATION_PROPERTIES, 'error'] : OPERATION_PROPERTIES;
  return {
    properties,
    toWire(op) {
      const wire: Record<string, unknown> = {
        id: op.id,
        createdDateTime: toGraphTimestamp(op.createdAt),
        lastActionDateTime: toGraphTimestamp(op.lastActionAt),
        resourceLocation: op.resourceLocation,
        status: op.status,
        statusDetail: op.statusDetail,
      };
      if (extensions.azureLro && op.status === 'failed') {
        wire.error = { code: op.errorCode ?? 'failed', message: op.statusDetail || 'The operation failed.' };
      }
      return wire;
    },
  };
}
