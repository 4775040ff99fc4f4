import type { OperationRecord, OperationStatus } from '../operations/model.js';
import type { OperationPlan } from '../operations/operation-plan.js';

/** An operation without its input, result and lease: what lists and the console show. */
export type OperationSummary = Pick<
  OperationRecord,
  | 'id'
  | 'kind'
  | 'targetId'
  | 'run'
  | 'status'
  | 'statusDetail'
  | 'resourceLocation'
  | 'createdAt'
  | 'lastActionAt'
  | 'attempts'
  | 'maxAttempts'
  | 'errorCode'
  | 'finishedAt'
>;

/** What a GET of one operation shows and checks (its tenant): a summary, nothing parsed from JSON. */
export type ShownOperation = OperationSummary & Pick<OperationRecord, 'tenantId'>;

/** The `operations` columns behind an OperationSummary, as both backends return them. */
export interface SummaryRow {
  id: string;
  kind: string;
  target_id: string;
  run: number;
  status: OperationStatus;
  status_detail: string;
  resource_location: string;
  created_at: number;
  last_action_at: number;
  attempts: number;
  max_attempts: number;
  error_code: string | null;
  finished_at: number | null;
}

export interface OperationRow extends SummaryRow {
  tenant_id: string;
  available_at: number;
  lease_token: string | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  input: string;
  result: string | null;
  control_rule_id: string | null;
  control_plan: string | null;
  timeline_running_ms: number | null;
}

export const SUMMARY_COLUMNS =
  'id, kind, target_id, run, status, status_detail, resource_location, created_at, last_action_at, attempts, max_attempts, error_code, finished_at';

/** Numbers may arrive as strings or bigints from a driver; the domain uses plain numbers. */
export const toSummary = (r: SummaryRow): OperationSummary => ({
  id: r.id,
  kind: r.kind,
  targetId: r.target_id,
  run: Number(r.run),
  status: r.status,
  statusDetail: r.status_detail,
  resourceLocation: r.resource_location,
  createdAt: Number(r.created_at),
  lastActionAt: Number(r.last_action_at),
  attempts: Number(r.attempts),
  maxAttempts: Number(r.max_attempts),
  errorCode: r.error_code,
  finishedAt: r.finished_at === null ? null : Number(r.finished_at),
});

export const toRecord = (r: OperationRow): OperationRecord => ({
  ...toSummary(r),
  tenantId: r.tenant_id,
  availableAt: Number(r.available_at),
  leaseToken: r.lease_token,
  leaseOwner: r.lease_owner,
  leaseExpiresAt: r.lease_expires_at === null ? null : Number(r.lease_expires_at),
  input: JSON.parse(r.input),
  result: r.result === null ? null : JSON.parse(r.result),
  control:
    r.control_plan === null || r.control_plan === undefined
      ? null
      : { ruleId: r.control_rule_id ?? '', plan: JSON.parse(r.control_plan) as OperationPlan },
  timelineRunningMs: r.timeline_running_ms === null || r.timeline_running_ms === undefined ? null : Number(r.timeline_running_ms),
});
