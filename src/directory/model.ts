/**
 * The directory: what a tenant is made of. These are the domain shapes shared by fixture
 * import, the login authority, the policy and the alert evaluators. Times are epoch
 * milliseconds (UTC); storage and the wire convert at their edges.
 */

export type AccountType = 'member' | 'guest' | 'personal';
export type AssignmentType = 'active' | 'eligible';

export interface Tenant {
  id: string;
  displayName: string;
  defaultDomain: string;
  /** Licence SKU part numbers, e.g. `AAD_PREMIUM_P2`, `IDENTITY_GOVERNANCE`. */
  licenses: string[];
}

export interface DirectoryUser {
  tenantId: string;
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled: boolean;
  accountType: AccountType;
  createdAt: number;
  lastSignInAt: number | null;
  /** Set by an admin password reset: the user must change the password at next sign-in. */
  forceChangePasswordNextSignIn: boolean;
}

export interface Application {
  tenantId: string;
  appId: string;
  displayName: string;
  /** Application permissions (app roles) granted to the app, by name. */
  applicationPermissions: string[];
  /** Delegated permissions the app may request for a signed-in user, by name. */
  delegatedPermissions: string[];
  hasSecret: boolean;
  /** Where the authorization-code flow may send codes; compared exactly (docs/authentication.md). */
  redirectUris: string[];
  /** A public client (no secret): PKCE is required, device code and password grants need no secret. */
  publicClient: boolean;
  /** Certificates whose keys may sign a `client_assertion`. */
  certificates: ApplicationCertificate[];
}

/** A certificate registered on an application, found by its thumbprints (`x5t`, `x5t#S256`). */
export interface ApplicationCertificate {
  /** base64url SHA-1 of the DER certificate. */
  x5t: string;
  /** base64url SHA-256 of the DER certificate. */
  x5tS256: string;
  certificatePem: string;
}

/** Smart lockout settings of a tenant (Entra's defaults: 10 failures, 60 seconds). */
export interface PasswordLockoutSettings {
  threshold: number;
  durationSeconds: number;
}

export interface RoleAssignment {
  tenantId: string;
  id: string;
  principalId: string;
  roleTemplateId: string;
  directoryScopeId: string;
  assignmentType: AssignmentType;
  /** false: made outside Privileged Identity Management. */
  viaPim: boolean;
  createdAt: number;
  endAt: number | null;
}

export interface RoleActivation {
  tenantId: string;
  id: string;
  principalId: string;
  roleTemplateId: string;
  activatedAt: number;
}

export interface RoleSetting {
  tenantId: string;
  roleTemplateId: string;
  requireMfaOnActivation: boolean;
}

/** Everything an alert evaluator may look at: one tenant's directory, read in one go. */
export interface DirectorySnapshot {
  tenant: Tenant;
  /** The users who hold or activated a role (principals of `roleAssignments` or `roleActivations`), by id. */
  users: DirectoryUser[];
  /** The assignments of the roles in the read's scope (the scan reads the privileged roles only). */
  roleAssignments: RoleAssignment[];
  /** The activations of the roles in the read's scope. */
  roleActivations: RoleActivation[];
  roleSettings: RoleSetting[];
  /**
   * Active assignments of the roles outside the read's scope that are unexpired at the read's
   * time, counted in the database instead of read (0 when the snapshot holds every assignment).
   */
  otherActiveAssignmentCount: number;
}

/** Which assignments and activations a snapshot reads in full (issue #16); the rest are only counted. */
export interface SnapshotScope {
  roleTemplateIds: readonly string[];
  /** Epoch ms: an assignment of another role counts when it is active and unexpired at this time. */
  now: number;
}
