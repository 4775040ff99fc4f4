/**
 * A plan shapes one operation (docs/controls.md): how long it waits in `notStarted`, then in
 * `running`, how it ends, and how long a success's effect stays invisible. The control API's
 * `operation` rules make plans; the executor follows them. Waiting costs no executor slot and
 * no lease: the plan lives on the operation's row, so a node killed mid-timeline loses nothing.
 */
export type PlannedOutcome =
  /** The real handler runs at the end: its real effect, or its real failure. */
  | { status: 'succeeded' }
  /** Fails with this code and statusDetail at the end; the handler never runs, nothing applies. */
  | { status: 'failed'; code: string; detail: string }
  /** Stays `running` until released (then as `succeeded`) or failed through the control API. */
  | { status: 'stuck' };

export interface OperationPlan {
  notStartedMs: number;
  runningMs: number;
  outcome: PlannedOutcome;
  /** A success is reported at once, its effect applied this much later (Graph's "succeeded before usable"). */
  effectLagMs: number;
}

/** The plan on an operation, and the rule that made it. */
export interface OperationControl {
  ruleId: string;
  plan: OperationPlan;
}

/** Far enough to never come by itself: a stuck operation's `available_at` until it is released. */
export const NEVER = 8_640_000_000_000_000;

/** The lease-free running phase an operation enters when its notStarted phase ends; null: none (claim at once). */
export function runningPhaseMs(plan: OperationPlan): number | null {
  return plan.runningMs > 0 || plan.outcome.status === 'stuck' ? plan.runningMs : null;
}
