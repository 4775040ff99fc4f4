/**
 * Conformance: @microsoft/msgraph-beta-sdk models with the Kiota fetch adapter, over HTTP and
 * HTTPS. The published beta package has models and the service client but no request builders
 * (docs/compatibility.md), so the requests are built as the generated builders build them: the same
 * URI templates and path-parameter names, sent through the adapter with the beta models'
 * parsable factories and the ODataError mapping.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HttpMethod, RequestInformation, type ErrorMappings } from '@microsoft/kiota-abstractions';
import { GraphBetaRequestAdapter } from '@microsoft/msgraph-beta-sdk';
import {
  createLongRunningOperationFromDiscriminatorValue,
  createUnifiedRoleManagementAlertCollectionResponseFromDiscriminatorValue,
  createUnifiedRoleManagementAlertFromDiscriminatorValue,
  LongRunningOperationStatusObject,
  type LongRunningOperation,
  type UnifiedRoleManagementAlert,
  type UnifiedRoleManagementAlertCollectionResponse,
} from '@microsoft/msgraph-beta-sdk/models/index.js';
import { createODataErrorFromDiscriminatorValue, type ODataError } from '@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js';
import { ADMIN, alertId, eventually, startClientServer, TRANSPORTS, transportName, type ClientServer } from '../support/clients.js';
import { graphHttpClient, headerOf, inspectHeaders, staticTokenProvider } from '../support/kiota.js';

const ERRORS: ErrorMappings = { XXX: createODataErrorFromDiscriminatorValue };
const ROOT = '{+baseurl}/identityGovernance/roleManagementAlerts';
/** The generated builders' templates (msgraph-beta-sdk-identityGovernance). */
const OPERATION = `${ROOT}/operations/{longRunningOperation%2Did}{?%24expand,%24select}`;
const ALERT = `${ROOT}/alerts/{unifiedRoleManagementAlert%2Did}{?%24expand,%24select}`;
const ALERTS = `${ROOT}/alerts{?%24count,%24expand,%24filter,%24orderby,%24search,%24select,%24skip,%24top}`;
const REFRESH = `${ROOT}/alerts/{unifiedRoleManagementAlert%2Did}/refresh`;

function request(method: HttpMethod, template: string, path: Record<string, string> = {}): RequestInformation {
  const info = new RequestInformation(method, template, path);
  info.headers.tryAdd('Accept', 'application/json');
  return info;
}

for (const tls of TRANSPORTS) {
  describe(`@microsoft/msgraph-beta-sdk (Kiota adapter) over ${transportName(tls)}`, () => {
    let server: ClientServer;
    let adapter: GraphBetaRequestAdapter;

    before(async () => {
      server = await startClientServer({ tls });
      const token = await server.userToken(ADMIN.upn, ADMIN.password);
      adapter = new GraphBetaRequestAdapter(staticTokenProvider(token), undefined, undefined, graphHttpClient(server, 'beta'));
      adapter.baseUrl = `${server.url}/beta`; // always set explicitly (docs/compatibility.md)
    });
    after(() => server.close());

    const alert = alertId('TooManyGlobalAdminsAssignedToTenantAlert');

    it('refreshes an alert and reads refresh:{alertId} (colon percent-encoded by the client) to succeeded', async () => {
      const refresh = request(HttpMethod.POST, REFRESH, { 'unifiedRoleManagementAlert%2Did': alert });
      const headers = inspectHeaders();
      refresh.addRequestOptions([headers]);
      await adapter.sendNoResponseContent(refresh, ERRORS);
      const location = headerOf(headers, 'Location');
      assert.ok(location?.endsWith(`/operations/refresh:${alert}`), location);

      const operationId = `refresh:${alert}`;
      const sent: string[] = [];
      const op = await eventually(async () => {
        const info = request(HttpMethod.GET, OPERATION, { 'longRunningOperation%2Did': operationId });
        sent.push(info.URL);
        const o = await adapter.send<LongRunningOperation>(info, createLongRunningOperationFromDiscriminatorValue, ERRORS);
        assert.ok(o?.status, 'status parsed to the beta enum');
        return o.status === LongRunningOperationStatusObject.Succeeded ? o : undefined;
      });
      assert.ok(sent[0]!.includes(`/operations/refresh%3A${encodeURIComponent(alert)}`), sent[0]);
      assert.equal(op.id, operationId);
      assert.ok(op.createdDateTime instanceof Date && !Number.isNaN(op.createdDateTime.getTime()));
      assert.ok(op.lastActionDateTime instanceof Date && !Number.isNaN(op.lastActionDateTime.getTime()));
      assert.equal(op.resourceLocation, `${server.url}/beta/identityGovernance/roleManagementAlerts/alerts/${alert}`);

      // resourceLocation, read with the beta alert model.
      const info = request(HttpMethod.GET, ALERT, { 'unifiedRoleManagementAlert%2Did': alert });
      const read = await adapter.send<UnifiedRoleManagementAlert>(info, createUnifiedRoleManagementAlertFromDiscriminatorValue, ERRORS);
      assert.equal(read?.id, alert);
      assert.equal(read?.scopeId, '/');
      assert.ok(read?.lastScannedDateTime instanceof Date);
    });

    it('lists the alerts with the scope filter', async () => {
      const info = request(HttpMethod.GET, ALERTS);
      info.queryParameters['%24filter'] = "scopeId eq '/' and scopeType eq 'DirectoryRole'";
      const list = await adapter.send<UnifiedRoleManagementAlertCollectionResponse>(
        info,
        createUnifiedRoleManagementAlertCollectionResponseFromDiscriminatorValue,
        ERRORS,
      );
      assert.ok((list?.value?.length ?? 0) >= 7, `${list?.value?.length} alerts`);
      assert.ok(list!.value!.every((a) => typeof a.isActive === 'boolean' && typeof a.incidentCount === 'number'));
    });

    it('errors surface as the beta ODataError with the Graph code', async () => {
      const missing = request(HttpMethod.GET, OPERATION, { 'longRunningOperation%2Did': 'refresh:DirectoryRole_nope' });
      await assert.rejects(adapter.send(missing, createLongRunningOperationFromDiscriminatorValue, ERRORS), (e: unknown) => {
        const err = e as ODataError;
        assert.equal(err.responseStatusCode, 404);
        assert.equal(err.errorEscaped?.code, 'itemNotFound');
        assert.match(err.errorEscaped?.message ?? '', /refresh:DirectoryRole_nope/);
        return true;
      });
      const unfiltered = request(HttpMethod.GET, ALERTS);
      await assert.rejects(
        adapter.send(unfiltered, createUnifiedRoleManagementAlertCollectionResponseFromDiscriminatorValue, ERRORS),
        (e: unknown) => {
          assert.equal((e as ODataError).responseStatusCode, 400);
          assert.equal((e as ODataError).errorEscaped?.code, 'BadRequest');
          return true;
        },
      );
    });
  });
}
