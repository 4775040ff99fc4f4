#!/usr/bin/env node
// Executor ceiling: operations/s from submit to 'succeeded' with a handler that does no work,
// on a SQLite file (WAL, synchronous=NORMAL, as the service opens it).
//
//   cd /work/main && npx tsc -p tsconfig.json && node bench/executor-ceiling.mjs
//
// Env: BENCH_OPERATIONS (default 10000), BENCH_CONCURRENCY (headline run, default 16),
//      BENCH_SWEEP (comma list, default 1,4,16,64; 'none' skips the sweep).
//
// Each configuration runs in a fresh child process on a fresh database file, so one run's
// JIT warm-up, heap and page cache do not flatter the next. Phases, timed separately:
//   submit: BENCH_OPERATIONS sequential store.operations.insert() calls (one autocommit each,
//           as the API would do for separate requests);
//   drain:  executor.start() until every operation is 'succeeded' (counted with onFinished,
//           then checked with SELECT COUNT(*)).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { fmt, intEnv, listEnv, printTable } from './lib/common.mjs';

const operations = intEnv('BENCH_OPERATIONS', 10_000);

async function one(concurrency) {
  const { openStore } = await import('../dist/src/storage/open.js');
  const { Executor } = await import('../dist/src/operations/executor.js');
  const { HandlerRegistry } = await import('../dist/src/operations/handler.js');
  const { systemClock } = await import('../dist/src/shared/clock.js');
  const { silentLogger } = await import('../dist/src/shared/logger.js');

  const dir = await mkdtemp(join(tmpdir(), 'longrun-exec-bench-'));
  const { store } = await openStore('sqlite:' + join(dir, 'bench.db'));
  try {
    const tenantId = randomUUID(); // operations.tenant_id has no foreign key; no tenant is needed
    const t0 = performance.now();
    for (let i = 0; i < operations; i++) {
      await store.operations.insert(
        { id: randomUUID(), tenantId, kind: 'bench.noop', targetId: randomUUID(), input: {}, maxAttempts: 3 },
        Date.now(),
      );
    }
    const submitMs = performance.now() - t0;

    const outcomes = {};
    let succeeded = 0;
    let resolveDone;
    const done = new Promise((r) => (resolveDone = r));
    const executor = new Executor({
      store,
      clock: systemClock,
      logger: silentLogger(),
      handlers: new HandlerRegistry([{ kind: 'bench.noop', maxAttempts: 3, run: async () => ({ status: 'succeeded' }) }]),
      concurrency,
      onFinished: (_op, outcome) => {
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        if (outcome === 'succeeded' && ++succeeded === operations) resolveDone();
      },
    });
    const t1 = performance.now();
    executor.start();
    if (operations > 0) await done;
    const drainMs = performance.now() - t1;
    await executor.stop();

    const row = await store.sql.queryOne("SELECT COUNT(*) AS n FROM operations WHERE status='succeeded'");
    const inDb = Number(row.n);
    const problems = [];
    if (inDb !== operations) problems.push(`${inDb} of ${operations} operations are 'succeeded' in the database`);
    for (const [k, v] of Object.entries(outcomes)) if (k !== 'succeeded') problems.push(`${v} '${k}' outcomes`);
    return { concurrency, operations, submitMs, drainMs, outcomes, problems };
  } finally {
    await store.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

function runChild(concurrency) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--one', String(concurrency)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('ONE '));
      if (code !== 0 || !line) return reject(new Error(`run at concurrency ${concurrency} exited with ${code}: ${out}`));
      resolve(JSON.parse(line.slice(4)));
    });
  });
}

if (process.argv[2] === '--one') {
  const r = await one(Number(process.argv[3]));
  console.log('ONE ' + JSON.stringify(r));
  process.exit(0);
}

const headline = intEnv('BENCH_CONCURRENCY', 16);
const sweep = process.env.BENCH_SWEEP === 'none' ? [] : listEnv('BENCH_SWEEP', [1, 4, 16, 64]);
console.log(
  `executor ceiling: ${fmt(operations)} no-op operations on a SQLite file; node ${process.version}, ` +
    `${availableParallelism()} CPUs; each run in a fresh process and database`,
);
console.log('');

const rows = [];
let failed = false;
for (const [label, c] of [['headline', headline], ...sweep.map((c) => ['sweep', c])]) {
  const r = await runChild(c);
  rows.push({ label, ...r });
  if (r.problems.length) {
    failed = true;
    console.error(`error: concurrency ${c}: ${r.problems.join('; ')}`);
  }
}
const perSec = (n, ms) => (ms > 0 ? (n * 1000) / ms : Infinity);
printTable([
  ['run', 'concurrency', 'submit ms', 'submit ops/s', 'drain ms', 'drain ops/s', 'submit+drain ops/s'],
  ...rows.map((r) => [
    r.label,
    String(r.concurrency),
    fmt(r.submitMs),
    fmt(perSec(r.operations, r.submitMs)),
    fmt(r.drainMs),
    fmt(perSec(r.operations, r.drainMs)),
    fmt(perSec(r.operations, r.submitMs + r.drainMs)),
  ]),
]);
console.log('');
console.log(
  'RESULT ' +
    JSON.stringify({
      bench: 'executor-ceiling',
      operations,
      runs: rows.map((r) => ({
        label: r.label,
        concurrency: r.concurrency,
        submitOpsPerSec: perSec(r.operations, r.submitMs),
        drainOpsPerSec: perSec(r.operations, r.drainMs),
      })),
    }),
);
if (failed) process.exit(1);
