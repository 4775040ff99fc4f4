// Refresh-all alerts on generated tenants (issue #4): POST .../alerts/refresh -> `succeeded`,
// against the floor of merely reading the same rows (store.directory.snapshot) and the pure
// evaluators. One FRESH child process per (backend, size) for the measurement, and another one
// before it for the import, so the measuring child's peak RSS is the refresh's, not the import's.
//
//   node bench/alerts-refresh.mjs
//   BENCH_SIZES=1000,10000,100000 BENCH_PG_SIZES=1000,10000,100000 BENCH_REFRESHES=3 node bench/alerts-refresh.mjs
//   BENCH_SIZES=100000 BENCH_PG_SIZES=100000 node bench/alerts-refresh.mjs   (issue #16's row)
//   BENCH_PG_SIZES=none                     skip PostgreSQL
//   BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/postgres (default)
//
// Passwords: importing 100k users with the production argon2 cost takes hours, and the refresh
// never reads a hash. So the bench's hasher gives the admin (user 0) and the app secret a real
// argon2id hash at the low test cost (m=1 MiB, t=1) -- the admin logs in with the password
// grant -- and every other user one constant argon2id hash computed once.
import { fork, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir, cpus, totalmem, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = new URL('../dist/src/', import.meta.url);
const mod = (p) => import(new URL(p, DIST).href);

// ------------------------------------------------------------------------------------- parent
async function parent() {
  const list = (v, d) =>
    v === 'none'
      ? []
      : (v ?? d)
          .split(',')
          .map(Number)
          .filter((n) => n > 0);
  const sizes = list(process.env.BENCH_SIZES, '1000,10000,100000');
  const pgSizes = list(process.env.BENCH_PG_SIZES, '1000,10000,100000');
  const refreshes = Number(process.env.BENCH_REFRESHES ?? 3);
  const pgUrl = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const seed = process.env.BENCH_SEED ?? '4';
  const dir = await mkdtemp(join(tmpdir(), 'longrun-alerts-bench-'));
  console.log(`node ${process.version}, ${cpus().length} x ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM`);
  // The machine may be shared: the load average says how much the figures can be trusted.
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ');
  console.log(`load average (1 / 5 / 15 min) at start: ${load()}`);
  const results = [];
  try {
    const runs = [...sizes.map((n) => ['sqlite', n]), ...pgSizes.map((n) => ['postgres', n])];
    for (const [backend, users] of runs) {
      const fixture = join(dir, `tenant-${users}.json`);
      if (!existsSync(fixture)) {
        const t = performance.now();
        execFileSync(
          process.execPath,
          [join(ROOT, 'bin/longrun.js'), 'tenant', 'generate', '--users', String(users), '--seed', seed, '--out', fixture],
          { stdio: 'ignore' },
        );
        console.log(
          `generated ${users} users in ${Math.round(performance.now() - t)} ms (${((await stat(fixture)).size / 2 ** 20).toFixed(1)} MiB)`,
        );
      }
      const schema = `bench_alerts_${process.pid}_${users}`;
      const db = backend === 'sqlite' ? { url: 'sqlite:' + join(dir, `db-${users}.sqlite`) } : { url: pgUrl, schema };
      if (backend === 'postgres') await pgAdmin(pgUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
      try {
        const imp = await child('--import', { db, fixture });
        console.log(`${backend} ${users}: imported in ${imp.importMs} ms (peak RSS ${imp.maxRssMb} MB)`);
        const m = await child('--measure', { db, login: imp.login }, (msg, c) => driveRefreshes(msg, c, imp.login, refreshes));
        delete imp.login;
        results.push({ backend, users, ...imp, ...m });
        console.log(
          `${backend} ${users}: refresh ${m.refreshMs.join(' / ')} ms | anchor: snapshot read ${m.snapshotMs} ms ` +
            `(${m.snapshotUsers} users), all-users read ${m.allUsersMs} ms (${m.allUsers} users) | evaluate ${m.evaluateMs} ms, ` +
            `peak RSS ${m.peakRssMb} MB (before ${m.rssBeforeMb} MB) | load ${load()}`,
        );
      } finally {
        if (backend === 'postgres') await pgAdmin(pgUrl, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        else await rm(db.url.slice('sqlite:'.length), { force: true });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  printTable(results);
  console.log(`load average (1 / 5 / 15 min) at end: ${load()}`);
  // Rows for run-all's side-by-side table: the refresh (median after the first) against the bare
  // snapshot read it cannot beat, and its peak RSS (no anchor: the goal is in bench/README.md).
  const summary = results.flatMap((r) => [
    {
      name: `refresh-all ${r.backend} ${r.users} users, ms (anchor: snapshot read)`,
      longrun: r.refreshMs.length > 1 ? median(r.refreshMs.slice(1)) : r.refreshMs[0],
      anchor: r.snapshotMs,
    },
    { name: `refresh-all ${r.backend} ${r.users} users, peak RSS MB`, longrun: r.peakRssMb },
  ]);
  console.log('RESULT ' + JSON.stringify({ bench: 'alerts-refresh', summary, results }));
}

function printTable(results) {
  const head = [
    'backend',
    'users',
    'assignments',
    'activations',
    'import ms',
    'POST->succeeded ms (1st / median rest)',
    'anchor: snapshot read ms (users read)',
    'all-users read ms',
    'evaluate ms',
    'scan ms',
    'RSS before MB',
    'peak RSS MB',
    'growth (refresh / snapshot / RSS delta)',
  ];
  const rows = results.map((r, i) => {
    const prev = i > 0 && results[i - 1].backend === r.backend ? results[i - 1] : undefined;
    const rest = r.refreshMs.length > 1 ? median(r.refreshMs.slice(1)) : r.refreshMs[0];
    const g = (a, b) => (b > 0 ? (a / b).toFixed(1) + 'x' : '-');
    const delta = (x) => x.peakRssMb - x.rssBeforeMb;
    return [
      r.backend,
      r.users,
      r.assignments,
      r.activations,
      r.importMs,
      `${r.refreshMs[0]} / ${rest}`,
      `${r.snapshotMs} (${r.snapshotUsers})`,
      r.allUsersMs,
      r.evaluateMs,
      r.scanMs,
      r.rssBeforeMb,
      r.peakRssMb,
      prev
        ? `${g(rest, prev.refreshMs.length > 1 ? median(prev.refreshMs.slice(1)) : prev.refreshMs[0])} / ${g(r.snapshotMs, prev.snapshotMs)} / ${g(delta(r), delta(prev))} (users ${g(r.users, prev.users)})`
        : '',
    ];
  });
  console.log('\n| ' + head.join(' | ') + ' |\n|' + head.map(() => '---').join('|') + '|');
  for (const row of rows) console.log('| ' + row.join(' | ') + ' |');
  for (const r of results)
    console.log(
      `${r.backend} ${r.users}: evaluate per alert (ms) ${JSON.stringify(r.perAlertMs)}; incidents ${JSON.stringify(r.incidents)}`,
    );
}

function child(flag, arg, onMessage) {
  return new Promise((resolve, reject) => {
    const c = fork(SELF, [flag, JSON.stringify(arg)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: process.env.BENCH_CHILD_ARGS ? process.env.BENCH_CHILD_ARGS.split(' ') : [],
    });
    let result;
    let failed;
    c.on('message', (m) => {
      if (m.result) result = m.result;
      else onMessage?.(m, c).catch((e) => ((failed = e), c.kill()));
    });
    c.on('error', reject);
    c.on('exit', (code) =>
      failed ? reject(failed) : code === 0 && result ? resolve(result) : reject(new Error(`${flag} child exited ${code}`)),
    );
  });
}

/** Resolves with the next IPC message from the parent that has `key`. */
function nextMessage(key) {
  return new Promise((resolve) => {
    const on = (m) => {
      if (!(key in m)) return;
      process.off('message', on);
      resolve(m);
    };
    process.on('message', on);
  });
}

/**
 * The parent's side of a measurement: the client. A token by the password grant, then
 * `refreshes` times POST refresh-all and poll its Location every 5 ms until `succeeded`; the
 * child samples its RSS from the moment it says `sampling` until it is told `refreshed`.
 */
async function driveRefreshes(msg, c, login, refreshes) {
  if (!msg.address) return;
  const { address } = msg;
  const tokenRes = await fetch(`${address}/${login.domain}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: login.appId,
      client_secret: login.secret,
      username: login.username,
      password: login.password,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  const tokenBody = await tokenRes.json();
  if (tokenRes.status !== 200) throw new Error(`token: ${tokenRes.status} ${JSON.stringify(tokenBody)}`);
  const auth = { authorization: `Bearer ${tokenBody.access_token}` };
  const sampling = new Promise((resolve) => c.on('message', (m) => m.sampling && resolve()));
  c.send({ measure: true });
  await sampling;

  const refreshMs = [];
  for (let i = 0; i < refreshes; i++) {
    const t = performance.now();
    const post = await fetch(`${address}/beta/identityGovernance/roleManagementAlerts/alerts/refresh`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ scopeId: '/', scopeType: 'DirectoryRole' }),
    });
    if (post.status !== 202) throw new Error(`refresh POST: ${post.status} ${await post.text()}`);
    // Location carries publicUrl (a placeholder here): poll the same path on the real address.
    const path = new URL(post.headers.get('location')).pathname;
    for (;;) {
      const res = await fetch(address + path, { headers: auth });
      const body = await res.json();
      if (res.status !== 200) throw new Error(`poll: ${res.status} ${JSON.stringify(body)}`);
      if (body.status === 'succeeded') break;
      if (body.status === 'failed') throw new Error('refresh failed: ' + JSON.stringify(body));
      await new Promise((r) => setTimeout(r, 5));
    }
    refreshMs.push(Math.round(performance.now() - t));
  }
  c.send({ refreshed: true, refreshMs });
}

async function pgAdmin(url, sql) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const mb = (bytes) => Math.round(bytes / 2 ** 20);
const maxRssMb = () => Math.round(process.resourceUsage().maxRSS / 1024); // maxRSS is in KiB

async function openBenchStore(db) {
  const { openStore } = await mod('storage/open.js');
  return (await openStore(db.url, Date.now, db.schema ? { schema: db.schema } : {})).store;
}

// ------------------------------------------------------------------------------- import child
async function importChild({ db, fixture }) {
  const argon2 = (await import('argon2')).default;
  const { importTenant } = await mod('directory/tenant-import.js');
  const json = JSON.parse(await readFile(fixture, 'utf8'));
  const low = { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 };
  const real = new Set([json.users[0].password, ...json.applications.map((a) => a.secret).filter(Boolean)]);
  const constant = await argon2.hash('not-a-password-of-anyone', low);
  const hasher = { hash: (clear) => (real.has(clear) ? argon2.hash(clear, low) : Promise.resolve(constant)) };
  const store = await openBenchStore(db);
  const t = performance.now();
  const r = await importTenant(store, json, hasher, Date.now());
  const importMs = Math.round(performance.now() - t);
  if (!r.ok) throw new Error('import failed: ' + JSON.stringify(r.errors).slice(0, 500));
  await store.close();
  // The measuring child gets its login from here, so it never parses the (large) fixture itself.
  const login = {
    tenantId: json.tenant.id,
    domain: json.tenant.defaultDomain,
    username: json.users[0].userPrincipalName,
    password: json.users[0].password,
    appId: json.applications[0].appId,
    secret: json.applications[0].secret,
  };
  process.send({ result: { importMs, maxRssMb: maxRssMb(), login } }, () => process.exit(0));
}

// ------------------------------------------------------------------------------ measure child
async function measureChild({ db, login }) {
  const { buildService } = await mod('service.js');
  const { testConfig } = await mod('config/config.js');
  const { systemClock } = await mod('shared/clock.js');
  const { silentLogger } = await mod('shared/logger.js');
  const { evaluateAlert } = await mod('alerts/evaluators/index.js');
  const { alertConfigurations } = await mod('alerts/alert-records.js');
  const { scanAlert } = await mod('alerts/refresh/alert-scan.js');
  const { scanScope } = await mod('alerts/evaluators/directory-facts.js');

  const { tenantId } = login;

  const store = await openBenchStore(db);
  const publicUrl = 'http://127.0.0.1:0';
  const service = await buildService({
    config: testConfig({ concurrency: 4 }),
    publicUrl,
    store,
    clock: systemClock,
    logger: silentLogger(),
  });
  const address = await service.app.fastify.listen({ port: 0, host: '127.0.0.1' });
  service.executor.start();

  // The HTTP client is the parent: the requests come from another process, as in a deployment,
  // so this process's RSS is Longrun's alone (fetch's undici, WASM parser included, adds ~35 MB).
  process.send({ address });
  await nextMessage('measure');
  globalThis.gc?.();
  const rssBeforeMb = mb(process.memoryUsage().rss);
  let sampledPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => (sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss)), 10);
  process.send({ sampling: true });
  const { refreshMs } = await nextMessage('refreshed');
  clearInterval(sampler);
  const peakRssMb = Math.max(mb(sampledPeak), maxRssMb()); // maxRSS also catches synchronous spikes
  await service.executor.stop();

  // The anchor: the same consistent read the handler does, then the pure evaluation of it; and,
  // for comparison, reading every user of the tenant (what the snapshot did before issue #16).
  const snaps = [];
  let snapshot;
  const now = Date.now();
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    snapshot = await store.transaction((tx) => tx.directory.snapshot(tenantId, scanScope(now)));
    snaps.push(performance.now() - t);
  }
  const allUsersRuns = [];
  let allUsers = 0;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    allUsers = (await store.transaction((tx) => tx.directory.listUsers(tenantId))).length;
    allUsersRuns.push(performance.now() - t);
  }
  // The stored rows hold the settings apart; the alerts module turns them into configurations.
  const configurations = await alertConfigurations(store.alerts, tenantId);
  const perAlertMs = {};
  const incidents = {};
  let evaluateMs = 0;
  for (const c of configurations) {
    const t = performance.now();
    const found = evaluateAlert(snapshot, c, now);
    const ms = performance.now() - t;
    perAlertMs[c.alertType] = Math.round(ms * 10) / 10;
    incidents[c.alertType] = found.length;
    evaluateMs += ms;
  }
  // scanAlert = evaluate + compare against the stored previous incidents (what the handler runs).
  let scanMs = 0;
  for (const c of configurations) {
    const previous = {
      state: await store.alerts.state(tenantId, c.alertType),
      incidentBodies: await store.alerts.incidentBodies(tenantId, c.alertType),
    };
    const t = performance.now();
    scanAlert(snapshot, c, previous, now);
    scanMs += performance.now() - t;
  }

  await service.app.fastify.close();
  await store.close();
  process.send(
    {
      result: {
        // Read in full (privileged roles) + counted in SQL (other roles' active, unexpired ones).
        assignments: `${snapshot.roleAssignments.length} + ${snapshot.otherActiveAssignmentCount}`,
        activations: snapshot.roleActivations.length,
        refreshMs,
        snapshotMs: Math.round(median(snaps)),
        snapshotUsers: snapshot.users.length,
        allUsersMs: Math.round(median(allUsersRuns)),
        allUsers,
        evaluateMs: Math.round(evaluateMs),
        scanMs: Math.round(scanMs),
        perAlertMs,
        incidents,
        rssBeforeMb,
        peakRssMb,
        maxRssAfterFloorMb: maxRssMb(),
      },
    },
    () => process.exit(0),
  );
}

// Dispatch last: the helpers above are `const`s (no use before their initialisation).
const role = process.argv[2];
if (role === '--import') await importChild(JSON.parse(process.argv[3]));
else if (role === '--measure') await measureChild(JSON.parse(process.argv[3]));
else await parent();
