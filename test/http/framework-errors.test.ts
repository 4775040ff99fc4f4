/**
 * Refusals before any route runs (issue #17, item 1; docs/errors.md "Before routing"): each
 * answers in the surface's shape, Graph's envelope or Entra's OAuth error, and names no file.
 * The parser-level cases need a real socket (fastify.inject() skips Node's HTTP parser).
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { APPS, buildHarness, DOMAIN_A, TENANT_A, userA, userToken, type Harness } from '../support/graph.js';
import { GRAPH_DEFAULT_SCOPE, startTestService, tokenRequest, type TestService } from '../support/harness.js';

const GRAPH_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: any;
  text: string;
}

/** Writes `text` to the service's socket and reads the answer until the server closes. */
function rawExchange(port: number, text: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks).toString();
      const [head = '', ...rest] = all.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const bodyText = rest.join('\r\n\r\n');
      let body: unknown;
      try {
        body = JSON.parse(bodyText);
      } catch {
        body = undefined;
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body, text: all });
    });
  });
}

function assertGraphEnvelope(res: { headers: Record<string, unknown>; body: any }, code: string): void {
  assert.equal(res.body?.error?.code, code, JSON.stringify(res.body));
  assert.equal(typeof res.body.error.message, 'string');
  assert.equal(res.body.error.innerError['request-id'], res.headers['request-id']);
  assert.equal(res.body.error.innerError['client-request-id'], res.headers['client-request-id']);
  assert.match(res.body.error.innerError.date, GRAPH_DATE);
}

function assertEntraShape(res: { headers: Record<string, unknown>; body: any }, aadsts: number): void {
  assert.equal(typeof res.body?.error, 'string', JSON.stringify(res.body));
  assert.match(res.body.error_description, new RegExp(`^AADSTS${aadsts}: `));
  assert.deepEqual(res.body.error_codes, [aadsts]);
  assert.equal(res.body.trace_id, res.headers['request-id']);
}

