/**
 * Queues one notification delivery per active subscription that watches an operation, in the
 * transaction that writes the operation's terminal status (a TerminalHook), so no terminal status
 * is ever without its notifications and none is queued for a status that rolled back.
 */
import { INTERNAL_OPERATION_KINDS, OPERATION_KINDS } from '../operations/kinds.js';
import type { TerminalHook } from '../operations/handler.js';
import type { OperationRecord } from '../operations/model.js';
import type { Repositories } from '../storage/store.js';
import type { SubscriptionResourceKind } from '../storage/subscriptions-repository.js';
import type { NotificationDeliveryInput } from './notification.js';
import { ALERT_OPERATIONS_RESOURCE } from './subscription-request.js';

/** Attempts are bounded by the retry window (see the delivery handler); this is only a backstop. */
export const DELIVERY_MAX_ATTEMPTS = 1000;

/** Which subscriptions can hear of an operation, and the operation's path; undefined for kinds nobody subscribes to. */
function watchedAs(op: OperationRecord): { kind: SubscriptionResourceKind; targetUserId: string | null; resource: string } | undefined {
  switch (op.kind) {
    case OPERATION_KINDS.alertRefresh:
    case OPERATION_KINDS.alertRefreshAll:
      return { kind: 'alertOperations', targetUserId: null, resource: `${ALERT_OPERATIONS_RESOURCE}/${op.id}` };
    case OPERATION_KINDS.passwordReset:
      return {
        kind: 'authenticationOperations',
        targetUserId: op.targetId,
        resource: `users/${op.targetId}/authentication/operations/${op.id}`,
      };
    default:
      return undefined;
  }
}

/** One delivery per subscription and run of an operation (a run reaches its terminal status once). */
export const deliveryId = (subscriptionId: string, op: Pick<OperationRecord, 'id' | 'run'>): string =>
  `notify:${subscriptionId}:${op.run}:${op.id}`;

export const queueNotifications: TerminalHook = async (tx: Repositories, op: OperationRecord) => {
  if (op.status !== 'succeeded' && op.status !== 'failed') return;
  const watched = watchedAs(op);
  if (!watched) return;
  const now = op.finishedAt ?? op.lastActionAt;
  // Expiry is in the tenant's time, like everything a client sees of its tenant.
  const tenantNow = now + (await tx.tenantClocks.offsetMs(op.tenantId));
  const subscriptions = await tx.subscriptions.activeFor(op.tenantId, watched.kind, watched.targetUserId, tenantNow);
  for (const s of subscriptions) {
    const input: NotificationDeliveryInput = {
      tenantId: op.tenantId,
      subscriptionId: s.id,
      operationId: op.id,
      resource: watched.resource,
      status: op.status,
    };
    await tx.operations.insert(
      {
        id: deliveryId(s.id, op),
        tenantId: op.tenantId,
        kind: INTERNAL_OPERATION_KINDS.notificationDelivery,
        targetId: s.id,
        input,
        maxAttempts: DELIVERY_MAX_ATTEMPTS,
      },
      now,
    );
  }
};
