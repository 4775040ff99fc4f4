/**
 * Who may reset whose password: Microsoft's "Who can reset passwords" table (https://learn.microsoft.com/graph/api/resources/users#who-can-reset-passwords)
 * kept as data, and the decision built on it. docs/passwords.md, "Who can reset whose
 * password", explains the choices for multi-role targets and roles the table does not list.
 */
import type { RoleAssignment } from '../directory/model.js';
import { DEFAULT_USER_ROLE_TEMPLATE_ID, ROLE, findRoleTemplate } from '../directory/roles.js';

const PASSWORD_ADMIN = ROLE.passwordAdministrator;
const HELPDESK_ADMIN = ROLE.helpdeskAdministrator;
const AUTH_ADMIN = ROLE.authenticationAdministrator;
const USER_ADMIN = ROLE.userAdministrator;
const PRIV_AUTH_ADMIN = ROLE.privilegedAuthenticationAdministrator;
const GLOBAL_ADMIN = ROLE.globalAdministrator;

/** The table's columns: the caller roles that can reset some passwords, in the docs' order. */
export const PASSWORD_RESETTER_ROLES: readonly string[] = Object.freeze([
  PASSWORD_ADMIN,
  HELPDESK_ADMIN,
  AUTH_ADMIN,
  USER_ADMIN,
  PRIV_AUTH_ADMIN,
  GLOBAL_ADMIN,
]);

/**
 * Caller roles that Longrun's `resetPassword` endpoint lets through at all: the API's
 * least-privileged roles plus Global Administrator, which the older v1.0 page listed and which
 * can do everything in a real tenant. Password, Helpdesk and User Administrators appear in the
 * table but are refused by this endpoint (they reset passwords through other APIs).
 */
export const RESET_PASSWORD_CALLER_ROLES: readonly string[] = Object.freeze([AUTH_ADMIN, PRIV_AUTH_ADMIN, GLOBAL_ADMIN]);

/** What a row of the table is about. */
export type ResetTarget =
  /** A user holding this built-in role. */
  | { kind: 'role'; roleTemplateId: string }
  /** A user with no admin role. */
  | { kind: 'noAdminRole' }
  /** A user with no admin role who is a member or owner of a role-assignable group. */
  | { kind: 'roleAssignableGroupMember' }
  /** A user with a role scoped to a restricted-management administrative unit. */
  | { kind: 'restrictedManagementUnitMember' }
  /** A user holding any custom role. */
  | { kind: 'customRole' };

/** One row of the table: the target, and the caller roles (columns) that may reset its password. */
export interface ResetPermissionRow {
  /** The row's label as Microsoft's table words it. */
  label: string;
  target: ResetTarget;
  allowedCallerRoles: readonly string[];
}

const role = (roleTemplateId: string): ResetTarget => ({ kind: 'role', roleTemplateId });
const row = (label: string, target: ResetTarget, allowedCallerRoles: readonly string[]): ResetPermissionRow => ({
  label,
  target,
  allowedCallerRoles,
});

// Recurring column sets, named for who they admit.
const ANY_RESETTER = PASSWORD_RESETTER_ROLES;
const ALL_BUT_PASSWORD_ADMIN = [HELPDESK_ADMIN, AUTH_ADMIN, USER_ADMIN, PRIV_AUTH_ADMIN, GLOBAL_ADMIN];
const USER_ADMIN_AND_UP = [USER_ADMIN, PRIV_AUTH_ADMIN, GLOBAL_ADMIN];
const TOP_TWO = [PRIV_AUTH_ADMIN, GLOBAL_ADMIN];

/**
 * The table, row by row, in the docs' order. Global Administrator → Global Administrator is `✅*`
 * in the docs; the asterisk is treated as allowed here (see docs/passwords.md).
 */
