import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildControlHarness, DEMO, type ControlHarness } from './support/control-harness.js';
import { controlPost } from './support/control-client.js';

const ALERT = `DirectoryRole_${DEMO.tenantId}_StaleSignInAlert`;
const ALERT_PATH = `/beta/identityGovernance/roleManagementAlerts/alerts/${ALERT}`;

describe('alert refreshes evaluate at tenant time', () => {
  let h: ControlHarness;
  before(async () => {
    h = await buildControlHarness({ config: { concurrency: 4 } });
  });
  after(() => h.close());

  async function refreshedIncidents(): Promise<number> {
    const token = await h.appToken();
    const start = await h.request('POST', `${ALERT_PATH}/refresh`, { token });
    assert.equal(start.status, 202, JSON.stringify(start.body));
    await h.service.executor!.claimOnce();
    await h.service.executor!.drain();
    const alert = await h.request('GET', ALERT_PATH, { token });
    assert.equal(alert.status, 200, JSON.stringify(alert.body));
    return alert.body.incidentCount as number;
  }

  it('moving the clock 400 days ahead makes every privileged sign-in stale', async () => {
    const before = await refreshedIncidents();
    assert.equal((await controlPost(h, '/clock', { advanceSeconds: 400 * 24 * 3600 })).status, 200);
    const after = await refreshedIncidents();
    assert.ok(after > before, `stale sign-in incidents: ${before} before the advance, ${after} after`);
  });
});
