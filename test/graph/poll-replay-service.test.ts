/**
 * The poll replay in the real service (src/graph/poll-replay.ts): a status poll over HTTP is
 * answered from memory only on SQLite and only while nothing was written, byte for byte as the
 * pipeline answers it; the executor finishing the operation is seen by the very next poll.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/shared/logger.js';
import { ManualClock } from '../../src/shared/clock.js';
import { manualExecutor, passwordGrantForm, runQueued, startTestService, token, type TestService } from '../support/harness.js';
import {
  APP,
  CALLERS,
  DOMAIN,
  otherTenantFixture,
  PEOPLE,
  resetTenantFixture,
  UAM_READWRITE_ALL,
} from '../support/fixtures/reset-tenant.js';
import { LogSink, operationIdOf, PASSWORD_METHOD, START } from '../support/passwords.js';
import { TEST_BACKEND } from '../support/store.js';

describe('poll replay in the service', () => {
  let t: TestService;
  let sink: LogSink;
  let admin: string;
  let pollPath: string;
  const replays = async () => (await t.service.metrics.pollReplays.get()).values[0]?.value ?? 0;
  const poll = async (headers: Record<string, string> = {}) => {
    const res = await fetch(t.baseUrl + pollPath, { headers: { authorization: `Bearer ${admin}`, ...headers } });
    return { status: res.status, headers: res.headers, body: await res.text() };
  };

  before(async () => {
    sink = new LogSink();
    t = await startTestService({
      clock: new ManualClock(START),
      fixtures: [resetTenantFixture, otherTenantFixture],
      listen: true,
      logger: createLogger('info', sink),
    });
    admin = await token(
      t,
      DOMAIN,
      passwordGrantForm(APP, CALLERS.authAdmin.userPrincipalName, CALLERS.authAdmin.password, [UAM_READWRITE_ALL]),
    );
    const alice = PEOPLE.alice;
    const started = await t.request('POST', `/v1.0/users/${alice.id}/authentication/methods/${PASSWORD_METHOD}/resetPassword`, {
      token: admin,
      body: { newPassword: 'Fresh-Kq81-Zt!w' },
    });
    assert.equal(started.status, 202, started.raw);
    pollPath = `/v1.0/users/${alice.id}/authentication/operations/${operationIdOf(started.headers.location)}`;
  });
  after(() => t.close());

  it('answers a repeated poll from memory on SQLite only, identical to the pipeline’s answer, each with its own log line', async () => {
    const first = await poll();
    assert.equal(first.status, 200, first.body);
    assert.equal(JSON.parse(first.body).status, 'notStarted');
    const counted = await replays();
    const again = await poll({ 'client-request-id': 'poll-2' });
    assert.equal(await replays(), TEST_BACKEND === 'sqlite' ? counted + 1 : 0);
    assert.equal(again.body, first.body);
    const comparable = (h: Headers) =>
      [...h.entries()].filter(([k]) => !['date', 'request-id', 'client-request-id', 'keep-alive', 'connection'].includes(k));
    assert.deepEqual(comparable(again.headers), comparable(first.headers));
    assert.notEqual(again.headers.get('request-id'), first.headers.get('request-id'));
    assert.equal(again.headers.get('client-request-id'), 'poll-2');
    await new Promise((resolve) => setTimeout(resolve, 50)); // pino's asynchronous writes
    const lines = sink.records().filter((l) => l.msg === 'request' && l.path === pollPath);
    assert.deepEqual(
      lines.slice(-2).map((l) => [l.requestId, l.clientRequestId, l.status, l.method]),
      [
        [first.headers.get('request-id'), first.headers.get('request-id'), 200, 'GET'],
        [again.headers.get('request-id'), 'poll-2', 200, 'GET'],
      ],
    );
  });

  it('the executor’s writes are seen by the very next poll', async () => {
    await poll();
    await poll();
    const executor = manualExecutor(t);
    await runQueued(executor);
    const counted = await replays();
    const after = await poll();
    assert.equal(JSON.parse(after.body).status, 'succeeded');
    assert.equal(await replays(), counted, 'computed again after the write');
    assert.equal(after.headers.get('retry-after'), null, 'a finished operation: no Retry-After');
    assert.equal((await poll()).body, after.body);
  });

  it('a caller without the permission is refused even right after an allowed caller’s poll', async () => {
    await poll();
    const reader = await token(
      t,
      DOMAIN,
      passwordGrantForm(APP, CALLERS.noRole.userPrincipalName, CALLERS.noRole.password, [UAM_READWRITE_ALL]),
    );
    const res = await fetch(t.baseUrl + pollPath, { headers: { authorization: `Bearer ${reader}` } });
    assert.equal(res.status, 403, await res.text());
  });
});
