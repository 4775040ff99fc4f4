/**
 * Conformance: @microsoft/microsoft-graph-client (the classic client), unmodified, over HTTPS
 * with Longrun's host in `customHosts`. Over plain HTTP the client strips `Authorization` from
 * any non-Graph URL, even a custom host (docs/compatibility.md); that limitation is pinned too.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, GraphError, ResponseType } from '@microsoft/microsoft-graph-client';
import { ADMIN, alertId, eventually, PASSWORD_METHOD, PEOPLE, startClientServer, type ClientServer } from '../support/clients.js';

function classicClient(server: ClientServer, token: string): Client {
  return Client.init({
    authProvider: (done) => done(null, token),
    baseUrl: `${server.url}/`,
    defaultVersion: 'v1.0',
    customHosts: new Set(['127.0.0.1']),
    // The development CA, trusted for this client only (NODE_EXTRA_CA_CERTS does it process-wide).
    ...(server.dispatcher ? { fetchOptions: { dispatcher: server.dispatcher } } : {}),
  });
}

describe('@microsoft/microsoft-graph-client over HTTPS (dev CA, customHosts)', () => {
  let server: ClientServer;
  let client: Client;

  before(async () => {
    server = await startClientServer({ tls: true });
    client = classicClient(server, await server.userToken(ADMIN.upn, ADMIN.password));
  });
  after(() => server.close());

  it('resets a password, reads Location with ResponseType.RAW, polls the operation to succeeded', async () => {
    const person = PEOPLE[10]!;
    const raw = (await client
      .api(`/users/${person.id}/authentication/methods/${PASSWORD_METHOD}/resetPassword`)
      .responseType(ResponseType.RAW)
      .post({ newPassword: 'Fresh-Kq81-Zt!w-classic' })) as Response;
    assert.equal(raw.status, 202);
    const location = raw.headers.get('location')!;
    assert.ok(location.startsWith(`${server.url}/v1.0/users/${person.id}/authentication/operations/`), location);
    const path = new URL(location).pathname.replace(/^\/v1\.0/, '');
    const op = await eventually(async () => {
      const o = (await client.api(path).get()) as { status: string; id: string; '@odata.context': string };
      return o.status === 'succeeded' ? o : undefined;
    });
    assert.equal(op.id, path.split('/').pop());
    assert.match(op['@odata.context'], /\/\$metadata#users\('.+'\)\/authentication\/operations\/\$entity$/);
  });

  it('reads a beta alert-refresh operation with .version("beta")', async () => {
    const alert = alertId('StaleSignInAlert');
    const raw = (await client
      .api(`/identityGovernance/roleManagementAlerts/alerts/${alert}/refresh`)
      .version('beta')
      .responseType(ResponseType.RAW)
      .post({})) as Response;
    assert.equal(raw.status, 202);
    const op = await eventually(async () => {
      const o = (await client.api(`/identityGovernance/roleManagementAlerts/operations/refresh:${alert}`).version('beta').get()) as {
        status: string;
      };
      return o.status === 'succeeded' ? o : undefined;
    });
    assert.equal((op as { id?: string }).id, `refresh:${alert}`);
  });

  it('errors become GraphError with code, requestId and date', async () => {
    await assert.rejects(client.api(`/users/${PEOPLE[10]!.id}/authentication/operations/nope`).get(), (e: unknown) => {
      assert.ok(e instanceof GraphError);
      assert.equal(e.statusCode, 404);
      assert.equal(e.code, 'itemNotFound');
      assert.match(e.requestId ?? '', /^[0-9a-f-]{36}$/);
      assert.ok(e.date instanceof Date && !Number.isNaN(e.date.getTime()));
      return true;
    });
  });
});

describe('@microsoft/microsoft-graph-client over plain HTTP (a limitation of the client)', () => {
  let server: ClientServer;
  before(async () => {
    server = await startClientServer({ tls: false });
  });
  after(() => server.close());

  it('drops Authorization for an http:// custom host, so Longrun answers 401: use HTTPS (--tls-dev)', async () => {
    const client = classicClient(server, await server.userToken(ADMIN.upn, ADMIN.password));
    await assert.rejects(client.api(`/users/${PEOPLE[11]!.id}/authentication/operations`).get(), (e: unknown) => {
      assert.equal((e as GraphError).statusCode, 401);
      assert.equal((e as GraphError).code, 'InvalidAuthenticationToken');
      return true;
    });
  });
});
