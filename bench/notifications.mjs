// Notifications delivered per second by a real `longrun serve` child to a local receiver, versus
// the same number of POSTs sent by a bare node:http client loop, in one run.
//
// 1. A SQLite temp file with the demo tenant and one subscription (to megan@'s authentication
//    operations) whose notificationUrl is a node:http receiver in this process (answers 202).
// 2. "queued": BENCH_NOTIFICATIONS (default 2,000) notificationDelivery operations are queued in
//    the database, then `longrun serve --extensions subscriptions --concurrency C` (default 8)
//    starts; the clock runs from its "listening" line to the receiver's last notification.
// 3. "end to end": the same number of password resets that fail at once (the policy verdict is in
//    their input, no hashing), queued with the child running; each failure queues its
//    notification in the finish transaction; the clock runs from the first insert to the
//    receiver's last notification.
// 4. "bare": the same number of POSTs with the same body, C at a time over a keep-alive agent.
// The child runs on CPU 0, this process (receiver, bare client) on CPU 1 when taskset exists.
// Exits 1 unless every notification arrived and every delivery succeeded.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { Agent, createServer, request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../dist/src/storage/open.js';
import { importTenant } from '../dist/src/directory/tenant-import.js';
import { createPasswordHasher, LOW_HASH_COST_FOR_TESTS } from '../dist/src/passwords/hashing.js';
import { notificationBody } from '../dist/src/subscriptions/notification.js';
import { cpuSeconds, fmt, intEnv, pinningPlan, pinSelf, printTable } from './lib/common.mjs';

const N = intEnv('BENCH_NOTIFICATIONS', 2000);

const CONCURRENCY = Math.max(1, intEnv('BENCH_NOTIFY_CONCURRENCY', 8));
const MEGAN = 'c6000304-9809-42e3-b7a4-ff84111e5910';
const BIN = fileURLToPath(new URL('../bin/longrun.js', import.meta.url));
const cpus = availableParallelism();
const pin = pinningPlan();
if (pin.enabled) pinSelf(pin.loadCpu);

