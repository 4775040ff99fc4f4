/**
 * The one test harness: the real service (buildService) on the suite's backend, tenants imported
 * through the real importer with one cheap hasher, a clock the test owns, requests injected
 * in-process (or sent over a socket when the service listens), and tokens from the real token
 * endpoint. Every suite builds on it; suite-specific fixtures live beside it in test/support/.
 * Everything it opens is closed by `close()` and tracked by the leak guard.
 */
import type { LightMyRequestResponse } from 'fastify';
import { testConfig, type Config } from '../../src/config/config.js';
import { Executor } from '../../src/operations/executor.js';
import { HandlerRegistry, type OperationHandler } from '../../src/operations/handler.js';
import { buildService, operationHandlers, type Service } from '../../src/service.js';
import { ManualClock, type Clock } from '../../src/shared/clock.js';
import { silentLogger, type Logger } from '../../src/shared/logger.js';
import { openStore } from '../../src/storage/open.js';
import type { Store } from '../../src/storage/store.js';
import { trackClosable } from './leak-guard.js';
import { createTestDatabase } from './backends.js';
import { importFixtures } from './tenant.js';

/** The public URL every in-process service is built with (Location headers start with it). */
export const PUBLIC_URL = 'http://longrun.test';
export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';

/** A response as the tests read it: status, parsed JSON body (undefined if none), headers, raw text. */
export interface Res {
  status: number;
  body: any;
  headers: Record<string, string | string[] | number | undefined>;
  raw: string;
}

