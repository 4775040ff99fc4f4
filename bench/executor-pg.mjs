#!/usr/bin/env node
// Executor throughput on PostgreSQL with 1, 2 and 4 worker PROCESSES, no-op handler, beside
// pg-boss doing the same no-op jobs on the same database in the same run.
//
//   cd /work/main && npx tsc -p tsconfig.json && node bench/executor-pg.mjs
//
// Env: BENCH_PG_URL              (default postgres://postgres@127.0.0.1:5432/postgres)
//      BENCH_OPERATIONS          (default 10000) operations/jobs per measurement
//      BENCH_WORK_OPERATIONS     (default 1000)  jobs for the pg-boss work() rows (polling-bound)
//      BENCH_CONCURRENCY         (default 16)    per process: Executor concurrency / pg-boss batchSize
//      BENCH_PROCESSES           (default 1,2,4) worker process counts
//      BENCH_SYSTEMS             (default longrun,pgboss-fetch,pgboss-work)
//
// Every measurement gets a fresh schema (created, migrated, filled, measured, dropped):
//   1. the parent creates the schema, migrates it (Longrun: openStore; pg-boss: start() with
//      migrate) and inserts all N rows BEFORE any worker exists (Longrun: N store.operations.insert
//      calls, 100 at a time through the pool; pg-boss: boss.insert() in chunks of 1,000);
//   2. K worker processes (lib/pg-worker.mjs) start, connect and report ready;
//   3. t0 = the parent sends 'go' to all of them; t1 = a 25 ms poll of
//      SELECT COUNT(*) … succeeded/completed on the parent's own connection first sees N.
//   ops/s = N / (t1 - t0). Afterwards: exactly N rows must be succeeded/completed and none failed,
//   and the workers' handlers (asked over IPC) ran each of the N ids exactly once; exit 1 if not.
// Write transactions/op: the cluster's transaction-id counter over the run (only writing
// transactions take one), divided by N; pg_stat_database's xact_commit delta is printed beside it.
// Workers are the executor in child processes (lib/pg-worker.mjs), not `longrun worker`: that CLI
// registers only the service's real handlers, and this measures the executor with a no-op one.
// The systems are interleaved per K, in an order that rotates with K, to spread drift.
import { availableParallelism, cpus } from 'node:os';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { cpuSeconds, fmt, intEnv, listEnv, printTable, startChild, stopChild } from './lib/common.mjs';

/** The fields of each measurement the RESULT line records. */
const RUN_FIELDS = [
  'system',
  'processes',
  'operations',
  'ms',
  'opsPerSec',
  'commitsPerOp',
  'xactCommitsPerOp',
  'walBytesPerOp',
  'workerCpuUsPerOp',
  'serverCpuUsPerOp',
  'problems',
];

const url = process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const operations = intEnv('BENCH_OPERATIONS', 10_000);
const workOperations = intEnv('BENCH_WORK_OPERATIONS', 1_000);
const concurrency = intEnv('BENCH_CONCURRENCY', 16);
const processCounts = listEnv('BENCH_PROCESSES', [1, 2, 4]);
const allSystems = ['longrun', 'pgboss-fetch', 'pgboss-work'];
const systems = (process.env.BENCH_SYSTEMS || allSystems.join(',')).split(',').map((s) => s.trim());
for (const s of systems) {
  if (!allSystems.includes(s)) {
    console.error(`error: unknown system '${s}' in BENCH_SYSTEMS (known: ${allSystems.join(', ')})`);
    process.exit(2);
  }
}
const QUEUE = 'bench-noop';
const POLL_MS = 25;

const admin = new pg.Client({ connectionString: url });
await admin.connect();
const {
  rows: [{ server_version: pgVersion }],
} = await admin.query('SHOW server_version');

/**
 * Diagnostics: the next transaction id (cluster-wide; read-only transactions get none, so the
 * difference counts write transactions), the WAL position, and this database's committed
 * transactions from pg_stat_database (read-only ones included; flushed by each backend at most
 * once a second, so indicative).
 */
async function dbCounters() {
  await admin.query('SELECT pg_stat_clear_snapshot()');
  const {
    rows: [r],
  } = await admin.query(
    `SELECT txid_snapshot_xmax(txid_current_snapshot())::bigint AS xid,
            pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint AS wal,
            (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())::bigint AS commits`,
  );
  return { xid: Number(r.xid), wal: Number(r.wal), commits: Number(r.commits) };
}

/**
 * CPU time (ms) of the server backends of the workers' connections (application_name `app`),
 * from /proc: the server's share of the work, apart from other sessions on the same server.
 * Empty when /proc cannot be read (the server on another host).
 */
async function backendCpuMs(app) {
  const { rows } = await admin.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [app]);
  const cpu = new Map();
  for (const { pid } of rows) {
    const seconds = cpuSeconds(pid); // NaN: gone, or not on this host
    if (!Number.isNaN(seconds)) cpu.set(pid, seconds * 1000);
  }
  return cpu;
}

