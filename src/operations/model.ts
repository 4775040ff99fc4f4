/**
 * Terminology
 * - operation: a unit of work a client started and polls (Graph's longRunningOperation).
 * - kind: which handler runs it (`alertRefresh`, `passwordReset`, …).
 * - run: one execution of an operation id; an alert refreshed again later is a new run of the
 *   same id (new createdDateTime), the previous one having ended.
 * - attempt: one claim of a run by a worker; a run may take several (crash, transient error).
 * - lease: a worker's time-limited claim, renewed by a heartbeat; whoever holds the lease token
 *   may write the result, nobody else.
 * - executor: claims and runs operations; reaper: hands expired leases back to the queue.
 */
import type { OperationControl } from './operation-plan.js';

export type OperationStatus = 'notStarted' | 'running' | 'succeeded' | 'failed';

export const TERMINAL_STATUSES: ReadonlySet<OperationStatus> = new Set(['succeeded', 'failed']);

export const isTerminal = (status: OperationStatus): boolean => TERMINAL_STATUSES.has(status);

export interface OperationRecord {
  id: string;
  tenantId: string;
  kind: string;
  /** What the operation acts on: an alert id, a user object id, or the tenant for refresh-all. */
  targetId: string;
  run: number;
  status: OperationStatus;
  statusDetail: string;
  resourceLocation: string;
  createdAt: number;
  lastActionAt: number;
  attempts: number;
  maxAttempts: number;
  availableAt: number;
  leaseToken: string | null;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  /** The handler's input. Never a clear-text secret. */
  input: unknown;
  result: unknown;
  errorCode: string | null;
  finishedAt: number | null;
  /** The control rule that shaped this run and its plan (docs/controls.md); null: a plain run. */
  control: OperationControl | null;
  /** Set while a planned run waits in notStarted: the lease-free running phase it enters next. */
  timelineRunningMs: number | null;
}

export interface NewOperation {
  id: string;
  tenantId: string;
  kind: string;
  targetId: string;
  input: unknown;
  maxAttempts: number;
  /** Operations that fail before running (e.g. a rejected password) still go through the queue. */
  availableAt?: number;
  /** A control rule's plan for this run (docs/controls.md). */
  control?: OperationControl | undefined;
}

/** What an ended operation holds instead of a lease (the record a terminal hook receives). */
export const NO_LEASE = { leaseToken: null, leaseOwner: null, leaseExpiresAt: null } as const;

/** A claimed operation: the lease token proves the right to write its result. */
export interface LeasedOperation extends OperationRecord {
  leaseToken: string;
  leaseExpiresAt: number;
}

export interface OperationEvent {
  run: number;
  seq: number;
  at: number;
  type:
    | 'queued'
    | 'claimed'
    | 'retryScheduled'
    | 'leaseExpired'
    | 'handedBack'
    | 'succeeded'
    | 'failed'
    // Planned runs (docs/controls.md): entered the running phase without a lease, released by
    // the control API, deferred effect applied (or dropped because the handler now fails).
    | 'running'
    | 'released'
    | 'effectApplied'
    | 'effectDropped';
  attempt: number;
  detail: string;
}
