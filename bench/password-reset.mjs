// Password resets end to end versus the raw argon2id hash rate, in one run.
//
// 1. A listening Longrun (SQLite temp file, executor concurrency BENCH_RESET_CONCURRENCY, default 8)
//    with the demo tenant plus BENCH_RESETS (default 1,000) extra plain users.
// 2. BENCH_RESETS POST …/resetPassword requests with a given password, all submitted at once over
//    HTTP by a Privileged Authentication Administrator; the clock runs from the first POST to the
//    moment the last operation is `succeeded` (the database is polled every 10 ms).
// 3. The same number of argon2id hashes at DEFAULT_HASH_COST, all submitted at once in this
//    process (the same libuv thread pool the server's hashing uses), once before and once after
//    the resets; their mean is the reference rate.
// Prints both rates and their ratio; exits 1 unless every reset succeeded exactly once.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../dist/src/storage/open.js';
import { importTenant } from '../dist/src/directory/tenant-import.js';
import { createPasswordHasher, DEFAULT_HASH_COST, hashPassword, LOW_HASH_COST_FOR_TESTS } from '../dist/src/passwords/hashing.js';
import { buildService } from '../dist/src/service.js';
import { testConfig } from '../dist/src/config/config.js';
import { systemClock } from '../dist/src/shared/clock.js';
import { silentLogger } from '../dist/src/shared/logger.js';
import { fmt, freePort, intEnv, printTable } from './lib/common.mjs';

const RESETS = intEnv('BENCH_RESETS', 1000);
const CONCURRENCY = Math.max(1, intEnv('BENCH_RESET_CONCURRENCY', 8));
const CLIENT_ID = 'd34cf5ac-dc53-41b0-ac26-9f9c3354f73f';
const CLIENT_SECRET = 'demo-client-secret';
// A Privileged Authentication Administrator in fixtures/demo-tenant.json: may reset plain users.
const ADMIN = { username: 'privauthadmin@contoso.onmicrosoft.com', password: 'Demo-PrivAuth-Passw0rd!' };

const guid = (i) => `b0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
// Shares nothing with the users' names ("Load Target", loadN@) and passes the policy.
const newPassword = (i) => `Fresh-${i}-Qz7!wx`;

const dir = await mkdtemp(join(tmpdir(), 'longrun-bench-reset-'));
const { store } = await openStore('sqlite:' + join(dir, 'bench.db'));
const fixture = JSON.parse(await readFile(new URL('../fixtures/demo-tenant.json', import.meta.url), 'utf8'));
for (let i = 1; i <= RESETS; i++) {
  fixture.users.push({
    id: guid(i),
    userPrincipalName: `load${i}@${fixture.tenant.defaultDomain}`,
    displayName: 'Load Target',
    password: `Initial-${i}-Qz7!wx`,
    accountEnabled: true,
    createdDateTime: '2026-01-01T00:00:00Z',
    lastSignInDateTime: null,
    accountType: 'member',
  });
}
// Low cost only for set-up; the resets hash at DEFAULT_HASH_COST like a deployment.
const imported = await importTenant(store, fixture, createPasswordHasher(LOW_HASH_COST_FOR_TESTS), Date.now());
if (!imported.ok) throw new Error('tenant import failed: ' + JSON.stringify(imported.errors));

const port = await freePort();
const publicUrl = `http://127.0.0.1:${port}`;
const service = await buildService({
  config: testConfig({ concurrency: CONCURRENCY, publicUrl }),
  publicUrl,
  store,
  clock: systemClock,
  logger: silentLogger(),
});
await service.app.fastify.listen({ port, host: '127.0.0.1' });
service.executor.start();

const tokenRes = await fetch(`${publicUrl}/${fixture.tenant.defaultDomain}/oauth2/v2.0/token`, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({
    grant_type: 'password',
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    ...ADMIN,
    scope: 'UserAuthenticationMethod.ReadWrite.All',
  }),
});
const token = (await tokenRes.json()).access_token;
if (!token) throw new Error(`token request failed: ${tokenRes.status}`);

const finished = async () =>
  Number(
    (await store.sql.queryOne(`SELECT COUNT(*) AS n FROM operations WHERE kind = 'passwordReset' AND status IN ('succeeded', 'failed')`)).n,
  );

