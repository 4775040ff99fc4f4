#!/usr/bin/env node
// Runs the examples/ test files the way their README tells a user to: the node:test file with
// `node --test`, the Vitest file with `vitest run`. They import `longrun` (this package, by its
// own name through package.json "exports"), so the build must have run (npm test builds first).
import { spawnSync } from 'node:child_process';

/** @type {Array<[name: string, command: string, args: string[]]>} */
const runs = [
  ['node:test', process.execPath, ['--test', 'examples/helpdesk/helpdesk.node.test.mjs']],
  [
    'Vitest',
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--reporter=verbose', '--config', 'examples/helpdesk/vitest.config.mjs'],
  ],
];

let status = 0;
for (const [name, command, args] of runs) {
  console.log(`\n# ── examples: ${name} ──`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`run-examples: the ${name} examples failed (exit ${String(result.status ?? result.signal)})`);
    status = 1;
  }
}
process.exit(status);
