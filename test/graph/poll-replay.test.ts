/**
 * Status polls answered again from memory (src/graph/poll-replay.ts): only while nothing was
 * written, within the TTL and the token's lifetime, with no control rule in force, for the same
 * token, URL and Accept-Encoding; byte for byte what the pipeline answered, with fresh ids.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { PollReplay, tokenValidUntil } from '../../src/graph/poll-replay.js';
import type { RequestLine } from '../../src/graph/request-log.js';
import type { Principal } from '../../src/identity/principal.js';
import { CLOCK_TOLERANCE_SECONDS } from '../../src/identity/token-verifier.js';
import { ManualClock } from '../../src/shared/clock.js';
import { TenantTime } from '../../src/shared/tenant-time.js';

interface World {
  mark: string | undefined;
  now: number;
  unshaped: boolean;
  tokenValidUntil: number | undefined;
  pipelineRuns: number;
  status: number;
  lines: Array<{ line: RequestLine; route: string }>;
}

async function replayServer(world: World): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  new PollReplay({
    changeMark: () => world.mark,
    now: () => world.now,
    unshaped: () => world.unshaped,
    tokenValidUntil: () => world.tokenValidUntil,
    record: (line, route) => world.lines.push({ line, route }),
    ttlMs: 1000,
  }).install(app);
  app.get('/ops/:id', { config: { replayable: true } }, (request, reply) => {
    world.pipelineRuns++;
    reply
      .code(world.status)
      .header('request-id', 'pipeline-id')
      .header('client-request-id', 'pipeline-id')
      .header('Retry-After', '1')
      .header('content-type', 'application/json;odata.metadata=minimal')
      .send(JSON.stringify({ id: (request.params as { id: string }).id, run: world.pipelineRuns }));
  });
  app.get('/plain/:id', (_request, reply) => {
    world.pipelineRuns++;
    reply.header('content-type', 'application/json').send(JSON.stringify({ run: world.pipelineRuns }));
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}

describe('poll replay', () => {
  let world: World;
  let server: { app: FastifyInstance; url: string };
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(server.url + path, { headers: { authorization: 'Bearer token-a', ...headers } });

  before(async () => {
    world = { mark: 'm1', now: 1_000_000, unshaped: true, tokenValidUntil: 2_000_000, pipelineRuns: 0, status: 200, lines: [] };
    server = await replayServer(world);
  });
  after(() => server.app.close());
  beforeEach(() => {
    Object.assign(world, {
      mark: `m${Math.random()}`,
      now: world.now + 10_000,
      unshaped: true,
      tokenValidUntil: world.now + 100_000,
      status: 200,
    });
    world.lines = [];
  });

  it('sends the same status, headers (in order) and body again, with fresh ids, and records the request', async () => {
    const before = world.pipelineRuns;
    const first = await get('/ops/1');
    const firstBody = await first.text();
    const again = await get('/ops/1', { 'client-request-id': 'mine-42' });
    const againBody = await again.text();
    const third = await get('/ops/1');
    await third.text();
    assert.equal(world.pipelineRuns, before + 1, 'only the first poll ran the pipeline');
    assert.equal(againBody, firstBody);
    assert.equal(again.status, 200);
    const names = (r: Response) => [...r.headers.keys()].filter((k) => !['date', 'connection', 'keep-alive'].includes(k));
    assert.deepEqual(names(again), names(first));
    for (const name of names(first).filter((n) => n !== 'request-id' && n !== 'client-request-id')) {
      assert.equal(again.headers.get(name), first.headers.get(name), name);
    }
    assert.match(String(again.headers.get('request-id')), /^[0-9a-f-]{36}$/);
    assert.equal(again.headers.get('client-request-id'), 'mine-42', 'the client’s id echoed');
    assert.equal(third.headers.get('client-request-id'), third.headers.get('request-id'), 'none sent: the request id');
    assert.deepEqual(
      world.lines.map(({ line, route }) => [line.method, line.path, line.status, line.clientRequestId, route]),
      [
        ['GET', '/ops/1', 200, 'mine-42', '/ops/:id'],
        ['GET', '/ops/1', 200, third.headers.get('request-id'), '/ops/:id'],
      ],
    );
  });

  it('any write (a new change mark) sends the next poll through the pipeline', async () => {
    await (await get('/ops/2')).text();
    const runs = world.pipelineRuns;
    world.mark = 'after-a-write';
    assert.equal(JSON.parse(await (await get('/ops/2')).text()).run, runs + 1);
    assert.equal(JSON.parse(await (await get('/ops/2')).text()).run, runs + 1, 'then kept again under the new mark');
  });

  it('ends with the TTL and with the token’s lifetime, whichever comes first', async () => {
    await (await get('/ops/3')).text();
    let runs = world.pipelineRuns;
    world.now += 999;
    await (await get('/ops/3')).text();
    assert.equal(world.pipelineRuns, runs, 'within the TTL');
    world.now += 1;
    await (await get('/ops/3')).text();
    assert.equal(world.pipelineRuns, runs + 1, 'the TTL is over');

    world.tokenValidUntil = world.now + 500;
    await (await get('/ops/3', { 'accept-encoding': 'x' })).text();
    runs = world.pipelineRuns;
    world.now += 500;
    await (await get('/ops/3', { 'accept-encoding': 'x' })).text();
    assert.equal(world.pipelineRuns, runs + 1, 'the token expired before the TTL ended');

    world.tokenValidUntil = undefined;
    await (await get('/ops/4')).text();
    await (await get('/ops/4')).text();
    assert.equal(world.pipelineRuns, runs + 3, 'a token whose end is unknown is never replayed');
  });

  it('only for the same token, URL and Accept-Encoding; never with Prefer, other methods, other routes or other statuses', async () => {
    await (await get('/ops/5')).text();
    const runs = world.pipelineRuns;
    await (await fetch(server.url + '/ops/5', { headers: { authorization: 'Bearer token-b' } })).text();
    await (await get('/ops/5?$select=id')).text();
    await (await get('/ops/5', { 'accept-encoding': 'gzip' })).text();
    await (await get('/ops/5', { prefer: 'wait=5' })).text();
    await (await fetch(server.url + '/ops/5', { method: 'HEAD', headers: { authorization: 'Bearer token-a' } })).text();
    assert.equal(world.pipelineRuns, runs + 5, 'each went through the pipeline (HEAD included)');
    await (await get('/plain/1')).text();
    await (await get('/plain/1')).text();
    assert.equal(world.pipelineRuns, runs + 7, 'a route not declared replayable is never kept');
    world.status = 202;
    await (await get('/ops/6')).text();
    await (await get('/ops/6')).text();
    assert.equal(world.pipelineRuns, runs + 9, 'only a 200 is kept');
    await (await fetch(server.url + '/ops/6')).text();
    assert.equal(world.pipelineRuns, runs + 10, 'no token: the pipeline answers');
  });

  it('nothing is kept or replayed while a control rule could shape the request, or without a change mark', async () => {
    world.unshaped = false;
    await (await get('/ops/7')).text();
    world.unshaped = true;
    const runs = world.pipelineRuns;
    await (await get('/ops/7')).text();
    assert.equal(world.pipelineRuns, runs + 1, 'not kept while rules were in force');
    world.unshaped = false;
    await (await get('/ops/7')).text();
    assert.equal(world.pipelineRuns, runs + 2, 'not replayed once rules are in force');

    world.unshaped = true;
    world.mark = undefined; // PostgreSQL: no cheap way to know nothing was written
    await (await get('/ops/8')).text();
    await (await get('/ops/8')).text();
    assert.equal(world.pipelineRuns, runs + 4);
  });
});

describe('tokenValidUntil', () => {
  const principal = (expiresAt: number | undefined): Principal => ({
    kind: 'user',
    tenantId: 't1',
    objectId: 'o',
    appId: 'a',
    scopes: new Set(),
    appPermissions: new Set(),
    roleTemplateIds: new Set(),
    personal: false,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  });

  it('is exp plus the verifier’s tolerance on the tenant’s clock, in real time; unknown without a fresh offset', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const offsets = new Map([['t1', 3_600_000]]);
    const tenantTime = new TenantTime(clock, { offsetMs: async (t) => offsets.get(t) ?? 0 });
    const exp = 1_700_000_600;
    assert.equal(tokenValidUntil(principal(exp), tenantTime), undefined, 'offset never read');
    await tenantTime.offsetMs('t1');
    assert.equal(tokenValidUntil(principal(exp), tenantTime), (exp + CLOCK_TOLERANCE_SECONDS) * 1000 - 3_600_000);
    assert.equal(tokenValidUntil(principal(undefined), tenantTime), undefined, 'no exp claim');
    assert.equal(tokenValidUntil(null, tenantTime), undefined);
    clock.advance(1001);
    assert.equal(tokenValidUntil(principal(exp), tenantTime), undefined, 'the cached offset went stale');
  });
});
