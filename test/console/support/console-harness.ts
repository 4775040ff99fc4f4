/**
 * The real service for the console tests: buildService on the suite's backend (SQLite or
 * PostgreSQL, `createTestDatabase()`), the demo tenant imported with a cheap hasher, the real
 * clock (a browser waits in real time), listening on a free port. The in-process executor is
 * built but not started: a test starts it when it wants queued operations to run.
 */
import argon2 from 'argon2';
import { readFileSync } from 'node:fs';
import { testConfig } from '../../../src/config/config.js';
import { importTenant } from '../../../src/directory/tenant-import.js';
import { buildService, type Service } from '../../../src/service.js';
import { systemClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { openStore } from '../../../src/storage/open.js';
import type { Store } from '../../../src/storage/store.js';
import { createTestDatabase } from '../../support/backends.js';

export const DEMO = JSON.parse(readFileSync(new URL('../../../../fixtures/demo-tenant.json', import.meta.url), 'utf8')) as {
  tenant: { id: string; defaultDomain: string };
  users: Array<{ id: string; userPrincipalName: string; password: string }>;
};

export const demoUser = (local: string): { id: string; upn: string; password: string } => {
  const u = DEMO.users.find((x) => x.userPrincipalName === `${local}@${DEMO.tenant.defaultDomain}`);
  if (!u) throw new Error(`no demo user ${local}`);
  return { id: u.id, upn: u.userPrincipalName, password: u.password };
};

const hasher = { hash: (p: string) => argon2.hash(p, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1 }) };

export interface ConsoleHarness {
  service: Service;
  store: Store;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  close(): Promise<void>;
}

export async function startConsoleHarness(options: { extraFixtures?: unknown[]; concurrency?: number } = {}): Promise<ConsoleHarness> {
  const database = await createTestDatabase();
  const { store } = await openStore(database.url);
  for (const fixture of [DEMO, ...(options.extraFixtures ?? [])]) {
    const result = await importTenant(store, fixture, hasher, systemClock.now());
    if (!result.ok) throw new Error(`fixture import failed: ${JSON.stringify(result.errors)}`);
  }
  const service = await buildService({
    config: testConfig({ concurrency: options.concurrency ?? 2 }),
    publicUrl: 'http://longrun.test',
    store,
    clock: systemClock,
    logger: silentLogger(),
  });
  const address = await service.app.fastify.listen({ port: 0, host: '127.0.0.1' });
  return {
    service,
    store,
    baseUrl: address,
    async close() {
      await service.executor?.stop(2000);
      await service.app.fastify.close();
      await store.close();
      await database.dispose();
    },
  };
}

/** Signs in through the console's own route, as the page does. */
export async function consoleSignIn(h: ConsoleHarness, upn: string, password: string): Promise<{ status: number; body: any; cookie: string }> {
  const res = await fetch(`${h.baseUrl}/console/api/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: upn, password }),
  });
  return { status: res.status, body: await res.json(), cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]! };
}
