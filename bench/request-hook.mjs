// The control rules' request hook (src/control/faults/request-faults.ts) in isolation: CPU time
// per request of a minimal Fastify app (Graph conventions + one GET route on the operation path)
// without the hook, and with it in three states: no rules anywhere; rules in another tenant only;
// a non-matching rule in the caller's own tenant. fastify.inject, in process, batches alternated
// A/B/C/D so machine load hits all variants alike; the median of the batches is reported.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../dist/src/app.js';
import { testConfig } from '../dist/src/config/config.js';
import { installRequestFaults } from '../dist/src/control/faults/request-faults.js';
import { invalidateRequestRules } from '../dist/src/control/faults/request-rules-cache.js';
import { systemClock } from '../dist/src/shared/clock.js';
import { silentLogger } from '../dist/src/shared/logger.js';
import { openStore } from '../dist/src/storage/open.js';

const BATCH = Number(process.env.BENCH_BATCH ?? 5000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const TENANT = '6a1e0c55-7d0f-4c36-9a55-2b0d7f3a0001';
const OTHER = '6a1e0c55-7d0f-4c36-9a55-2b0d7f3a0002';
const PATH = '/v1.0/users/c6000304-9809-42e3-b7a4-ff84111e5910/authentication/operations/e2c5506f-2587-4850-8a42-b5679ee365c2';

// A token-shaped bearer (the hook reads claims without verifying; the route here does not verify).
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const token = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ tid: TENANT, appid: 'd34cf5ac-dc53-41b0-ac26-9f9c3354f73f', upn: 'privauthadmin@contoso.onmicrosoft.com', oid: 'x', scp: 'UserAuthenticationMethod.Read.All', exp: 2e9 })}.${'s'.repeat(342)}`;

const dir = await mkdtemp(join(tmpdir(), 'longrun-bench-hook-'));
const { store } = await openStore('sqlite:' + join(dir, 'bench.db'));
for (const id of [TENANT, OTHER]) {
  await store.sql.execute(`INSERT INTO tenants (id, display_name, default_domain, licenses, imported_at) VALUES (?, ?, ?, '[]', ?)`, [
    id,
    id,
    `${id}.test`,
    Date.now(),
  ]);
}
const deps = { config: testConfig({ concurrency: 0 }), publicUrl: 'http://bench.test', store, clock: systemClock, logger: silentLogger() };
const route = (a) => a.fastify.get('/v1.0/users/:u/authentication/operations/:op', async () => ({ id: 'op', status: 'running' }));
const plain = await buildApp(deps, [route]);
const hooked = await buildApp(deps, [(a) => installRequestFaults(a), route]);

async function batch(app) {
  const start = process.cpuUsage();
  for (let i = 0; i < BATCH; i++) {
    const res = await app.fastify.inject({ method: 'GET', url: PATH, headers: { authorization: `Bearer ${token}` } });
    if (res.statusCode !== 200) throw new Error(`unexpected ${res.statusCode}: ${res.body}`);
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / BATCH;
}

async function setRules(state) {
  await store.sql.execute('DELETE FROM control_rules');
  const rule = (tenantId, id) =>
    store.controlRules.insert({
      tenantId,
      id,
      type: 'http',
      body: { type: 'http', match: { method: 'POST', path: '/beta/**' }, respond: { status: 500 } },
      timesLeft: null,
      createdAt: Date.now(),
    });
  if (state === 'other') await rule(OTHER, 'r-other');
  if (state === 'own') await rule(TENANT, 'r-own');
  invalidateRequestRules();
}

const variants = [
  ['no hook', plain, 'none'],
  ['hook, no rules', hooked, 'none'],
  ['hook, rules in another tenant', hooked, 'other'],
  ['hook, a non-matching rule in the tenant', hooked, 'own'],
];
const samples = new Map(variants.map(([name]) => [name, []]));
for (const [, app, state] of variants) {
  await setRules(state);
  await batch(app);
} // warm-up
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, app, state] of variants) {
    await setRules(state);
    samples.get(name).push(await batch(app));
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(samples.get('no hook'));
console.log(`CPU µs per request (fastify.inject, ${ROUNDS} rounds of ${BATCH}, median; min–max)`);
const result = {};
for (const [name] of variants) {
  const xs = samples.get(name);
  const m = median(xs);
  result[name] = m;
  console.log(
    `${name.padEnd(42)} ${m.toFixed(1).padStart(7)}  (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})  ${name === 'no hook' ? '' : `+${(m - base).toFixed(1)}`}`,
  );
}
console.log('RESULT ' + JSON.stringify({ bench: 'request-hook', batch: BATCH, rounds: ROUNDS, cpuMicrosPerRequest: result }));
await plain.fastify.close();
await hooked.fastify.close();
await store.close();
await rm(dir, { recursive: true, force: true });
