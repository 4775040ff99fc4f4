#!/usr/bin/env node
// Runs the benchmarks BENCH_REPEAT times (default 1), each in its own process, streams their
// output, then prints one summary table: every row of every script's `RESULT {json}` line's
// `summary` array as name | longrun | anchor | ratio (shape in bench/README.md).
//
//   npm run bench                                   (builds first)
//   BENCH_SCRIPTS=get-operation,password-reset node bench/run-all.mjs
//
// Every BENCH_* variable is passed through to the scripts.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { fmt, intEnv, printTable } from './lib/common.mjs';

const repeat = intEnv('BENCH_REPEAT', 1);
// The benchmarks that compare Longrun with an anchor; others can be named in BENCH_SCRIPTS.
const DEFAULT_SCRIPTS = ['get-operation', 'executor-pg', 'alerts-refresh', 'password-reset'];
const scripts = (process.env.BENCH_SCRIPTS ?? DEFAULT_SCRIPTS.join(',')).split(',').map((s) => s.trim().replace(/\.mjs$/, ''));

function run(script) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [fileURLToPath(new URL(`${script}.mjs`, import.meta.url))], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
      process.stdout.write(c);
    });
    child.on('error', () => resolve({ code: -1 }));
    child.on('exit', (code) => {
      const line = out.split('\n').findLast((l) => l.startsWith('RESULT '));
      let result;
      try {
        result = line ? JSON.parse(line.slice('RESULT '.length)) : undefined;
      } catch {
        result = undefined;
      }
      resolve({ code, result });
    });
  });
}

const number = (x) => (typeof x === 'number' && Number.isFinite(x) ? fmt(x, Math.abs(x) >= 100 ? 0 : 2) : '—');

console.log(`node ${process.version}, ${availableParallelism()} CPUs, ${repeat} run(s) of: ${scripts.join(', ')}\n`);
const rows = [];
let failed = false;
for (const script of scripts) {
  for (let i = 1; i <= repeat; i++) {
    const label = repeat > 1 ? ` (run ${i})` : '';
    console.log(`=== ${script}${label} ===`);
    const { code, result } = await run(script);
    console.log('');
    if (code !== 0) {
      failed = true;
      rows.push([`${script}${label}: FAILED (exit ${code})`, '', '', '']);
      continue;
    }
    const summary = Array.isArray(result?.summary) ? result.summary : [];
    if (!summary.length) rows.push([`${script}${label}: no summary in its RESULT line`, '', '', '']);
    for (const row of summary) {
      const ratio = row.ratio ?? (typeof row.longrun === 'number' && typeof row.anchor === 'number' ? row.longrun / row.anchor : undefined);
      rows.push([`${row.name}${label}`, number(row.longrun), number(row.anchor), typeof ratio === 'number' ? fmt(ratio, 3) : '—']);
    }
  }
}

console.log('=== summary ===');
printTable([['benchmark', 'longrun', 'anchor', 'ratio'], ...rows]);
if (failed) process.exit(1);
