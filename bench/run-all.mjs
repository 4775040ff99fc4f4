#!/usr/bin/env node
// Runs every benchmark BENCH_REPEAT times (default 2, to show run-to-run noise), each in its own
// process, streams their output, then prints a summary of the repeated figures.
//
//   cd /work/main && npx tsc -p tsconfig.json && node bench/run-all.mjs     (or: npm run bench)
//
// Every BENCH_* variable is passed through (see get-operation.mjs and executor-ceiling.mjs).
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { fmt, intEnv, printTable } from './lib/common.mjs';

const repeat = intEnv('BENCH_REPEAT', 2);
const benches = ['get-operation.mjs', 'executor-ceiling.mjs'];

function run(script) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      process.stdout.write(c);
    });
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      resolve({ code, result: line ? JSON.parse(line.slice(7)) : undefined });
    });
  });
}

console.log(`node ${process.version}, ${availableParallelism()} CPUs, ${repeat} run(s) of each benchmark\n`);
const results = { 'get-operation.mjs': [], 'executor-ceiling.mjs': [] };
let failed = false;
for (const script of benches) {
  for (let i = 1; i <= repeat; i++) {
    console.log(`=== ${script} run ${i}/${repeat} ===`);
    const { code, result } = await run(script);
    console.log('');
    if (code !== 0 || !result) {
      failed = true;
      console.error(`error: ${script} run ${i} failed (exit ${code})`);
      continue;
    }
    results[script].push(result);
  }
}

console.log('=== summary ===');
const g = results['get-operation.mjs'];
if (g.length) {
  printTable([
    ['GET operation', 'bare req/s', 'bare p50/p99 ms', 'real req/s', 'real p50/p99 ms', 'real/bare'],
    ...g.map((r, i) => [
      `run ${i + 1} (${r.connections} conn, ${r.duration} s)`,
      fmt(r.bare.rps),
      `${r.bare.p50}/${r.bare.p99}`,
      fmt(r.real.rps),
      `${r.real.p50}/${r.real.p99}`,
      fmt(r.ratioRps, 3),
    ]),
  ]);
  console.log('');
}
const e = results['executor-ceiling.mjs'];
if (e.length) {
  const labels = e[0].runs.map((r) => `${r.label} c=${r.concurrency}`);
  printTable([
    [
      `executor (${fmt(e[0].operations)} ops)`,
      ...e.map((_, i) => `run ${i + 1} drain ops/s`),
      ...e.map((_, i) => `run ${i + 1} submit ops/s`),
    ],
    ...labels.map((label, j) => [
      label,
      ...e.map((r) => fmt(r.runs[j]?.drainOpsPerSec ?? NaN)),
      ...e.map((r) => fmt(r.runs[j]?.submitOpsPerSec ?? NaN)),
    ]),
  ]);
}
if (failed) process.exit(1);
