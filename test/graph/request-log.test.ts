import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BatchedLogDestination } from '../../src/shared/log-destination.js';
import { createLogger, LogSink } from '../support/passwords.js';
import { startTestService } from '../support/harness.js';
import { waitFor } from '../support/wait-for.js';

describe('request log', () => {
  it('one line per request, with its ids, method, path without the query, status and duration; no credentials', async () => {
    const sink = new LogSink();
    const t = await startTestService({ logger: createLogger('info', sink) });
    try {
      const res = await t.request('GET', '/v1.0/users/someone?$select=id', {
        token: 'not-a-token',
        headers: { 'client-request-id': 'log-test-1' },
      });
      assert.equal(res.status, 401);
      const lines = sink
        .bytes()
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.msg === 'request');
      assert.equal(lines.length, 1);
      const line = lines[0]!;
      assert.equal(line.level, 30);
      assert.equal(line.service, 'longrun');
      assert.equal(line.requestId, res.headers['request-id']);
      assert.equal(line.clientRequestId, 'log-test-1');
      assert.equal(line.method, 'GET');
      assert.equal(line.path, '/v1.0/users/someone');
      assert.equal(line.status, 401);
      assert.equal(typeof line.durationMs, 'number');
      assert.equal(typeof line.time, 'string');
      assert.doesNotMatch(sink.bytes().toString('utf8'), /not-a-token/);
    } finally {
      await t.close();
    }
  });

  it('no line below its level', async () => {
    const sink = new LogSink();
    const t = await startTestService({ logger: createLogger('warn', sink) });
    try {
      await t.request('GET', '/v1.0/users/someone', { token: 'not-a-token' });
      assert.doesNotMatch(sink.bytes().toString('utf8'), /"msg":"request"/);
    } finally {
      await t.close();
    }
  });
});

describe('batched log destination (the CLI’s stdout)', () => {
  it('hands lines on in one batch, soon, in order', async () => {
    const written: string[] = [];
    const sink = { write: (s: string) => written.push(s), flush: () => undefined, flushSync: () => undefined };
    const destination = new BatchedLogDestination(sink as unknown as ConstructorParameters<typeof BatchedLogDestination>[0]);
    destination.write('a\n');
    destination.write('b\n');
    assert.deepEqual(written, [], 'gathered, not written line by line');
    await waitFor(() => written.length > 0);
    assert.deepEqual(written, ['a\nb\n']);
    destination.write('c\n');
    destination.flushSync();
    assert.deepEqual(written, ['a\nb\n', 'c\n'], 'flushSync hands on what is pending at once');
  });

  it('a process that exits at once still writes its last lines', () => {
    const logger = fileURLToPath(new URL('../../src/shared/logger.js', import.meta.url));
    const script = `import(${JSON.stringify(logger)}).then(({ createLogger }) => {
      const log = createLogger('info');
      for (let i = 0; i < 3; i++) log.info({ i }, 'last words');
      process.exit(3);
    });`;
    const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(child.status, 3, child.stderr);
    const lines = child.stdout.split('\n').filter((l) => l.includes('last words'));
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as { i: number }).i),
      [0, 1, 2],
    );
  });
});
