// Password resets end to end, on `longrun serve` as users run it, versus the raw argon2id hash rate.
//
// 1. A SQLite temp file with the demo tenant plus BENCH_RESETS (default 1,000) + BENCH_RESET_WARMUP plain users
//    (lib/load-users.mjs, at the low test cost: set-up only); then the real CLI, `longrun serve` with
//    `--concurrency BENCH_RESET_CONCURRENCY` (default 8), its request log at info going to a file.
// 2. A warm-up of BENCH_RESET_WARMUP (default 200) resets of other users, not timed: a deployed
//    server has long run its request path hot (optimised by V8), as every other bench here warms
//    up. Then BENCH_RESETS POST …/resetPassword requests with a given password, all queued at once
//    in this process's lean client (lib/lean-http-client.mjs, BENCH_RESET_SOCKETS keep-alive
//    connections, default 64), by a Privileged Authentication Administrator; the clock runs from
//    the first POST to the last operation's `finished_at` (read from the file once all have ended:
//    the client polls it only every 100 ms, so its own CPU stays off the 2 cores the server and
//    the hashes share).
// 3. The same number of argon2id hashes at DEFAULT_HASH_COST, all submitted at once in this process
//    (a thread pool of the same size as the server's), once before and once after the resets;
//    their mean is the reference rate.
// Prints both rates and their ratio, and the CPU both sides spent (from /proc): the server's CPU
// per reset beside one hash's, so the overhead of a reset is read without the machine's noise.
// Exits 1 unless every reset succeeded exactly once.
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../dist/src/storage/open.js';
import { DEFAULT_HASH_COST, hashPassword } from '../dist/src/passwords/hashing.js';
import { cpuSeconds, cpuSecondsByThread, fmt, intEnv, printTable } from './lib/common.mjs';
import { demoToken } from './lib/demo-database.mjs';
import { httpRequestBytes, sendAll } from './lib/lean-http-client.mjs';
import { freshPassword, importDemoWithLoadUsers, loadUserId } from './lib/load-users.mjs';
import { startServe, stopServe } from './lib/serve-process.mjs';

const RESETS = intEnv('BENCH_RESETS', 1000);
const WARMUP = intEnv('BENCH_RESET_WARMUP', 200);
const CONCURRENCY = Math.max(1, intEnv('BENCH_RESET_CONCURRENCY', 8));
const SOCKETS = Math.max(1, intEnv('BENCH_RESET_SOCKETS', 64));
// A directory for a --cpu-prof of the serve child (diagnosis; profiling costs CPU, so not the figures).
const cpuProfDir = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
const PASSWORD_METHOD = '28c10230-6103-485e-b985-444c60001490';

const dir = await mkdtemp(join(tmpdir(), 'longrun-bench-reset-'));
const dbPath = join(dir, 'bench.db');
let domain;
{
  // Users 1..RESETS are measured; the WARMUP users after them only warm the server up.
  const { store } = await openStore('sqlite:' + dbPath);
  domain = (await importDemoWithLoadUsers(store, RESETS + WARMUP)).fixture.tenant.defaultDomain;
  await store.close();
}

const logPath = join(dir, 'serve.log');
const serve = await startServe({
  dbUrl: 'sqlite:' + dbPath,
  logPath,
  nodeArgs: cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [],
  args: ['--concurrency', String(CONCURRENCY)],
});

let failure;
const db = new Database(dbPath, { readonly: true });
const count = (status) =>
  Number(db.prepare(`SELECT COUNT(*) AS n FROM operations WHERE kind = 'passwordReset' AND status IN (${status})`).get().n);
