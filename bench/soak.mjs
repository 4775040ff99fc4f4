// Soak: a fixed-rate mix of token grants, refreshes, password resets and operation polls against
// a real `longrun serve` process, per backend, for BENCH_SOAK_MINUTES; prints the server's RSS,
// heap, open resources and file descriptors and the p99 latency per minute, and exits 1 on any
// 5xx or on growth that does not level off (the rule is in bench/README.md, "Soak"). Not in CI.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { intEnv } from './lib/common.mjs';

const MINUTES = Number(process.env.BENCH_SOAK_MINUTES ?? 10);
const RATE = intEnv('BENCH_SOAK_RATE', 20); // requests per second, all kinds together
const SAMPLE_SECONDS = intEnv('BENCH_SOAK_SAMPLE_SECONDS', 10);
const MAX_IN_FLIGHT = intEnv('BENCH_SOAK_MAX_IN_FLIGHT', 64);
const REFRESH_CHAINS = 8;
const BACKENDS = (process.env.BENCH_SOAK_BACKENDS ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const PG_URL = process.env.BENCH_SOAK_PG;
if (!(MINUTES > 0)) {
  console.error(`error: BENCH_SOAK_MINUTES must be a positive number, got '${process.env.BENCH_SOAK_MINUTES}'`);
  process.exit(2);
}

/** Out of every 20 requests: 2 password grants, 2 refreshes, 2 resets, 14 polls. */
const MIX = ['grant', 'refresh', 'reset', ...Array(14).fill('poll'), 'grant', 'refresh', 'reset'];
const PASSWORD_METHOD = '28c10230-6103-485e-b985-444c60001490';
const METRICS_TOKEN = randomBytes(24).toString('base64url');
const root = fileURLToPath(new URL('..', import.meta.url));
const { DEMO_SIGN_IN: demo } = await import(new URL('../dist/src/directory/demo-tenant.js', import.meta.url).href);
const TARGET = `megan@${demo.domain}`;

/**
 * Growth that does not level off. Samples of the first minute (a third of the run if shorter:
 * warm-up) are dropped and the rest split in three equal spans; m1, m2, m3 are their medians
 * (for the heap, of the lowest of each three samples in a row: what survives collections). A
 * metric fails when it rose through both spans (m1 < m2 < m3), the last rise is at least half
 * the one before (not slowing down), and m3 - m1 exceeds the floor. Fewer than 9 samples: too
 * short to judge (reported, not failed).
 */
const GROWTH_RULES = [
  { key: 'rssMiB', floor: 16 },
  { key: 'heapFloorMiB', floor: 8 },
  { key: 'resources', floor: 10 },
  { key: 'fds', floor: 10 },
];
const MIN_JUDGED_SAMPLES = 9;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function growth(samples, key, floor) {
  if (samples.length < MIN_JUDGED_SAMPLES) return { key, judged: false, growing: false };
  const n = Math.floor(samples.length / 3);
  const [m1, m2, m3] = [0, 1, 2].map((i) => median(samples.slice(i * n, i === 2 ? samples.length : (i + 1) * n).map((x) => x[key])));
  const growing = m1 < m2 && m2 < m3 && m3 - m2 >= 0.5 * (m2 - m1) && m3 - m1 > floor;
  const r = (v) => Number(v.toFixed(2));
  return { key, judged: true, growing, medians: [r(m1), r(m2), r(m3)] };
}

function p99(values) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
}

async function startServer(db) {
  const child = spawn(
    process.execPath,
    [join(root, 'bin/longrun.js'), 'serve', '--db', db, '--port', '0', '--demo', '--extensions', 'wait', '--log-level', 'warn'],
    { cwd: root, env: { ...process.env, LONGRUN_METRICS_TOKEN: METRICS_TOKEN }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /longrun listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`longrun serve exited with ${code} before listening:\n${out}`)));
  });
  child.stdout.resume();
  return { child, url };
}

