/**
 * Small facts the evaluators share: which assignments count, and how roles and principals are
 * described in incidents.
 */
import type { DirectorySnapshot, DirectoryUser, RoleAssignment, SnapshotScope } from '../../directory/model.js';
import { PRIVILEGED_ROLE_TEMPLATE_IDS, findRoleTemplate, isPrivilegedRole } from '../../directory/roles.js';

/**
 * What the scan reads at `now`: the privileged roles' assignments and activations in full (the
 * evaluators only list those); every other role's active assignments only as a count, which is
 * all TooManyGlobalAdmins needs of them.
 */
export function scanScope(now: number): SnapshotScope {
  return { roleTemplateIds: PRIVILEGED_ROLE_TEMPLATE_IDS, now };
}

/** An assignment counts until it expires: `endAt` null, or strictly after `now`. */
export function isUnexpired(assignment: RoleAssignment, now: number): boolean {
  return assignment.endAt === null || assignment.endAt > now;
}

/** Unexpired assignments of a privileged role (Microsoft's PRIVILEGED label, roles.ts). */
export function privilegedAssignments(
  snapshot: DirectorySnapshot,
  now: number,
  assignmentType: RoleAssignment['assignmentType'],
): RoleAssignment[] {
  return snapshot.roleAssignments.filter(
    (a) => a.assignmentType === assignmentType && isUnexpired(a, now) && isPrivilegedRole(a.roleTemplateId),
  );
}

/** Role properties of an incident. Built-in roles' definition id equals their template id. */
export function roleFacts(roleTemplateId: string): {
  roleTemplateId: string;
  roleDefinitionId: string;
  roleDisplayName: string;
} {
  return {
    roleTemplateId,
    roleDefinitionId: roleTemplateId,
    roleDisplayName: findRoleTemplate(roleTemplateId)?.displayName ?? roleTemplateId,
  };
}

/** Assignee properties of an incident; names are null when the principal is not a known user. */
export function assigneeFacts(
  principalId: string,
  usersById: ReadonlyMap<string, DirectoryUser>,
): { assigneeId: string; assigneeDisplayName: string | null; assigneeUserPrincipalName: string | null } {
  const user = usersById.get(principalId);
  return {
    assigneeId: principalId,
    assigneeDisplayName: user?.displayName ?? null,
    assigneeUserPrincipalName: user?.userPrincipalName ?? null,
  };
}

const usersById = new WeakMap<readonly DirectoryUser[], Map<string, DirectoryUser>>();

/**
 * The snapshot's users by id, built once per read and shared by the evaluators of one scan: at
 * 100k users (16.7k read) each evaluator's own Map was ~3 MB of garbage, four times per scan,
 * and garbage made during a scan is what pushes the snapshot into V8's old generation (issue #16).
 * A snapshot is not changed once read; the length check catches a users list that grew anyway.
 */
export function indexUsers(snapshot: DirectorySnapshot): ReadonlyMap<string, DirectoryUser> {
  const known = usersById.get(snapshot.users);
  if (known !== undefined && known.size === snapshot.users.length) return known;
  const index = new Map<string, DirectoryUser>();
  for (const user of snapshot.users) index.set(user.id, user);
  usersById.set(snapshot.users, index);
  return index;
}
