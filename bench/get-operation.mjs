#!/usr/bin/env node
// GET operation status through `longrun serve` as users run it (the real CLI process, request
// logging on at the default level, stdout and stderr to a log file) against a bare node:http
// server replaying the exact bytes of one real response. See bench/README.md.
//
//   npm run build && node bench/get-operation.mjs
//
// Env: BENCH_DURATION (s, 10), BENCH_CONNECTIONS (32), BENCH_WARMUP (s, 3), BENCH_PIN (1: servers
//      on CPU 0, autocannon on CPU 1), BENCH_BACKENDS (sqlite,postgres), BENCH_PG_URL (default
//      LONGRUN_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres),
//      BENCH_CPU_PROF (a directory: the serve child runs with --cpu-prof and writes its profile there),
//      BENCH_SERVE_ARGS (extra `longrun serve` flags, space-separated).
//
// Servers run one at a time, each in its own child process; autocannon runs in this process.
// Per backend: the bare anchor, then Longrun, so each ratio compares two adjacent measurements.
import { request } from 'node:http';
import { mkdtemp, rm, stat, readFile } from 'node:fs/promises';
import { tmpdir, availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { cpuSeconds, fmt, intEnv, pinningPlan, pinSelf, printTable, startChild, stopChild } from './lib/common.mjs';
import { startServe, stopServe } from './lib/serve-process.mjs';
import { createDemoDatabase, demoToken } from './lib/demo-database.mjs';

const duration = intEnv('BENCH_DURATION', 10);
const connections = intEnv('BENCH_CONNECTIONS', 32);
const warmup = intEnv('BENCH_WARMUP', 3);
const backends = (process.env.BENCH_BACKENDS ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const pgUrl = process.env.BENCH_PG_URL ?? process.env.LONGRUN_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const cpuProfDir = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
const serveArgs = (process.env.BENCH_SERVE_ARGS ?? '').split(' ').filter(Boolean);

/** One GET with the raw response captured: status, headers (original casing), body bytes. */
function capture(url, path, headers) {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { method: 'GET', headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const pairs = {};
        for (let i = 0; i < res.rawHeaders.length; i += 2) pairs[res.rawHeaders[i]] = res.rawHeaders[i + 1];
        resolve({ status: res.statusCode, headers: pairs, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

const load = (url, path, headers, seconds) =>
  autocannon({ url: new URL(path, url).href, method: 'GET', headers, connections, duration: seconds });

/** Any response but a 200 fails the run (autocannon's non2xx, errors, timeouts, other 2xx codes). */
function problemsOf(name, r) {
  const problems = [];
  if (r.non2xx !== 0) problems.push(`${r.non2xx} non-2xx responses`);
  if (r.errors !== 0) problems.push(`${r.errors} errors`);
  if (r.timeouts !== 0) problems.push(`${r.timeouts} timeouts`);
  if (r['2xx'] === 0) problems.push('no 2xx responses at all');
  const codes = Object.keys(r.statusCodeStats ?? {}).filter((c) => c !== '200');
  if (codes.length) problems.push(`status codes other than 200: ${codes.join(', ')}`);
  return problems.length ? `${name}: ${problems.join('; ')}` : undefined;
}

/** CPU time (user + system) a process has used so far, in µs (NaN where /proc cannot be read). */
const cpuMicros = (pid) => cpuSeconds(pid) * 1e6;

const comparable = (h) =>
  JSON.stringify(
    Object.entries(h)
      .map(([k, v]) => [k.toLowerCase(), v])
      .filter(([k]) => !['date', 'connection', 'keep-alive', 'transfer-encoding', 'request-id', 'client-request-id'].includes(k))
      .sort(),
  );

async function pgReachable() {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

const cpus = availableParallelism(); // read before pinning narrows this process's affinity
const pin = pinningPlan();
if (pin.enabled) pinSelf(pin.loadCpu);
const serverCpu = pin.enabled ? pin.serverCpu : undefined;

console.log(
  `GET operation status, ${connections} connections, ${duration} s per server after ${warmup} s warm-up; ` +
    `node ${process.version}, ${cpus} CPUs; ` +
    (pin.enabled ? `servers pinned to CPU ${pin.serverCpu}, autocannon to CPU ${pin.loadCpu}` : 'no CPU pinning'),
);

const dir = await mkdtemp(join(tmpdir(), 'longrun-bench-get-'));
const summary = [];
const details = {};
let failure;
for (const backend of backends) {
  if (backend === 'postgres' && !(await pgReachable())) {
    console.log(`\npostgres: skipped (${pgUrl.replace(/\/\/[^@]*@/, '//…@')} not reachable)`);
    continue;
  }
  const db = await createDemoDatabase(backend, { dir, pgUrl });
  const logPath = join(dir, `serve-${backend}.log`);
  const frameworkLogPath = join(dir, `framework-${backend}.log`);
  const nodeArgs = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  const serve = await startServe({ dbUrl: db.dbUrl, logPath, cpu: serverCpu, nodeArgs, args: serveArgs });
  let bare;
  let framework;
  try {
    const token = await demoToken(serve.url, db.domain);
    const path = `/v1.0/users/c6000304-9809-42e3-b7a4-ff84111e5910/authentication/operations/${db.operationId}`;
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    const sample = await capture(serve.url, path, headers);
    if (sample.status !== 200) throw new Error(`the real endpoint answered ${sample.status}: ${sample.body.toString('utf8')}`);
    bare = await startChild('./bare-server.mjs', {
      cpu: serverCpu,
      message: { status: sample.status, headers: sample.headers, body: sample.body.toString('base64') },
    });
    framework = await startChild('./fastify-replay-server.mjs', {
      cpu: serverCpu,
      message: { status: sample.status, headers: sample.headers, body: sample.body.toString('base64'), logPath: frameworkLogPath },
    });
    const replay = await capture(bare.msg.url, path, headers);
    if (!replay.body.equals(sample.body) || comparable(replay.headers) !== comparable(sample.headers) || replay.status !== sample.status) {
      throw new Error('the bare server does not replay the real response byte for byte');
    }
    const frameworkReplay = await capture(framework.msg.url, path, headers);
    if (!frameworkReplay.body.equals(sample.body) || comparable(frameworkReplay.headers) !== comparable(sample.headers)) {
      throw new Error('the Fastify replay server does not replay the real response byte for byte');
    }
    if (backend === backends[0]) {
      console.log(
        `GET ${path}\nresponse: ${sample.status}, ${sample.body.length} body bytes, headers: ${Object.keys(sample.headers).join(', ')}`,
      );
    }
    const measured = {};
    // `pipeline`: the same poll with a Prefer header the route ignores, which the poll replay
    // never serves, so every request runs the whole pipeline: what a poll costs when something
    // was written since the last one (src/graph/poll-replay.ts).
    const pipelineHeaders = { ...headers, prefer: 'odata.maxpagesize=1' };
    for (const [name, url, pid, log, sent] of [
      ['anchor', bare.msg.url, bare.child.pid, logPath, headers],
      ['framework', framework.msg.url, framework.child.pid, frameworkLogPath, headers],
      ['longrun', serve.url, serve.child.pid, logPath, headers],
      ['pipeline', serve.url, serve.child.pid, logPath, pipelineHeaders],
    ]) {
      if (warmup > 0) await load(url, path, sent, warmup);
      const logBefore = (await stat(log)).size;
      const cpuBefore = cpuMicros(pid);
      const r = await load(url, path, sent, duration);
      const cpu = (cpuMicros(pid) - cpuBefore) / r.requests.total;
      const problem = problemsOf(`${backend} ${name}`, r);
      if (problem) throw new Error(problem);
      measured[name] = { r, cpu, logBytes: (await stat(log)).size - logBefore };
    }
    const { r: l, logBytes, cpu: lCpu } = measured.longrun;
    const { r: a, cpu: aCpu } = measured.anchor;
    const { r: f, cpu: fCpu, logBytes: fLogBytes } = measured.framework;
    const { r: p, cpu: pCpu } = measured.pipeline;
    const rps = (x) => x.requests.total / (x.duration || duration);
    const ratioOrNa = (x, y) => (y >= 1 ? fmt(x / y, 1) : 'n/a');
    console.log(
      `\n${backend}: log ${fmt(logBytes / l.requests.total, 0)} bytes per request (${logPath}); ` +
        `framework floor: ${fmt(fLogBytes / f.requests.total, 0)}`,
    );
    printTable([
      [`GET operation (${backend})`, 'longrun', 'anchor', 'ratio', 'framework floor', 'floor/anchor'],
      ['req/s', fmt(rps(l)), fmt(rps(a)), fmt(rps(l) / rps(a), 3), fmt(rps(f)), fmt(rps(f) / rps(a), 3)],
      ['p50 ms', fmt(l.latency.p50, 1), fmt(a.latency.p50, 1), ratioOrNa(l.latency.p50, a.latency.p50), fmt(f.latency.p50, 1), ''],
      ['p99 ms', fmt(l.latency.p99, 1), fmt(a.latency.p99, 1), ratioOrNa(l.latency.p99, a.latency.p99), fmt(f.latency.p99, 1), ''],
      ['server CPU µs/request', fmt(lCpu, 1), fmt(aCpu, 1), fmt(aCpu / lCpu, 3), fmt(fCpu, 1), fmt(aCpu / fCpu, 3)],
      ['requests', fmt(l.requests.total), fmt(a.requests.total), '', fmt(f.requests.total), ''],
    ]);
    console.log(
      `${backend}, every poll through the whole pipeline (Prefer header: never replayed): ` +
        `${fmt(rps(p))} req/s (${fmt(rps(p) / rps(a), 3)}× the anchor), p99 ${fmt(p.latency.p99, 1)} ms, ` +
        `server CPU ${fmt(pCpu, 1)} µs/request (${fmt(aCpu / pCpu, 3)})`,
    );
    summary.push({
      name: `GET operation, ${backend}, ${connections} conn: req/s`,
      longrun: rps(l),
      anchor: rps(a),
      ratio: rps(l) / rps(a),
    });
    summary.push({
      name: `GET operation, ${backend}: framework floor (Fastify replay + request log line), req/s`,
      longrun: rps(f),
      anchor: rps(a),
      ratio: rps(f) / rps(a),
    });
    summary.push({
      name: `GET operation, ${backend}: every poll through the pipeline (never replayed), req/s`,
      longrun: rps(p),
      anchor: rps(a),
      ratio: rps(p) / rps(a),
    });
    summary.push({ name: `GET operation, ${backend}: p99 ms (goal ≤ 5)`, longrun: l.latency.p99, anchor: a.latency.p99 });
    summary.push({
      name: `GET operation, ${backend}: server CPU µs/request (ratio = anchor/longrun)`,
      longrun: lCpu,
      anchor: aCpu,
      ratio: aCpu / lCpu,
    });
    details[backend] = {
      longrun: {
        rps: rps(l),
        p50: l.latency.p50,
        p99: l.latency.p99,
        total: l.requests.total,
        cpuMicrosPerRequest: lCpu,
        logBytesPerRequest: logBytes / l.requests.total,
      },
      anchor: { rps: rps(a), p50: a.latency.p50, p99: a.latency.p99, total: a.requests.total, cpuMicrosPerRequest: aCpu },
      framework: { rps: rps(f), p50: f.latency.p50, p99: f.latency.p99, total: f.requests.total, cpuMicrosPerRequest: fCpu },
      pipeline: { rps: rps(p), p50: p.latency.p50, p99: p.latency.p99, total: p.requests.total, cpuMicrosPerRequest: pCpu },
    };
  } catch (e) {
    failure =
      `${backend}: ${e.message}\nlast lines of ${logPath}:\n` +
      (await readFile(logPath, 'utf8').catch(() => '')).split('\n').slice(-5).join('\n');
  } finally {
    if (bare) await stopChild(bare.child);
    if (framework) await stopChild(framework.child);
    await stopServe(serve.child);
    await db.drop();
  }
  if (failure) break;
}
if (cpuProfDir) console.log(`\nCPU profiles of the serve child(ren): ${cpuProfDir}`);
if (failure) console.error('error: ' + failure);
await rm(dir, { recursive: true, force: true });
console.log('\nRESULT ' + JSON.stringify({ bench: 'get-operation', connections, duration, summary, ...details }));
process.exit(failure ? 1 : 0);