describe('refusals before routing answer in the surface shape', () => {
  let t: TestService;
  let port: number;
  before(async () => {
    t = await startTestService({ listen: true });
    port = Number(new URL(t.baseUrl).port);
  });
  after(() => t?.close());

  it("a malformed percent-encoding (/v1.0/users/%E0%A4%A): 400 BadRequest in Graph's envelope, not FST_ERR_BAD_URL", async () => {
    const res = await t.get('/v1.0/users/%E0%A4%A', undefined, { 'client-request-id': 'fuzz-1' });
    assert.equal(res.status, 400);
    assertGraphEnvelope(res, 'BadRequest');
    assert.equal(res.headers['client-request-id'], 'fuzz-1');
    assert.doesNotMatch(res.raw, /FST_ERR/);
  });

  it("a malformed percent-encoding on the token endpoint's path: Entra's shape", async () => {
    const res = await t.request('POST', '/common/oauth2/v2.0/token%E0%A4%A');
    assert.equal(res.status, 400);
    assertEntraShape(res, 9002313);
  });

  it('a 600-character id: 400 BadRequest in the envelope, not 414 FST_ERR_MAX_PARAM_LENGTH', async () => {
    const res = await t.get(`/v1.0/users/${'a'.repeat(600)}`);
    assert.equal(res.status, 400);
    assertGraphEnvelope(res, 'BadRequest');
    assert.match(res.body.error.message, /longer than 500 characters/);
    assert.ok(res.raw.length < 1000, 'the id is not echoed whole');
  });

  it("a 60 KB URL: 414 RequestUriTooLong in Graph's envelope, written on the socket", async () => {
    const res = await rawExchange(port, `GET /v1.0/users/x?${'a'.repeat(60_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.equal(res.status, 414);
    assert.equal(res.headers['content-type'], 'application/json');
    assertGraphEnvelope(res, 'RequestUriTooLong');
  });

  it("a 60 KB URL to the token endpoint: 414 in Entra's shape", async () => {
    const res = await rawExchange(port, `POST /common/oauth2/v2.0/token?${'a'.repeat(60_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.equal(res.status, 414);
    assertEntraShape(res, 9002313);
  });

  it("a 20 KB header: 431 RequestHeaderFieldsTooLarge in Graph's envelope", async () => {
    const res = await rawExchange(port, `GET /v1.0/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.equal(res.status, 431);
    assertGraphEnvelope(res, 'RequestHeaderFieldsTooLarge');
  });

  it("bytes that are not HTTP: 400 BadRequest in Graph's envelope", async () => {
    const res = await rawExchange(port, 'GARBAGE\r\n\r\n');
    assert.equal(res.status, 400);
    assertGraphEnvelope(res, 'BadRequest');
  });

  for (const [path, contentType, check] of [
    [
      '/v1.0/me/authentication/methods/x/resetPassword',
      'application/json',
      (res: RawAnswer) => assertGraphEnvelope(res, 'RequestEntityTooLarge'),
    ],
    ['/common/oauth2/v2.0/token', 'application/x-www-form-urlencoded', (res: RawAnswer) => assertEntraShape(res, 9002313)],
  ] as const) {
    it(`10 MB announced with Expect: 100-continue to ${path}: a final 413 without 100 Continue, in the surface's shape`, async () => {
      const res = await new Promise<RawAnswer & { continued: boolean }>((resolve, reject) => {
        let continued = false;
        const req = httpRequest({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path,
          headers: { 'content-type': contentType, 'content-length': 10_000_000, expect: '100-continue' },
        });
        req.on('continue', () => {
          continued = true;
          req.destroy();
        });
        req.on('response', (r) => {
          let text = '';
          r.on('data', (d) => (text += d));
          r.on('end', () => {
            req.destroy();
            resolve({ status: r.statusCode!, headers: r.headers as Record<string, string>, body: JSON.parse(text), text, continued });
          });
        });
        req.on('error', reject);
        req.flushHeaders();
      });
      assert.equal(res.continued, false, 'no 100 Continue for a body over the limit');
      assert.equal(res.status, 413);
      check(res);
    });
  }

  it("a 10 MB form to the token endpoint: 413 in Entra's shape, not 'must contain grant_type'", async () => {
    const res = await t.request('POST', '/common/oauth2/v2.0/token', {
      body: `grant_type=client_credentials&x=${'a'.repeat(10_000_000)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 413);
    assertEntraShape(res, 9002313);
    assert.doesNotMatch(res.body.error_description, /grant_type/);
  });

  it('/console/static/constructor (and other Object.prototype names): a 404 in the envelope that names no path', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const res = await t.get(`/console/static/${name}`);
      assert.equal(res.status, 404, name);
      assertGraphEnvelope(res, 'itemNotFound');
      assert.doesNotMatch(res.raw, /\/src\/|static\//, name);
    }
  });

  it("the authority's prefixes answer Entra's shape for unknown paths and other methods (fuzz: /common/discovery/instance/)", async () => {
    const wrongMethod = await t.get('/common/oauth2/v2.0/token');
    assert.equal(wrongMethod.status, 400);
    assertEntraShape(wrongMethod, 900561);
    assert.match(wrongMethod.body.error_description, /only accepts POST requests\. Received a GET request\./);
    for (const path of ['/common/discovery/instance/', '/common/oauth2/v2.0/nothing', '/contoso.example/v2.0/x']) {
      const res = await t.get(path);
      assert.equal(res.status, 404, path);
      assertEntraShape(res, 9002313);
    }
  });

  it("an empty tenant segment (fuzz: //.well-known/openid-configuration): Entra's tenant-not-found", async () => {
    const res = await rawExchange(port, 'GET //.well-known/openid-configuration HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(res.status, 400);
    assertEntraShape(res, 90002);
  });
});

describe('a NUL character is refused before any handler (fuzz: /v1.0/me/authentication/operations/%00 was a 500 on PostgreSQL)', () => {
  let h: Harness;
  before(async () => {
    h = await buildHarness();
  });
  after(() => h?.close());

  it("in a path segment: 400 BadRequest in Graph's envelope, on both backends", async () => {
    const token = await userToken(h, 'globalAdmin', [GRAPH_DEFAULT_SCOPE]);
    for (const url of [
      '/v1.0/me/authentication/operations/%00',
      `/v1.0/users/a%00b`,
      '/beta/identityGovernance/roleManagementAlerts/alerts/%00',
    ]) {
      const res = await h.get(url, token);
      assert.equal(res.status, 400, `${url}: ${res.raw}`);
      assertGraphEnvelope(res, 'BadRequest');
      assert.match(res.body.error.message, /NUL character/);
    }
  });

  it('in a JSON body string', async () => {
    const token = await userToken(h, 'globalAdmin', [GRAPH_DEFAULT_SCOPE]);
    const res = await h.request(
      'PATCH',
      `/beta/identityGovernance/roleManagementAlerts/alerts/DirectoryRole_${TENANT_A}_StaleSignInAlert`,
      {
        token,
        body: '{"isActive":false,"x\\u0000":1}',
      },
    );
    assert.equal(res.status, 400, res.raw);
    assertGraphEnvelope(res, 'BadRequest');
  });

  it("in a token request's form: Entra's shape, and no sign-in attempt is counted", async () => {
    const res = await tokenRequest(h, DOMAIN_A, {
      grant_type: 'password',
      client_id: APPS.least.id,
      username: `${userA('target').userPrincipalName}\u0000`,
      password: 'x',
      scope: GRAPH_DEFAULT_SCOPE,
    });
    assert.equal(res.status, 400, res.raw);
    assertEntraShape(res, 9002313);
  });
});
