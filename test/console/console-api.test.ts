/**
 * The console's server side without a browser: static files, the sign-in route, the tenant-wide
 * listing (paging, filters, the same policy as Graph, tenant isolation), an operation's detail,
 * the chart figures, and the server-sent events stream.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { tenantFixture } from '../support/alerts.js';
import { consoleSignIn, DEMO, demoUser, startConsoleHarness, type ConsoleHarness } from '../support/console.js';

const OTHER_TENANT = 'c3e7c3e7-0000-4000-8000-000000000003';
const FAR_FUTURE = Date.UTC(2100, 0, 1);

describe('console API', () => {
  let h: ConsoleHarness;
  let pra: { token: string; cookie: string };

  const get = async (path: string, auth: { token?: string; cookie?: string } = pra) => {
    const res = await fetch(`${h.baseUrl}${path}`, {
      headers: { ...(auth.token ? { authorization: `Bearer ${auth.token}` } : {}), ...(auth.cookie ? { cookie: auth.cookie } : {}) },
    });
    const text = await res.text();
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, body, headers: res.headers };
  };

  const signedIn = async (local: string) => {
    const u = demoUser(local);
    const r = await consoleSignIn(h, u.upn, u.password);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return { token: String(r.body.accessToken), cookie: r.cookie };
  };

  before(async () => {
    h = await startConsoleHarness({
      concurrency: 0,
      extraFixtures: [tenantFixture({ id: OTHER_TENANT, domain: 'other.onmicrosoft.com' })],
    });
    const base = Date.now() - 60_000;
    for (let i = 0; i < 120; i++) {
      await h.store.operations.insert(
        {
          id: `bulk-${String(i).padStart(3, '0')}`,
          tenantId: DEMO.tenant.id,
          kind: 'alertRefresh',
          targetId: `alert-${i}`,
          input: {},
          maxAttempts: 1,
          availableAt: FAR_FUTURE,
        },
        base + i * 100,
      );
    }
    await h.store.operations.insert(
      {
        id: 'reset-1',
        tenantId: DEMO.tenant.id,
        kind: 'passwordReset',
        targetId: demoUser('alex').id,
        input: {},
        maxAttempts: 1,
        availableAt: FAR_FUTURE,
      },
      base,
    );
    await h.store.operations.insert(
      {
        id: 'other-tenant-op',
        tenantId: OTHER_TENANT,
        kind: 'alertRefresh',
        targetId: 'x',
        input: {},
        maxAttempts: 1,
        availableAt: FAR_FUTURE,
      },
      base,
    );
    pra = await signedIn('pra');
  });

  after(async () => {
    await h?.close();
  });

  test('serves the page and its files with a strict content security policy', async () => {
    const page = await get('/console', {});
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.match(page.body, /\/console\/static\/app\.js/);
    for (const file of [
      'app.js',
      'api.js',
      'chart.js',
      'ui.js',
      'view-alerts.js',
      'view-operation.js',
      'view-operations.js',
      'view-reset.js',
      'view-sign-in.js',
      'app.css',
    ])
      assert.equal((await get(`/console/static/${file}`, {})).status, 200, file);
    assert.equal((await get('/console/static/secret.txt', {})).status, 404);
    assert.equal((await get('/console/static/..%2Fconsole-routes.ts', {})).status, 404);
  });

  test('sign-in: a delegated token without the client secret; clear refusals', async () => {
    const ok = await consoleSignIn(h, demoUser('pra').upn, demoUser('pra').password);
    assert.equal(ok.status, 200);
    assert.doesNotMatch(JSON.stringify(ok.body), /demo-client-secret/);
    assert.equal(ok.body.access.refreshAlerts, true);
    assert.equal(ok.body.access.resetPasswords, false);
    assert.match(ok.cookie, /^longrun_console=ey/);
    const wrong = await consoleSignIn(h, demoUser('pra').upn, 'nope');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.message, 'Wrong user name or password.');
    const alex = await consoleSignIn(h, demoUser('alex').upn, demoUser('alex').password);
    assert.equal(alex.status, 403);
    assert.match(alex.body.error.message, /has no role that the console needs/);
  });

  test('lists the tenant newest first, paged, and only the kinds the token may read', async () => {
    const first = await get('/console/api/operations?top=50');
    assert.equal(first.status, 200);
    assert.equal(first.body.total, 120, 'alert operations only for a Privileged Role Administrator; none of another tenant');
    assert.equal(first.body.value[0].id, 'bulk-119');
    const last = await get('/console/api/operations?top=50&skip=100');
    assert.deepEqual(last.body.value.map((o: { id: string }) => o.id).slice(-2), ['bulk-001', 'bulk-000']);
    assert.equal(last.body.value.length, 20);
    assert.equal((await get('/console/api/operations?status=succeeded')).body.total, 0);
    assert.equal((await get('/console/api/operations?kind=passwordReset')).status, 403);
    assert.equal((await get('/console/api/operations?status=done')).status, 400);
    assert.equal((await get('/console/api/operations', {})).status, 401);

    const auth = await signedIn('authadmin');
    const resets = await get('/console/api/operations', auth);
    assert.deepEqual(
      resets.body.value.map((o: { id: string; targetName: string }) => [o.id, o.targetName]),
      [['reset-1', demoUser('alex').upn]],
    );
    assert.equal((await get('/console/api/operations?kind=alertRefresh', auth)).status, 403);
  });

  test('an operation detail has its timeline; other tenants and unreadable kinds are not found', async () => {
    const d = await get('/console/api/operations/bulk-005');
    assert.equal(d.status, 200);
    assert.equal(d.body.operation.status, 'notStarted');
    assert.deepEqual(
      d.body.events.map((e: { type: string }) => e.type),
      ['queued'],
    );
    assert.equal((await get('/console/api/operations/other-tenant-op')).status, 404);
    assert.equal((await get('/console/api/operations/reset-1')).status, 404);
  });

  test('chart figures: one row per minute', async () => {
    const s = await get('/console/api/stats?minutes=10');
    assert.equal(s.status, 200);
    assert.equal(s.body.minutes.length, 10);
    const created = s.body.minutes.reduce((n: number, m: { counts: Record<string, number> }) => n + (m.counts.notStarted ?? 0), 0);
    assert.equal(created, 120);
    assert.equal(s.body.overall.finished, 0);
  });

  test('server-sent events push a change made after the stream opened (cookie authentication)', async () => {
    const controller = new AbortController();
    const res = await fetch(`${h.baseUrl}/console/api/events`, { headers: { cookie: pra.cookie }, signal: controller.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = res.body!.getReader();
    await h.store.operations.insert(
      { id: 'pushed-1', tenantId: DEMO.tenant.id, kind: 'alertRefresh', targetId: 'y', input: {}, maxAttempts: 1, availableAt: FAR_FUTURE },
      Date.now(),
    );
    let text = '';
    const deadline = Date.now() + 5000;
    while (!text.includes('"id":"pushed-1"') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    controller.abort();
    assert.match(text, /event: operation\nid: \d+\ndata: \{"id":"pushed-1"/);
    assert.doesNotMatch(text, /other-tenant-op/);
    assert.equal((await get('/console/api/events', {})).status, 401);
  });
});