/** Asks each worker which ids its handler ran (every id exactly once across all of them) and its CPU time. */
async function runsPerId(children) {
  const reports = await Promise.all(
    children.map(
      (c) =>
        new Promise((resolve, reject) => {
          c.once('message', (m) => resolve(m));
          c.once('exit', (code) => reject(new Error(`a worker exited (code ${code}) before reporting its runs`)));
          c.send('report');
        }),
    ),
  );
  const counts = new Map();
  for (const { ran } of reports) for (const id of ran) counts.set(id, (counts.get(id) ?? 0) + 1);
  return { counts, workerCpuMs: reports.reduce((sum, r) => sum + r.cpuMs, 0) };
}

async function withSchema(fn) {
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    return await fn(schema);
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  }
}

/** Longrun: migrate + insert N operations; returns the count query and the check. */
async function setUpLongrun(schema, n) {
  const { openStore } = await import('../dist/src/storage/open.js');
  const { store } = await openStore(url, Date.now, { schema });
  try {
    const tenantId = randomUUID();
    const batch = 100;
    for (let i = 0; i < n; i += batch) {
      const size = Math.min(batch, n - i);
      await Promise.all(
        Array.from({ length: size }, () =>
          store.operations.insert(
            { id: randomUUID(), tenantId, kind: 'bench.noop', targetId: randomUUID(), input: {}, maxAttempts: 3 },
            Date.now(),
          ),
        ),
      );
    }
  } finally {
    await store.close();
  }
  return {
    done: `SELECT COUNT(*)::int AS n FROM ${schema}.operations WHERE status = 'succeeded'`,
    states: `SELECT status AS state, COUNT(*)::int AS n FROM ${schema}.operations GROUP BY status`,
    ok: 'succeeded',
  };
}

/** pg-boss: migrate + createQueue + insert N jobs. */
async function setUpPgBoss(schema, n) {
  const { default: PgBoss } = await import('pg-boss');
  const boss = new PgBoss({ connectionString: url, schema, supervise: false, schedule: false });
  boss.on('error', (e) => console.error('pg-boss error:', e.message));
  await boss.start();
  try {
    await boss.createQueue(QUEUE); // policy 'standard', retryLimit default 2 (= 3 attempts, as Longrun's maxAttempts: 3)
    const chunk = 1_000;
    for (let i = 0; i < n; i += chunk) {
      await boss.insert(Array.from({ length: Math.min(chunk, n - i) }, () => ({ name: QUEUE, data: {} })));
    }
  } finally {
    await boss.stop({ graceful: false, wait: true, timeout: 1_000 });
  }
  return {
    done: `SELECT COUNT(*)::int AS n FROM ${schema}.job WHERE name = '${QUEUE}' AND state = 'completed'`,
    states: `SELECT state::text AS state, COUNT(*)::int AS n FROM ${schema}.job WHERE name = '${QUEUE}' GROUP BY state`,
    ok: 'completed',
  };
}

async function measure(system, k) {
  const n = system === 'pgboss-work' ? workOperations : operations;
  return withSchema(async (schema) => {
    const q = system === 'longrun' ? await setUpLongrun(schema, n) : await setUpPgBoss(schema, n);
    const children = [];
    // Names the workers' connections (node-postgres reads PGAPPNAME) to find their backends.
    const app = `bench_${schema}`;
    process.env.PGAPPNAME = app;
    try {
      for (let i = 0; i < k; i++) {
        const { child, msg } = await startChild('./pg-worker.mjs', {
          message: { system, url, schema, concurrency, queue: QUEUE },
        });
        if (!msg?.ready) throw new Error(`worker ${i} did not report ready: ${JSON.stringify(msg)}`);
        children.push(child);
      }
      let died = /** @type {number | null | undefined} */ (undefined);
      const deaths = children.map((c) => new Promise((r) => c.once('exit', (code) => r((died = code)))));
      void deaths;
      const before = await dbCounters();
      const backendsBefore = await backendCpuMs(app);
      const t0 = performance.now();
      for (const c of children) c.send('go');
      let done = 0;
      while (done < n) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        if (died !== undefined) throw new Error(`a ${system} worker exited early (code ${died})`);
        done = (await admin.query(q.done)).rows[0].n;
        if (performance.now() - t0 > 600_000) throw new Error(`${system} K=${k}: ${done}/${n} after 600 s`);
      }
      const ms = performance.now() - t0;
      const backendsAfter = await backendCpuMs(app);
      const after = await dbCounters();
      await new Promise((r) => setTimeout(r, 1_100)); // the backends' last statistics flush
      const commitsAfter = (await dbCounters()).commits;
      // cluster-wide, so only indicative (nothing else writes during a run on this machine)
      const commitsPerOp = (after.xid - before.xid) / n; // write transactions per operation
      const walBytesPerOp = (after.wal - before.wal) / n;
      const xactCommitsPerOp = (commitsAfter - before.commits) / n; // every commit, reads too, incl. the 25 ms poll
      for (const c of children) c.removeAllListeners('exit');
      const { counts: runs, workerCpuMs } = await runsPerId(children);
      let serverCpuMs = 0;
      for (const [pid, cpu] of backendsAfter) serverCpuMs += cpu - (backendsBefore.get(pid) ?? 0);
      await Promise.all(children.map(stopChild));
      const states = Object.fromEntries((await admin.query(q.states)).rows.map((r) => [r.state, r.n]));
      const problems = [];
      if (states[q.ok] !== n) problems.push(`${states[q.ok] ?? 0} of ${n} are '${q.ok}' (${JSON.stringify(states)})`);
      if (Object.keys(states).some((s) => s !== q.ok)) problems.push(`other states: ${JSON.stringify(states)}`);
      const twice = [...runs.values()].filter((c) => c > 1).length;
      if (twice > 0) problems.push(`${twice} operations ran more than once`);
      if (runs.size !== n) problems.push(`the handlers ran ${runs.size} distinct operations, not ${n}`);
      return {
        system,
        processes: k,
        operations: n,
        ms,
        opsPerSec: (n * 1000) / ms,
        commitsPerOp,
        xactCommitsPerOp,
        walBytesPerOp,
        // CPU µs per operation: the workers' processes, and their connections' server backends
        workerCpuUsPerOp: (workerCpuMs * 1000) / n,
        serverCpuUsPerOp: (serverCpuMs * 1000) / n,
        states,
        problems,
      };
    } finally {
      await Promise.all(children.map(stopChild));
    }
  });
}

