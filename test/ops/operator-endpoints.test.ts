import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testConfig } from '../../src/config/config.js';
import { buildService } from '../../src/service.js';
import { ManualClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { SQLITE_MIGRATIONS } from '../../src/storage/sqlite/migrations/index.js';
import { PUBLIC_URL } from '../support/harness.js';
import { testStore } from '../support/store.js';

describe('operator endpoints', () => {
  it('healthz, readyz with the schema version, and Prometheus metrics with operations by kind and status', async () => {
    const clock = new ManualClock();
    const store = await testStore(() => clock.now());
    const service = await buildService({
      config: testConfig({ concurrency: 0 }),
      publicUrl: PUBLIC_URL,
      store,
      clock,
      logger: silentLogger(),
    });
    try {
      const inject = service.app.fastify.inject.bind(service.app.fastify);
      assert.deepEqual((await inject('/healthz')).json(), { status: 'ok' });
      assert.deepEqual((await inject('/readyz')).json(), { status: 'ready', schemaVersion: SQLITE_MIGRATIONS.at(-1)!.version });
      await store.operations.insert(
        { id: 'm1', tenantId: 't', kind: 'passwordReset', targetId: 'u', input: {}, maxAttempts: 3 },
        clock.now(),
      );
      await store.operations.insert(
        { id: 'm2', tenantId: 't', kind: 'passwordReset', targetId: 'u', input: {}, maxAttempts: 3 },
        clock.now(),
      );
      await inject('/v1.0/nothing');
      const metrics = await inject('/metrics');
      assert.equal(metrics.statusCode, 200);
      assert.match(metrics.headers['content-type'] as string, /^text\/plain/);
      assert.match(metrics.body, /^longrun_operations\{kind="passwordReset",status="notStarted"\} 2$/m);
      assert.match(metrics.body, /^longrun_queue_depth 2$/m);
      assert.match(metrics.body, /^longrun_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1$/m);
      assert.match(metrics.body, /^longrun_http_requests_total\{method="GET",route="unknown",status="400"\} 1$/m);
    } finally {
      await service.app.fastify.close();
      await store.close();
    }
  });

  it('readyz answers 503 with Retry-After when the database is gone', async () => {
    const clock = new ManualClock();
    const store = await testStore(() => clock.now());
    const service = await buildService({
      config: testConfig({ concurrency: 0 }),
      publicUrl: PUBLIC_URL,
      store,
      clock,
      logger: silentLogger(),
    });
    try {
      await store.close();
      const r = await service.app.fastify.inject('/readyz');
      assert.equal(r.statusCode, 503);
      assert.equal(r.headers['retry-after'], '5');
    } finally {
      await service.app.fastify.close();
    }
  });
});
