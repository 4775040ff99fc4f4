/**
 * Tenant fixtures (example: fixtures/demo-tenant.json): the JSON file `longrun tenant import` reads and
 * `longrun tenant generate` writes, and the validated, normalised shape the importer stores.
 *
 * Two shapes live here:
 * - `TenantFixtureJson` is the file as written: ISO 8601 date strings, optional fields omitted.
 * - `TenantFixture` is what `validateFixture` returns: every default applied, GUIDs lower-cased,
 *   dates as epoch milliseconds. Only a fixture that passed validation has this type.
 */
import type { ValidRule } from '../control/rules/rule-common.js';
import type { AccountType, ApplicationCertificate, AssignmentType, PasswordLockoutSettings, RoleAssignment, Tenant } from './model.js';

import { ALERT_TYPES, type AlertType } from '../alerts/alert-types.js';

/** The seven PIM alert types a fixture may configure (the alerts module owns the list). */
export { ALERT_TYPES };

export type FixtureAlertType = AlertType;

/** The top-level keys a fixture file may have; anything else is refused as a likely typo. */
export const FIXTURE_SECTIONS = [
  'tenant',
  'users',
  'applications',
  'roleAssignments',
  'roleActivations',
  'roleSettings',
  'alertConfigurations',
  'rules',
] as const;

/** One problem found in a fixture. `path` names the field: `users[3].userPrincipalName`. */
export interface FixtureError {
  path: string;
  message: string;
}

/** The tenant itself: the shape the directory stores, plus its smart-lockout settings (absent: Entra's defaults). */
export type FixtureTenant = Tenant & { passwordLockout?: PasswordLockoutSettings };

/** A user as imported. */
export interface FixtureUser {
  /** Object id, a lower-case GUID. */
  id: string;
  /** `local@domain`; unique within the tenant, ignoring case. Case is kept as written. */
  userPrincipalName: string;
  displayName: string;
  /**
   * The password in clear. It exists only in memory between validation and import, which
   * hashes it. Absent: the user cannot sign in with a password.
   */
  password?: string;
  /** Default true. */
  accountEnabled: boolean;
  /** Epoch ms, from `createdDateTime`. */
  createdAt: number;
  /** Epoch ms, from `lastSignInDateTime`; null when the user never signed in (or it was omitted). */
  lastSignInAt: number | null;
  /** Default `member`. `personal` is a personal Microsoft account (consumer tenant tokens). */
  accountType: AccountType;
}

/** An application (client) registered in the tenant. */
export interface FixtureApplication {
  /** Client id, a lower-case GUID; unique within the fixture. */
  appId: string;
  displayName: string;
  /** Client secret in clear, hashed by import. Absent: a public client. */
  secret?: string;
  /** Application permissions (app roles) granted to the app. Default []. */
  applicationPermissions: string[];
  /** Delegated permissions the app may request for users. Default []. */
  delegatedPermissions: string[];
  /** Authorization-code redirect URIs, compared exactly. Default []. */
  redirectUris: string[];
  /** No secret; PKCE required. Default false. */
  publicClient: boolean;
  /** Certificates for `client_assertion`, with thumbprints computed. Default []. */
  certificates: ApplicationCertificate[];
}

/**
 * A directory role assignment, active or eligible (the model's, before it belongs to a tenant).
 * `id` is any non-empty string unique within the fixture (Graph's own ids are not GUIDs);
 * `directoryScopeId` defaults to `/`; `viaPim` defaults to true (false is only possible when
 * active); `endAt` null is a permanent assignment (the default).
 */
export type FixtureRoleAssignment = Omit<RoleAssignment, 'tenantId'>;

/** One PIM activation of an eligible role. */
export interface FixtureRoleActivation {
  /** As written, or a GUID derived from the tenant id and the activation's index. */
  id: string;
  principalId: string;
  roleTemplateId: string;
  /** Epoch ms. */
  activatedAt: number;
}

/** PIM activation settings for one role. */
export interface FixtureRoleSetting {
  roleTemplateId: string;
  requireMfaOnActivation: boolean;
}

/**
 * An alert configuration exactly as written, apart from the checked `alertType` and
 * `isEnabled`. The alerts module validates the type-specific settings (`duration`, …).
 */
export interface FixtureAlertConfiguration {
  alertType: FixtureAlertType;
  isEnabled?: boolean;
  [setting: string]: unknown;
}

/** A validated, normalised tenant fixture: every array present, every default applied. */
export interface TenantFixture {
  tenant: FixtureTenant;
  users: FixtureUser[];
  applications: FixtureApplication[];
  roleAssignments: FixtureRoleAssignment[];
  roleActivations: FixtureRoleActivation[];
  roleSettings: FixtureRoleSetting[];
  alertConfigurations: FixtureAlertConfiguration[];
  /** Control API rules (docs/controls.md), validated; a re-import replaces the tenant's rules. */
  rules: ValidRule[];
}

/** What `validateFixture` answers: the fixture, or every problem found in it. */
export type FixtureValidation = { ok: true; fixture: TenantFixture } | { ok: false; errors: FixtureError[] };

/** The fixture file as written (example: fixtures/demo-tenant.json). Dates are ISO 8601 strings. */
export interface TenantFixtureJson {
  tenant: {
    id: string;
    displayName: string;
    defaultDomain: string;
    licenses?: string[];
    passwordLockout?: { threshold?: number; durationSeconds?: number };
  };
  users?: Array<{
    id: string;
    userPrincipalName: string;
    displayName: string;
    password?: string;
    accountEnabled?: boolean;
    createdDateTime: string;
    lastSignInDateTime?: string | null;
    accountType?: AccountType;
  }>;
  applications?: Array<{
    appId: string;
    displayName: string;
    secret?: string;
    applicationPermissions?: string[];
    delegatedPermissions?: string[];
    redirectUris?: string[];
    publicClient?: boolean;
    certificates?: Array<{ certificatePem: string }>;
  }>;
  roleAssignments?: Array<{
    id: string;
    principalId: string;
    roleTemplateId: string;
    directoryScopeId?: string;
    assignmentType: AssignmentType;
    viaPim?: boolean;
    createdDateTime: string;
    endDateTime?: string | null;
  }>;
  roleActivations?: Array<{
    id?: string;
    principalId: string;
    roleTemplateId: string;
    activatedDateTime: string;
  }>;
  roleSettings?: Array<{ roleTemplateId: string; requireMfaOnActivation: boolean }>;
  alertConfigurations?: Array<{ alertType: string; isEnabled?: boolean; [setting: string]: unknown }>;
  /** Control API rules as `POST /_longrun/v1/rules` takes them, without id (docs/controls.md). */
  rules?: Array<Record<string, unknown>>;
}
