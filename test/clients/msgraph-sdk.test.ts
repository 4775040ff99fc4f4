/**
 * Conformance: @microsoft/msgraph-sdk (+ -users), the v1.0 Kiota fluent API, unmodified, against
 * a listening Longrun over HTTP and over HTTPS (development CA).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createGraphServiceClient, GraphRequestAdapter, type GraphServiceClient } from '@microsoft/msgraph-sdk';
import '@microsoft/msgraph-sdk-users';
import { LongRunningOperationStatusObject, type LongRunningOperation } from '@microsoft/msgraph-sdk/models/index.js';
import type { ODataError } from '@microsoft/msgraph-sdk/models/oDataErrors/index.js';
import {
  ADMIN,
  eventually,
  PASSWORD_METHOD,
  PEOPLE,
  startClientServer,
  SUITE_EXTENSIONS,
  TRANSPORTS,
  transportName,
  type ClientServer,
} from '../support/clients.js';
import { graphHttpClient, headerOf, inspectHeaders, staticTokenProvider } from '../support/kiota.js';

for (const tls of TRANSPORTS) {
  describe(`@microsoft/msgraph-sdk v1.0 over ${transportName(tls)}`, () => {
    let server: ClientServer;
    let client: GraphServiceClient;

    before(async () => {
      server = await startClientServer({ tls });
      const token = await server.userToken(ADMIN.upn, ADMIN.password);
      const adapter = new GraphRequestAdapter(staticTokenProvider(token), undefined, undefined, graphHttpClient(server, 'v1.0'));
      adapter.baseUrl = `${server.url}/v1.0`;
      client = createGraphServiceClient(adapter);
    });
    after(() => server.close());

    const person = PEOPLE[tls ? 1 : 0]!;

    it('resets a password: 202 read through HeadersInspectionOptions, then polls the operation to succeeded', async () => {
      const headers = inspectHeaders();
      const response = await client.users
        .byUserId(person.id)
        .authentication.methods.byAuthenticationMethodId(PASSWORD_METHOD)
        .resetPassword.post({ newPassword: 'Fresh-Kq81-Zt!w-sdk' }, { options: [headers] });
      // The caller chose the password: 202 with `{}`, which Kiota parses into an empty passwordResetResponse.
      assert.equal(response?.newPassword ?? undefined, undefined);
      const location = headerOf(headers, 'Location');
      assert.ok(location, 'Location header is visible through HeadersInspectionOptions');
      assert.equal(headerOf(headers, 'Operation-Location'), SUITE_EXTENSIONS.azureLro ? location : undefined);
      assert.ok(location.startsWith(`${server.url}/v1.0/users/${person.id}/authentication/operations/`), location);
      const operationId = decodeURIComponent(new URL(location).pathname.split('/').pop()!);

      const op = await eventually(async () => {
        const o = await client.users.byUserId(person.id).authentication.operations.byLongRunningOperationId(operationId).get();
        return o?.status === LongRunningOperationStatusObject.Succeeded ? o : undefined;
      });
      assert.equal(op.id, operationId);
      assert.ok(op.createdDateTime instanceof Date && !Number.isNaN(op.createdDateTime.getTime()), 'createdDateTime is a real Date');
      assert.ok(
        op.lastActionDateTime instanceof Date && !Number.isNaN(op.lastActionDateTime.getTime()),
        'lastActionDateTime is a real Date',
      );
      assert.ok(op.lastActionDateTime.getTime() >= op.createdDateTime.getTime());
      assert.equal(typeof op.resourceLocation, 'string');
      assert.equal(typeof op.statusDetail, 'string');
      // Nothing Longrun adds lands where the SDK would choke on it.
      assert.deepEqual(
        Object.keys(op.additionalData ?? {}).filter((k) => !k.startsWith('@odata')),
        [],
      );
    });

    it('the status parses to the SDK enum at every stage, and a rejected password ends failed', async () => {
      const target = PEOPLE[tls ? 3 : 2]!;
      const headers = inspectHeaders();
      await client.users
        .byUserId(target.id)
        .authentication.methods.byAuthenticationMethodId(PASSWORD_METHOD)
        .resetPassword.post({ newPassword: 'short' }, { options: [headers] });
      const id = new URL(headerOf(headers, 'Location')!).pathname.split('/').pop()!;
      const seen = new Set<string>();
      const op = await eventually(async () => {
        const o = await client.users.byUserId(target.id).authentication.operations.byLongRunningOperationId(id).get();
        assert.ok(o?.status, 'status is never dropped by the enum parser');
        seen.add(o.status);
        return o.status === 'failed' ? o : undefined;
      });
      for (const s of seen) assert.ok(Object.values(LongRunningOperationStatusObject).includes(s as never), s);
      assert.match(op.statusDetail ?? '', /\S/, 'statusDetail says why');
      // With azure-lro, core-lro's `error` object is additive: Kiota keeps it in additionalData.
      const error = op.additionalData?.error as { code?: string; message?: string } | undefined;
      if (SUITE_EXTENSIONS.azureLro) {
        assert.equal(error?.code, 'passwordPolicyViolation');
        assert.equal(error?.message, op.statusDetail);
      } else {
        assert.equal(error, undefined, 'Graph sends no error object');
      }
    });

    it('lists the operations with $filter, $top and $count', async () => {
      const list = await client.users.byUserId(person.id).authentication.operations.get({
        queryParameters: { filter: "status eq 'succeeded'", top: 5, count: true },
      });
      assert.ok(list?.value && list.value.length >= 1);
      assert.ok(list.value.every((o: LongRunningOperation) => o.status === 'succeeded'));
      assert.equal(typeof list.odataCount, 'number');
      assert.ok(list.value.every((o: LongRunningOperation) => o.createdDateTime instanceof Date));
    });

    it('errors surface as ODataError with the Graph code', async () => {
      await assert.rejects(
        client.users.byUserId(person.id).authentication.operations.byLongRunningOperationId('00000000-0000-4000-8000-000000000000').get(),
        (e: unknown) => {
          const err = e as ODataError;
          assert.equal(err.responseStatusCode, 404);
          assert.equal(err.errorEscaped?.code, 'itemNotFound');
          assert.match(err.errorEscaped?.message ?? '', /not found/);
          assert.ok(err.errorEscaped?.innerError?.requestId, 'innerError.request-id is parsed');
          return true;
        },
      );
      // Resetting one's own password is refused (403), before any operation exists.
      await assert.rejects(
        client.users
          .byUserId(ADMIN.id)
          .authentication.methods.byAuthenticationMethodId(PASSWORD_METHOD)
          .resetPassword.post({ newPassword: 'Whatever-Passw0rd!' }),
        (e: unknown) =>
          (e as ODataError).responseStatusCode === 403 && (e as ODataError).errorEscaped?.code === 'Authorization_RequestDenied',
      );
    });

    it('reads the user and the password method the operation points at', async () => {
      const user = await client.users.byUserId(person.upn).get({ queryParameters: { select: ['id', 'userPrincipalName'] } });
      assert.equal(user?.id, person.id);
      const methods = await client.users.byUserId(person.id).authentication.passwordMethods.get();
      assert.equal(methods?.value?.[0]?.id, PASSWORD_METHOD);
    });
  });
}