async function soak(backend, db) {
  const { child, url } = await startServer(db);
  const tokenUrl = `${url}/${demo.domain}/oauth2/v2.0/token`;
  const form = (fields) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  const passwordGrant = () =>
    fetch(
      tokenUrl,
      form({
        grant_type: 'password',
        client_id: demo.clientId,
        client_secret: demo.clientSecret,
        username: demo.username,
        password: demo.password,
        scope: 'https://graph.microsoft.com/.default offline_access',
      }),
    );
  const first = await (await passwordGrant()).json();
  if (!first.access_token || !first.refresh_token) throw new Error(`first token: ${JSON.stringify(first)}`);
  let accessToken = first.access_token;
  // A refresh token is single-use (rotation; reuse revokes the family), so refreshes run on
  // separate chains, each used by one request at a time; none idle counts as dropped.
  const idleChains = [first.refresh_token];
  for (let i = 1; i < REFRESH_CHAINS; i++) idleChains.push((await (await passwordGrant()).json()).refresh_token);
  const operations = [];

  const requests = {
    grant: async () => {
      const res = await passwordGrant();
      const body = await res.json();
      if (body.access_token) accessToken = body.access_token;
      return res.status;
    },
    refresh: async () => {
      const refreshToken = idleChains.pop();
      if (refreshToken === undefined) return 'dropped';
      const res = await fetch(
        tokenUrl,
        form({ grant_type: 'refresh_token', client_id: demo.clientId, client_secret: demo.clientSecret, refresh_token: refreshToken }),
      );
      const body = await res.json();
      idleChains.push(body.refresh_token ?? refreshToken);
      return res.status;
    },
    reset: async () => {
      const res = await fetch(`${url}/v1.0/users/${TARGET}/authentication/methods/${PASSWORD_METHOD}/resetPassword`, {
        method: 'POST',
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ newPassword: `Soak-${randomBytes(6).toString('base64url')}-9a!` }),
      });
      await res.arrayBuffer();
      const location = res.headers.get('location');
      if (location) operations.push(location);
      if (operations.length > 200) operations.shift();
      return res.status;
    },
    poll: async () => {
      const location = operations[Math.floor(Math.random() * operations.length)];
      if (!location) return requests.reset();
      const res = await fetch(location, { headers: { authorization: `Bearer ${accessToken}`, prefer: 'wait=1' } });
      await res.arrayBuffer();
      return res.status;
    },
  };

  const sample = async (t) => {
    const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const metric = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
    const vmRss = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? NaN);
    return {
      t,
      rssMiB: metric('longrun_process_resident_memory_bytes') / 2 ** 20,
      procRssMiB: vmRss / 1024,
      heapMiB: metric('longrun_process_heap_used_bytes') / 2 ** 20,
      resources: metric('longrun_process_active_resources'),
      fds: readdirSync(`/proc/${child.pid}/fd`).length,
    };
  };

  const perMinute = [];
  const minuteOf = (ms) => Math.floor(ms / 60_000);
  const bucket = (m) => (perMinute[m] ??= { sent: 0, dropped: 0, s5xx: 0, s429: 0, failed: 0, latency: {}, status: {} });
  const samples = [];
  let inFlight = 0;
  let seq = 0;
  const start = performance.now();
  const endAt = start + MINUTES * 60_000;
  samples.push(await sample(0));
  let nextSample = start + SAMPLE_SECONDS * 1000;

  await new Promise((resolve) => {
    const tick = setInterval(() => {
      const now = performance.now();
      if (now >= endAt) {
        clearInterval(tick);
        resolve();
        return;
      }
      // Fixed rate (open loop): send what the schedule says is due, whatever the answers do.
      const due = Math.floor(((now - start) / 1000) * RATE);
      while (seq < due) {
        const kind = MIX[seq % MIX.length];
        seq++;
        const b = bucket(minuteOf(now - start));
        if (inFlight >= MAX_IN_FLIGHT) {
          b.dropped++;
          continue;
        }
        b.sent++;
        inFlight++;
        const t0 = performance.now();
        requests[kind]()
          .then((status) => {
            if (status === 'dropped') {
              b.sent--;
              b.dropped++;
              return;
            }
            (b.latency[kind] ??= []).push(performance.now() - t0);
            b.status[`${kind} ${status}`] = (b.status[`${kind} ${status}`] ?? 0) + 1;
            if (status >= 500) b.s5xx++;
            if (status === 429) b.s429++;
          })
          .catch(() => b.failed++)
          .finally(() => inFlight--);
      }
      if (now >= nextSample) {
        nextSample += SAMPLE_SECONDS * 1000;
        void sample((now - start) / 60_000).then((s) => samples.push(s));
      }
    }, 20);
  });
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 50));
  samples.push(await sample((performance.now() - start) / 60_000));
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));

  console.log(
    `\n## ${backend} (${db.replace(/\/\/[^@]*@/, '//…@')}), ${MINUTES} min at ${RATE} req/s, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    'min | sent | dropped | 5xx | 429 | err | p99 grant ms | p99 refresh | p99 reset | p99 poll | RSS MiB (/proc) | heap MiB | resources | fds',
  );
  console.log('---|---|---|---|---|---|---|---|---|---|---|---|---|---');
  perMinute.forEach((b, m) => {
    const last = samples.filter((s) => s.t <= m + 1).at(-1) ?? samples[0];
    const ms = (k) => (b.latency[k] ? p99(b.latency[k]).toFixed(0) : '-');
    console.log(
      [
        m + 1,
        b.sent,
        b.dropped,
        b.s5xx,
        b.s429,
        b.failed,
        ms('grant'),
        ms('refresh'),
        ms('reset'),
        ms('poll'),
        `${last.rssMiB.toFixed(1)} (${last.procRssMiB.toFixed(1)})`,
        last.heapMiB.toFixed(1),
        last.resources,
        last.fds,
      ].join(' | '),
    );
  });

  samples.sort((a, b) => a.t - b.t);
  samples.forEach((x, i) => (x.heapFloorMiB = Math.min(...samples.slice(Math.max(0, i - 2), i + 1).map((y) => y.heapMiB))));
  const settled = samples.filter((x) => x.t >= Math.min(1, MINUTES / 3));
  const verdicts = GROWTH_RULES.map(({ key, floor }) => growth(settled, key, floor));
  const total5xx = perMinute.reduce((s, b) => s + b.s5xx, 0);
  const failed = perMinute.reduce((s, b) => s + b.failed, 0);
  const statuses = {};
  for (const b of perMinute) for (const [k, n] of Object.entries(b.status)) statuses[k] = (statuses[k] ?? 0) + n;
  console.log(`statuses: ${JSON.stringify(statuses)}`);
  for (const v of verdicts) {
    const verdict = !v.judged ? 'too short to judge' : v.growing ? 'GROWING' : 'levels off';
    console.log(`growth ${v.key}: medians of the three spans ${v.medians?.join(' → ') ?? '-'} (${settled.length} samples): ${verdict}`);
  }
  return { backend, minutes: MINUTES, rate: RATE, total5xx, failed, statuses, verdicts, samples: samples.length };
}

const results = [];
for (const backend of BACKENDS) {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'longrun-soak-'));
    try {
      results.push(await soak('sqlite', `sqlite:${join(dir, 'soak.db')}`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else if (backend === 'postgres') {
    if (!PG_URL) {
      console.log('\n## postgres: skipped (set BENCH_SOAK_PG=postgres://… to an empty database)');
      continue;
    }
    results.push(await soak('postgres', PG_URL));
  } else {
    console.error(`error: unknown backend '${backend}' in BENCH_SOAK_BACKENDS`);
    process.exit(2);
  }
}
const ok = results.every((r) => r.total5xx === 0 && r.failed === 0 && r.verdicts.every((v) => !v.growing));
console.log(`RESULT ${JSON.stringify({ ok, results })}`);
process.exit(ok ? 0 : 1);
