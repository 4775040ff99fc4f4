/**
 * The Graph operation suites' tenants (test/support/fixtures/graph-tenants.ts) on the shared
 * harness, with helpers that insert and settle operations directly in the store.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../src/config/config.js';
import type { OperationRecord } from '../../src/operations/model.js';
import { ManualClock } from '../../src/shared/clock.js';
import { appToken as appTokenFor, PUBLIC_URL, startTestService, userToken as userTokenFor, type Res, type TestService } from './harness.js';
import { tenantAFixture, tenantBFixture } from './fixtures/graph-tenants.js';
import { personalAccountToken } from './personal-token.js';

export { PUBLIC_URL, type Res };
export const START = Date.UTC(2026, 2, 1, 12, 0, 0);
export const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;

export const tenantA = tenantAFixture as unknown as Record<string, unknown>;
export const tenantB = tenantBFixture as unknown as Record<string, unknown>;

export const TENANT_A = (tenantA.tenant as { id: string }).id;
export const DOMAIN_A = (tenantA.tenant as { defaultDomain: string }).defaultDomain;
export const TENANT_B = (tenantB.tenant as { id: string }).id;
export const DOMAIN_B = (tenantB.tenant as { defaultDomain: string }).defaultDomain;

interface FixtureUser {
  id: string;
  userPrincipalName: string;
  password: string;
  accountType: string;
}
const usersOf = (fixture: Record<string, unknown>) => fixture.users as FixtureUser[];

export type UserName =
  'pra' | 'globalReader' | 'secAdmin' | 'secReader' | 'authAdmin' | 'privAuthAdmin' | 'globalAdmin' | 'noRole' | 'personal' | 'target';

/** The user of tenant A whose UPN starts with `name@`. */
export function userA(name: UserName): FixtureUser {
  const u = usersOf(tenantA).find((x) => x.userPrincipalName.startsWith(`${name.toLowerCase()}@`));
  if (!u) throw new Error(`no user ${name} in the fixture`);
  return u;
}
export const userB = (): FixtureUser => usersOf(tenantB)[0]!;

export const APPS = {
  /** Secret; every delegated permission; application: RoleManagementAlert.Read.Directory + UserAuthenticationMethod.Read.All. */
  least: { id: 'a0000000-0000-4000-8000-000000000001', secret: 'least-app-secret-1' },
  /** Secret; application: the ReadWrite ones. */
  higher: { id: 'a0000000-0000-4000-8000-000000000002', secret: 'higher-app-secret-2' },
  /** Secret; NO application permissions. */
  none: { id: 'a0000000-0000-4000-8000-000000000003', secret: 'none-app-secret-3' },
} as const;
export const APP_B = { id: 'b0000000-0000-4000-8000-000000000001', secret: 'tenant-b-secret' };

/** The shared test service, its manual clock, and Fastify's raw `inject` for requests `request()` cannot shape. */
export type Harness = TestService & { clock: ManualClock; inject: FastifyInstance['inject'] };

export async function buildHarness(options: { config?: Partial<Config> } = {}): Promise<Harness> {
  const clock = new ManualClock(START);
  const t = await startTestService({ clock, fixtures: [tenantA, tenantB], ...(options.config ? { config: options.config } : {}) });
  const fastify = t.service.app.fastify;
  const inject: FastifyInstance['inject'] = fastify.inject.bind(fastify);
  return { ...t, clock, inject };
}

export const get = (h: Harness, url: string, token?: string, headers: Record<string, string> = {}): Promise<Res> =>
  h.get(url, token, headers);

const caches = new WeakMap<Harness, Map<string, string>>();

/** A delegated token of a tenant-A user (through the `least` app, which may request every permission). */
export async function userToken(h: Harness, name: UserName, scopes: string[]): Promise<string> {
  let cache = caches.get(h);
  if (!cache) caches.set(h, (cache = new Map()));
  const key = `${name}|${scopes.join(' ')}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const u = userA(name);
  // The password grant refuses personal accounts (as Entra does); they sign in interactively.
  const t =
    u.accountType === 'personal'
      ? await personalAccountToken(h.service, { tenant: DOMAIN_A, user: u.id, clientId: APPS.least.id, scopes })
      : await userTokenFor(h, DOMAIN_A, APPS.least, { upn: u.userPrincipalName, password: u.password }, scopes);
  cache.set(key, t);
  return t;
}

export async function appToken(h: Harness, app: keyof typeof APPS): Promise<string> {
  return appTokenFor(h, DOMAIN_A, APPS[app]);
}

export async function tenantBUserToken(h: Harness, scopes: string[]): Promise<string> {
  const u = userB();
  return userTokenFor(h, DOMAIN_B, APP_B, { upn: u.userPrincipalName, password: u.password }, scopes);
}

export const alertRefreshId = (tenantId: string, alertType = 'StaleSignInAlert'): string =>
  `refresh:DirectoryRole_${tenantId}_${alertType}`;
export const alertUrl = (tenantId: string, alertType = 'StaleSignInAlert'): string =>
  `${PUBLIC_URL}/beta/identityGovernance/roleManagementAlerts/alerts/DirectoryRole_${tenantId}_${alertType}`;

export async function insertAlertRefresh(
  h: Harness,
  tenantId: string = TENANT_A,
  alertType = 'StaleSignInAlert',
): Promise<OperationRecord> {
  return h.store.operations.insert(
    {
      id: alertRefreshId(tenantId, alertType),
      tenantId,
      kind: 'alertRefresh',
      targetId: `DirectoryRole_${tenantId}_${alertType}`,
      input: {},
      maxAttempts: 3,
    },
    h.clock.now(),
  );
}

export async function insertPasswordReset(
  h: Harness,
  id: string,
  targetUserId: string,
  tenantId: string = TENANT_A,
): Promise<OperationRecord> {
  return h.store.operations.insert(
    { id, tenantId, kind: 'passwordReset', targetId: targetUserId, input: {}, maxAttempts: 3 },
    h.clock.now(),
  );
}

/** Claims everything claimable now (moves notStarted → running); returns the leases by id. */
export async function claimAll(h: Harness): Promise<Map<string, string>> {
  const claimed = await h.store.operations.claim('w', h.clock.now(), 30_000, 100);
  return new Map(claimed.map((c) => [c.id, c.leaseToken]));
}

export async function succeed(h: Harness, id: string, leaseToken: string, resourceLocation = ''): Promise<void> {
  const ok = await h.store.operations.finish(id, leaseToken, { status: 'succeeded', statusDetail: '', resourceLocation }, h.clock.now());
  if (!ok) throw new Error(`finish(${id}) lost its lease`);
}

export const guid = (n: number): string => `0a000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
