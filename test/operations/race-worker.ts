// One contender in the claim race: its own thread, its own database connection.
import { parentPort, workerData } from 'node:worker_threads';
import { Executor } from '../../src/operations/executor.js';
import { HandlerRegistry } from '../../src/operations/handler.js';
import { systemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { openStore } from '../../src/storage/open.js';

const { url, barrier, tenantId } = workerData as { url: string; barrier: SharedArrayBuffer; tenantId: string };
const { store } = await openStore(url);
let runs = 0;
const executor = new Executor({
  store,
  clock: systemClock,
  logger: silentLogger(),
  concurrency: 1,
  handlers: new HandlerRegistry([
    {
      kind: 'test.count',
      maxAttempts: 3,
      async run(ctx) {
        runs++;
        return {
          status: 'succeeded',
          apply: (tx) =>
            tx.audit.record(tenantId, {
              at: Date.now(),
              activity: 'race effect',
              targetId: ctx.operation.targetId,
              operationId: ctx.operation.id,
              initiatedBy: '',
            }),
        };
      },
    },
  ]),
});
// Wait until every contender is ready, then claim at the same moment.
const flag = new Int32Array(barrier);
Atomics.add(flag, 1, 1);
Atomics.wait(flag, 0, 0);
const claimed = await executor.claimOnce();
await executor.drain();
await store.close();
parentPort!.postMessage({ claimed, runs });
