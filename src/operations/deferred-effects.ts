import type { Clock } from '../shared/clock.js';
import { coerceError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { TenantTime } from '../shared/tenant-time.js';
import type { Store } from '../storage/store.js';
import { PermanentOperationError, type HandlerRegistry } from './handler.js';

/**
 * Applies the effects of runs that reported `succeeded` before their effect was visible (a
 * plan's effect lag, docs/controls.md). The effect is durable because it is recomputed: when it
 * is due, the run's handler runs again on the stored input and its effect commits in the
 * transaction that clears `effect_due_at`, which only one node can do. A handler that now fails
 * (the user was deleted meanwhile) drops the effect, and says so on the timeline.
 */
export class DeferredEffects {
  constructor(private readonly o: { store: Store; clock: Clock; logger: Logger; handlers: HandlerRegistry; tenantTime: TenantTime }) {}

  /** Applies what is due now; returns how many effects were applied or dropped. */
  async applyDue(limit = 20): Promise<number> {
    const { store, clock, logger, handlers } = this.o;
    const due = await store.timelines.dueEffects(clock.now(), limit);
    let n = 0;
    for (const { operation: op, run } of due) {
      const handler = handlers.get(op.kind);
      if (!handler) continue;
      const log = logger.child({ operationId: op.id, kind: op.kind });
      try {
        const signal = new AbortController().signal;
        const operation = { ...op, leaseToken: '', leaseExpiresAt: 0 };
        const outcome = await handler.run({ operation, store, clock, signal, logger: log, tenantTime: this.o.tenantTime });
        const taken = await store.transaction(async (tx) => {
          const applied = outcome.status === 'succeeded';
          if (!(await tx.timelines.takeDueEffect(op.id, run, clock.now(), applied ? '' : outcome.statusDetail, applied))) return false;
          if (applied) await outcome.apply?.(tx);
          return true;
        });
        if (taken) n++;
      } catch (e) {
        if (e instanceof PermanentOperationError) {
          // The effect can never apply (e.g. the user is gone): drop it, once.
          await store.transaction((tx) => tx.timelines.takeDueEffect(op.id, run, clock.now(), e.message, false)).catch(() => undefined);
          n++;
          continue;
        }
        // Left due: the next round retries it (a database hiccup must not lose the effect).
        log.warn({ err: coerceError(e) }, 'applying a deferred effect failed; will retry');
      }
    }
    return n;
  }
}
