import type {
  Application,
  PasswordLockoutSettings,
  DirectorySnapshot,
  DirectoryUser,
  RoleActivation,
  RoleAssignment,
  RoleSetting,
  SnapshotScope,
  Tenant,
} from '../directory/model.js';
import { readDirectorySnapshot } from './directory-snapshot.js';
import { bool, fromBool, type Dialect, type SqlClient } from './sql.js';

/** A tenant's directory as it is written on import: secrets already hashed. */
export interface TenantRecords {
  tenant: Tenant;
  /** Absent or null: Entra's defaults. */
  passwordLockout?: PasswordLockoutSettings | null;
  users: Array<DirectoryUser & { passwordHash: string | null }>;
  /** The sign-in fields (redirect URIs, public client, certificates) default to none. */
  applications: Array<
    Omit<Application, 'redirectUris' | 'publicClient' | 'certificates'> &
      Partial<Pick<Application, 'redirectUris' | 'publicClient' | 'certificates'>> & { secretHash: string | null }
  >;
  roleAssignments: RoleAssignment[];
  roleActivations: RoleActivation[];
  roleSettings: RoleSetting[];
  alertConfigurations: Array<{ alertType: string; isEnabled: boolean; settings: Record<string, unknown> }>;
}

interface UserRow {
  tenant_id: string;
  id: string;
  user_principal_name: string;
  display_name: string;
  account_enabled: number;
  account_type: DirectoryUser['accountType'];
  created_at: number;
  last_sign_in_at: number | null;
  force_change_password: number;
  password_hash: string | null;
}

const toUser = (r: Omit<UserRow, 'password_hash'>): DirectoryUser => ({
  tenantId: r.tenant_id,
  id: r.id,
  userPrincipalName: r.user_principal_name,
  displayName: r.display_name,
  accountEnabled: fromBool(r.account_enabled),
  accountType: r.account_type,
  createdAt: Number(r.created_at),
  lastSignInAt: r.last_sign_in_at === null ? null : Number(r.last_sign_in_at),
  forceChangePasswordNextSignIn: fromBool(r.force_change_password),
});

interface AssignmentRow {
  tenant_id: string;
  id: string;
  principal_id: string;
  role_template_id: string;
  directory_scope_id: string;
  assignment_type: RoleAssignment['assignmentType'];
  via_pim: number;
  created_at: number;
  end_at: number | null;
}

const toAssignment = (r: AssignmentRow): RoleAssignment => ({
  tenantId: r.tenant_id,
  id: r.id,
  principalId: r.principal_id,
  roleTemplateId: r.role_template_id,
  directoryScopeId: r.directory_scope_id,
  assignmentType: r.assignment_type,
  viaPim: fromBool(r.via_pim),
  createdAt: Number(r.created_at),
  endAt: r.end_at === null ? null : Number(r.end_at),
});

interface ApplicationRow {
  tenant_id: string;
  app_id: string;
  display_name: string;
  secret_hash: string | null;
  application_permissions: string;
  delegated_permissions: string;
  redirect_uris: string;
  public_client: number;
  certificates: string;
}

const toApplication = (row: ApplicationRow): Application & { secretHash: string | null } => ({
  tenantId: row.tenant_id,
  appId: row.app_id,
  displayName: row.display_name,
  secretHash: row.secret_hash,
  hasSecret: row.secret_hash !== null,
  applicationPermissions: JSON.parse(row.application_permissions) as string[],
  delegatedPermissions: JSON.parse(row.delegated_permissions) as string[],
  redirectUris: JSON.parse(row.redirect_uris) as string[],
  publicClient: fromBool(row.public_client),
  certificates: JSON.parse(row.certificates) as Application['certificates'],
});

