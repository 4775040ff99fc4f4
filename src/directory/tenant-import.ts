import { defaultConfigurations, validateFixtureConfiguration, type AlertConfiguration } from '../alerts/configuration.js';
import { newGuid } from '../shared/ids.js';
import type { Store } from '../storage/store.js';
import type { TenantRecords } from '../storage/directory-repository.js';
import type { FixtureError, TenantFixture } from './fixture.js';
import { validateFixture } from './fixture-validate.js';

export interface SecretHasher {
  hash(clear: string): Promise<string>;
}

/** Reports how far an import got: passwords and secrets hashed so far (the write follows the last). */
export type ImportProgress = (step: 'hashing passwords', done: number, total: number) => void;

export type ImportResult =
  { ok: true; tenantId: string; users: number; applications: number; roleAssignments: number } | { ok: false; errors: FixtureError[] };

/**
 * Validates a whole fixture, hashes its passwords and secrets, then replaces the tenant in one
 * transaction: a bad file changes nothing, a good one replaces the tenant atomically.
 */
export async function importTenant(
  store: Store,
  input: unknown,
  hasher: SecretHasher,
  now: number,
  onProgress: ImportProgress = () => undefined,
): Promise<ImportResult> {
  const validation = validateFixture(input);
  if (!validation.ok) return validation;
  const fixture = validation.fixture;
  const configurations = alertConfigurationsOf(fixture);
  if (!configurations.ok) return configurations;
  const records = await hashSecrets(fixture, hasher, onProgress);
  records.alertConfigurations = configurations.value.map(({ alertType, isEnabled, ...settings }) => ({ alertType, isEnabled, settings }));
  await store.transaction(async (tx) => {
    await tx.directory.replaceTenant(records, now);
    // A new or replaced directory is scanned for PIM alerts at once (docs/alerts.md, "Background scans").
    await tx.alerts.scanSoon(fixture.tenant.id);
    // The fixture's control rules replace the tenant's (docs/controls.md), in the same transaction.
    await tx.controlRules.clear(fixture.tenant.id);
    for (const [i, rule] of fixture.rules.entries()) {
      await tx.controlRules.insert({
        tenantId: fixture.tenant.id,
        id: newGuid(),
        type: rule.type,
        body: rule.body,
        timesLeft: rule.timesLeft,
        createdAt: now + i,
      });
    }
  });
  return {
    ok: true,
    tenantId: fixture.tenant.id,
    users: fixture.users.length,
    applications: fixture.applications.length,
    roleAssignments: fixture.roleAssignments.length,
  };
}

/** Every alert type gets a configuration: the fixture's values over Graph's observed defaults. */
function alertConfigurationsOf(fixture: TenantFixture): { ok: true; value: AlertConfiguration[] } | { ok: false; errors: FixtureError[] } {
  const byType = new Map(defaultConfigurations().map((c) => [c.alertType, c]));
  const errors: FixtureError[] = [];
  fixture.alertConfigurations.forEach((raw, i) => {
    const result = validateFixtureConfiguration(raw);
    if (result.ok) byType.set(result.configuration.alertType, result.configuration);
    else
      for (const e of result.errors)
        errors.push({ path: `alertConfigurations[${i}]${e.property ? `.${e.property}` : ''}`, message: e.message });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: [...byType.values()] };
}

/** Hashes with bounded parallelism: argon2 runs on libuv's thread pool. */
async function hashSecrets(fixture: TenantFixture, hasher: SecretHasher, onProgress: ImportProgress): Promise<TenantRecords> {
  const tenantId = fixture.tenant.id;
  const total = fixture.users.length + fixture.applications.length;
  let hashed = 0;
  const progressed = () => onProgress('hashing passwords', ++hashed, total);
  const users = new Array<TenantRecords['users'][number]>(fixture.users.length);
  await inParallel(fixture.users, 4, async (u, i) => {
    users[i] = {
      tenantId,
      id: u.id,
      userPrincipalName: u.userPrincipalName,
      displayName: u.displayName,
      accountEnabled: u.accountEnabled,
      accountType: u.accountType,
      createdAt: u.createdAt,
      lastSignInAt: u.lastSignInAt,
      forceChangePasswordNextSignIn: false,
      passwordHash: u.password === undefined ? null : await hasher.hash(u.password),
    };
    progressed();
  });
  const applications: TenantRecords['applications'] = [];
  for (const a of fixture.applications) {
    applications.push({
      tenantId,
      appId: a.appId,
      displayName: a.displayName,
      applicationPermissions: a.applicationPermissions,
      delegatedPermissions: a.delegatedPermissions,
      hasSecret: a.secret !== undefined,
      redirectUris: a.redirectUris,
      publicClient: a.publicClient,
      certificates: a.certificates,
      secretHash: a.secret === undefined ? null : await hasher.hash(a.secret),
    });
    progressed();
  }
  const { passwordLockout, ...tenant } = fixture.tenant;
  return {
    tenant,
    passwordLockout: passwordLockout ?? null,
    users,
    applications,
    roleAssignments: fixture.roleAssignments.map((r) => ({ tenantId, ...r })),
    roleActivations: fixture.roleActivations.map((r) => ({ tenantId, ...r })),
    roleSettings: fixture.roleSettings.map((r) => ({ tenantId, ...r })),
    alertConfigurations: [],
  };
}

async function inParallel<T>(items: T[], width: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}
