#!/usr/bin/env node
// GET operation status in process, measured in CPU time per request rather than req/s, so that a
// before/after comparison survives a machine shared with other work (wall-clock req/s does not).
// Drives the same request as get-operation.mjs (token + authorization + SQLite read) through
// fastify.inject: Fastify's whole pipeline (hooks, validation, handler, serialization) without the
// socket. Prints µs of this process's CPU (user + system) per request, and the median of rounds.
//
//   npx tsc -p tsconfig.json && node bench/get-operation-cpu.mjs
//
// Env: BENCH_REQUESTS (per round, default 5000), BENCH_ROUNDS (default 7), BENCH_BATCH (in flight, default 16).
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { openStore } from '../dist/src/storage/open.js';
import { importTenant } from '../dist/src/directory/tenant-import.js';
import { createPasswordHasher, LOW_HASH_COST_FOR_TESTS } from '../dist/src/passwords/hashing.js';
import { buildService } from '../dist/src/service.js';
import { testConfig } from '../dist/src/config/config.js';
import { systemClock } from '../dist/src/shared/clock.js';
import { silentLogger } from '../dist/src/shared/logger.js';
import { intEnv } from './lib/common.mjs';

const requests = intEnv('BENCH_REQUESTS', 5000);
const rounds = intEnv('BENCH_ROUNDS', 7);
const batch = intEnv('BENCH_BATCH', 16);
// Privileged Authentication Administrator and an ordinary user of fixtures/demo-tenant.json, as in lib/demo-database.mjs.
const TARGET_USER_ID = 'c6000304-9809-42e3-b7a4-ff84111e5910';

const dir = await mkdtemp(join(tmpdir(), 'longrun-bench-'));
const { store } = await openStore('sqlite:' + join(dir, 'bench.db'));
const fixture = JSON.parse(await readFile(new URL('../fixtures/demo-tenant.json', import.meta.url), 'utf8'));
const imported = await importTenant(store, fixture, createPasswordHasher(LOW_HASH_COST_FOR_TESTS), Date.now());
if (!imported.ok) throw new Error('tenant import failed: ' + JSON.stringify(imported.errors));
const publicUrl = 'http://127.0.0.1:1';
const service = await buildService({
  config: testConfig({ concurrency: 0, publicUrl }),
  publicUrl,
  store,
  clock: systemClock,
  logger: silentLogger(),
});
const app = service.app.fastify;

const tokenRes = await app.inject({
  method: 'POST',
  url: `/${fixture.tenant.defaultDomain}/oauth2/v2.0/token`,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams({
    grant_type: 'password',
    client_id: 'd34cf5ac-dc53-41b0-ac26-9f9c3354f73f',
    client_secret: 'demo-client-secret',
    username: 'privauthadmin@contoso.onmicrosoft.com',
    password: 'Demo-PrivAuth-Passw0rd!',
    scope: 'https://graph.microsoft.com/.default',
  }).toString(),
});
const token = tokenRes.json().access_token;
if (!token) throw new Error('no token: ' + tokenRes.body);
const op = await store.operations.insert(
  { id: randomUUID(), tenantId: imported.tenantId, kind: 'passwordReset', targetId: TARGET_USER_ID, input: {}, maxAttempts: 3 },
  Date.now(),
);
const request = {
  method: 'GET',
  url: `/v1.0/users/${TARGET_USER_ID}/authentication/operations/${op.id}`,
  headers: { authorization: `Bearer ${token}` },
};

async function round(n) {
  for (let done = 0; done < n; done += batch) {
    const answers = await Promise.all(Array.from({ length: Math.min(batch, n - done) }, () => app.inject(request)));
    for (const a of answers) if (a.statusCode !== 200) throw new Error(`answered ${a.statusCode}: ${a.body}`);
  }
}

await round(requests); // warm-up, discarded
const perRequest = [];
for (let i = 0; i < rounds; i++) {
  const cpu = process.cpuUsage();
  await round(requests);
  const used = process.cpuUsage(cpu);
  perRequest.push((used.user + used.system) / requests);
}
await app.close();
await store.close();
await rm(dir, { recursive: true, force: true });

const sorted = [...perRequest].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(`GET ${request.url.replace(op.id, '{id}')}: ${requests} requests x ${rounds} rounds, ${batch} in flight`);
console.log(`CPU µs/request per round: ${perRequest.map((x) => x.toFixed(1)).join(', ')}`);
console.log(`median ${median.toFixed(1)} µs/request (≈ ${Math.round(1e6 / median)} req/s of one core)`);
console.log(
  'RESULT ' + JSON.stringify({ bench: 'get-operation-cpu', requests, rounds, batch, medianUsPerRequest: median, rounds_us: perRequest }),
);
