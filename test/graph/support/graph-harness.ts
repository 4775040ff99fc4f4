/**
 * In-process harness for the Graph operation routes: the real service (buildService) on an
 * in-memory SQLite store, a small tenant imported through the real importer, and tokens from
 * the real token endpoint.
 */
import argon2 from 'argon2';
import { testConfig } from '../../../src/config/config.js';
import { importTenant } from '../../../src/directory/tenant-import.js';
import { buildService, type Service } from '../../../src/service.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { testStore } from '../../support/store.js';
import type { Store } from '../../../src/storage/store.js';
import type { OperationRecord } from '../../../src/operations/model.js';
import { tenantAFixture, tenantBFixture } from './fixtures.js';

export const PUBLIC_URL = 'http://longrun.test';
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
}
const usersOf = (fixture: Record<string, unknown>) => fixture.users as FixtureUser[];

export type UserName =
  | 'pra'
  | 'globalReader'
  | 'secAdmin'
  | 'secReader'
  | 'authAdmin'
  | 'privAuthAdmin'
  | 'globalAdmin'
  | 'noRole'
  | 'personal'
  | 'target';

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

const hasher = { hash: (p: string) => argon2.hash(p, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 }) };

export interface Harness {
  service: Service;
  store: Store;
  clock: ManualClock;
  inject: Service['app']['fastify']['inject'];
  close(): Promise<void>;
}

export async function buildHarness(): Promise<Harness> {
  const clock = new ManualClock(START);
  const { store } = { store: await testStore(() => clock.now()) };
  for (const fixture of [tenantA, tenantB]) {
    const result = await importTenant(store, fixture, hasher, clock.now());
    if (!result.ok) throw new Error(`fixture import failed: ${JSON.stringify(result.errors)}`);
  }
  const service = await buildService({
    config: testConfig({ concurrency: 0 }),
    publicUrl: PUBLIC_URL,
    store,
    clock,
    logger: silentLogger(),
  });
  const fastify = service.app.fastify;
  return {
    service,
    store,
    clock,
    inject: fastify.inject.bind(fastify),
    async close() {
      await fastify.close();
      await store.close();
    },
  };
}

export interface Res {
  status: number;
  body: any;
  headers: Record<string, string | string[] | number | undefined>;
  raw: string;
}

export async function get(h: Harness, url: string, token?: string, headers: Record<string, string> = {}): Promise<Res> {
  const res = await h.service.app.fastify.inject({
    method: 'GET',
    url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
  let body: unknown;
  try {
    body = res.json();
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, body, headers: res.headers, raw: res.body };
}

async function token(h: Harness, domain: string, form: Record<string, string>): Promise<string> {
  const res = await h.service.app.fastify.inject({
    method: 'POST',
    url: `/${domain}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
  const body = res.json<Record<string, unknown>>();
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${JSON.stringify(body)}`);
  return String(body.access_token);
}

const caches = new WeakMap<Harness, Map<string, string>>();

/** A delegated token of a tenant-A user (through the `least` app, which may request every permission). */
export async function userToken(h: Harness, name: UserName, scopes: string[]): Promise<string> {
  let cache = caches.get(h);
  if (!cache) caches.set(h, (cache = new Map()));
  const key = `${name}|${scopes.join(' ')}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const u = userA(name);
  const t = await token(h, DOMAIN_A, {
    grant_type: 'password',
    client_id: APPS.least.id,
    client_secret: APPS.least.secret,
    username: u.userPrincipalName,
    password: u.password,
    scope: scopes.join(' '),
  });
  cache.set(key, t);
  return t;
}

export async function appToken(h: Harness, app: keyof typeof APPS): Promise<string> {
  return token(h, DOMAIN_A, {
    grant_type: 'client_credentials',
    client_id: APPS[app].id,
    client_secret: APPS[app].secret,
    scope: 'https://graph.microsoft.com/.default',
  });
}

export async function tenantBUserToken(h: Harness, scopes: string[]): Promise<string> {
  const u = userB();
  return token(h, DOMAIN_B, {
    grant_type: 'password',
    client_id: APP_B.id,
    client_secret: APP_B.secret,
    username: u.userPrincipalName,
    password: u.password,
    scope: scopes.join(' '),
  });
}

export const alertRefreshId = (tenantId: string, alertType = 'StaleSignInAlert'): string =>
  `refresh:DirectoryRole_${tenantId}_${alertType}`;
export const alertUrl = (tenantId: string, alertType = 'StaleSignInAlert'): string =>
  `${PUBLIC_URL}/beta/identityGovernance/roleManagementAlerts/alerts/DirectoryRole_${tenantId}_${alertType}`;

export async function insertAlertRefresh(h: Harness, tenantId: string = TENANT_A, alertType = 'StaleSignInAlert'): Promise<OperationRecord> {
  return h.store.operations.insert(
    { id: alertRefreshId(tenantId, alertType), tenantId, kind: 'alertRefresh', targetId: `DirectoryRole_${tenantId}_${alertType}`, input: {}, maxAttempts: 3 },
    h.clock.now(),
  );
}

export async function insertPasswordReset(h: Harness, id: string, targetUserId: string, tenantId: string = TENANT_A): Promise<OperationRecord> {
  return h.store.operations.insert({ id, tenantId, kind: 'passwordReset', targetId: targetUserId, input: {}, maxAttempts: 3 }, h.clock.now());
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
