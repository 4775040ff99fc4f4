/**
 * The password-reset HTTP suites: their tenant (test/support/fixtures/reset-tenant.ts) on the
 * shared harness, an executor the test runs by hand, and resetPassword / polling helpers.
 */
import { Writable } from 'node:stream';
import type { Executor } from '../../src/operations/executor.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createLogger, type Logger } from '../../src/shared/logger.js';
import {
  clientCredentialsForm,
  manualExecutor,
  passwordGrantForm,
  PUBLIC_URL,
  runQueued,
  startTestService,
  token,
  tokenRequest,
  type Res,
  type TestService,
} from './harness.js';
import { personalAccountToken } from './personal-token.js';
import { APP, DOMAIN, otherTenantFixture, resetTenantFixture, UAM_READWRITE_ALL, type FixtureUser } from './fixtures/reset-tenant.js';

export { PUBLIC_URL, type Res };
export const START = Date.UTC(2026, 5, 1, 9, 0, 0);
export const PASSWORD_METHOD = '28c10230-6103-485e-b985-444c60001490';

export type Harness = TestService & { clock: ManualClock; executor: Executor };

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
  /** Every line written, parsed (the logger writes one JSON object per line). */
  records(): Array<Record<string, unknown>> {
    return this.bytes()
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export async function buildHarness(options: { dbUrl?: string; logger?: Logger } = {}): Promise<Harness> {
  const clock = new ManualClock(START);
  const t = await startTestService({ clock, fixtures: [resetTenantFixture, otherTenantFixture], ...options });
  return { ...t, clock, executor: manualExecutor(t, options.logger ? { logger: options.logger } : {}) };
}

export function request(
  h: Harness,
  method: 'GET' | 'POST',
  url: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Res> {
  return h.request(method, url, options);
}

/** The token endpoint's answer to a password grant for `upn` / `password` (status and body). */
export function passwordGrant(h: Harness, upn: string, password: string, scopes = [UAM_READWRITE_ALL]): Promise<Res> {
  return tokenRequest(h, DOMAIN, passwordGrantForm(APP, upn, password, scopes));
}

export function userToken(h: Harness, u: FixtureUser, scopes = [UAM_READWRITE_ALL]): Promise<string> {
  // The password grant refuses personal accounts (as Entra does); they sign in interactively.
  if (u.accountType === 'personal') {
    return personalAccountToken(h.service, { tenant: DOMAIN, user: u.id, clientId: APP.id, scopes });
  }
  return token(h, DOMAIN, passwordGrantForm(APP, u.userPrincipalName, u.password, scopes));
}

export function appToken(h: Harness): Promise<string> {
  return token(h, DOMAIN, clientCredentialsForm(APP));
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
export function runOperations(h: Harness): Promise<void> {
  return runQueued(h.executor);
}

/** GETs the operation a 202's Location points at (origin stripped: the app is in-process). */
export function pollLocation(h: Harness, token: string, location: unknown): Promise<Res> {
  if (typeof location !== 'string' || !location.startsWith(PUBLIC_URL)) throw new Error(`unexpected Location ${String(location)}`);
  return request(h, 'GET', location.slice(PUBLIC_URL.length), { token });
}

/** The operation id in a 202's Location: the last path segment (Graph appends routing hints as a query). */
export const operationIdOf = (location: unknown): string => new URL(String(location)).pathname.split('/').pop()!;

export { createLogger };
