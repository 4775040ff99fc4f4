/**
 * Extension `wait` (docs/extensions.md): `Prefer: wait=N` on GET of one operation answers when
 * the operation ends or after N seconds, with `Preference-Applied`; without the extension the
 * preference is ignored; a caller over its share answers at once; waiting holds no database
 * connection; an end written on another node (or another SQLite process) wakes the request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { extensionsOf } from '../../src/extensions.js';
import { preferredWaitSeconds } from '../../src/graph/prefer.js';
import { Executor } from '../../src/operations/executor.js';
import { HandlerRegistry, type HandlerOutcome } from '../../src/operations/handler.js';
import { OperationWaiter } from '../../src/operations/operation-waiter.js';
import { TerminalNotifier } from '../../src/operations/terminal-notifier.js';
import { silentLogger } from '../../src/shared/logger.js';
import { eventually } from '../support/clients.js';
import { tempStore } from '../support/store.js';
import { appToken, buildHarness, claimAll, get, guid, insertPasswordReset, userA, type Harness, type Res } from '../support/graph.js';

const target = userA('target').id;
const opUrl = (id: string) => `/v1.0/users/${target}/authentication/operations/${id}`;
const WAIT = { extensions: extensionsOf(['wait']) };

/** Starts a GET and reports whether it has answered yet. */
function pending(h: Harness, id: string, token: string, prefer: string): { settled: () => boolean; response: Promise<Res> } {
  let settled = false;
  const response = get(h, opUrl(id), token, { prefer }).finally(() => (settled = true));
  return { settled: () => settled, response };
}

describe('Prefer: wait parsing', () => {
  it('reads wait among other preferences, caps it at 60, ignores unusable values', () => {
    assert.equal(preferredWaitSeconds('wait=10'), 10);
    assert.equal(preferredWaitSeconds('respond-async, Wait = "5"'), 5);
    assert.equal(preferredWaitSeconds(['return=minimal', 'wait=7;foo=bar']), 7);
    assert.equal(preferredWaitSeconds('wait=600'), 60);
    for (const bad of [undefined, '', 'wait=0', 'wait=-1', 'wait=1.5', 'wait=soon', 'waiting=3'])
      assert.equal(preferredWaitSeconds(bad), undefined, String(bad));
  });
});

describe('extension wait off', () => {
  let h: Harness;
  before(async () => (h = await buildHarness()));
  after(() => h.close());

  it('ignores Prefer: wait, as Graph does: answers at once without Preference-Applied', async () => {
    const id = guid(601);
    await insertPasswordReset(h, id, target);
    const res = await get(h, opUrl(id), await appToken(h, 'least'), { prefer: 'wait=60' });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'notStarted');
    assert.equal(res.headers['preference-applied'], undefined);
    assert.equal(h.service.operationWaiter, undefined);
  });
});

describe('extension wait on', () => {
  let h: Harness;
  let token: string;
  before(async () => {
    h = await buildHarness({ config: { ...WAIT, waitsPerCaller: 20 } });
    token = await appToken(h, 'least');
  });
  after(() => h.close());
  const waiter = () => h.service.operationWaiter!;

  it('answers when the executor commits the end, not before, with Preference-Applied', { timeout: 30_000 }, async () => {
    const id = guid(611);
    await insertPasswordReset(h, id, target);
    let release!: (o: HandlerOutcome) => void;
    const running = new Promise<HandlerOutcome>((r) => (release = r));
    const executor = new Executor({
      store: h.store,
      clock: h.clock,
      logger: silentLogger(),
      handlers: new HandlerRegistry([{ kind: 'passwordReset', maxAttempts: 1, run: () => running }]),
      concurrency: 1,
      terminalNotifier: h.service.terminalNotifier,
    });
    assert.equal(await executor.claimOnce(), 1);
    const req = pending(h, id, token, 'wait=60');
    await eventually(async () => (waiter().waiting === 1 ? true : undefined));
    assert.equal(req.settled(), false, 'still waiting while the operation runs');
    release({ status: 'succeeded', statusDetail: 'done' });
    const res = await req.response;
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'succeeded', 'the answer carries the end');
    assert.equal(res.headers['preference-applied'], 'wait=60');
    assert.equal(res.headers['retry-after'], undefined);
    assert.equal(waiter().waiting, 0);
    await executor.drain();
  });

  it('an operation already ended answers at once, with Preference-Applied', async () => {
    const id = guid(612);
    await insertPasswordReset(h, id, target);
    const leases = await claimAll(h);
    await h.store.operations.finish(id, leases.get(id)!, { status: 'failed', statusDetail: 'no', errorCode: 'x' }, h.clock.now());
    const res = await get(h, opUrl(id), token, { prefer: 'wait=600' });
    assert.equal(res.body.status, 'failed');
    assert.equal(res.headers['preference-applied'], 'wait=60', 'capped at 60');
  });

  it('after N seconds answers with the current state, Retry-After and Preference-Applied', async () => {
    const id = guid(613);
    await insertPasswordReset(h, id, target);
    const res = await get(h, opUrl(id), token, { prefer: 'wait=1' });
    assert.equal(res.body.status, 'notStarted');
    assert.equal(res.headers['preference-applied'], 'wait=1');
    assert.equal(res.headers['retry-after'], '1');
  });

  it('waiting requests hold no database connection: 15 wait while other requests are answered', { timeout: 30_000 }, async () => {
    const id = guid(614);
    await insertPasswordReset(h, id, target);
    const waiting = Array.from({ length: 15 }, () => pending(h, id, token, 'wait=60'));
    await eventually(async () => (waiter().waiting === 15 ? true : undefined));
    // More waiting requests than the PostgreSQL pool has connections (10), and SQLite has one.
    const other = await get(h, opUrl(guid(612)), token);
    assert.equal(other.status, 200);
    assert.ok(waiting.every((w) => !w.settled()));
    const leases = await claimAll(h);
    await h.store.operations.finish(id, leases.get(id)!, { status: 'succeeded', statusDetail: '' }, h.clock.now());
    h.service.terminalNotifier.notifyTerminal(id); // as the control API's fail does after its write
    for (const w of waiting) assert.equal((await w.response).body.status, 'succeeded');
  });
});

