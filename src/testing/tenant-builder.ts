/**
 * Builds a tenant fixture (docs/testing.md, "A tenant of your own") from a few calls instead of
 * hand-written JSON: users with their roles (active, eligible, assigned outside PIM), sign-in
 * dates, applications and their permissions. Ids are derived from the names, so the same calls
 * give the same fixture; `build()` validates the result with the importer's own validator.
 */
import { createHash } from 'node:crypto';
import type { AccountType } from '../directory/model.js';
import type { TenantFixtureJson } from '../directory/fixture.js';
import { formatFixtureErrors, validateFixture } from '../directory/fixture-validate.js';
import { roleTemplates } from '../directory/roles.js';
import { isGuid } from '../shared/ids.js';

/** A built-in role by display name (`'Global Administrator'`) or template id. */
export type RoleName = string;

/** A role with the assignment's own dates. */
export interface RoleGrant {
  role: RoleName;
  /** Default: the user's createdDateTime. */
  since?: Date | string;
  /** Default: permanent. */
  until?: Date | string | null;
}

export interface UserOptions {
  displayName?: string;
  /** Default: a strong password derived from the name (readable in the built fixture). */
  password?: string;
  accountEnabled?: boolean;
  accountType?: AccountType;
  /** Default: 90 days before `now`. */
  createdDateTime?: Date | string;
  /** Default: one day before `now`; `null` for a user who never signed in. */
  lastSignIn?: Date | string | null;
  /** Active assignments made through PIM. */
  roles?: Array<RoleName | RoleGrant>;
  /** Eligible assignments (PIM). */
  eligible?: Array<RoleName | RoleGrant>;
  /** Active assignments made outside PIM (what the "roles assigned outside PIM" alert finds). */
  outsidePim?: Array<RoleName | RoleGrant>;
  /** PIM activations of eligible roles: when each happened. */
  activations?: Array<{ role: RoleName; at: Date | string }>;
}

export interface AppOptions {
  /** Default: derived from the display name. */
  appId?: string;
  /** Default: derived from the display name; `null` for an app without a secret. */
  secret?: string | null;
  /** Delegated permissions the app may request for users. */
  delegated?: string[];
  /** Application permissions granted to the app (client-credentials tokens carry them). */
  application?: string[];
}

export interface TenantOptions {
  /** Default: `contoso.onmicrosoft.com`. */
  domain?: string;
  /** Default: derived from the domain. */
  id?: string;
  /** Default: the domain's first label. */
  displayName?: string;
  /** Default: `['AAD_PREMIUM_P2']` (PIM needs it). */
  licenses?: string[];
  /** The instant default dates are relative to. Default: now. */
  now?: Date;
}

/** What a client app asks for by default: everything Longrun serves. */
export const ALL_DELEGATED_PERMISSIONS = [
  'RoleManagementAlert.Read.Directory',
  'RoleManagementAlert.ReadWrite.Directory',
  'UserAuthenticationMethod.Read.All',
  'UserAuthenticationMethod.ReadWrite.All',
  'User.Read',
  'User.Read.All',
];

const DAY = 86_400_000;

export class TenantBuilder {
  private readonly json: Required<Omit<TenantFixtureJson, 'tenant'>> & { tenant: TenantFixtureJson['tenant'] };
  private readonly now: number;

  constructor(options: TenantOptions = {}) {
    const domain = options.domain ?? 'contoso.onmicrosoft.com';
    this.now = (options.now ?? new Date()).getTime();
    const label = domain.split('.')[0] ?? domain;
    this.json = {
      tenant: {
        id: options.id ?? guidFrom('tenant', domain),
        displayName: options.displayName ?? label.charAt(0).toUpperCase() + label.slice(1),
        defaultDomain: domain,
        licenses: options.licenses ?? ['AAD_PREMIUM_P2'],
      },
      users: [],
      applications: [],
      roleAssignments: [],
      roleActivations: [],
      roleSettings: [],
      alertConfigurations: [],
      rules: [],
    };
  }

  get tenantId(): string {
    return this.json.tenant.id;
  }

