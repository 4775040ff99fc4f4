/**
 * The console suites on the shared harness: the demo tenant, the real clock (a browser waits in
 * real time), listening on a free port. The in-process executor is
 * built but not started: a test starts it when it wants queued operations to run.
 */
import { readFileSync } from 'node:fs';
import type { Config } from '../../src/config/config.js';
import { systemClock } from '../../src/shared/clock.js';
import { startTestService, type TestService } from './harness.js';

export const DEMO = JSON.parse(readFileSync(new URL('../../../fixtures/demo-tenant.json', import.meta.url), 'utf8')) as {
  tenant: { id: string; defaultDomain: string };
  users: Array<{ id: string; userPrincipalName: string; password: string }>;
};

export const demoUser = (local: string): { id: string; upn: string; password: string } => {
  const u = DEMO.users.find((x) => x.userPrincipalName === `${local}@${DEMO.tenant.defaultDomain}`);
  if (!u) throw new Error(`no demo user ${local}`);
  return { id: u.id, upn: u.userPrincipalName, password: u.password };
};

export type ConsoleHarness = TestService;

export function startConsoleHarness(
  options: { extraFixtures?: unknown[]; concurrency?: number; config?: Partial<Config> } = {},
): Promise<ConsoleHarness> {
  return startTestService({
    clock: systemClock,
    fixtures: [DEMO, ...(options.extraFixtures ?? [])],
    config: { concurrency: options.concurrency ?? 2, ...options.config },
    listen: true,
  });
}

/** Signs in through the console's own route, as the page does. */
export async function consoleSignIn(
  h: ConsoleHarness,
  upn: string,
  password: string,
): Promise<{ status: number; body: any; cookie: string }> {
  const res = await fetch(`${h.baseUrl}/console/api/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: upn, password }),
  });
  return { status: res.status, body: await res.json(), cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]! };
}
