/**
 * `--metrics-token`: /metrics shows every tenant's counters, so with a token set it answers only
 * `Authorization: Bearer <token>` (compared in constant time); without one it stays open.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCommandLine, testConfig } from '../../src/config/config.js';
import { bearerMatches } from '../../src/ops/metrics-token.js';
import { buildService } from '../../src/service.js';
import { ManualClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { PUBLIC_URL } from '../support/harness.js';
import { testStore } from '../support/store.js';

const TOKEN = 'scrape-4f9c1e7a2b8d6035';

async function withService(
  metricsToken: string | undefined,
  fn: (inject: (headers?: Record<string, string>) => Promise<any>) => Promise<void>,
) {
  const clock = new ManualClock();
  const store = await testStore(() => clock.now());
  const service = await buildService({
    config: testConfig({ concurrency: 0, metricsToken }),
    publicUrl: PUBLIC_URL,
    store,
    clock,
    logger: silentLogger(),
  });
  try {
    await fn((headers = {}) => service.app.fastify.inject({ url: '/metrics', headers }));
  } finally {
    await service.app.fastify.close();
    await store.close();
  }
}

describe('/metrics token', () => {
  it('without --metrics-token, /metrics is open and shows the process gauges', async () => {
    await withService(undefined, async (inject) => {
      const res = await inject();
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /^longrun_process_resident_memory_bytes \d+$/m);
      assert.match(res.body, /^longrun_process_heap_used_bytes \d+$/m);
      assert.match(res.body, /^longrun_process_active_resources \d+$/m);
      assert.match(res.body, /^longrun_password_verifications\{state="running"\} 0$/m);
      assert.match(res.body, /^longrun_password_verifications_refused_total 0$/m);
    });
  });

  it('with --metrics-token, only the right bearer token is answered', async () => {
    await withService(TOKEN, async (inject) => {
      for (const authorization of [undefined, 'Bearer', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN]) {
        const res = await inject(authorization === undefined ? {} : { authorization });
        assert.equal(res.statusCode, 401, `authorization: ${authorization}`);
        assert.equal(res.json().error.code, 'InvalidAuthenticationToken');
        assert.match(String(res.headers['www-authenticate']), /^Bearer /);
        assert.doesNotMatch(res.body, /longrun_/);
      }
      const ok = await inject({ authorization: `Bearer ${TOKEN}` });
      assert.equal(ok.statusCode, 200);
      assert.match(ok.body, /^longrun_queue_depth 0$/m);
    });
  });

  it('bearerMatches compares the whole token, whatever its length', () => {
    assert.equal(bearerMatches(`Bearer ${TOKEN}`, TOKEN), true);
    assert.equal(bearerMatches(`bearer ${TOKEN}`, TOKEN), true);
    assert.equal(bearerMatches(`Bearer ${TOKEN} extra`, TOKEN), false);
    assert.equal(bearerMatches('Bearer ', TOKEN), false);
    assert.equal(bearerMatches(undefined, TOKEN), false);
  });

  it('is set by flag or LONGRUN_METRICS_TOKEN, and a short token is refused', () => {
    assert.equal(parseCommandLine(['--metrics-token', TOKEN], {}).config.metricsToken, TOKEN);
    assert.equal(parseCommandLine([], { LONGRUN_METRICS_TOKEN: TOKEN }).config.metricsToken, TOKEN);
    assert.equal(parseCommandLine([], {}).config.metricsToken, undefined);
    assert.throws(() => parseCommandLine([], { LONGRUN_METRICS_TOKEN: 'short' }), /LONGRUN_METRICS_TOKEN: expected at least 16 characters/);
  });
});
