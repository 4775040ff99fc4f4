/**
 * Drives the real service in-process for the password-reset HTTP tests: buildService on a
 * SQLite store (in memory, or a file when a test greps the bytes), the tenant imported through
 * the real importer, tokens from the real token endpoint, and an executor the test runs by hand.
 */
import argon2 from 'argon2';
import { Writable } from 'node:stream';
import { testConfig } from '../../../src/config/config.js';
import { importTenant } from '../../../src/directory/tenant-import.js';
import { Executor } from '../../../src/operations/executor.js';
import { HandlerRegistry } from '../../../src/operations/handler.js';
import { buildService, operationHandlers, type Service } from '../../../src/service.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { createLogger, silentLogger, type Logger } from '../../../src/shared/logger.js';
import { openStore } from '../../../src/storage/open.js';
import { testStore } from '../../support/store.js';
import type { Store } from '../../../src/storage/store.js';
import { APP, DOMAIN, otherTenantFixture, resetTenantFixture, UAM_READWRITE_ALL, type FixtureUser } from './fixture.js';

export const PUBLIC_URL = 'http://longrun.test';
export const START = Date.UTC(2026, 5, 1, 9, 0, 0);
export const PASSWORD_METHOD = '28c10230-6103-485e-b985-444c60001490';

export interface Harness {
  service: Service;
  store: Store;
  clock: ManualClock;
  executor: Executor;
  close(): Promise<void>;
}

/** Collects every byte a logger writes, for tests that grep the logs. */
export class LogSink extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    done();
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export async function buildHarness(options: { dbUrl?: string; logger?: Logger } = {}): Promise<Harness> {
  const clock = new ManualClock(START);
  const store = options.dbUrl ? (await openStore(options.dbUrl, () => clock.now())).store : await testStore(() => clock.now());
  const hasher = { hash: (p: string) => argon2.hash(p, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 }) };
  for (const fixture of [resetTenantFixture, otherTenantFixture]) {
    const result = await importTenant(store, fixture, hasher, clock.now());
    if (!result.ok) throw new Error(`fixture import failed: ${JSON.stringify(result.errors)}`);
  }
  const logger = options.logger ?? silentLogger();
  const service = await buildService({ config: testConfig({ concurrency: 0 }), publicUrl: PUBLIC_URL, store, clock, logger });
  const executor = new Executor({ store, clock, logger, handlers: new HandlerRegistry(operationHandlers()), concurrency: 4 });
  return {
    service,
    store,
    clock,
    executor,
    async close() {
      await service.app.fastify.close();
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

export async function request(
  h: Harness,
  method: 'GET' | 'POST',
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Res> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
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
  return { status: res.statusCode, body, headers: res.headers, raw: res.body };
}

/** The token endpoint's answer to a password grant for `upn` / `password` (status and body). */
export async function passwordGrant(h: Harness, upn: string, password: string, scopes = [UAM_READWRITE_ALL]): Promise<Res> {
  const res = await h.service.app.fastify.inject({
    method: 'POST',
    url: `/${DOMAIN}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'password',
      client_id: APP.id,
      client_secret: APP.secret,
      username: upn,
      password,
      scope: scopes.join(' '),
    }).toString(),
  });
  return { status: res.statusCode, body: res.json(), headers: res.headers, raw: res.body };
}

export async function userToken(h: Harness, u: FixtureUser, scopes = [UAM_READWRITE_ALL]): Promise<string> {
  const res = await passwordGrant(h, u.userPrincipalName, u.password, scopes);
  if (res.status !== 200) throw new Error(`token for ${u.userPrincipalName} failed: ${res.status} ${res.raw}`);
  return String(res.body.access_token);
}

export async function appToken(h: Harness): Promise<string> {
  const res = await h.service.app.fastify.inject({
    method: 'POST',
    url: `/${DOMAIN}/oauth2/v2.0/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: APP.id,
      client_secret: APP.secret,
      scope: 'https://graph.microsoft.com/.default',
    }).toString(),
  });
  if (res.statusCode !== 200) throw new Error(`app token failed: ${res.statusCode} ${res.body}`);
  return String(res.json().access_token);
}

/** POST …/users/{key}/authentication/methods/{method}/resetPassword. */
export function resetPassword(
  h: Harness,
  token: string,
  userKey: string,
  body: unknown,
  options: { version?: 'v1.0' | 'beta'; methodId?: string; headers?: Record<string, string> } = {},
): Promise<Res> {
  const url = `/${options.version ?? 'v1.0'}/users/${encodeURIComponent(userKey)}/authentication/methods/${options.methodId ?? PASSWORD_METHOD}/resetPassword`;
  return request(h, 'POST', url, { token, body, ...(options.headers ? { headers: options.headers } : {}) });
}

/** Runs every claimable operation to its end with the harness's own executor. */
export async function runOperations(h: Harness): Promise<void> {
  while ((await h.executor.claimOnce()) > 0) await h.executor.drain();
  await h.executor.drain();
}

/** GETs the operation a 202's Location points at (origin stripped: the app is in-process). */
export function pollLocation(h: Harness, token: string, location: unknown): Promise<Res> {
  if (typeof location !== 'string' || !location.startsWith(PUBLIC_URL)) throw new Error(`unexpected Location ${String(location)}`);
  return request(h, 'GET', location.slice(PUBLIC_URL.length), { token });
}

export const operationIdOf = (location: unknown): string => String(location).split('/').pop()!;

export { createLogger };
