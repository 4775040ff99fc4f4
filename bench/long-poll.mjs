// Long-polling with the `wait` extension against plain polling, on a real `longrun serve` child
// on PostgreSQL: 1,000 clients each follow one operation; the operations end spread over 10 s.
// Measures the server's RSS, the PostgreSQL connections it uses (pg_stat_activity, by
// application_name) and the wake-up latency: from the operation's terminal write (finished_at)
// to the client holding the terminal answer. See bench/README.md.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Agent, request } from 'undici';
import { fmt, intEnv, printTable } from './lib/common.mjs';

const CLIENTS = intEnv('BENCH_CLIENTS', 1000);
const SPREAD_MS = intEnv('BENCH_SPREAD', 10) * 1000;
const WAIT_SECONDS = intEnv('BENCH_WAIT', 30);
const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.LONGRUN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const BIN = fileURLToPath(new URL('../bin/longrun.js', import.meta.url));
const demo = JSON.parse(readFileSync(new URL('../fixtures/demo-tenant.json', import.meta.url), 'utf8'));
const TENANT_ID = demo.tenant.id;
const TARGET_USER_ID = 'c6000304-9809-42e3-b7a4-ff84111e5910'; // megan@, an ordinary member
const SIGN_IN = {
  client_id: 'd34cf5ac-dc53-41b0-ac26-9f9c3354f73f',
  client_secret: 'demo-client-secret',
  username: 'privauthadmin@contoso.onmicrosoft.com',
  password: 'Demo-PrivAuth-Passw0rd!',
};

const admin = new pg.Client({ connectionString: DATABASE_URL });
await admin.connect();

/** A fresh schema and a server on it; the server's connections carry a unique application_name. */
async function startServer() {
  const tag = `lr_bench_${randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE SCHEMA ${tag}`);
  const url = new URL(DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${tag}`);
  url.searchParams.set('application_name', tag);
  const child = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--db',
      url.href,
      '--port',
      '0',
      '--demo',
      '--extensions',
      'all',
      '--wait-per-caller',
      String(CLIENTS * 2),
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const base = await new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`longrun serve exited with ${code}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const m = /longrun listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
  });
  child.stdout.resume();
  return { child, base, tag };
}

async function stopServer({ child, tag }) {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
  await admin.query(`DROP SCHEMA ${tag} CASCADE`);
}

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const connections = async (tag) =>
  Number((await admin.query(`SELECT COUNT(*) AS n FROM pg_stat_activity WHERE application_name = $1`, [tag])).rows[0].n);

async function token(base) {
  const res = await fetch(`${base}/${demo.tenant.defaultDomain}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', scope: 'https://graph.microsoft.com/.default', ...SIGN_IN }),
  });
  const body = await res.json();
  if (!body.access_token) throw new Error(`token: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

/** Queues `CLIENTS` operations that become claimable spread over SPREAD_MS from `start`; they fail at once when run. */
async function queueOperations(tag, start) {
  const ids = Array.from({ length: CLIENTS }, () => randomUUID());
  const input = JSON.stringify({
    tenantId: TENANT_ID,
    userId: TARGET_USER_ID,
    policyViolation: 'benchmark',
    resourceLocation: '',
    initiatedBy: 'bench',
  });
  for (let i = 0; i < ids.length; i += 250) {
    const chunk = ids.slice(i, i + 250);
    const values = chunk.map(
      (_, j) =>
        `($${j * 2 + 1}, '${TENANT_ID}', 'passwordReset', '${TARGET_USER_ID}', 'notStarted', ${start}, ${start}, 3, $${j * 2 + 2}, '${input}')`,
    );
    await admin.query(
      `INSERT INTO ${tag}.operations (id, tenant_id, kind, target_id, status, created_at, last_action_at, max_attempts, available_at, input) VALUES ${values.join(', ')}`,
      chunk.flatMap((id, j) => [id, start + Math.round(((i + j) / CLIENTS) * SPREAD_MS)]),
    );
  }
  return ids;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function run(mode) {
  const server = await startServer();
  const bearer = await token(server.base);
  const dispatcher = new Agent({ connections: null, keepAliveTimeout: 60_000, headersTimeout: 0, bodyTimeout: 0 });
  const idle = { rss: rssMb(server.child.pid), conns: await connections(server.tag) };
  const start = Date.now() + 2000;
  const ids = await queueOperations(server.tag, start);
  const peak = { rss: idle.rss, conns: idle.conns };
  const sampler = setInterval(async () => {
    peak.rss = Math.max(peak.rss, rssMb(server.child.pid));
    peak.conns = Math.max(peak.conns, await connections(server.tag).catch(() => 0));
  }, 200);
  let requests = 0;
  const received = new Map();
  const headers = { authorization: `Bearer ${bearer}`, ...(mode === 'long-poll' ? { prefer: `wait=${WAIT_SECONDS}` } : {}) };
  await Promise.all(
    ids.map(async (id) => {
      for (;;) {
        requests++;
        const res = await request(`${server.base}/v1.0/users/${TARGET_USER_ID}/authentication/operations/${id}`, { headers, dispatcher });
        const body = await res.body.json();
        if (res.statusCode !== 200) throw new Error(`GET ${id}: ${res.statusCode} ${JSON.stringify(body)}`);
        if (body.status === 'succeeded' || body.status === 'failed') return void received.set(id, Date.now());
        if (mode === 'poll') await new Promise((r) => setTimeout(r, 1000));
      }
    }),
  );
  clearInterval(sampler);
  const rows = (await admin.query(`SELECT id, finished_at FROM ${server.tag}.operations`)).rows;
  const latencies = rows.map((r) => received.get(r.id) - Number(r.finished_at)).sort((a, b) => a - b);
  await dispatcher.close();
  await stopServer(server);
  return {
    mode,
    requests,
    rssIdleMb: idle.rss,
    rssPeakMb: peak.rss,
    connectionsIdle: idle.conns,
    connectionsPeak: peak.conns,
    wakeP50Ms: percentile(latencies, 50),
    wakeP99Ms: percentile(latencies, 99),
    wakeMaxMs: latencies.at(-1),
  };
}

console.log(
  `long-poll benchmark: ${CLIENTS} clients, ${CLIENTS} operations ending over ${SPREAD_MS / 1000} s, PostgreSQL ${new URL(DATABASE_URL).host}`,
);
const results = [];
for (const mode of ['long-poll', 'poll']) results.push(await run(mode));
await admin.end();
printTable([
  ['mode', 'requests', 'RSS idle MB', 'RSS peak MB', 'DB conns idle', 'DB conns peak', 'wake p50 ms', 'wake p99 ms', 'wake max ms'],
  ...results.map((r) => [
    r.mode === 'long-poll' ? `Prefer: wait=${WAIT_SECONDS}` : 'poll every 1 s',
    fmt(r.requests),
    fmt(r.rssIdleMb),
    fmt(r.rssPeakMb),
    String(r.connectionsIdle),
    String(r.connectionsPeak),
    fmt(r.wakeP50Ms),
    fmt(r.wakeP99Ms),
    fmt(r.wakeMaxMs),
  ]),
]);
console.log(`RESULT ${JSON.stringify(results)}`);
