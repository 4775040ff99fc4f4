import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { TenantTime } from '../shared/tenant-time.js';
import type { Repositories, Store } from '../storage/store.js';
import type { BackoffPolicy } from './backoff.js';
import type { LeasedOperation, OperationRecord } from './model.js';

export interface HandlerContext {
  operation: LeasedOperation;
  /** For reads. Writes belong in the outcome's `apply`, which commits with the terminal status. */
  store: Store;
  clock: Clock;
  /** Fires when the lease is lost or the process is shutting down: stop and return. */
  signal: AbortSignal;
  logger: Logger;
  /** The tenant's time (docs/controls.md): what a handler evaluates "now" against. */
  tenantTime: TenantTime;
}

/** The effect of an operation, applied in the same transaction as its terminal status. */
export type ApplyEffect = (tx: Repositories) => Promise<void>;

export type HandlerOutcome =
  | { status: 'succeeded'; statusDetail?: string; resourceLocation?: string; result?: unknown; apply?: ApplyEffect }
  | { status: 'failed'; statusDetail: string; errorCode: string; apply?: ApplyEffect };

/** Runs one kind of operation. */
export interface OperationHandler {
  kind: string;
  /** Attempts before a run is given up (crashes and transient errors count). */
  maxAttempts: number;
  /** Delays between attempts of this kind; the executor's default when absent. */
  backoff?: BackoffPolicy;
  run(ctx: HandlerContext): Promise<HandlerOutcome>;
}

/**
 * Runs in the transaction that writes an operation's terminal status (the executor's finish and
 * the reaper's give-up), so whatever it writes exists exactly when the status does. A throw
 * rolls the status back. `op` carries the terminal status.
 */
export type TerminalHook = (tx: Repositories, op: OperationRecord) => Promise<void>;

/** A failure worth retrying later (the default for anything unexpected; a delivery names it to say so). */
export class TransientOperationError extends Error {}

/** A failure that retrying cannot fix: the operation fails at once. */
export class PermanentOperationError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class HandlerRegistry {
  readonly #handlers = new Map<string, OperationHandler>();

  constructor(handlers: OperationHandler[] = []) {
    for (const h of handlers) this.register(h);
  }

  register(handler: OperationHandler): void {
    if (this.#handlers.has(handler.kind)) throw new Error(`a handler for '${handler.kind}' is already registered`);
    this.#handlers.set(handler.kind, handler);
  }

  get(kind: string): OperationHandler | undefined {
    return this.#handlers.get(kind);
  }

  kinds(): string[] {
    return [...this.#handlers.keys()];
  }
}