console.log(
  `executor on PostgreSQL ${pgVersion}: no-op handler, concurrency/batchSize ${concurrency} per process; ` +
    `${fmt(operations)} operations (pg-boss work(): ${fmt(workOperations)}); node ${process.version}, ` +
    `${availableParallelism()} CPUs (${cpus()[0]?.model?.trim() ?? '?'}), database on the same machine`,
);
console.log('');

const results = [];
let failed = false;
for (const [i, k] of processCounts.entries()) {
  // rotate the order per K so no system always runs first (or last) in a block
  const order = systems.map((_, j) => systems[(i + j) % systems.length]);
  for (const system of order) {
    const r = await measure(system, k);
    results.push(r);
    console.log(
      `${system.padEnd(12)} K=${k}: ${fmt(r.operations)} in ${fmt(r.ms)} ms = ${fmt(r.opsPerSec)} ops/s; ` +
        `~${fmt(r.commitsPerOp, 2)} write transactions/op (${fmt(r.xactCommitsPerOp, 2)} commits/op in pg_stat_database), ` +
        `~${fmt(r.walBytesPerOp)} WAL bytes/op; CPU/op ${fmt(r.workerCpuUsPerOp)} µs workers + ${fmt(r.serverCpuUsPerOp)} µs their backends` +
        (r.problems.length ? `  PROBLEM: ${r.problems.join('; ')}` : ''),
    );
    if (r.problems.length) failed = true;
  }
}
await admin.end();

const get = (system, k) => results.find((r) => r.system === system && r.processes === k);
console.log('');
printTable([
  [
    'processes',
    ...systems.map((s) => `${s} ops/s`),
    ...systems.map((s) => `${s} write tx/op`),
    ...(systems.includes('longrun') ? systems.filter((s) => s !== 'longrun').map((s) => `longrun/${s}`) : []),
  ],
  ...processCounts.map((k) => [
    String(k),
    ...systems.map((s) => fmt(get(s, k)?.opsPerSec ?? NaN)),
    ...systems.map((s) => fmt(get(s, k)?.commitsPerOp ?? NaN, 2)),
    ...(systems.includes('longrun')
      ? systems.filter((s) => s !== 'longrun').map((s) => fmt((get('longrun', k)?.opsPerSec ?? NaN) / (get(s, k)?.opsPerSec ?? NaN), 2))
      : []),
  ]),
]);
console.log('');
console.log(
  'RESULT ' +
    JSON.stringify({
      bench: 'executor-pg',
      // Rows for run-all's side-by-side table: Longrun against each anchor, per process count.
      summary: processCounts.flatMap((k) =>
        systems
          .filter((s) => s !== 'longrun')
          .flatMap((s) => [
            { name: `executor PG ops/s, ${k} process(es), vs ${s}`, longrun: get('longrun', k)?.opsPerSec, anchor: get(s, k)?.opsPerSec },
            {
              name: `executor PG write tx/op, ${k} process(es), vs ${s}`,
              longrun: get('longrun', k)?.commitsPerOp,
              anchor: get(s, k)?.commitsPerOp,
            },
          ]),
      ),
      postgres: pgVersion,
      cpus: availableParallelism(),
      concurrency,
      operations,
      workOperations,
      // Only these fields of each run go into the RESULT line.
      runs: results.map((r) => Object.fromEntries(RUN_FIELDS.map((k) => [k, r[k]]))),
    }),
);
if (failed) process.exit(1);
