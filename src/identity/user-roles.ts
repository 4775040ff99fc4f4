import type { DirectoryUser, RoleAssignment } from '../directory/model.js';
import { DEFAULT_USER_ROLE_TEMPLATE_ID } from '../directory/roles.js';

/**
 * The `wids` of a user's token: template ids of the user's *active*, tenant-wide role
 * assignments that have not ended, plus the default "User" role for members (as Entra puts it
 * in ordinary members' tokens). Eligible assignments count only once activated, which PIM
 * records as an active assignment. Personal accounts hold no directory roles.
 */
export function activeRoleTemplateIds(user: DirectoryUser, assignments: readonly RoleAssignment[], now: number): string[] {
  if (user.accountType === 'personal') return [];
  const ids = assignments
    .filter((a) => a.principalId === user.id && a.assignmentType === 'active' && a.directoryScopeId === '/')
    .filter((a) => a.endAt === null || a.endAt > now)
    .map((a) => a.roleTemplateId);
  if (user.accountType === 'member') ids.push(DEFAULT_USER_ROLE_TEMPLATE_ID);
  return [...new Set(ids)];
}