/** The raw hash rate: RESETS argon2id hashes at the same cost, all at once (one thread pool, as the server). */
async function hashAllAtOnce() {
  const h0 = performance.now();
  await Promise.all(Array.from({ length: RESETS }, (_, k) => hashPassword(newPassword(k + 1))));
  return (performance.now() - h0) / 1000;
}

// --- 1. the raw hash rate before the server works ---
const hashSecondsBefore = await hashAllAtOnce();

// --- 2. resets over HTTP, end to end ---
const t0 = performance.now();
const responses = await Promise.all(
  Array.from({ length: RESETS }, (_, k) =>
    fetch(`${publicUrl}/v1.0/users/${guid(k + 1)}/authentication/methods/28c10230-6103-485e-b985-444c60001490/resetPassword`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ newPassword: newPassword(k + 1) }),
    }).then(async (r) => ({ status: r.status, body: await r.text() })),
  ),
);
const tAccepted = performance.now();
const refused = responses.filter((r) => r.status !== 202);
if (refused.length > 0) {
  console.error(`error: ${refused.length} resets were not accepted, e.g. ${refused[0].status} ${refused[0].body}`);
  process.exit(1);
}
while ((await finished()) < RESETS) await new Promise((r) => setTimeout(r, 10));
const tDone = performance.now();

await service.executor.stop(10_000);
await service.app.fastify.close();
const succeeded = Number(
  (await store.sql.queryOne(`SELECT COUNT(*) AS n FROM operations WHERE kind = 'passwordReset' AND status = 'succeeded'`)).n,
);
const audits = Number((await store.sql.queryOne(`SELECT COUNT(*) AS n FROM audit_events WHERE activity = 'Reset user password'`)).n);
await store.close();
await rm(dir, { recursive: true, force: true });

// --- 3. the raw hash rate again: the mean of the runs before and after evens out a machine whose load drifts ---
const hashSecondsAfter = await hashAllAtOnce();
const hashSeconds = (hashSecondsBefore + hashSecondsAfter) / 2;

const endToEndSeconds = (tDone - t0) / 1000;
const resetRate = RESETS / endToEndSeconds;
const hashRate = RESETS / hashSeconds;
const threads = process.env.UV_THREADPOOL_SIZE ?? '4 (default)';
console.log(
  `password resets: ${RESETS} at once, executor concurrency ${CONCURRENCY}, argon2id m=${DEFAULT_HASH_COST.memoryCost} KiB t=${DEFAULT_HASH_COST.timeCost} p=${DEFAULT_HASH_COST.parallelism}, ` +
    `libuv threads ${threads}, ${availableParallelism()} CPUs`,
);
printTable([
  ['measure', 'count', 'seconds', 'per second'],
  ['resets, first POST → last 202', String(RESETS), fmt((tAccepted - t0) / 1000, 2), fmt(RESETS / ((tAccepted - t0) / 1000), 1)],
  ['resets, first POST → last succeeded', String(RESETS), fmt(endToEndSeconds, 2), fmt(resetRate, 1)],
  ['argon2id hashes alone, before', String(RESETS), fmt(hashSecondsBefore, 2), fmt(RESETS / hashSecondsBefore, 1)],
  ['argon2id hashes alone, after', String(RESETS), fmt(hashSecondsAfter, 2), fmt(RESETS / hashSecondsAfter, 1)],
  ['argon2id hashes alone, mean', String(RESETS), fmt(hashSeconds, 2), fmt(hashRate, 1)],
]);
console.log(`ratio (end-to-end resets / mean raw hashes): ${fmt(resetRate / hashRate, 2)}`);
const ok = succeeded === RESETS && audits === RESETS;
console.log(`check: ${succeeded}/${RESETS} succeeded, ${audits} audit events ${ok ? '(ok)' : '(MISMATCH)'}`);
console.log(
  'RESULT ' +
    JSON.stringify({
      bench: 'password-reset',
      summary: [{ name: `password resets/s vs argon2id hashes/s (${RESETS} at once)`, longrun: resetRate, anchor: hashRate }],
      resets: RESETS,
      concurrency: CONCURRENCY,
      endToEndSeconds,
      resetsPerSecond: resetRate,
      hashesPerSecond: hashRate,
      ratio: resetRate / hashRate,
      succeeded,
      audits,
    }),
);
process.exit(ok ? 0 : 1);
