/** The route declaration pattern (docs/architecture.md, "Declaring a route") on the Graph wire. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Type } from '@sinclair/typebox';
import { buildApp, type App } from '../../src/app.js';
import { testConfig } from '../../src/config/config.js';
import { graphWire } from '../../src/graph/graph-wire.js';
import { odataQuery } from '../../src/graph/route-schemas.js';
import { invalidToken } from '../../src/graph/errors.js';
import { registerRoutes } from '../../src/http/register-routes.js';
import { declareRoute } from '../../src/http/route-declaration.js';
import type { Authenticator } from '../../src/identity/token-verifier.js';
import type { Principal } from '../../src/identity/principal.js';
import { ManualClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { Store } from '../../src/storage/store.js';
import { testStore } from '../support/store.js';

const TENANT = '11111111-1111-1111-1111-111111111111';

/** `authorization: Test <scopes>` stands for a verified delegated token with those scopes. */
const testAuthenticator: Authenticator = {
  authenticate(request) {
    return this.verify(request.headers.authorization);
  },
  async verify(token) {
    const m = /^Test (.*)$/.exec(token ?? '');
    if (!m) throw invalidToken('Access token is empty.', 'http://test/authorize');
    const principal: Principal = {
      kind: 'user',
      tenantId: TENANT,
      objectId: 'aaaaaaaa-0000-0000-0000-000000000001',
      appId: 'bbbbbbbb-0000-0000-0000-000000000001',
      scopes: new Set(m[1]!.split(' ').filter(Boolean)),
      appPermissions: new Set(),
      roleTemplateIds: new Set(),
      personal: false,
    };
    return principal;
  },
};

describe('route declarations on the Graph wire', () => {
  let store: Store;
  let app: App;
  const seen: unknown[] = [];

  before(async () => {
    store = await testStore();
    const deps = { config: testConfig(), publicUrl: 'http://test', store, clock: new ManualClock(), logger: silentLogger() };
    app = await buildApp(deps, [
      (a) =>
        registerRoutes(graphWire(a, testAuthenticator), [
          declareRoute({
            method: 'POST',
            url: '/v1.0/things/:thingId/paint',
            schema: {
              params: Type.Object({ thingId: Type.String({ minLength: 1 }) }),
              body: Type.Object(
                { colour: Type.String(), coats: Type.Optional(Type.Integer({ minimum: 1 })) },
                { title: 'microsoft.graph.paint', additionalProperties: false },
              ),
            },
            auth: 'users.read',
            handler: async ({ params, body, principal, reply }) => {
              seen.push({ params: { ...params }, body, tenant: principal.tenantId });
              return reply.code(204).send();
            },
          }),
          declareRoute({
            method: 'GET',
            url: '/v1.0/things',
            schema: { querystring: odataQuery('top') },
            auth: 'none',
            handler: async ({ query }) => ({ value: [], top: query.$top ?? query.top ?? null }),
          }),
          declareRoute({ method: 'GET', url: '/v1.0/gone', auth: 'users.read', available: false, handler: async () => ({}) }),
        ]),
    ]);
  });
  after(async () => {
    await app.fastify.close();
    await store.close();
  });

  const paint = (payload: unknown, authorization = 'Test User.Read.All') =>
    app.fastify.inject({ method: 'POST', url: '/v1.0/things/a%3Ab/paint', headers: { authorization }, payload: payload as object });

  it('hands the handler validated, percent-decoded input and the principal', async () => {
    seen.length = 0;
    const res = await paint({ colour: 'red', coats: 2 });
    assert.equal(res.statusCode, 204);
    assert.deepEqual(seen, [{ params: { thingId: 'a:b' }, body: { colour: 'red', coats: 2 }, tenant: TENANT }]);
  });

  it('a body that fails its schema → Graph 400 BadRequest naming the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ coats: 1 }, /'colour' is required/],
      [{ colour: 7 }, /'colour' must be a string/],
      [{ colour: 'red', coats: '2' }, /'coats' must be an integer/],
      [{ colour: 'red', gloss: true }, /The property 'gloss' does not exist on type 'microsoft.graph.paint'/],
      [{ colour: 'red', coats: 0 }, /'coats'/],
      [[1], /must be a JSON object/],
    ];
    for (const [payload, message] of cases) {
      const res = await paint(payload);
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      const body = res.json<{ error: { code: string; message: string; innerError: Record<string, string> } }>();
      assert.equal(body.error.code, 'BadRequest');
      assert.match(body.error.message, message);
      assert.equal(body.error.innerError['request-id'], res.headers['request-id']);
    }
  });

  it('401 before 400: an anonymous caller learns nothing about the input', async () => {
    const res = await paint({ gloss: true }, '');
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().error.code, 'InvalidAuthenticationToken');
  });

  it('authorization from the declared rule: 403 without a scope the rule lists', async () => {
    const res = await paint({ colour: 'red' }, 'Test Mail.Read');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.code, 'Authorization_RequestDenied');
  });

  it("auth 'none' needs no token; other methods of a declared path → 405", async () => {
    assert.equal((await app.fastify.inject({ method: 'GET', url: '/v1.0/things' })).statusCode, 200);
    const res = await app.fastify.inject({ method: 'DELETE', url: '/v1.0/things' });
    assert.equal(res.statusCode, 405);
    assert.equal(res.json().error.code, 'MethodNotAllowed');
  });

  it('a query option given twice → 400 naming it, as Graph words it', async () => {
    const ok = await app.fastify.inject({ method: 'GET', url: '/v1.0/things?$top=3' });
    assert.equal(ok.json().top, '3');
    const res = await app.fastify.inject({ method: 'GET', url: '/v1.0/things?$top=1&$top=2' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.message, "Query option '$top' was specified more than once.");
  });

  it('available: false answers as an unknown segment, before authentication', async () => {
    const res = await app.fastify.inject({ method: 'GET', url: '/v1.0/gone' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error.message, "Resource not found for the segment 'gone'.");
  });

  it('every declaration is catalogued with its permission', () => {
    const rows = app.catalogue.map((r) => `${r.wire} ${r.method} ${r.url} ${r.auth}`);
    assert.deepEqual(rows, [
      'graph POST /v1.0/things/:thingId/paint users.read',
      'graph GET /v1.0/things none',
      'graph GET /v1.0/gone users.read',
    ]);
  });
});
