// A legitimate sign-in while clients flood the token endpoint with wrong passwords (issue #17,
// item 3): latency of the legitimate password grant alone, then under BENCH_FLOOD_CLIENTS
// looping attackers (unknown user names: no lockout can stop them), against a real
// `longrun serve` (SQLite file). Extra serve flags: BENCH_FLOOD_ARGS (e.g. "--password-verifications 1").
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { intEnv } from './lib/common.mjs';

const CLIENTS = intEnv('BENCH_FLOOD_CLIENTS', 8);
const SIGN_INS = intEnv('BENCH_FLOOD_SIGN_INS', 20);
const EXTRA = (process.env.BENCH_FLOOD_ARGS ?? '').split(' ').filter(Boolean);
const root = fileURLToPath(new URL('..', import.meta.url));
const { DEMO_SIGN_IN: demo } = await import(new URL('../dist/src/directory/demo-tenant.js', import.meta.url).href);

const dir = mkdtempSync(join(tmpdir(), 'longrun-flood-'));
const child = spawn(
  process.execPath,
  [
    join(root, 'bin/longrun.js'),
    'serve',
    '--db',
    `sqlite:${join(dir, 'flood.db')}`,
    '--port',
    '0',
    '--demo',
    '--log-level',
    'warn',
    ...EXTRA,
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
const url = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
    const m = /longrun listening on (\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  child.once('exit', (code) => reject(new Error(`longrun serve exited with ${code}:\n${out}`)));
});
child.stdout.resume();

const grant = (username, password) =>
  fetch(`${url}/${demo.domain}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: demo.clientId,
      client_secret: demo.clientSecret,
      username,
      password,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });

async function legitSignIns() {
  const ms = [];
  const statuses = {};
  for (let i = 0; i < SIGN_INS; i++) {
    const t0 = performance.now();
    const res = await grant(demo.username, demo.password);
    await res.arrayBuffer();
    ms.push(performance.now() - t0);
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  }
  ms.sort((a, b) => a - b);
  return { p50: Math.round(ms[Math.floor(ms.length / 2)]), max: Math.round(ms.at(-1)), statuses };
}

await legitSignIns(); // warm-up (and the client secret's first check)
const alone = await legitSignIns();

let flooding = true;
const attackerStatuses = {};
const attackers = Array.from({ length: CLIENTS }, async (_, c) => {
  for (let i = 0; flooding; i++) {
    const res = await grant(`nobody-${c}-${i}@${demo.domain}`, 'wrong-password');
    await res.arrayBuffer();
    attackerStatuses[res.status] = (attackerStatuses[res.status] ?? 0) + 1;
  }
});
await new Promise((r) => setTimeout(r, 1000));
const flooded = await legitSignIns();
flooding = false;
await Promise.all(attackers);
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
rmSync(dir, { recursive: true, force: true });

console.log(
  `password flood: ${CLIENTS} clients, serve ${EXTRA.join(' ') || '(defaults)'}, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log('legit sign-in | p50 ms | max ms | statuses');
console.log('---|---|---|---');
console.log(`alone | ${alone.p50} | ${alone.max} | ${JSON.stringify(alone.statuses)}`);
console.log(`under flood | ${flooded.p50} | ${flooded.max} | ${JSON.stringify(flooded.statuses)}`);
console.log(`attackers' answers: ${JSON.stringify(attackerStatuses)}`);
const ok = flooded.statuses[200] === SIGN_INS;
console.log(`RESULT ${JSON.stringify({ ok, clients: CLIENTS, alone, flooded, attackerStatuses })}`);
process.exit(ok ? 0 : 1);