// --- the receiver ---
let received = 0;
let onReceived = () => {};
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const token = new URL(req.url, 'http://x').searchParams.get('validationToken');
    if (token !== null) return res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
    received++;
    res.writeHead(202).end();
    onReceived();
  });
});
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${receiver.address().port}/hook`;
const allReceived = (target) =>
  new Promise((resolve) => {
    onReceived = () => received >= target && resolve(performance.now());
  });

// --- the database ---
const dir = await mkdtemp(join(tmpdir(), 'longrun-bench-notify-'));
const dbUrl = 'sqlite:' + join(dir, 'bench.db');
const { store } = await openStore(dbUrl);
const fixture = JSON.parse(await readFile(new URL('../fixtures/demo-tenant.json', import.meta.url), 'utf8'));
const imported = await importTenant(store, fixture, createPasswordHasher(LOW_HASH_COST_FOR_TESTS), Date.now());
if (!imported.ok) throw new Error('tenant import failed: ' + JSON.stringify(imported.errors));
const tenantId = imported.tenantId;
const subscription = await store.subscriptions.insert({
  tenantId,
  id: 'bench-subscription',
  resource: `users/${MEGAN}/authentication/operations`,
  resourceKind: 'authenticationOperations',
  targetUserId: MEGAN,
  changeType: 'updated',
  notificationUrl: hookUrl,
  clientState: 'bench-client-state',
  expiresAt: Date.now() + 24 * 3_600_000,
  creatorAppId: 'bench',
  creatorId: 'bench',
  creatorKind: 'app',
  createdAt: Date.now(),
});
const deliveryInput = (i) => ({
  tenantId,
  subscriptionId: subscription.id,
  operationId: `bench-${i}`,
  resource: `users/${MEGAN}/authentication/operations/bench-${i}`,
  status: 'failed',
});
await store.transaction(async (tx) => {
  for (let i = 0; i < N; i++) {
    const input = deliveryInput(i);
    await tx.operations.insert(
      {
        id: `notify:${subscription.id}:1:${input.operationId}`,
        tenantId,
        kind: 'notificationDelivery',
        targetId: subscription.id,
        input,
        maxAttempts: 1000,
      },
      Date.now(),
    );
  }
});

// --- 2. queued deliveries drained by a serve child ---
const queuedDone = allReceived(N);
const args = [
  'serve',
  '--db',
  dbUrl,
  '--port',
  '0',
  '--no-demo',
  '--concurrency',
  String(CONCURRENCY),
  '--log-level',
  'warn',
  '--extensions',
  'subscriptions',
];
const [cmd, argv] = pin.enabled
  ? ['taskset', ['-c', String(pin.serverCpu), process.execPath, BIN, ...args]]
  : [process.execPath, [BIN, ...args]];
const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
const tListening = await new Promise((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`longrun serve exited (${code}) before listening`)));
  child.stdout.on('data', (d) => String(d).includes('longrun listening on') && resolve(performance.now()));
});
const tQueued = await queuedDone;
const cpuAfterQueued = cpuSeconds(child.pid);
const queuedSeconds = (tQueued - tListening) / 1000;

// --- 3. end to end: failing resets, each notified ---
const endToEndDone = allReceived(2 * N);
const t0 = performance.now();
await store.transaction(async (tx) => {
  for (let i = 0; i < N; i++) {
    const input = {
      tenantId,
      userId: MEGAN,
      policyViolation: 'The password is too short.',
      resourceLocation: 'http://bench/x',
      initiatedBy: 'bench',
    };
    await tx.operations.insert(
      { id: `bench-reset-${i}`, tenantId, kind: 'passwordReset', targetId: MEGAN, input, maxAttempts: 5 },
      Date.now(),
    );
  }
});
const tEndToEnd = await endToEndDone;
const cpuAfterEndToEnd = cpuSeconds(child.pid);
const endToEndSeconds = (tEndToEnd - t0) / 1000;

child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
const delivered = Number(
  (await store.sql.queryOne(`SELECT COUNT(*) AS n FROM operations WHERE kind = 'notificationDelivery' AND status = 'succeeded'`)).n,
);
// Where a delivery's time goes: from its claim to its end (the POST and the finish transaction).
const attempt = await store.sql.queryOne(
  `SELECT AVG(e2.at - e1.at) AS ms FROM operation_events e1 JOIN operation_events e2 ON e2.operation_id = e1.operation_id AND e2.run = e1.run
   WHERE e1.type = 'claimed' AND e2.type = 'succeeded' AND e1.operation_id LIKE 'notify:%'`,
);
const attemptMs = Number(attempt.ms);
await store.close();
await rm(dir, { recursive: true, force: true });

// --- 4. bare: the same POSTs from a node:http client loop ---
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const body = JSON.stringify(notificationBody({ ...subscription }, deliveryInput(0)));
const post = () =>
  new Promise((resolve, reject) => {
    const req = request(
      hookUrl,
      { method: 'POST', agent, headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode >= 200 && res.statusCode < 300 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
let next = 0;
const b0 = performance.now();
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < N) {
      next++;
      await post();
    }
  }),
);
const bareSeconds = (performance.now() - b0) / 1000;
agent.destroy();
receiver.close();

console.log(
  `notifications: ${N} per phase, executor concurrency ${CONCURRENCY}, SQLite, ${cpus} CPUs, pinning ${pin.enabled ? 'serve CPU 0, receiver CPU 1' : 'off'}`,
);
printTable([
  ['measure', 'count', 'seconds', 'per second'],
  ['queued deliveries → received (serve child)', String(N), fmt(queuedSeconds, 2), fmt(N / queuedSeconds, 1)],
  ['failing resets → notifications received', String(N), fmt(endToEndSeconds, 2), fmt(N / endToEndSeconds, 1)],
  ['bare node:http POST loop, same body', String(N), fmt(bareSeconds, 2), fmt(N / bareSeconds, 1)],
]);
console.log(`mean claim → delivered per notification: ${fmt(attemptMs, 1)} ms`);
console.log(
  `serve child CPU: ${fmt((cpuAfterQueued * 1000) / N, 2)} ms per queued delivery (incl. start-up), ` +
    `${fmt(((cpuAfterEndToEnd - cpuAfterQueued) * 1000) / N, 2)} ms per failing reset + its notification`,
);
console.log(`ratio (queued deliveries / bare POSTs): ${fmt(bareSeconds / queuedSeconds, 3)}`);
const ok = received === 3 * N && delivered === 2 * N;
console.log(`check: ${received}/${3 * N} POSTs received, ${delivered}/${2 * N} deliveries succeeded ${ok ? '(ok)' : '(MISMATCH)'}`);
console.log(
  'RESULT ' +
    JSON.stringify({
      bench: 'notifications',
      notifications: N,
      concurrency: CONCURRENCY,
      queuedPerSecond: N / queuedSeconds,
      endToEndPerSecond: N / endToEndSeconds,
      barePerSecond: N / bareSeconds,
      delivered,
    }),
);
process.exit(ok ? 0 : 1);
