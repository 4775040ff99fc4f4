/**
 * Graph's response headers (issue #15 item 5; docs/compatibility.md, "Response headers"):
 * `x-ms-ags-diagnostic` on every Graph answer, `Strict-Transport-Security` only over HTTPS,
 * gzip when the client accepts it, errors as plain `application/json`, and a password reset's
 * `Location` with Graph's routing-hint query.
 */
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { agsDiagnostic } from '../../src/graph/response-headers.js';
import { appToken, buildHarness, PUBLIC_URL, type Harness } from '../support/graph.js';
import { startTestService, type TestService } from '../support/harness.js';
import { CALLERS, PEOPLE } from '../support/fixtures/reset-tenant.js';
import * as resets from '../support/passwords.js';

const DEFINITIONS =
  "/beta/identityGovernance/roleManagementAlerts/alertDefinitions?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'";

describe('Graph response headers', () => {
  let h: Harness;
  let token: string;
  before(async () => {
    h = await buildHarness();
    token = await appToken(h, 'least');
  });
  after(() => h.close());

  it("x-ms-ags-diagnostic: exactly Graph's ServerInfo shape, the node named in RoleInstance", async () => {
    const res = await h.get('/v1.0/nothing', token);
    const expected = `{"ServerInfo":{"DataCenter":"Longrun","Slice":"E","Ring":"5","ScaleUnit":"000","RoleInstance":"${hostname().toUpperCase()}"}}`;
    assert.equal(res.headers['x-ms-ags-diagnostic'], expected);
    assert.equal(
      agsDiagnostic('BL6PEPF0000E7BB'),
      '{"ServerInfo":{"DataCenter":"Longrun","Slice":"E","Ring":"5","ScaleUnit":"000","RoleInstance":"BL6PEPF0000E7BB"}}',
    );
    const ok = await h.get(DEFINITIONS, token);
    assert.equal(ok.status, 200, ok.raw);
    assert.equal(ok.headers['x-ms-ags-diagnostic'], expected, 'on success as on error');
    assert.equal((await h.get('/healthz')).headers['x-ms-ags-diagnostic'], undefined, 'not Graph: no Graph diagnostic');
  });

  it('an error is plain application/json without OData-Version, as Graph sends it', async () => {
    const res = await h.get('/v1.0/nothing', token);
    assert.equal(res.status, 400);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.headers['odata-version'], undefined);
  });

  it('no Strict-Transport-Security over plain HTTP', async () => {
    assert.equal((await h.get(DEFINITIONS, token)).headers['strict-transport-security'], undefined);
  });

  it('gzip with Vary when the client accepts it; the body inflates to the same JSON; small bodies go as they are', async () => {
    const plain = await h.get(DEFINITIONS, token);
    const zipped = await h.inject({
      method: 'GET',
      url: DEFINITIONS,
      headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip, deflate, br' },
    });
    assert.equal(zipped.statusCode, 200);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.match(String(zipped.headers.vary), /accept-encoding/i);
    assert.equal(zipped.headers['content-type'], plain.headers['content-type']);
    assert.equal(gunzipSync(zipped.rawPayload).toString('utf8'), plain.raw);
    assert.ok(zipped.rawPayload.length < Buffer.byteLength(plain.raw), 'smaller on the wire');
    assert.equal(plain.headers['content-encoding'], undefined, 'no Accept-Encoding: identity');

    const small = await h.inject({ method: 'GET', url: '/v1.0/nothing', headers: { 'accept-encoding': 'gzip' } });
    assert.ok(small.rawPayload.length < 1024);
    assert.equal(small.headers['content-encoding'], undefined, 'under the 1 KiB threshold');
  });
});

describe('Strict-Transport-Security over HTTPS', () => {
  let t: TestService;
  before(async () => {
    t = await startTestService({ publicUrl: 'https://longrun.test' });
  });
  after(() => t.close());

  it("carries Graph's max-age=31536000 on Graph paths only", async () => {
    assert.equal((await t.get('/v1.0/nothing')).headers['strict-transport-security'], 'max-age=31536000');
    assert.equal((await t.get('/healthz')).headers['strict-transport-security'], undefined);
  });
});

describe("resetPassword's Location", () => {
  let h: resets.Harness;
  before(async () => {
    h = await resets.buildHarness();
  });
  after(() => h.close());

  it("carries Graph's routing hints as a query; polling it as given works, appending a path does not reach a child", async () => {
    const admin = await resets.userToken(h, CALLERS.authAdmin);
    const alice = PEOPLE.alice;
    const res = await resets.resetPassword(h, admin, alice.userPrincipalName, { newPassword: 'Fresh-Kq81-Zt!w' });
    assert.equal(res.status, 202);
    const location = String(res.headers.location);
    const url = new URL(location);
    assert.equal(url.search, '?aadgdc=DUB02P&aadgsu=ssprprod-a');
    assert.match(url.pathname, new RegExp(`^/v1\\.0/users/${alice.id}/authentication/operations/[0-9a-f-]{36}$`));
    assert.ok(location.startsWith(PUBLIC_URL));
    const polled = await resets.pollLocation(h, admin, location);
    assert.equal(polled.status, 200, polled.raw);
    assert.equal(polled.body.id, url.pathname.split('/').pop());
    // `${Location}/x` puts "/x" into the last query value: the client polls the operation, not a child of it.
    const appended = await resets.pollLocation(h, admin, `${location}/x`);
    assert.equal(appended.status, 200);
    assert.equal(appended.body.id, polled.body.id);
  });
});
