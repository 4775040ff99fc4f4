/**
 * The real service in-process with the `subscriptions` extension on (buildService), on the
 * backend under test, with its executor running on the real clock and short subscription
 * timings; requests through fastify.inject, tokens from the real token endpoint.
 */
import argon2 from 'argon2';
import { testConfig } from '../../../src/config/config.js';
import { importTenant } from '../../../src/directory/tenant-import.js';
import { INTERNAL_OPERATION_KINDS } from '../../../src/operations/kinds.js';
import { extensionsOf } from '../../../src/extensions.js';
import { buildService, type Service } from '../../../src/service.js';
import { systemClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/logger.js';
import type { Store } from '../../../src/storage/store.js';
import type { SubscriptionSettings } from '../../../src/subscriptions/index.js';
import { testStore } from '../../support/store.js';
import { fixtureOf, TENANT_A, TENANT_B, UAM_READWRITE_ALL, type FixtureTenant, type FixtureUser } from './fixture.js';

export const PUBLIC_URL = 'http://longrun.test';
export const PASSWORD_METHOD = '28c10230-6103-485e-b985-444c60001490';

/** Short enough that tests never wait long, long enough for a loaded machine. */
export const TEST_SETTINGS: SubscriptionSettings = {
  validationTimeoutMs: 400,
  timeoutMs: 5_000,
  retryWindowMs: 60_000,
  backoff: { baseMs: 20, maxMs: 80 },
};

export interface Harness {
  service: Service;
  store: Store;
  close(): Promise<void>;
}

export async function buildHarness(options: { extension?: boolean; settings?: Partial<SubscriptionSettings> } = {}): Promise<Harness> {
  const store = await testStore();
  const hasher = { hash: (p: string) => argon2.hash(p, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 }) };
  for (const t of [TENANT_A, TENANT_B]) {
    const result = await importTenant(store, fixtureOf(t), hasher, systemClock.now());
    if (!result.ok) throw new Error(`fixture import failed: ${JSON.stringify(result.errors)}`);
  }
  const extensions = extensionsOf(options.extension === false ? [] : ['subscriptions']);
  const service = await buildService(
    { config: testConfig({ concurrency: 4, extensions }), publicUrl: PUBLIC_URL, store, clock: systemClock, logger: silentLogger() },
    { subscriptions: { ...TEST_SETTINGS, ...options.settings } },
  );
  service.executor?.start();
  return {
    service,
    store,
    async close() {
      await service.app.fastify.close();
      await service.executor?.stop(1_000);
      await store.close();
    },
  };
}

export interface Res {
  status: number;
  body: any;
  headers: Record<string, string | string[] | number | undefined>;
}

export async function request(
  h: Harness,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  options: { token?: string | undefined; body?: unknown } = {},
): Promise<Res> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await h.service.app.fastify.inject({
    method,
    url,
    headers,
    ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
  });
  let body: unknown;
  try {
    body = res.body === '' ? undefined : res.json();
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, body, headers: res.headers };
}

async function token(h: Harness, t: FixtureTenant, form: Record<string, string>): Promise<string> {
  const res = await h.service.app.fastify.inject({
    method: 'POST',
    url: `/${t.domain}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(form).toString(),
  });
  if (res.statusCode !== 200) throw new Error(`token request failed: ${res.statusCode} ${res.body}`);
  return String(res.json().access_token);
}

/** A delegated token of `u` in tenant `t`, through the tenant's subscriber app. */
export function userToken(h: Harness, t: FixtureTenant, u: FixtureUser, scopes: string[] = [UAM_READWRITE_ALL]): Promise<string> {
  return token(h, t, {
    grant_type: 'password',
    client_id: t.app.id,
    client_secret: t.app.secret,
    username: u.userPrincipalName,
    password: u.password,
    scope: scopes.join(' '),
  });
}

export function appToken(h: Harness, t: FixtureTenant, app: 'app' | 'bareApp' = 'app'): Promise<string> {
  return token(h, t, {
    grant_type: 'client_credentials',
    client_id: t[app].id,
    client_secret: t[app].secret,
    scope: 'https://graph.microsoft.com/.default',
  });
}

/** An expirationDateTime `minutes` from now. */
export const inMinutes = (minutes: number): string => new Date(Date.now() + minutes * 60_000).toISOString();

export function subscriptionBody(notificationUrl: string, resource: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    changeType: 'updated',
    notificationUrl,
    resource,
    expirationDateTime: inMinutes(60),
    clientState: 'secret-client-state',
    ...extra,
  };
}

/** POST …/resetPassword as `token`; returns the operation id from Location. */
export async function resetPassword(h: Harness, token: string, userId: string, newPassword: string): Promise<string> {
  const res = await request(h, 'POST', `/v1.0/users/${userId}/authentication/methods/${PASSWORD_METHOD}/resetPassword`, {
    token,
    body: { newPassword },
  });
  if (res.status !== 202) throw new Error(`resetPassword answered ${res.status} ${JSON.stringify(res.body)}`);
  return new URL(String(res.headers.location)).pathname.split('/').pop()!;
}

const count = async (store: Store, where: string, params: Array<string | number> = []): Promise<number> =>
  Number((await store.sql.queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM operations WHERE ${where}`, params))?.n ?? 0);

/** True once the operation is terminal and no notification delivery is still queued or running. */
export async function settled(h: Harness, operationId: string): Promise<boolean> {
  const op = await h.store.operations.get(operationId);
  if (!op || (op.status !== 'succeeded' && op.status !== 'failed')) return false;
  return (await count(h.store, `kind = ? AND status IN ('notStarted', 'running')`, [INTERNAL_OPERATION_KINDS.notificationDelivery])) === 0;
}

export const deliveries = (h: Harness): Promise<number> => count(h.store, `kind = ?`, [INTERNAL_OPERATION_KINDS.notificationDelivery]);
