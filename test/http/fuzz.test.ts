/**
 * Property-based fuzzing of every declared route (the app's catalogue, from which docs/routes.md
 * is generated: a new route is fuzzed without touching this file), on the suite's backend.
 * Random methods, paths, query options, headers, bodies and tokens (test/support/fuzz-requests.ts).
 *
 * Invariants, for every request:
 * - no 5xx;
 * - a refusal (4xx) is in the surface's shape: Entra's OAuth error on the login authority's
 *   paths, Graph's envelope with the request's ids everywhere else (Graph, control API, console,
 *   operator endpoints);
 * - no answer names a file of the server;
 * - a refusal changes nothing in the database (every row of every table, compared), except in
 *   the tables listed in WRITTEN_ON_REFUSAL;
 * - `/healthz` answers throughout.
 *
 * Runs: `LONGRUN_FUZZ_RUNS` per backend (default 300: about 5 s on SQLite, 10 s on PostgreSQL);
 * `LONGRUN_FUZZ_SEED` replays a failure with the seed fast-check printed (docs/testing.md).
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseExtensions } from '../../src/extensions.js';
import { isAuthorityPath } from '../../src/framework-errors.js';
import { PASSWORD_METHOD_ID } from '../../src/passwords/password-method.js';
import type { CataloguedRoute } from '../../src/http/register-routes.js';
import { diffSnapshots, snapshotDatabase, type DatabaseSnapshot } from '../support/database-snapshot.js';
import { fuzzRequest, fuzzSettings, type FuzzKnowledge, type FuzzRequest } from '../support/fuzz-requests.js';
import {
  APP_B,
  APPS,
  appToken,
  DOMAIN_A,
  DOMAIN_B,
  START,
  TENANT_A,
  TENANT_B,
  tenantA,
  tenantB,
  userA,
  userB,
  userToken,
  type Harness,
} from '../support/graph.js';
import { appToken as appTokenFor, GRAPH_DEFAULT_SCOPE, startTestService } from '../support/harness.js';
import { ManualClock } from '../../src/shared/clock.js';

const CONTROL_APP = { id: 'a0000000-0000-4000-8000-00000000000c', secret: 'fuzz-control-secret' };

/**
 * Tables a refused request may write, and why:
 * - `sign_in_lockouts`: a wrong password is refused (400 AADSTS50126) and counted, which is what
 *   smart lockout is (docs/authentication.md, "Smart lockout");
 */
const WRITTEN_ON_REFUSAL = new Set(['sign_in_lockouts']);

/** The checkout's root: no answer may contain it (nor any other server path). */
const SERVER_ROOT = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');

const GRAPH_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

/** The authority's browser pages answer HTML, not JSON (docs/authentication.md). */
const AUTHORITY_PAGE = /^\/(?:devicelogin(?:\/signin)?|[^/]*\/oauth2\/v2\.0\/(?:authorize|logout))$/;

/** The authority's browser pages are routes too, registered outside the declarations (src/identity/sign-in-routes.ts). */
const SIGN_IN_PAGES: CataloguedRoute[] = [
  { wire: 'sign-in pages', method: 'GET', url: '/:tenant/oauth2/v2.0/authorize', auth: 'none' },
  { wire: 'sign-in pages', method: 'POST', url: '/:tenant/oauth2/v2.0/authorize', auth: 'none' },
  { wire: 'sign-in pages', method: 'GET', url: '/:tenant/oauth2/v2.0/logout', auth: 'none' },
  { wire: 'sign-in pages', method: 'GET', url: '/devicelogin', auth: 'none' },
  { wire: 'sign-in pages', method: 'POST', url: '/devicelogin', auth: 'none' },
  { wire: 'sign-in pages', method: 'POST', url: '/devicelogin/signin', auth: 'none' },
];

/** A request that does not answer in this time hangs (nothing the fuzzer sends waits on purpose). */
const REQUEST_DEADLINE_MS = 10_000;