let hashBefore, clientCpu, t0, t0Wall, tAccepted, tDone, serverCpu, serverMainCpu, threads0, threadCpu;
try {
  // The demo's Privileged Authentication Administrator: may reset plain users.
  const token = await demoToken(serve.url, domain);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const resetOf = (i) =>
    httpRequestBytes(
      serve.url,
      'POST',
      `/v1.0/users/${loadUserId(i)}/authentication/methods/${PASSWORD_METHOD}/resetPassword`,
      headers,
      JSON.stringify({ newPassword: freshPassword(i) }),
    );

  // --- 0. warm-up (not timed): other users, until their operations have ended ---
  if (WARMUP > 0) {
    const warm = await sendAll(
      serve.url,
      Array.from({ length: WARMUP }, (_, k) => resetOf(RESETS + 1 + k)),
      {
        connections: Math.min(SOCKETS, WARMUP),
        expected: 202,
      },
    );
    if (warm.firstUnexpected || warm.statuses['202'] !== WARMUP) {
      const e = warm.firstUnexpected;
      throw new Error(`${WARMUP} warm-up resets sent, answers ${JSON.stringify(warm.statuses)}${e ? `, e.g. ${e.status} ${e.body}` : ''}`);
    }
    while (count(`'succeeded', 'failed'`) < WARMUP) await new Promise((r) => setTimeout(r, 100));
  }
  const resets = Array.from({ length: RESETS }, (_, k) => resetOf(k + 1));

  // --- 1. the raw hash rate before the resets ---
  hashBefore = await hashAllAtOnce();

  // --- 2. resets over HTTP, end to end ---
  clientCpu = process.cpuUsage();
  const cpu0 = cpuSeconds(serve.child.pid);
  const main0 = cpuSeconds(serve.child.pid, serve.child.pid);
  threads0 = cpuSecondsByThread(serve.child.pid);
  t0 = performance.now();
  t0Wall = Date.now();
  const accepted = await sendAll(serve.url, resets, { connections: Math.min(SOCKETS, RESETS), expected: 202 });
  tAccepted = performance.now();
  if (accepted.firstUnexpected || accepted.statuses['202'] !== RESETS) {
    const e = accepted.firstUnexpected;
    throw new Error(`${RESETS} resets sent, answers ${JSON.stringify(accepted.statuses)}${e ? `, e.g. ${e.status} ${e.body}` : ''}`);
  }
  while (count(`'succeeded', 'failed'`) < WARMUP + RESETS) await new Promise((r) => setTimeout(r, 100));
  // finished_at is the tenant's time: real time here (the demo tenant's clock is not moved).
  const lastFinished = Number(db.prepare(`SELECT MAX(finished_at) AS t FROM operations WHERE kind = 'passwordReset'`).get().t);
  tDone = t0 + (lastFinished - t0Wall);
  serverCpu = cpuSeconds(serve.child.pid) - cpu0;
  serverMainCpu = cpuSeconds(serve.child.pid, serve.child.pid) - main0;
  threadCpu = [...cpuSecondsByThread(serve.child.pid)].map(([tid, s]) => [tid, s - (threads0.get(tid) ?? 0)]);
  clientCpu = process.cpuUsage(clientCpu);
} catch (e) {
  failure = e;
} finally {
  await stopServe(serve.child);
}
if (failure) {
  console.error(`error: ${failure.message}; the server's log: ${logPath}`);
  process.exit(1);
}
const succeeded = count(`'succeeded'`);
const audits = Number(db.prepare(`SELECT COUNT(*) AS n FROM audit_events WHERE activity = 'Reset user password'`).get().n);
db.close();
const logLines = readFileSync(logPath, 'utf8').split('\n').length - 1;
await rm(dir, { recursive: true, force: true });

// --- 3. the raw hash rate again: the mean of the runs before and after evens out a machine whose load drifts ---
const hashAfter = await hashAllAtOnce();

/** The raw hash rate: RESETS argon2id hashes at the same cost, all at once (a pool as large as the server's). */
async function hashAllAtOnce() {
  const cpu = process.cpuUsage();
  const h0 = performance.now();
  await Promise.all(Array.from({ length: RESETS }, (_, k) => hashPassword(freshPassword(k + 1))));
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - h0) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
}

