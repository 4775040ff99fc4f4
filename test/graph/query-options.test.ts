/**
 * Query options as Graph parses them (docs/odata.md, "Query options"): `$expand` on an
 * operation, `$select=*`, the roleManagementAlerts singleton, and the segment v1.0 lacks.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { appToken, buildHarness, get, guid, insertPasswordReset, PUBLIC_URL, TENANT_A, userA, type Harness } from '../support/graph.js';

const PARSE = 'Parsing OData Select and Expand failed: ';
const LRO = 'microsoft.graph.longRunningOperation';

describe('query options', () => {
  let h: Harness;
  let token: string;
  const target = userA('target').id;
  const RESET = guid(91);
  const opUrl = `/v1.0/users/${target}/authentication/operations/${RESET}`;
  before(async () => {
    h = await buildHarness();
    token = await appToken(h, 'least');
    await insertPasswordReset(h, RESET, target, TENANT_A);
  });
  after(() => h.close());

  it('$expand of a structural property of an operation: 400 with OData’s words', async () => {
    for (const url of [`${opUrl}?$expand=status`, `${opUrl}?$select=id&$expand=status`]) {
      const res = await get(h, url, token);
      assert.equal(res.status, 400, res.raw);
      assert.equal(res.body.error.code, 'BadRequest');
      assert.equal(
        res.body.error.message,
        `${PARSE}Property 'status' on type '${LRO}' is not a navigation property or complex property. Only navigation properties can be expanded.`,
      );
    }
  });

  it('$expand of an unknown name is "could not find a property"; on the list too; `*` expands nothing', async () => {
    for (const url of [`${opUrl}?$expand=owner`, `/v1.0/users/${target}/authentication/operations?expand=owner`]) {
      const res = await get(h, url, token);
      assert.equal(res.status, 400, res.raw);
      assert.equal(res.body.error.message, `${PARSE}Could not find a property named 'owner' on type '${LRO}'.`);
    }
    const all = await get(h, `${opUrl}?$expand=*`, token);
    assert.equal(all.status, 200, all.raw);
    assert.equal(all.body['@odata.context'], `${PUBLIC_URL}/v1.0/$metadata#users('${target}')/authentication/operations/$entity`);
  });

  it('$expand of an alert property that is not a navigation property', async () => {
    const res = await get(h, '/beta/identityGovernance/roleManagementAlerts/alerts?$expand=isActive', await appToken(h, 'least'));
    assert.equal(res.status, 400, res.raw);
    assert.equal(
      res.body.error.message,
      `${PARSE}Property 'isActive' on type 'microsoft.graph.unifiedRoleManagementAlert' is not a navigation property or complex property. Only navigation properties can be expanded.`,
    );
  });

  it('$select=*: every property, `*` in the context URL', async () => {
    const op = await get(h, `${opUrl}?$select=*`, token);
    assert.equal(op.status, 200, op.raw);
    assert.equal(op.body['@odata.context'], `${PUBLIC_URL}/v1.0/$metadata#users('${target}')/authentication/operations(*)/$entity`);
    assert.deepEqual(Object.keys(op.body), [
      '@odata.context',
      'id',
      'createdDateTime',
      'lastActionDateTime',
      'resourceLocation',
      'status',
      'statusDetail',
    ]);
    const user = await get(h, `/v1.0/users/${target}?$select=*`, token);
    assert.equal(user.status, 200, user.raw);
    assert.equal(user.body['@odata.context'], `${PUBLIC_URL}/v1.0/$metadata#users(*)/$entity`);
    for (const key of ['accountEnabled', 'createdDateTime', 'userType', 'displayName', 'id']) assert.ok(key in user.body, key);
  });

  it('GET /beta/identityGovernance/roleManagementAlerts: the singleton, with its context', async () => {
    const res = await get(h, '/beta/identityGovernance/roleManagementAlerts', token);
    assert.equal(res.status, 200, res.raw);
    assert.equal(
      res.raw,
      `{"@odata.context":"${PUBLIC_URL}/beta/$metadata#identityGovernance/roleManagementAlerts/$entity","id":"${TENANT_A}"}`,
    );
    const anonymous = await get(h, '/beta/identityGovernance/roleManagementAlerts');
    assert.equal(anonymous.status, 401);
  });

  it('v1.0 has identityGovernance but not roleManagementAlerts: the missing segment is roleManagementAlerts', async () => {
    for (const path of ['roleManagementAlerts', 'roleManagementAlerts/alerts', 'roleManagementAlerts/operations/x']) {
      const res = await get(h, `/v1.0/identityGovernance/${path}`, token);
      assert.equal(res.status, 400, res.raw);
      assert.equal(res.body.error.message, "Resource not found for the segment 'roleManagementAlerts'.");
    }
  });
});
