/**
 * Delivers one notification: the internal `notificationDelivery` operation kind, run by the
 * ordinary executor, so deliveries are durable queued work with leases, retries and the reaper
 * (a node killed mid-delivery loses none; delivery is at least once). A 2xx acknowledges; any
 * other answer, a network error or a timeout is retried with backoff until the retry window
 * (Graph: 4 hours) has passed since the operation ended.
 */
import type { BackoffPolicy } from '../operations/backoff.js';
import { PermanentOperationError, TransientOperationError, type OperationHandler } from '../operations/handler.js';
import { INTERNAL_OPERATION_KINDS } from '../operations/kinds.js';
import { notificationBody, type NotificationDeliveryInput } from './notification.js';
import { DELIVERY_MAX_ATTEMPTS } from './queue-notifications.js';
import { isTimeout, postTo } from './post-request.js';
import { describeFailure } from './validation-handshake.js';

export interface DeliverySettings {
  /** One POST's limit. */
  timeoutMs: number;
  /** How long after the operation ended a notification is still retried. */
  retryWindowMs: number;
  backoff: BackoffPolicy;
}

/** Graph's: retries for up to 4 hours; equal-jitter exponential delays from 5 s, capped at 10 minutes. */
export const DEFAULT_DELIVERY_SETTINGS: DeliverySettings = {
  timeoutMs: 10_000,
  retryWindowMs: 4 * 60 * 60_000,
  backoff: { baseMs: 5_000, maxMs: 10 * 60_000 },
};

export function notificationDeliveryHandler(settings: DeliverySettings = DEFAULT_DELIVERY_SETTINGS): OperationHandler {
  return {
    kind: INTERNAL_OPERATION_KINDS.notificationDelivery,
    maxAttempts: DELIVERY_MAX_ATTEMPTS,
    backoff: settings.backoff,
    async run({ operation, store, clock, signal }) {
      const input = operation.input as NotificationDeliveryInput;
      const subscription = await store.subscriptions.get(input.tenantId, input.subscriptionId);
      // Deleting a subscription cancels what it has not yet received.
      if (!subscription) return { status: 'succeeded', statusDetail: 'The subscription was deleted; nothing was sent.' };
      let failure: string;
      try {
        const signals = AbortSignal.any([signal, AbortSignal.timeout(settings.timeoutMs)]);
        const answer = await postTo(
          new URL(subscription.notificationUrl),
          JSON.stringify(notificationBody(subscription, input)),
          'application/json; charset=utf-8',
          signals,
        );
        if (answer.status >= 200 && answer.status < 300) return { status: 'succeeded', statusDetail: `Delivered: ${answer.status}.` };
        failure = `the endpoint answered ${answer.status}`;
      } catch (e) {
        if (signal.aborted) throw e; // shutting down or lease lost: the executor decides
        failure = isTimeout(e) ? `no answer within ${settings.timeoutMs} ms` : describeFailure(e);
      }
      if (clock.now() - operation.createdAt >= settings.retryWindowMs) {
        throw new PermanentOperationError(
          'notificationUndeliverable',
          `The notification was not acknowledged within ${Math.round(settings.retryWindowMs / 60_000)} minutes: ${failure}.`,
        );
      }
      throw new TransientOperationError(`Notification delivery failed: ${failure}.`);
    },
  };
}