const hashSeconds = (hashBefore.seconds + hashAfter.seconds) / 2;
const hashCpuMs = ((hashBefore.cpuSeconds + hashAfter.cpuSeconds) / 2 / RESETS) * 1000;
const endToEndSeconds = (tDone - t0) / 1000;
const resetRate = RESETS / endToEndSeconds;
const hashRate = RESETS / hashSeconds;
const resetCpuMs = (serverCpu / RESETS) * 1000;
const threads = process.env.UV_THREADPOOL_SIZE ?? '4 (default)';
console.log(
  `password resets on longrun serve (SQLite file, log at info: ${logLines} lines), after ${WARMUP} warm-up resets: ${RESETS} queued at once over ${SOCKETS} ` +
    `keep-alive connections, executor concurrency ${CONCURRENCY}, argon2id m=${DEFAULT_HASH_COST.memoryCost} KiB ` +
    `t=${DEFAULT_HASH_COST.timeCost} p=${DEFAULT_HASH_COST.parallelism}, libuv threads ${threads}, ${availableParallelism()} CPUs`,
);
printTable([
  ['measure', 'count', 'seconds', 'per second'],
  ['resets, first POST → last 202', String(RESETS), fmt((tAccepted - t0) / 1000, 2), fmt(RESETS / ((tAccepted - t0) / 1000), 1)],
  ['resets, first POST → last succeeded', String(RESETS), fmt(endToEndSeconds, 2), fmt(resetRate, 1)],
  ['argon2id hashes alone, before', String(RESETS), fmt(hashBefore.seconds, 2), fmt(RESETS / hashBefore.seconds, 1)],
  ['argon2id hashes alone, after', String(RESETS), fmt(hashAfter.seconds, 2), fmt(RESETS / hashAfter.seconds, 1)],
  ['argon2id hashes alone, mean', String(RESETS), fmt(hashSeconds, 2), fmt(hashRate, 1)],
]);
console.log(
  `CPU: the server ${fmt(resetCpuMs, 1)} ms per reset (its main thread ${fmt((serverMainCpu / RESETS) * 1000, 1)} ms), ` +
    `one hash alone ${fmt(hashCpuMs, 1)} ms: a reset's overhead beyond its hash ${fmt(resetCpuMs - hashCpuMs, 1)} ms; ` +
    `this client ${fmt((clientCpu.user + clientCpu.system) / 1000 / RESETS, 1)} ms per reset`,
);
// The main thread, then the others by CPU spent (the libuv pool's hashing threads first).
const threadMsPerReset = threadCpu
  .filter(([, sec]) => sec > 0)
  .sort(([a, x], [b, y]) => (a === serve.child.pid ? -1 : b === serve.child.pid ? 1 : y - x))
  .map(([tid, sec]) => ({ tid, main: tid === serve.child.pid, ms: Math.round((sec / RESETS) * 1e5) / 100 }));
console.log(
  `CPU per reset by server thread (ms): ${threadMsPerReset.map((t) => (t.main ? `main ${fmt(t.ms, 2)}` : fmt(t.ms, 2))).join(', ')}`,
);
console.log(`ratio (end-to-end resets / mean raw hashes): ${fmt(resetRate / hashRate, 2)}`);
const ok = succeeded === WARMUP + RESETS && audits === WARMUP + RESETS;
console.log(`check: ${succeeded}/${WARMUP + RESETS} succeeded (warm-up included), ${audits} audit events ${ok ? '(ok)' : '(MISMATCH)'}`);
console.log(
  'RESULT ' +
    JSON.stringify({
      bench: 'password-reset',
      summary: [{ name: `password resets/s vs argon2id hashes/s (${RESETS} at once)`, longrun: resetRate, anchor: hashRate }],
      resets: RESETS,
      warmup: WARMUP,
      concurrency: CONCURRENCY,
      endToEndSeconds,
      resetsPerSecond: resetRate,
      hashesPerSecond: hashRate,
      ratio: resetRate / hashRate,
      serverCpuMsPerReset: resetCpuMs,
      serverMainThreadCpuMsPerReset: (serverMainCpu / RESETS) * 1000,
      hashCpuMs,
      clientCpuMsPerReset: (clientCpu.user + clientCpu.system) / 1000 / RESETS,
      threadCpuMsPerReset: threadMsPerReset,
      succeeded,
      audits,
    }),
);
process.exit(ok ? 0 : 1);