export function toRes(res: LightMyRequestResponse): Res {
  let body: unknown;
  try {
    body = res.body === '' ? undefined : res.json();
  } catch {
    body = undefined;
  }
  return { status: res.statusCode, body, headers: res.headers, raw: res.body };
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
export interface RequestOptions {
  token?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestService {
  service: Service;
  store: Store;
  clock: Clock;
  /** The store's database URL (a temp SQLite file or a fresh PostgreSQL schema). */
  dbUrl: string;
  /** http://127.0.0.1:PORT when built with `listen`, otherwise PUBLIC_URL (requests are injected). */
  baseUrl: string;
  /** One request, injected in-process: JSON body, bearer token, extra headers. */
  request(method: Method, url: string, options?: RequestOptions): Promise<Res>;
  get(url: string, token?: string, headers?: Record<string, string>): Promise<Res>;
  close(): Promise<void>;
}

export interface TestServiceOptions {
  /** Tenant fixtures (the JSON format of fixtures/demo-tenant.json) imported before the service starts. */
  fixtures?: unknown[];
  /** A ManualClock by default, starting at `start`. */
  clock?: Clock;
  start?: number;
  /** testConfig overrides; concurrency 0 (no executor) unless given. */
  config?: Partial<Config>;
  logger?: Logger;
  /** An existing database URL (e.g. a file a test greps); by default a fresh one of the suite's backend. */
  dbUrl?: string;
  /** Listen on 127.0.0.1 (a free port, or `port`), for browsers, SDKs and fetch. */
  listen?: boolean;
  port?: number;
  publicUrl?: string;
  tls?: { cert: Buffer; key: Buffer };
}

/** Builds the real service on a fresh database of the suite's backend with the given tenants imported. */
export async function startTestService(options: TestServiceOptions = {}): Promise<TestService> {
  const clock = options.clock ?? new ManualClock(options.start ?? Date.UTC(2026, 0, 1));
  const database = options.dbUrl ? undefined : await createTestDatabase();
  const dbUrl = options.dbUrl ?? database!.url;
  const { store } = await openStore(dbUrl, () => clock.now());
  trackClosable(`store ${dbUrl}`, store);
  try {
    await importFixtures(store, options.fixtures ?? [], clock.now());
  } catch (e) {
    await store.close();
    await database?.dispose();
    throw e;
  }
  const publicUrl = options.publicUrl ?? PUBLIC_URL;
  const service = await buildService({
    config: testConfig({ concurrency: 0, ...options.config }),
    publicUrl,
    store,
    clock,
    logger: options.logger ?? silentLogger(),
    ...(options.tls ? { tls: options.tls } : {}),
  });
  const fastify = service.app.fastify;
  trackClosable('service (fastify)', fastify);
  const baseUrl = options.listen ? await fastify.listen({ port: options.port ?? 0, host: '127.0.0.1' }) : publicUrl;
  const request = async (method: Method, url: string, o: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    if (o.body !== undefined) headers['content-type'] ??= 'application/json';
    return toRes(
      await fastify.inject({
        method,
        url,
        headers,
        ...(o.body !== undefined ? { payload: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}),
      }),
    );
  };
  return {
    service,
    store,
    clock,
    dbUrl,
    baseUrl,
    request,
    get: (url, token, headers) => request('GET', url, { token, ...(headers ? { headers } : {}) }),
    async close() {
      await service.executor?.stop(5_000);
      await fastify.close();
      await store.close();
      await database?.dispose();
    },
  };
}

/** An executor the test drives by hand (claimOnce + drain), optionally over wrapped handlers. */
export function manualExecutor(
  t: Pick<TestService, 'store' | 'clock'>,
  options: { handlers?: (handlers: OperationHandler[]) => OperationHandler[]; logger?: Logger } = {},
): Executor {
  const handlers = (options.handlers ?? ((h) => h))(operationHandlers());
  return new Executor({
    store: t.store,
    clock: t.clock,
    logger: options.logger ?? silentLogger(),
    handlers: new HandlerRegistry(handlers),
    concurrency: 4,
  });
}

/** Claims and runs everything claimable now, until nothing is left. */
export async function runQueued(executor: Executor): Promise<void> {
  while ((await executor.claimOnce()) > 0) await executor.drain();
  await executor.drain();
}

// ── tokens ──────────────────────────────────────────────────────────────────────────────────

export interface Client {
  id: string;
  secret?: string;
}

/** The form of a password grant (ROPC) for `username` through `client`. */
export function passwordGrantForm(client: Client, username: string, password: string, scopes: string[]): Record<string, string> {
  return {
    grant_type: 'password',
    client_id: client.id,
    ...(client.secret !== undefined ? { client_secret: client.secret } : {}),
    username,
    password,
    scope: scopes.join(' '),
  };
}

/** The form of a client-credentials grant for Graph. */
export function clientCredentialsForm(client: Client): Record<string, string> {
  return { grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret ?? '', scope: GRAPH_DEFAULT_SCOPE };
}

/** Something that can inject a request: a TestService's fastify, or the identity suite's bare app. */
interface Injector {
  inject: Service['app']['fastify']['inject'];
}
const injectorOf = (t: TestService | Injector): Injector => ('service' in t ? t.service.app.fastify : t);

/** POSTs `form` to `/{tenant}/oauth2/v2.0/token` and returns the answer as it is. */
export async function tokenRequest(
  t: TestService | Injector,
  tenant: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Res> {
  return toRes(
    await injectorOf(t).inject({
      method: 'POST',
      url: `/${tenant}/oauth2/v2.0/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(form).toString(),
    }),
  );
}

/** An access token for `form`; fails the test with the endpoint's answer when there is none. */
export async function token(t: TestService | Injector, tenant: string, form: Record<string, string>): Promise<string> {
  const res = await tokenRequest(t, tenant, form);
  if (res.status !== 200 || typeof res.body?.access_token !== 'string') {
    throw new Error(`token request (${form.grant_type} for ${form.username ?? form.client_id}) failed: ${res.status} ${res.raw}`);
  }
  return res.body.access_token as string;
}

/** A delegated token (password grant) for a user. */
export const userToken = (
  t: TestService | Injector,
  tenant: string,
  client: Client,
  user: { upn: string; password: string },
  scopes: string[],
) => token(t, tenant, passwordGrantForm(client, user.upn, user.password, scopes));

/** An application token (client credentials). */
export const appToken = (t: TestService | Injector, tenant: string, client: Client) => token(t, tenant, clientCredentialsForm(client));

/** An access token from a service listening at `baseUrl` (a child process, a second node), over the wire. */
export async function fetchToken(
  baseUrl: string,
  tenant: string,
  form: Record<string, string>,
  fetchImpl: (input: string, init?: RequestInit) => Promise<Response> = fetch,
): Promise<string> {
  const res = await fetchImpl(`${baseUrl}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const body = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || typeof body.access_token !== 'string') {
    throw new Error(
      `token request (${form.grant_type} for ${form.username ?? form.client_id}) failed: ${res.status} ${JSON.stringify(body)}`,
    );
  }
  return body.access_token;
}

/** The demo tenant's confidential client (fixtures/demo-tenant.json), which `longrun serve --demo` imports. */
export const DEMO_CLIENT: Client = { id: 'd34cf5ac-dc53-41b0-ac26-9f9c3354f73f', secret: 'demo-client-secret' };
export const DEMO_DOMAIN = 'contoso.onmicrosoft.com';
