/**
 * Alert incidents: one finding of one alert (a stale account, a role without MFA, …).
 *
 * Evaluators return these domain objects. They already have the wire's keys in the wire's order
 * (`@odata.type` first, then as in Graph's JSON representations), but timestamps are epoch
 * milliseconds; `toWireIncident` formats them as Graph does (7 fractional digits, UTC).
 */
import type { AlertType } from './alert-types.js';

/** `@odata.type` of each incident type (https://learn.microsoft.com/graph/api/resources/unifiedrolemanagementalertincident?view=graph-rest-beta). */
export const INCIDENT_ODATA_TYPES = {
  InvalidLicenseAlert: '#microsoft.graph.invalidLicenseAlertIncident',
  NoMfaOnRoleActivationAlert: '#microsoft.graph.noMfaOnRoleActivationAlertIncident',
  RedundantAssignmentAlert: '#microsoft.graph.redundantAssignmentAlertIncident',
  RolesAssignedOutsidePimAlert: '#microsoft.graph.rolesAssignedOutsidePrivilegedIdentityManagementAlertIncident',
  SequentialActivationRenewalsAlert: '#microsoft.graph.sequentialActivationRenewalsAlertIncident',
  TooManyGlobalAdminsAssignedToTenantAlert: '#microsoft.graph.tooManyGlobalAdminsAssignedToTenantAlertIncident',
  StaleSignInAlert: '#microsoft.graph.staleSignInAlertIncident',
} as const satisfies { readonly [T in AlertType]: string };

/** The subject of an incident. Display name and UPN are null when the principal is not a known user. */
interface Assignee {
  assigneeId: string;
  assigneeDisplayName: string | null;
  assigneeUserPrincipalName: string | null;
}

export interface InvalidLicenseAlertIncident {
  '@odata.type': (typeof INCIDENT_ODATA_TYPES)['InvalidLicenseAlert'];
  id: string;
  tenantLicenseStatus: string;
}

export interface NoMfaOnRoleActivationAlertIncident {
  '@odata.type': (typeof INCIDENT_ODATA_TYPES)['NoMfaOnRoleActivationAlert'];
  /** The role template id. */
  id: string;
  roleTemplateId: string;
  roleDisplayName: string;
}

export interface RedundantAssignmentAlertIncident extends Assignee {
  '@odata.type': (typeof INCIDENT_ODATA_TYPES)['RedundantAssignmentAlert'];
  /** The eligible role assignment's id. */
  id: string;
  roleTemplateId: string;
  roleDefinitionId: string;
  roleDisplayName: string;
  /** Epoch ms of the last activation of this role by this principal, null if never. */
  lastActivationDateTime: number | null;
}

export interface RolesAssignedOutsidePimAlertIncident extends Assignee {
  '@odata.type': (typeof INCIDENT_ODATA_TYPES)['RolesAssignedOutsidePimAlert'];
  /** The role assignment's id. */
  id: string;
  roleTemplateId: string;
  roleDefinitionId: string;
  roleDisplayName: string;
  /** Epoch ms. */
  assignmentCreatedDateTime: number;
}

export interface SequentialActivationRenewalsAlertIncident extends Assignee {
  '@odata.type': (typeof INCIDENT_ODATA_TYPES)['SequentialActivationRenewalsAlert'];
  /** `{principalId}_{roleTemplateId}_{sequenceStart epoch ms}`. */
  id: string;
  roleTemplateId: string;
  roleDisplayName: string;
  roleDefinitionId: string;
  activationCount: number;
  /** Epoch ms of the first activation of the sequence. */
  sequenceStartDateTime: number;
  /** Epoch ms of the last activation of the sequence. */
  sequenceEndDateTime: number;
}

export interface StaleSignInAlertIncident extends Assignee {
  '@odata.type': (typeof INCIDENT_ODATA_TYPES)['StaleSignInAlert'];
  /** The active role assignment's id. */
  id: string;
  roleTemplateId: string;
  roleDisplayName: string;
  roleDefinitionId: string;
  /** Epoch ms. */
  assignmentCreatedDateTime: number;
  /** Epoch ms, null if the account never signed in. */
  lastSignInDateTime: number | null;
}

export interface TooManyGlobalAdminsAlertIncident extends Assignee {
  '@odata.type': (typeof INCIDENT_ODATA_TYPES)['TooManyGlobalAdminsAssignedToTenantAlert'];
  /** The Global Administrator's user id, as Graph does. */
  id: string;
}

/** Maps each alert type to the incident type it produces. */
export interface IncidentByAlertType {
  InvalidLicenseAlert: InvalidLicenseAlertIncident;
  NoMfaOnRoleActivationAlert: NoMfaOnRoleActivationAlertIncident;
  RedundantAssignmentAlert: RedundantAssignmentAlertIncident;
  RolesAssignedOutsidePimAlert: RolesAssignedOutsidePimAlertIncident;
  SequentialActivationRenewalsAlert: SequentialActivationRenewalsAlertIncident;
  TooManyGlobalAdminsAssignedToTenantAlert: TooManyGlobalAdminsAlertIncident;
  StaleSignInAlert: StaleSignInAlertIncident;
}

/** The incident type of one alert type. */
export type IncidentOf<T extends AlertType> = IncidentByAlertType[T];

/** Any alert incident (domain form: timestamps in epoch ms). */
export type AlertIncident = IncidentByAlertType[AlertType];

/** Properties that hold timestamps. */
const TIMESTAMP_KEYS = new Set([
  'lastActivationDateTime',
  'assignmentCreatedDateTime',
  'sequenceStartDateTime',
  'sequenceEndDateTime',
  'lastSignInDateTime',
]);

type WireValue<K, V> = K extends `${string}DateTime` ? (null extends V ? string | null : string) : V;

/** An incident as Graph sends it: same keys and order, timestamps as ISO 8601 strings. */
export type WireIncident<I extends AlertIncident = AlertIncident> = { [K in keyof I]: WireValue<K, I[K]> };

/** Formats timestamps for the wire, keeping the key order. */
export function toWireIncident<I extends AlertIncident>(incident: I): WireIncident<I> {
  const wire: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(incident)) {
    wire[key] = TIMESTAMP_KEYS.has(key) && typeof value === 'number' ? formatGraphDateTime(value) : value;
  }
  return wire as WireIncident<I>;
}

/** `2023-06-09T22:50:41.5410000Z`: UTC with 7 fractional digits, as Graph writes DateTimeOffset. */
export function formatGraphDateTime(ms: number): string {
  // toISOString gives milliseconds; Graph's ticks have four more digits.
  return new Date(ms).toISOString().replace(/Z$/, '0000Z');
}

const TYPE_BY_ODATA_TYPE = new Map<string, AlertType>(
  Object.entries(INCIDENT_ODATA_TYPES).map(([type, odataType]) => [odataType, type as AlertType]),
);

/** The alert type an incident belongs to (alert and incidents always share a type). */
export function alertTypeOfIncident(incident: AlertIncident): AlertType {
  const type = TYPE_BY_ODATA_TYPE.get(incident['@odata.type']);
  if (type === undefined) throw new TypeError(`Unknown incident type ${incident['@odata.type']}`);
  return type;
}

/** Code-unit order of ids, so the order never depends on the process locale. */
export function byIncidentId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
