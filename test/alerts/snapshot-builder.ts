/** Small hand-made directories for the alert evaluator tests. */
import type { DirectorySnapshot, DirectoryUser, RoleActivation, RoleAssignment, RoleSetting } from '../../src/directory/model.js';

export const TENANT_ID = '3b0e753b-22fa-4c16-9bf2-470b80be80d6';
export const DAY = 24 * 60 * 60 * 1000;
/** The scan time of every test: 2025-06-01T00:00:00Z. */
export const NOW = Date.UTC(2025, 5, 1);

export function user(id: string, overrides: Partial<DirectoryUser> = {}): DirectoryUser {
  return {
    tenantId: TENANT_ID,
    id,
    userPrincipalName: `${id}@contoso.test`,
    displayName: `User ${id}`,
    accountEnabled: true,
    accountType: 'member',
    createdAt: NOW - 400 * DAY,
    lastSignInAt: NOW - DAY,
    forceChangePasswordNextSignIn: false,
    ...overrides,
  };
}

export function assignment(
  id: string,
  principalId: string,
  roleTemplateId: string,
  overrides: Partial<RoleAssignment> = {},
): RoleAssignment {
  return {
    tenantId: TENANT_ID,
    id,
    principalId,
    roleTemplateId,
    directoryScopeId: '/',
    assignmentType: 'active',
    viaPim: true,
    createdAt: NOW - 200 * DAY,
    endAt: null,
    ...overrides,
  };
}

let activationCounter = 0;
export function activation(principalId: string, roleTemplateId: string, activatedAt: number): RoleActivation {
  activationCounter += 1;
  return { tenantId: TENANT_ID, id: `act-${activationCounter}`, principalId, roleTemplateId, activatedAt };
}

export function setting(roleTemplateId: string, requireMfaOnActivation: boolean): RoleSetting {
  return { tenantId: TENANT_ID, roleTemplateId, requireMfaOnActivation };
}

export function snapshot(parts: Partial<Omit<DirectorySnapshot, 'tenant'>> & { licenses?: string[] } = {}): DirectorySnapshot {
  return {
    tenant: {
      id: TENANT_ID,
      displayName: 'Contoso',
      defaultDomain: 'contoso.test',
      licenses: parts.licenses ?? ['AAD_PREMIUM_P2'],
    },
    users: parts.users ?? [],
    roleAssignments: parts.roleAssignments ?? [],
    roleActivations: parts.roleActivations ?? [],
    roleSettings: parts.roleSettings ?? [],
    otherActiveAssignmentCount: parts.otherActiveAssignmentCount ?? 0,
  };
}
