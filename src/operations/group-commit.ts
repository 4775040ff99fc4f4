import type { Clock } from '../shared/clock.js';
import type { Repositories, Store } from '../storage/store.js';
import { StorageUnavailableError } from '../storage/sql.js';
import type { HandlerOutcome, TerminalHook } from './handler.js';
import { NO_LEASE, type LeasedOperation } from './model.js';

/** The lease was taken over (or the operation ended) before the terminal status was written. */
export class LeaseLostError extends Error {}

interface Pending {
  op: LeasedOperation;
  outcome: HandlerOutcome;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** Most terminal statuses one transaction writes: keeps each transaction (and its locks) short. */
const MAX_BATCH = 100;

/**
 * Group commit of terminal statuses: operations that end close together commit in one
 * transaction (one UPDATE for the statuses, one INSERT for their timeline events, then each
 * one's effect and terminal hooks), instead of one transaction each. Nothing waits on a timer:
 * statuses that arrive while a commit is in flight form the next batch.
 *
 * Guarantees kept: each status commits with its own effect and hooks (same transaction), only
 * under the lease it was run with (a lost lease writes nothing for that operation, the others
 * still commit), and nothing is reported before its commit. When the batch transaction fails
 * (one effect or hook threw, a deadlock outlived the retries), every member commits alone, so
 * one failure costs only its own operation, as it did before batching.
 */
export class GroupCommit {
  readonly #queue: Pending[] = [];
  #draining = false;

  constructor(private readonly o: { store: Store; clock: Clock; onTerminal: readonly TerminalHook[] }) {}

  /** Resolves once `op`'s outcome committed; rejects with LeaseLostError when the lease was lost. */
  commit(op: LeasedOperation, outcome: HandlerOutcome): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ op, outcome, resolve, reject });
      if (this.#draining) return;
      this.#draining = true;
      // After the current turn: handlers that end in the same turn join this batch.
      setImmediate(() => void this.#drain());
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) await this.#flush(this.#queue.splice(0, MAX_BATCH));
    } finally {
      this.#draining = false;
    }
  }

  async #flush(batch: Pending[]): Promise<void> {
    const { store, onTerminal } = this.o;
    // Nothing to run beside the statuses: one statement, atomic on its own where the backend can.
    const statusesOnly = store.db.dialect.writableCte && onTerminal.length === 0 && batch.every((p) => !p.outcome.apply);
    let written: Set<string>;
    try {
      written = statusesOnly ? await this.#write(store, batch) : await store.transaction((tx) => this.#write(tx, batch));
    } catch (e) {
      if (batch.length === 1 || e instanceof StorageUnavailableError) {
        for (const p of batch) p.reject(e);
        return;
      }
      for (const p of batch) await this.#flush([p]);
      return;
    }
    for (const p of batch) {
      if (written.has(p.op.id)) p.resolve();
      else p.reject(new LeaseLostError());
    }
  }

  async #write(tx: Repositories, batch: Pending[]): Promise<Set<string>> {
    const now = this.o.clock.now();
    const written = await tx.operations.finishMany(
      batch.map(({ op, outcome }) => ({
        id: op.id,
        token: op.leaseToken,
        outcome:
          outcome.status === 'succeeded'
            ? {
                status: 'succeeded',
                statusDetail: outcome.statusDetail ?? '',
                resourceLocation: outcome.resourceLocation ?? '',
                result: outcome.result,
              }
            : { status: 'failed', statusDetail: outcome.statusDetail, errorCode: outcome.errorCode },
      })),
      now,
    );
    for (const { op, outcome } of batch) {
      if (!written.has(op.id)) continue;
      await outcome.apply?.(tx);
      const ended = {
        ...op,
        status: outcome.status,
        statusDetail: outcome.statusDetail ?? '',
        errorCode: outcome.status === 'failed' ? outcome.errorCode : null,
        finishedAt: now,
        ...NO_LEASE,
      };
      for (const hook of this.o.onTerminal) await hook(tx, ended);
    }
    return written;
  }
}
