import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../shared/clock.js';
import { coerceError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { TenantTime } from '../shared/tenant-time.js';
import { StorageUnavailableError } from '../storage/sql.js';
import type { Store } from '../storage/store.js';
import { retryDelay, type BackoffPolicy } from './backoff.js';
import { LeaseLostError, type GroupCommit } from './group-commit.js';
import { PermanentOperationError, type HandlerOutcome, type HandlerRegistry } from './handler.js';
import type { LeasedOperation } from './model.js';
import type { TerminalNotifier } from './terminal-notifier.js';

/** An operation this executor holds the lease of, while its attempt runs. */
export interface InFlight {
  op: LeasedOperation;
  controller: AbortController;
  /** Why the controller fired: the lease was lost, or we are shutting down. */
  reason?: 'leaseLost' | 'shutdown';
  done: Promise<void>;
}

/** What one attempt needs of its executor. */
export interface AttemptDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  handlers: HandlerRegistry;
  backoff: BackoffPolicy;
  random: () => number;
  tenantTime: TenantTime;
  commits: GroupCommit;
  terminalNotifier?: TerminalNotifier | undefined;
  onFinished?:
    ((op: LeasedOperation, outcome: 'succeeded' | 'failed' | 'retry' | 'leaseLost' | 'handedBack', ms: number) => void) | undefined;
  /** False once the executor stops: a refused result write is not retried then. */
  isRunning: () => boolean;
}

/** The longest pause between attempts to reach a store that refuses (disk full, read-only, down). */
export const MAX_STORE_BACKOFF_MS = 5_000;

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * One attempt of a leased operation: runs its handler (or its planned failure), then writes the
 * outcome with its terminal status under the lease guard (GroupCommit), schedules a retry, or
 * hands the operation back; reports how it ended.
 *
 * Resolves `true` when the operation settled: its terminal status committed and nothing was
 * scheduled after it (no deferred effect). Anything else (a retry, a hand-back, a lost lease, a
 * deferred effect) may change what the executor's loop should claim or when it should wake.
 */
export async function runAttempt(entry: InFlight, o: AttemptDeps): Promise<boolean> {
  const { op, controller } = entry;
  const started = o.clock.now();
  const log = o.logger.child({ operationId: op.id, kind: op.kind, attempt: op.attempts });
  const report = (outcome: Parameters<NonNullable<AttemptDeps['onFinished']>>[1]): false => {
    try {
      o.onFinished?.(op, outcome, o.clock.now() - started);
    } catch (e) {
      log.error({ err: e }, 'onFinished listener failed');
    }
    return false;
  };
  let deferred = false;
  let outcome: HandlerOutcome;
  try {
    const handler = o.handlers.get(op.kind);
    if (!handler)
      throw new PermanentOperationError('unknownOperationKind', `No handler is registered for operations of kind '${op.kind}'.`);
    const plan = op.control?.plan;
    if (plan?.outcome.status === 'failed') {
      // A planned failure: the handler never runs, nothing applies (docs/controls.md).
      outcome = { status: 'failed', statusDetail: plan.outcome.detail, errorCode: plan.outcome.code };
    } else {
      // A handler that ignores its signal must not hold shutdown or a lost lease hostage.
      outcome = await untilAborted(
        handler.run({
          operation: op,
          store: o.store,
          clock: o.clock,
          signal: controller.signal,
          logger: log,
          tenantTime: o.tenantTime,
        }),
        controller.signal,
      );
    }
    if (plan && plan.effectLagMs > 0 && outcome.status === 'succeeded') {
      // Reported now, applied later by DeferredEffects, which recomputes the effect then.
      const lagMs = plan.effectLagMs;
      deferred = true;
      outcome = { ...outcome, apply: (tx) => tx.timelines.deferEffect(op, o.clock.now() + lagMs) };
    }
  } catch (raw) {
    const error = coerceError(raw);
    if (entry.reason === 'shutdown') return report('handedBack');
    if (entry.reason === 'leaseLost') {
      log.warn('lease lost while running; another worker owns the operation now');
      return report('leaseLost');
    }
    if (error instanceof StorageUnavailableError) {
      // The store, not the operation, failed: give it back without spending an attempt. If
      // even that cannot be written, the lease expires and the reaper hands it back.
      log.warn({ err: error }, 'the database refused during the attempt; handing the operation back');
      await o.store.operations
        .handBack(op.id, op.leaseToken, o.clock.now())
        .catch((e: unknown) => log.warn({ err: e }, 'could not hand back; the lease will expire'));
      return report('retry');
    }
    if (error instanceof PermanentOperationError) {
      outcome = { status: 'failed', statusDetail: error.message, errorCode: error.code };
    } else if (op.attempts >= op.maxAttempts) {
      outcome = {
        status: 'failed',
        statusDetail: `The operation failed after ${op.attempts} attempt(s): ${error.message}`,
        errorCode: 'retriesExhausted',
      };
    } else {
      const delay = retryDelay(op.attempts, o.handlers.get(op.kind)?.backoff ?? o.backoff, o.random);
      log.warn({ err: error, retryInMs: delay }, 'operation attempt failed; retrying');
      const now = o.clock.now();
      await o.store.operations
        .retryLater(op.id, op.leaseToken, now + delay, error.message, now)
        .catch((e: unknown) => log.warn({ err: e }, 'could not schedule the retry; the lease will expire'));
      return report('retry');
    }
  }
  if (entry.reason) return report(entry.reason === 'shutdown' ? 'handedBack' : 'leaseLost');
  try {
    await commitWhenStoreAllows(entry, outcome, log, o);
    o.terminalNotifier?.notifyTerminal(op.id);
    log.info({ status: outcome.status, durationMs: o.clock.now() - started }, 'operation finished');
    report(outcome.status);
    return !deferred;
  } catch (e) {
    if (e instanceof LeaseLostError) {
      log.warn('lease lost before the result was written; result discarded');
      return report('leaseLost');
    }
    // The lease is still ours; leave it to expire so the reaper hands the operation back.
    log.error({ err: e }, 'writing the result failed; the operation will be retried after its lease expires');
    return report('retry');
  }
}

/**
 * Writes the result; while the store refuses (disk full, read-only, down) it tries again with
 * backoff, holding the lease (the heartbeat keeps renewing it once the store answers), until it
 * commits, the lease is lost or the executor shuts down. The write is guarded by the lease
 * token, so a retry after an ambiguous commit cannot apply the effect twice.
 */
async function commitWhenStoreAllows(entry: InFlight, outcome: HandlerOutcome, log: Logger, o: AttemptDeps): Promise<void> {
  for (let failures = 1; ; failures++) {
    try {
      return await o.commits.commit(entry.op, outcome);
    } catch (e) {
      if (!(e instanceof StorageUnavailableError) || entry.reason || !o.isRunning()) throw e;
      const retryInMs = Math.min(MAX_STORE_BACKOFF_MS, 100 * 2 ** Math.min(failures - 1, 10));
      log.warn({ err: e, retryInMs }, 'the database refused the result; retrying');
      // Cut short when the lease is lost or the executor stops (an AbortError, not a failure).
      await delay(retryInMs, undefined, { signal: entry.controller.signal }).catch(() => undefined);
      if (entry.reason) throw e;
    }
  }
}