/** Tenants, users, applications and roles. */
export class DirectoryRepository {
  constructor(
    private readonly sql: SqlClient,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Replaces one tenant's directory data. Must run inside a transaction so a re-import is
   * atomic: readers see the old tenant or the new one, never a mix. Operations, signing keys
   * and alert state are kept.
   */
  async replaceTenant(records: TenantRecords, now: number): Promise<void> {
    const t = records.tenant;
    const id = t.id;
    // Nodes importing the same tenant at once (three fresh nodes seeding the demo) take turns.
    if (this.dialect.keyLockStatement) await this.sql.query(this.dialect.keyLockStatement, [`tenant:${id}`]);
    for (const table of ['users', 'applications', 'role_assignments', 'role_activations', 'role_settings', 'alert_configurations']) {
      await this.sql.execute(`DELETE FROM ${table} WHERE tenant_id = ?`, [id]);
    }
    await this.sql.execute(
      `INSERT INTO tenants (id, display_name, default_domain, licenses, imported_at, password_lockout) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, default_domain = excluded.default_domain,
         licenses = excluded.licenses, imported_at = excluded.imported_at, password_lockout = excluded.password_lockout`,
      [
        id,
        t.displayName,
        t.defaultDomain.toLowerCase(),
        JSON.stringify(t.licenses),
        now,
        records.passwordLockout ? JSON.stringify(records.passwordLockout) : null,
      ],
    );
    for (const u of records.users) {
      await this.sql.execute(
        `INSERT INTO users (tenant_id, id, user_principal_name, upn_lower, display_name, password_hash, account_enabled,
           account_type, created_at, last_sign_in_at, force_change_password)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          u.id,
          u.userPrincipalName,
          u.userPrincipalName.toLowerCase(),
          u.displayName,
          u.passwordHash,
          bool(u.accountEnabled),
          u.accountType,
          u.createdAt,
          u.lastSignInAt,
          bool(u.forceChangePasswordNextSignIn),
        ],
      );
    }
    for (const a of records.applications) {
      await this.sql.execute(
        `INSERT INTO applications (tenant_id, app_id, display_name, secret_hash, application_permissions, delegated_permissions,
           redirect_uris, public_client, certificates)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          a.appId,
          a.displayName,
          a.secretHash,
          JSON.stringify(a.applicationPermissions),
          JSON.stringify(a.delegatedPermissions),
          JSON.stringify(a.redirectUris ?? []),
          bool(a.publicClient ?? false),
          JSON.stringify(a.certificates ?? []),
        ],
      );
    }
    for (const r of records.roleAssignments) {
      await this.sql.execute(
        `INSERT INTO role_assignments (tenant_id, id, principal_id, role_template_id, directory_scope_id, assignment_type, via_pim, created_at, end_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, r.id, r.principalId, r.roleTemplateId, r.directoryScopeId, r.assignmentType, bool(r.viaPim), r.createdAt, r.endAt],
      );
    }
    for (const r of records.roleActivations) {
      await this.sql.execute(
        `INSERT INTO role_activations (tenant_id, id, principal_id, role_template_id, activated_at) VALUES (?, ?, ?, ?, ?)`,
        [id, r.id, r.principalId, r.roleTemplateId, r.activatedAt],
      );
    }
    for (const s of records.roleSettings) {
      await this.sql.execute(`INSERT INTO role_settings (tenant_id, role_template_id, require_mfa_on_activation) VALUES (?, ?, ?)`, [
        id,
        s.roleTemplateId,
        bool(s.requireMfaOnActivation),
      ]);
    }
    for (const c of records.alertConfigurations) {
      await this.sql.execute(`INSERT INTO alert_configurations (tenant_id, alert_type, is_enabled, settings) VALUES (?, ?, ?, ?)`, [
        id,
        c.alertType,
        bool(c.isEnabled),
        JSON.stringify(c.settings),
      ]);
    }
  }

  async tenantCount(): Promise<number> {
    const row = await this.sql.queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM tenants`);
    return Number(row?.n ?? 0);
  }

  /** By tenant id or default domain (case-insensitive). */
  async findTenant(idOrDomain: string): Promise<Tenant | undefined> {
    const row = await this.sql.queryOne<{ id: string; display_name: string; default_domain: string; licenses: string }>(
      `SELECT id, display_name, default_domain, licenses FROM tenants WHERE id = ? OR default_domain = ?`,
      [idOrDomain.toLowerCase(), idOrDomain.toLowerCase()],
    );
    return (
      row && {
        id: row.id,
        displayName: row.display_name,
        defaultDomain: row.default_domain,
        licenses: JSON.parse(row.licenses) as string[],
      }
    );
  }

  async listTenants(): Promise<Tenant[]> {
    const rows = await this.sql.query<{ id: string; display_name: string; default_domain: string; licenses: string }>(
      `SELECT id, display_name, default_domain, licenses FROM tenants ORDER BY display_name`,
    );
    return rows.map((row) => ({
      id: row.id,
      displayName: row.display_name,
      defaultDomain: row.default_domain,
      licenses: JSON.parse(row.licenses) as string[],
    }));
  }

  /** By object id or user principal name (case-insensitive), within one tenant. */
  async findUser(tenantId: string, idOrUpn: string): Promise<DirectoryUser | undefined> {
    const row = await this.sql.queryOne<UserRow>(`SELECT * FROM users WHERE tenant_id = ? AND (id = ? OR upn_lower = ?)`, [
      tenantId,
      idOrUpn.toLowerCase(),
      idOrUpn.toLowerCase(),
    ]);
    return row && toUser(row);
  }

  /** The user and their password hash, for the password grant. */
  async findUserCredentials(tenantId: string, upn: string): Promise<{ user: DirectoryUser; passwordHash: string | null } | undefined> {
    const row = await this.sql.queryOne<UserRow>(`SELECT * FROM users WHERE tenant_id = ? AND upn_lower = ?`, [
      tenantId,
      upn.toLowerCase(),
    ]);
    return row && { user: toUser(row), passwordHash: row.password_hash };
  }

  async listUsers(tenantId: string): Promise<DirectoryUser[]> {
    const rows = await this.sql.query<UserRow>(`SELECT * FROM users WHERE tenant_id = ? ORDER BY id`, [tenantId]);
    return rows.map(toUser);
  }

  /** Stores a new password hash; the user must change it at next sign-in (an admin reset). */
  async setPassword(tenantId: string, userId: string, passwordHash: string, forceChange: boolean, now: number): Promise<boolean> {
    const n = await this.sql.execute(
      `UPDATE users SET password_hash = ?, force_change_password = ?, password_changed_at = ? WHERE tenant_id = ? AND id = ?`,
      [passwordHash, bool(forceChange), now, tenantId, userId],
    );
    return n === 1;
  }

  async recordSignIn(tenantId: string, userId: string, now: number): Promise<void> {
    await this.sql.execute(`UPDATE users SET last_sign_in_at = ? WHERE tenant_id = ? AND id = ?`, [now, tenantId, userId]);
  }

  async findApplication(tenantId: string, appId: string): Promise<(Application & { secretHash: string | null }) | undefined> {
    const row = await this.sql.queryOne<ApplicationRow>(`SELECT * FROM applications WHERE tenant_id = ? AND app_id = ?`, [
      tenantId,
      appId.toLowerCase(),
    ]);
    return row && toApplication(row);
  }

  /** Every tenant's registration of a client id (for the multi-tenant `common` / `organizations` authorities). */
  async findApplicationInAnyTenant(appId: string): Promise<Array<Application & { secretHash: string | null }>> {
    const rows = await this.sql.query<ApplicationRow>(`SELECT * FROM applications WHERE app_id = ? ORDER BY tenant_id`, [
      appId.toLowerCase(),
    ]);
    return rows.map(toApplication);
  }

  /** The tenant's smart-lockout settings; undefined when the fixture left Entra's defaults. */
  async passwordLockout(tenantId: string): Promise<PasswordLockoutSettings | undefined> {
    const row = await this.sql.queryOne<{ password_lockout: string | null }>(`SELECT password_lockout FROM tenants WHERE id = ?`, [
      tenantId,
    ]);
    return row?.password_lockout ? (JSON.parse(row.password_lockout) as PasswordLockoutSettings) : undefined;
  }

  /** Enables or disables an account; false when the user does not exist. */
  async setAccountEnabled(tenantId: string, userId: string, enabled: boolean): Promise<boolean> {
    return (
      (await this.sql.execute(`UPDATE users SET account_enabled = ? WHERE tenant_id = ? AND id = ?`, [bool(enabled), tenantId, userId])) ===
      1
    );
  }

  async roleAssignmentsOf(tenantId: string, principalId: string): Promise<RoleAssignment[]> {
    const rows = await this.sql.query<AssignmentRow>(
      `SELECT * FROM role_assignments WHERE tenant_id = ? AND principal_id = ? ORDER BY id`,
      [tenantId, principalId],
    );
    return rows.map(toAssignment);
  }

  async deleteRoleAssignments(tenantId: string, ids: string[]): Promise<number> {
    let n = 0;
    for (const id of ids) n += await this.sql.execute(`DELETE FROM role_assignments WHERE tenant_id = ? AND id = ?`, [tenantId, id]);
    return n;
  }

  async setRequireMfaOnActivation(tenantId: string, roleTemplateId: string, required: boolean): Promise<void> {
    await this.sql.execute(
      `INSERT INTO role_settings (tenant_id, role_template_id, require_mfa_on_activation) VALUES (?, ?, ?)
       ON CONFLICT (tenant_id, role_template_id) DO UPDATE SET require_mfa_on_activation = excluded.require_mfa_on_activation`,
      [tenantId, roleTemplateId, bool(required)],
    );
  }

  /**
   * Everything an alert evaluator reads, in one consistent read (call inside a transaction):
   * see directory-snapshot.ts for what `scope` keeps out.
   */
  async snapshot(tenantId: string, scope: SnapshotScope): Promise<DirectorySnapshot | undefined> {
    const tenant = await this.findTenant(tenantId);
    return tenant && readDirectorySnapshot(this.sql, tenant, scope);
  }
}