  /** Adds a user; `name` is the UPN, or its local part (`ana` → `ana@{domain}`). */
  user(name: string, options: UserOptions = {}): this {
    const upn = name.includes('@') ? name : `${name}@${this.json.tenant.defaultDomain}`;
    const id = this.userId(upn);
    const created = iso(options.createdDateTime ?? this.now - 90 * DAY);
    this.json.users.push({
      id,
      userPrincipalName: upn,
      displayName: options.displayName ?? displayNameOf(upn),
      password: options.password ?? defaultPassword(upn),
      accountEnabled: options.accountEnabled ?? true,
      accountType: options.accountType ?? 'member',
      createdDateTime: created,
      lastSignInDateTime: options.lastSignIn === null ? null : iso(options.lastSignIn ?? this.now - DAY),
    });
    const assign = (grants: Array<RoleName | RoleGrant> | undefined, assignmentType: 'active' | 'eligible', viaPim: boolean) => {
      for (const g of grants ?? []) {
        const grant = typeof g === 'string' ? { role: g } : g;
        const roleTemplateId = roleId(grant.role);
        this.json.roleAssignments.push({
          id: guidFrom('assignment', this.json.tenant.id, id, roleTemplateId, assignmentType, String(viaPim)),
          principalId: id,
          roleTemplateId,
          directoryScopeId: '/',
          assignmentType,
          viaPim,
          createdDateTime: iso(grant.since ?? created),
          endDateTime: grant.until === undefined || grant.until === null ? null : iso(grant.until),
        });
      }
    };
    assign(options.roles, 'active', true);
    assign(options.eligible, 'eligible', true);
    assign(options.outsidePim, 'active', false);
    for (const a of options.activations ?? []) {
      this.json.roleActivations.push({ principalId: id, roleTemplateId: roleId(a.role), activatedDateTime: iso(a.at) });
    }
    return this;
  }

  /** Adds an application. Without any `app()` call, `build()` adds one client that may request every delegated permission. */
  app(displayName: string, options: AppOptions = {}): this {
    this.json.applications.push({
      appId: options.appId ?? guidFrom('app', this.json.tenant.id, displayName),
      displayName,
      ...(options.secret === null ? {} : { secret: options.secret ?? defaultSecret(this.json.tenant.id, displayName) }),
      applicationPermissions: options.application ?? [],
      delegatedPermissions: options.delegated ?? [],
    });
    return this;
  }

  /** PIM activation settings of one role. */
  roleSetting(role: RoleName, setting: { requireMfaOnActivation: boolean }): this {
    this.json.roleSettings.push({ roleTemplateId: roleId(role), ...setting });
    return this;
  }

  /** One alert's configuration, as Graph's alertConfiguration (e.g. `{ alertType: 'StaleSignInAlert', duration: 'P30D' }`). */
  alertConfiguration(configuration: { alertType: string; isEnabled?: boolean; [setting: string]: unknown }): this {
    this.json.alertConfigurations.push(configuration);
    return this;
  }

  /** The object id the builder gives a user (`name` as passed to `user()`). */
  userId(name: string): string {
    const upn = name.includes('@') ? name : `${name}@${this.json.tenant.defaultDomain}`;
    return guidFrom('user', this.json.tenant.id, upn.toLowerCase());
  }

  /** A deep copy of the fixture, validated; throws naming every bad field. */
  build(): TenantFixtureJson {
    const fixture = structuredClone(this.json);
    if (fixture.applications.length === 0) {
      fixture.applications.push({
        appId: guidFrom('app', fixture.tenant.id, 'Test client'),
        displayName: 'Test client',
        secret: defaultSecret(fixture.tenant.id, 'Test client'),
        applicationPermissions: ALL_DELEGATED_PERMISSIONS.filter((p) => p !== 'User.Read'),
        delegatedPermissions: [...ALL_DELEGATED_PERMISSIONS],
      });
    }
    const result = validateFixture(fixture);
    if (!result.ok) throw new Error(`the built tenant is not a valid fixture:\n${formatFixtureErrors(result.errors)}`);
    return fixture;
  }
}

/** Starts a tenant fixture: `tenant({ domain }).user('ana', { eligible: ['Global Administrator'] }).build()`. */
export function tenant(options: TenantOptions = {}): TenantBuilder {
  return new TenantBuilder(options);
}

function roleId(role: RoleName): string {
  if (isGuid(role)) return role.toLowerCase();
  const found = roleTemplates().find((t) => t.displayName.toLowerCase() === role.toLowerCase());
  if (!found) throw new Error(`unknown role '${role}': use a built-in role's display name (e.g. 'Global Administrator') or a template id`);
  return found.id;
}

/** A version-4-shaped GUID from a hash of the parts: stable across runs. */
function guidFrom(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[parseInt(h[16]!, 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Meets the password policy (length, three character classes) and is unique per user. */
function defaultPassword(upn: string): string {
  const h = createHash('sha256').update(`password\u0000${upn.toLowerCase()}`).digest('hex');
  return `Lr-${h.slice(0, 10)}-Kx7!`;
}

function defaultSecret(tenantId: string, appName: string): string {
  return `lr-secret-${createHash('sha256').update(`secret\u0000${tenantId}\u0000${appName}`).digest('hex').slice(0, 24)}`;
}

function displayNameOf(upn: string): string {
  const local = upn.split('@')[0] ?? upn;
  return local.charAt(0).toUpperCase() + local.slice(1);
}

function iso(value: Date | string | number): string {
  return typeof value === 'string' ? value : new Date(value).toISOString();
}
