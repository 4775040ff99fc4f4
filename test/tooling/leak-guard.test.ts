/** The leak guard (test/support/leak-guard.ts) fails a test file that leaves things open. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const LEAKY = fileURLToPath(new URL('./leaky.fixture.js', import.meta.url));

describe('leak guard', () => {
  it('fails a test file that leaves a store and a server open, naming them', () => {
    // Without NODE_TEST_CONTEXT the child runs as a runner of its own and reports in TAP.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const run = spawnSync(process.execPath, ['--test', '--test-reporter=tap', LEAKY], { encoding: 'utf8', env, timeout: 60_000 });
    assert.notEqual(run.status, 0, run.stdout);
    assert.match(run.stdout, /leak guard: .*leaky\.fixture\.js left open: .*store .*a forgotten server/);
    assert.match(run.stdout, /^# pass 2$/m, 'the two tests themselves pass; the file fails in its after hook');
  });
});
