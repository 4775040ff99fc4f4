import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, LogSink } from '../support/passwords.js';
import { startTestService } from '../support/harness.js';

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
      const lines = sink.records().filter((l) => l.msg === 'request');
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