async function answerWithin<T>(ms: number, promise: Promise<T>, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(message())), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Injects the request and reads the answer; an event stream (the console's) is legitimately
 * endless, so only its status and headers are read before it is closed, as a client would.
 */
async function send(h: Harness, r: FuzzRequest): Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }> {
  const res = await h.inject({
    method: r.method as 'GET',
    url: r.url,
    headers: r.headers,
    ...(r.payload !== undefined ? { payload: r.payload } : {}),
    payloadAsStream: true,
  });
  const stream = res.stream();
  if (String(res.headers['content-type']).startsWith('text/event-stream')) {
    stream.destroy();
    return { statusCode: res.statusCode, headers: res.headers, body: '' };
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return { statusCode: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() };
}

function describeRequest(r: FuzzRequest): string {
  return JSON.stringify({
    method: r.method,
    url: r.url,
    headers: r.headers,
    payload: r.payload,
    route: `${r.route.method} ${r.route.url}`,
  });
}

/** The path the server saw: fastify.inject() hands it over as a WHATWG URL parser reads it ('/%2e%2e/x' is '/x'). */
function pathSeen(url: string): string {
  const base = 'http://longrun.test';
  return new URL(url.startsWith('//') ? base + url : url, base).pathname;
}

function checkShape(r: FuzzRequest, res: { statusCode: number; headers: Record<string, unknown>; body: string }): void {
  const where = `${res.statusCode} for ${describeRequest(r)}\n${res.body.slice(0, 500)}`;
  assert.ok(res.statusCode < 500, `5xx: ${where}`);
  assert.ok(!res.body.includes(SERVER_ROOT) && !res.body.includes('node_modules'), `a server path in the answer: ${where}`);
  if (res.statusCode < 400 || r.method === 'HEAD') return;
  const path = pathSeen(r.url);
  if (AUTHORITY_PAGE.test(path) && String(res.headers['content-type']).startsWith('text/html')) return;
  let body: any;
  try {
    body = JSON.parse(res.body);
  } catch {
    assert.fail(`a refusal that is not JSON: ${where}`);
  }
  if (isAuthorityPath(path)) {
    assert.equal(typeof body.error, 'string', `Entra's shape: ${where}`);
    assert.match(body.error_description, /^AADSTS\d+: /, `Entra's shape: ${where}`);
    assert.ok(Array.isArray(body.error_codes) && body.error_codes.every((c: unknown) => typeof c === 'number'), `Entra's shape: ${where}`);
    assert.equal(body.trace_id, res.headers['request-id'], `Entra's trace id: ${where}`);
    return;
  }
  assert.equal(typeof body.error?.code, 'string', `Graph's envelope: ${where}`);
  assert.ok(body.error.code.length > 0, `Graph's envelope: ${where}`);
  assert.equal(typeof body.error.message, 'string', `Graph's envelope: ${where}`);
  assert.equal(body.error.innerError?.['request-id'], res.headers['request-id'], `Graph's innerError request-id: ${where}`);
  assert.equal(
    body.error.innerError?.['client-request-id'],
    res.headers['client-request-id'],
    `Graph's innerError client-request-id: ${where}`,
  );
  assert.match(body.error.innerError?.date ?? '', GRAPH_DATE, `Graph's innerError date: ${where}`);
}

describe('fuzzing every declared route', { timeout: 300_000 }, () => {
  let h: Harness;
  let knowledge: FuzzKnowledge;
  before(async () => {
    // Tenant A with an application granted the control API, so the fuzzer reaches past its 403s.
    const applications = [
      ...(tenantA.applications as object[]),
      {
        appId: CONTROL_APP.id,
        secret: CONTROL_APP.secret,
        displayName: 'Fuzz control',
        applicationPermissions: ['Longrun.Control.All'],
        delegatedPermissions: [],
      },
    ];
    const clock = new ManualClock(START);
    const t = await startTestService({
      clock,
      fixtures: [{ ...tenantA, applications }, tenantB],
      config: { extensions: parseExtensions('all') },
    });
    h = { ...t, clock, inject: t.service.app.fastify.inject.bind(t.service.app.fastify) };
    const ga = userA('globalAdmin');
    const tokens = [
      await appTokenFor(h, DOMAIN_A, CONTROL_APP),
      await appToken(h, 'higher'),
      await appToken(h, 'least'),
      await userToken(h, 'globalAdmin', [GRAPH_DEFAULT_SCOPE]),
      await userToken(h, 'noRole', [GRAPH_DEFAULT_SCOPE]),
    ];
    knowledge = {
      words: [
        TENANT_A,
        TENANT_B,
        DOMAIN_A,
        DOMAIN_B,
        'common',
        'organizations',
        ga.id,
        ga.userPrincipalName,
        userA('target').id,
        userB().id,
        PASSWORD_METHOD_ID,
        `DirectoryRole_${TENANT_A}_StaleSignInAlert`,
        `refresh:DirectoryRole_${TENANT_A}_StaleSignInAlert`,
        'TooManyGlobalAdminsAssignedToTenantAlert',
        'app.js',
      ],
      tokens,
      form: {
        grant_type: [
          'client_credentials',
          'password',
          'refresh_token',
          'authorization_code',
          'urn:ietf:params:oauth:grant-type:device_code',
        ],
        client_id: [APPS.higher.id, APPS.least.id, APP_B.id, CONTROL_APP.id],
        client_secret: [APPS.higher.secret, APPS.least.secret, CONTROL_APP.secret, 'wrong'],
        username: [ga.userPrincipalName, userA('target').userPrincipalName],
        password: [ga.password, 'wrong-password'],
        scope: [GRAPH_DEFAULT_SCOPE, 'openid offline_access', 'User.Read'],
        refresh_token: ['x'],
        code: ['x'],
        device_code: ['x'],
      },
    };
  });
  after(() => h?.close());

  it('the database snapshot sees a write (so the refusal invariant can fail)', async () => {
    const before = await snapshotDatabase(h.store);
    const res = await h.request('POST', '/_longrun/v1/rules', {
      token: knowledge.tokens[0],
      body: { type: 'http', match: { method: 'GET', path: '/v1.0/nothing-matches-this' }, respond: { status: 429 } },
    });
    assert.equal(res.status, 201, res.raw);
    const changes = diffSnapshots(before, await snapshotDatabase(h.store));
    assert.deepEqual(
      changes.map((c) => [c.table, c.added.length, c.removed.length]),
      [['control_rules', 1, 0]],
    );
    assert.equal((await h.request('DELETE', '/_longrun/v1/rules', { token: knowledge.tokens[0] })).status, 204);
  });

  it("no 5xx, the surface's error shape, no server path, and a refusal leaves the database as it was", async (t) => {
    const routes = [...h.service.app.catalogue, ...SIGN_IN_PAGES];
    assert.ok(routes.length > 50, 'the catalogue lists the declared routes');
    let baseline: DatabaseSnapshot = await snapshotDatabase(h.store);
    let runs = 0;
    /** How deep the requests reach, per wire and status: printed as a diagnostic. */
    const statuses = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fuzzRequest(routes, knowledge), async (r) => {
        const res = await answerWithin(
          REQUEST_DEADLINE_MS,
          send(h, r),
          () => `no answer within ${REQUEST_DEADLINE_MS} ms: ${describeRequest(r)}`,
        );
        checkShape(r, res);
        const bucket = `${r.route.wire} ${res.statusCode}`;
        statuses.set(bucket, (statuses.get(bucket) ?? 0) + 1);
        const now = await snapshotDatabase(h.store);
        if (res.statusCode >= 400) {
          const changed = diffSnapshots(baseline, now).filter((c) => !WRITTEN_ON_REFUSAL.has(c.table));
          assert.deepEqual(changed, [], `a ${res.statusCode} refusal changed the database: ${describeRequest(r)}`);
        }
        baseline = now;
        if (++runs % 50 === 0) assert.equal((await h.get('/healthz')).status, 200, '/healthz answers');
      }),
      { ...fuzzSettings(300), includeErrorInReport: true },
    );
    t.diagnostic(`answers by wire and status: ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
    const health = await h.get('/healthz');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { status: 'ok' });
  });
});