describe('extension wait: share per caller', () => {
  let h: Harness;
  before(async () => (h = await buildHarness({ config: { ...WAIT, waitsPerCaller: 2 } })));
  after(() => h.close());

  it(
    'a caller over its share is answered at once without Preference-Applied; another caller still waits',
    { timeout: 30_000 },
    async () => {
      const [least, higher] = [await appToken(h, 'least'), await appToken(h, 'higher')];
      const id = guid(621);
      await insertPasswordReset(h, id, target);
      const held = [pending(h, id, least, 'wait=60'), pending(h, id, least, 'wait=60')];
      await eventually(async () => (h.service.operationWaiter!.waiting === 2 ? true : undefined));
      const excess = await get(h, opUrl(id), least, { prefer: 'wait=60' });
      assert.equal(excess.status, 200);
      assert.equal(excess.body.status, 'notStarted');
      assert.equal(excess.headers['preference-applied'], undefined);
      const other = pending(h, id, higher, 'wait=60');
      await eventually(async () => (h.service.operationWaiter!.waiting === 3 ? true : undefined));
      h.service.terminalNotifier.notifyTerminal(id); // wakes them; they read the (unchanged) state
      for (const r of [...held, other]) assert.equal((await r.response).headers['preference-applied'], 'wait=60');
    },
  );
});

describe('extension wait across processes', () => {
  it('an end written through another connection wakes the waiter (PostgreSQL: NOTIFY; SQLite: re-check)', { timeout: 30_000 }, async () => {
    const t = await tempStore();
    const notifier = new TerminalNotifier();
    // On PostgreSQL the re-check is pushed out of reach: only the notification can wake it.
    const recheckIntervalMs = t.store.db.dialect.crossProcessWakeUp ? 600_000 : undefined;
    const waiter = new OperationWaiter({
      store: t.store,
      notifier,
      logger: silentLogger(),
      ...(recheckIntervalMs ? { recheckIntervalMs } : {}),
    });
    try {
      await waiter.start();
      await t.store.operations.insert({ id: 'x-1', tenantId: 't', kind: 'passwordReset', targetId: 'u', input: {}, maxAttempts: 1 }, 1000);
      const outcome = waiter.wait('x-1', 'caller', 25_000);
      await eventually(async () => (waiter.waiting === 1 ? true : undefined));
      const otherNode = await t.open();
      const [lease] = await otherNode.operations.claim('w', 2000, 30_000, 1);
      assert.ok(await otherNode.operations.finish('x-1', lease!.leaseToken, { status: 'succeeded', statusDetail: '' }, 3000));
      assert.equal(await outcome, 'ended');
    } finally {
      await waiter.stop();
      await t.cleanup();
    }
  });
});

describe('extension wait: shutdown', () => {
  it('closing the server answers waiting requests at once with the state they have', { timeout: 30_000 }, async () => {
    const h = await buildHarness({ config: WAIT });
    try {
      const id = guid(631);
      await insertPasswordReset(h, id, target);
      const req = pending(h, id, await appToken(h, 'least'), 'wait=60');
      await eventually(async () => (h.service.operationWaiter!.waiting === 1 ? true : undefined));
      await h.service.app.fastify.close();
      const res = await req.response;
      assert.equal(res.body.status, 'notStarted');
      assert.equal(res.headers['preference-applied'], 'wait=60');
    } finally {
      await h.store.close();
    }
  });
});