export const PASSWORD_RESET_TABLE: readonly ResetPermissionRow[] = Object.freeze([
  row('Authentication Administrator', role(AUTH_ADMIN), [AUTH_ADMIN, PRIV_AUTH_ADMIN, GLOBAL_ADMIN]),
  row('Directory Readers', role(ROLE.directoryReaders), ANY_RESETTER),
  row('Global Administrator', role(GLOBAL_ADMIN), TOP_TWO),
  row('Groups Administrator', role(ROLE.groupsAdministrator), USER_ADMIN_AND_UP),
  row('Guest Inviter', role(ROLE.guestInviter), ANY_RESETTER),
  row('Helpdesk Administrator', role(HELPDESK_ADMIN), [HELPDESK_ADMIN, ...USER_ADMIN_AND_UP]),
  row('Message Center Reader', role(ROLE.messageCenterReader), ALL_BUT_PASSWORD_ADMIN),
  row('Password Administrator', role(PASSWORD_ADMIN), ANY_RESETTER),
  row('Privileged Authentication Administrator', role(PRIV_AUTH_ADMIN), TOP_TWO),
  row('Privileged Role Administrator', role(ROLE.privilegedRoleAdministrator), TOP_TWO),
  row('Reports Reader', role(ROLE.reportsReader), ALL_BUT_PASSWORD_ADMIN),
  row('User (no admin role)', { kind: 'noAdminRole' }, ANY_RESETTER),
  row('User (no admin role, but member or owner of a role-assignable group)', { kind: 'roleAssignableGroupMember' }, TOP_TWO),
  row('User with a role scoped to a restricted-management administrative unit', { kind: 'restrictedManagementUnitMember' }, TOP_TWO),
  row('User Administrator', role(USER_ADMIN), USER_ADMIN_AND_UP),
  row('Usage Summary Reports Reader', role(ROLE.usageSummaryReportsReader), ALL_BUT_PASSWORD_ADMIN),
  row('All custom roles', { kind: 'customRole' }, TOP_TWO),
]);

/** Result of `canResetPassword`; `reason` is a sentence fit for an error message. */
export type ResetDecision = { allowed: true } | { allowed: false; reason: string };

function rowFor(kind: ResetTarget['kind'], roleTemplateId?: string): ResetPermissionRow | undefined {
  return PASSWORD_RESET_TABLE.find(
    ({ target }) => target.kind === kind && (target.kind !== 'role' || target.roleTemplateId === roleTemplateId),
  );
}

function requireRow(kind: ResetTarget['kind']): ResetPermissionRow {
  const row = rowFor(kind);
  if (!row) throw new Error(`PASSWORD_RESET_TABLE has no '${kind}' row`);
  return row;
}

const NO_ADMIN_ROLE_ROW = requireRow('noAdminRole');
const CUSTOM_ROLE_ROW = requireRow('customRole');

/** Who may reset a holder of this role: its own row, or the strictest row for anything unlisted. */
function allowedCallersForTargetRole(roleTemplateId: string): readonly string[] {
  // Built-in roles missing from the table are treated like custom roles: only the two roles that
  // can reset anyone may touch them, which errs on the side of refusing.
  return (rowFor('role', roleTemplateId) ?? CUSTOM_ROLE_ROW).allowedCallerRoles;
}

function describeRole(roleTemplateId: string): string {
  const template = findRoleTemplate(roleTemplateId);
  return template ? `the ${template.displayName} role` : `the custom role ${roleTemplateId}`;
}

/**
 * Applies the table. A target with no admin role (only the default User role, or none) uses the
 * "User (no admin role)" row. A target with several roles is resettable only if, for EVERY one
 * of its roles, at least one of the caller's roles is allowed: the strictest row wins.
 * Does not apply `RESET_PASSWORD_CALLER_ROLES` or the "not your own account" rule.
 */
export function canResetPassword(callerRoleTemplateIds: readonly string[], targetRoleTemplateIds: readonly string[]): ResetDecision {
  const callerRoles = new Set(callerRoleTemplateIds);
  const targetRoles = [...new Set(targetRoleTemplateIds)].filter((id) => id !== DEFAULT_USER_ROLE_TEMPLATE_ID);

  if (targetRoles.length === 0) {
    if (NO_ADMIN_ROLE_ROW.allowedCallerRoles.some((id) => callerRoles.has(id))) return { allowed: true };
    return { allowed: false, reason: 'The caller has no role that can reset user passwords.' };
  }

  for (const targetRole of targetRoles) {
    const allowed = allowedCallersForTargetRole(targetRole);
    if (!allowed.some((id) => callerRoles.has(id))) {
      return {
        allowed: false,
        reason: "The caller's roles do not allow resetting the password of a user who holds " + `${describeRole(targetRole)}.`,
      };
    }
  }
  return { allowed: true };
}

/** True when the caller holds a role that Longrun's resetPassword endpoint accepts. */
export function isResetPasswordCaller(callerRoleTemplateIds: readonly string[]): boolean {
  return callerRoleTemplateIds.some((id) => RESET_PASSWORD_CALLER_ROLES.includes(id));
}

/**
 * The roles that protect a reset target: every assignment that has not ended, active OR
 * eligible (an eligible Global Administrator is one activation away from holding the role), and
 * whatever its scope (a role scoped to an administrative unit protects as if tenant-wide). See
 * docs/passwords.md, "Who can reset whose password".
 */
export function resetProtectedRoleTemplateIds(userId: string, assignments: readonly RoleAssignment[], now: number): string[] {
  const ids = assignments.filter((a) => a.principalId === userId && (a.endAt === null || a.endAt > now)).map((a) => a.roleTemplateId);
  return [...new Set(ids)];
}
