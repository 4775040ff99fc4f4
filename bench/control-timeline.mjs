// Planned timelines at scale: BENCH_OPERATIONS (10,000) password resets shaped by one control rule
// (`timeline.runningSeconds` = BENCH_RUNNING_SECONDS, 30) on ONE `longrun serve` process (the real
// CLI, logs on, SQLite file). Measures the executor slots used (max leases held at once), the
// process RSS, and how late each operation ended against its plan (finished - (created + running)).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createWriteStream, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../dist/src/storage/open.js';
import { importTenant } from '../dist/src/directory/tenant-import.js';
import { createPasswordHasher, LOW_HASH_COST_FOR_TESTS } from '../dist/src/passwords/hashing.js';
import { planOperation } from '../dist/src/control/operation-plans.js';
import { fmt, intEnv, printTable } from './lib/common.mjs';

const OPERATIONS = intEnv('BENCH_OPERATIONS', 10_000);
const RUNNING_SECONDS = intEnv('BENCH_RUNNING_SECONDS', 30);
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 8);
const BIN = fileURLToPath(new URL('../bin/longrun.js', import.meta.url));

const dir = await mkdtemp(join(tmpdir(), 'longrun-timeline-'));
const dbUrl = 'sqlite:' + join(dir, 'bench.db');
const { store } = await openStore(dbUrl);
const fixture = JSON.parse(await readFile(new URL('../fixtures/demo-tenant.json', import.meta.url), 'utf8'));
const hasher = createPasswordHasher(LOW_HASH_COST_FOR_TESTS);
const imported = await importTenant(store, fixture, hasher, Date.now());
if (!imported.ok) throw new Error('tenant import failed: ' + JSON.stringify(imported.errors));
const tenantId = imported.tenantId;
const users = fixture.users.filter((u) => u.accountType !== 'personal').map((u) => u.id);
const passwordHash = await hasher.hash('Timeline-Bench-Passw0rd!');
await store.controlRules.insert({
  tenantId,
  id: 'bench-timeline',
  type: 'operation',
  body: { type: 'operation', match: { kind: 'passwordReset' }, timeline: { runningSeconds: RUNNING_SECONDS } },
  timesLeft: null,
  createdAt: Date.now(),
});

// The real CLI, logs on (info, to a file), one process.
const logPath = join(dir, 'serve.log');
const log = createWriteStream(logPath);
const child = spawn(
  process.execPath,
  [BIN, 'serve', '--db', dbUrl, '--port', '0', '--no-demo', '--concurrency', String(CONCURRENCY), '--log-level', 'info'],
  {
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
child.stderr.pipe(log);
await new Promise((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`longrun serve exited early (${code}); see ${logPath}`)));
  child.stdout.on('data', (d) => (String(d).includes('longrun listening on ') ? resolve() : undefined));
});
child.stdout.pipe(log);

const count = async (where) => Number((await store.sql.queryOne(`SELECT COUNT(*) AS n FROM operations WHERE ${where}`)).n);
const rssMb = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};

let maxLeases = 0;
let maxWaiting = 0;
let maxRss = 0;
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    maxLeases = Math.max(maxLeases, await count('lease_token IS NOT NULL'));
    maxWaiting = Math.max(maxWaiting, await count(`status = 'running' AND lease_token IS NULL`));
    maxRss = Math.max(maxRss, rssMb());
    await new Promise((r) => setTimeout(r, 100));
  }
})();

// Queued as resetPassword requests queue them: rule matched and hit taken in the insert's transaction.
const queueStarted = Date.now();
for (let start = 0; start < OPERATIONS; start += 500) {
  await store.transaction(async (tx) => {
    for (let i = start; i < Math.min(OPERATIONS, start + 500); i++) {
      const userId = users[i % users.length];
      const control = await planOperation(tx, { tenantId, kind: 'passwordReset', targets: [userId] });
      const input = { tenantId, userId, passwordHash, resourceLocation: 'http://bench/x', initiatedBy: 'bench' };
      await tx.operations.insert(
        { id: `tl-${i}`, tenantId, kind: 'passwordReset', targetId: userId, input, maxAttempts: 5, control },
        Date.now(),
      );
    }
  });
}
const queueSeconds = (Date.now() - queueStarted) / 1000;

const deadline = Date.now() + (RUNNING_SECONDS + 120) * 1000;
while ((await count(`status IN ('succeeded', 'failed')`)) < OPERATIONS) {
  if (Date.now() > deadline) throw new Error('operations did not all end in time');
  await new Promise((r) => setTimeout(r, 250));
}
sampling = false;
await sampler;

const rows = await store.sql.query(`SELECT created_at, finished_at, status FROM operations WHERE id LIKE 'tl-%'`);
const late = rows.map((r) => Number(r.finished_at) - (Number(r.created_at) + RUNNING_SECONDS * 1000)).sort((a, b) => a - b);
const pct = (p) => late[Math.min(late.length - 1, Math.floor((p / 100) * late.length))];
const succeeded = rows.filter((r) => r.status === 'succeeded').length;
const logLines = readFileSync(logPath, 'utf8').split('\n').filter(Boolean).length;

child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
await store.close();
await rm(dir, { recursive: true, force: true });

printTable([
  [
    'operations',
    'running s',
    'concurrency',
    'max waiting at once',
    'max leases (slots)',
    'max RSS MB',
    'late p50 ms',
    'late p99 ms',
    'late max ms',
    'earliest ms',
  ],
  [
    fmt(OPERATIONS),
    RUNNING_SECONDS,
    CONCURRENCY,
    fmt(maxWaiting),
    maxLeases,
    fmt(maxRss, 1),
    fmt(pct(50)),
    fmt(pct(99)),
    fmt(late[late.length - 1]),
    fmt(late[0]),
  ],
]);
console.log(`queued in ${queueSeconds.toFixed(1)} s; ${succeeded}/${OPERATIONS} succeeded; ${fmt(logLines)} log lines`);
console.log(
  'RESULT ' +
    JSON.stringify({
      operations: OPERATIONS,
      runningSeconds: RUNNING_SECONDS,
      concurrency: CONCURRENCY,
      maxWaiting,
      maxLeases,
      maxRssMb: maxRss,
      lateP50Ms: pct(50),
      lateP99Ms: pct(99),
      lateMaxMs: late[late.length - 1],
      earliestMs: late[0],
      succeeded,
    }),
);
if (succeeded !== OPERATIONS || late[0] < 0) process.exit(1);
