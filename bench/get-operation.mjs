#!/usr/bin/env node
// GET operation status: the real Longrun endpoint (bearer-token verification + SQLite read)
// against a bare node:http server replaying the exact bytes of one real response.
//
//   cd /work/main && npx tsc -p tsconfig.json && node bench/get-operation.mjs
//
// Env: BENCH_DURATION (s, default 10), BENCH_CONNECTIONS (default 64), BENCH_WARMUP (s, default 2),
//      BENCH_PIN (default 1: servers on CPU 0, autocannon on CPU 1 when taskset and >= 2 CPUs exist).
//
// Each server runs in its own child process; autocannon runs in this process. The two servers
// are loaded one after the other (bare first, then real), never at the same time.
import { request } from 'node:http';
import { availableParallelism } from 'node:os';
import autocannon from 'autocannon';
import { fmt, intEnv, pinningPlan, pinSelf, printTable, startChild, stopChild } from './lib/common.mjs';

const duration = intEnv('BENCH_DURATION', 10);
const connections = intEnv('BENCH_CONNECTIONS', 64);
const warmup = intEnv('BENCH_WARMUP', 2);

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

function run(url, path, headers, seconds) {
  return autocannon({ url: new URL(path, url).href, method: 'GET', headers, connections, duration: seconds });
}

function checkAllOk(name, r) {
  const problems = [];
  if (r.non2xx !== 0) problems.push(`${r.non2xx} non-2xx responses`);
  if (r.errors !== 0) problems.push(`${r.errors} errors`);
  if (r.timeouts !== 0) problems.push(`${r.timeouts} timeouts`);
  if (r['2xx'] === 0) problems.push('no 2xx responses at all');
  // autocannon counts 2xx together; make sure they were all 200 (the only 2xx the endpoint sends).
  const codes = Object.keys(r.statusCodeStats ?? {}).filter((c) => c !== '200');
  if (codes.length) problems.push(`status codes other than 200: ${codes.join(', ')}`);
  return problems.length ? `${name}: ${problems.join('; ')}` : undefined;
}

const cpus = availableParallelism(); // read before pinning narrows this process's affinity
const pin = pinningPlan();
if (pin.enabled) pinSelf(pin.loadCpu);
const serverCpu = pin.enabled ? pin.serverCpu : undefined;

const children = [];
const fail = async (message) => {
  console.error('error: ' + message);
  await Promise.all(children.map(stopChild));
  process.exit(1);
};

let real;
try {
  real = await startChild('./real-server.mjs', { cpu: serverCpu });
} catch (e) {
  await fail('could not start the real server: ' + e.message);
}
children.push(real.child);
const { url: realUrl, path, token } = real.msg;
const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };

const sample = await capture(realUrl, path, headers);
if (sample.status !== 200) await fail(`the real endpoint answered ${sample.status}: ${sample.body.toString('utf8')}`);

let bare;
try {
  bare = await startChild('./bare-server.mjs', {
    cpu: serverCpu,
    message: { status: sample.status, headers: sample.headers, body: sample.body.toString('base64') },
  });
} catch (e) {
  await fail('could not start the bare server: ' + e.message);
}
children.push(bare.child);
const bareUrl = bare.msg.url;

// The bare server must send the same body and the same headers (bar Date/Connection/Keep-Alive).
const replay = await capture(bareUrl, path, headers);
const norm = (h) =>
  JSON.stringify(
    Object.entries(h)
      .map(([k, v]) => [k.toLowerCase(), v])
      .filter(([k]) => !['date', 'connection', 'keep-alive', 'transfer-encoding'].includes(k))
      .sort(),
  );
if (!replay.body.equals(sample.body) || norm(replay.headers) !== norm(sample.headers) || replay.status !== sample.status) {
  await fail('the bare server does not replay the real response byte for byte');
}

console.log(`GET ${path}`);
console.log(`response: ${sample.status}, ${sample.body.length} body bytes, headers: ${Object.keys(sample.headers).join(', ')}`);
console.log(
  `load: ${connections} connections, ${duration} s per server after ${warmup} s warm-up; ` +
    `node ${process.version}, ${cpus} CPUs; ` +
    (pin.enabled ? `servers pinned to CPU ${pin.serverCpu}, autocannon to CPU ${pin.loadCpu}` : 'no CPU pinning'),
);
console.log('');

const results = {};
for (const [name, url] of [
  ['bare node:http', bareUrl],
  ['real (token + SQLite)', realUrl],
]) {
  if (warmup > 0) await run(url, path, headers, warmup);
  const r = await run(url, path, headers, duration);
  const problem = checkAllOk(name, r);
  if (problem) await fail(problem);
  results[name] = r;
}
await Promise.all(children.map(stopChild));

const b = results['bare node:http'];
const r = results['real (token + SQLite)'];
// autocannon reports latency in whole milliseconds: a 0 ms bare figure has no meaningful ratio.
const latencyRatio = (real, bare) => (bare >= 1 ? fmt(real / bare, 1) : 'n/a (<1 ms)');
const rps = (x) => x.requests.total / (x.duration || duration);
printTable([
  ['server', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'non2xx'],
  ...Object.entries(results).map(([name, x]) => [
    name,
    fmt(x.requests.total),
    fmt(rps(x)),
    fmt(x.latency.p50, 1),
    fmt(x.latency.p99, 1),
    String(x.non2xx),
  ]),
  [
    'ratio real/bare',
    '',
    fmt(rps(r) / rps(b), 3),
    latencyRatio(r.latency.p50, b.latency.p50),
    latencyRatio(r.latency.p99, b.latency.p99),
    '',
  ],
]);
console.log('');
console.log(
  'RESULT ' +
    JSON.stringify({
      bench: 'get-operation',
      connections,
      duration,
      bare: { rps: rps(b), p50: b.latency.p50, p99: b.latency.p99, total: b.requests.total },
      real: { rps: rps(r), p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total },
      ratioRps: rps(r) / rps(b),
    }),
);
