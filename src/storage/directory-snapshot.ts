/**
 * The alert scan's read of a tenant's directory (issue #16), sized for a 100k-user tenant:
 * - assignments and activations only of `scope.roleTemplateIds` (the privileged roles); the
 *   other roles' active assignments unexpired at `scope.now` are counted in SQL, not read (one
 *   evaluator needs them, and only as a number);
 * - users: only the principals of what was read (the only ones an evaluator looks up), without
 *   the columns no evaluator reads (password hash);
 * - no tenant id column (every row shares the one passed in), and the strings that repeat
 *   across rows (role ids, principal ids, scope, type) shared instead of one copy per row.
 */
import type { DirectorySnapshot, DirectoryUser, RoleActivation, RoleAssignment, SnapshotScope, Tenant } from '../directory/model.js';
import { fromBool, type SqlClient } from './sql.js';

interface UserRow {
  id: string;
  user_principal_name: string;
  display_name: string;
  account_enabled: number;
  account_type: DirectoryUser['accountType'];
  created_at: number;
  last_sign_in_at: number | null;
  force_change_password: number;
}

interface AssignmentRow {
  id: string;
  principal_id: string;
  role_template_id: string;
  directory_scope_id: string;
  assignment_type: RoleAssignment['assignmentType'];
  via_pim: number;
  created_at: number;
  end_at: number | null;
}

interface ActivationRow {
  id: string;
  principal_id: string;
  role_template_id: string;
  activated_at: number;
}

export async function readDirectorySnapshot(sql: SqlClient, tenant: Tenant, scope: SnapshotScope): Promise<DirectorySnapshot> {
  const tenantId = tenant.id;
  const roles = scope.roleTemplateIds.length > 0 ? [...scope.roleTemplateIds] : [''];
  const inRoles = `role_template_id IN (${roles.map(() => '?').join(', ')})`;
  const shared = sharedStrings();

  const users = (
    await sql.query<UserRow>(
      `SELECT id, user_principal_name, display_name, account_enabled, account_type, created_at, last_sign_in_at, force_change_password
       FROM users
       WHERE tenant_id = ? AND id IN (SELECT principal_id FROM role_assignments WHERE tenant_id = ? AND ${inRoles}
                                      UNION SELECT principal_id FROM role_activations WHERE tenant_id = ? AND ${inRoles})
       ORDER BY id`,
      [tenantId, tenantId, ...roles, tenantId, ...roles],
    )
  ).map((r): DirectoryUser => ({
    tenantId,
    id: shared(r.id),
    userPrincipalName: r.user_principal_name,
    displayName: r.display_name,
    accountEnabled: fromBool(r.account_enabled),
    accountType: r.account_type,
    createdAt: Number(r.created_at),
    lastSignInAt: r.last_sign_in_at === null ? null : Number(r.last_sign_in_at),
    forceChangePasswordNextSignIn: fromBool(r.force_change_password),
  }));

  const roleAssignments = (
    await sql.query<AssignmentRow>(
      `SELECT id, principal_id, role_template_id, directory_scope_id, assignment_type, via_pim, created_at, end_at
       FROM role_assignments WHERE tenant_id = ? AND ${inRoles} ORDER BY id`,
      [tenantId, ...roles],
    )
  ).map((r): RoleAssignment => ({
    tenantId,
    id: r.id,
    principalId: shared(r.principal_id),
    roleTemplateId: shared(r.role_template_id),
    directoryScopeId: shared(r.directory_scope_id),
    assignmentType: shared(r.assignment_type),
    viaPim: fromBool(r.via_pim),
    createdAt: Number(r.created_at),
    endAt: r.end_at === null ? null : Number(r.end_at),
  }));

  const [other] = await sql.query<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM role_assignments
     WHERE tenant_id = ? AND NOT ${inRoles} AND assignment_type = 'active' AND (end_at IS NULL OR end_at > ?)`,
    [tenantId, ...roles, scope.now],
  );

  const roleActivations = (
    await sql.query<ActivationRow>(
      `SELECT id, principal_id, role_template_id, activated_at FROM role_activations WHERE tenant_id = ? AND ${inRoles}
       ORDER BY activated_at, id`,
      [tenantId, ...roles],
    )
  ).map((r): RoleActivation => ({
    tenantId,
    id: r.id,
    principalId: shared(r.principal_id),
    roleTemplateId: shared(r.role_template_id),
    activatedAt: Number(r.activated_at),
  }));

  const roleSettings = (
    await sql.query<{ role_template_id: string; require_mfa_on_activation: number }>(
      `SELECT role_template_id, require_mfa_on_activation FROM role_settings WHERE tenant_id = ? ORDER BY role_template_id`,
      [tenantId],
    )
  ).map((r) => ({ tenantId, roleTemplateId: r.role_template_id, requireMfaOnActivation: fromBool(r.require_mfa_on_activation) }));

  return { tenant, users, roleAssignments, roleActivations, roleSettings, otherActiveAssignmentCount: Number(other?.n ?? 0) };
}

/** One copy of each distinct string of the read: the row's own copy becomes garbage at once. */
function sharedStrings(): <S extends string>(s: S) => S {
  const seen = new Map<string, string>();
  return <S extends string>(s: S): S => {
    const known = seen.get(s);
    if (known !== undefined) return known as S;
    seen.set(s, s);
    return s;
  };
}
