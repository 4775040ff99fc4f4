import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from '../shared/clock.js';
import type { Store } from '../storage/store.js';

/** The Prometheus metrics of one process. A registry per process, no globals. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'longrun_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [this.registry],
  });
  readonly operationsFinished = new Counter({
    name: 'longrun_operation_attempts_total',
    help: 'Operation attempts ended by this process, by kind and outcome (succeeded, failed, retry, leaseLost, handedBack).',
    labelNames: ['kind', 'outcome'],
    registers: [this.registry],
  });
  readonly runDuration = new Histogram({
    name: 'longrun_operation_run_seconds',
    help: 'Time from claim to the end of an attempt, by kind.',
    labelNames: ['kind'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(store: Store, clock: Clock) {
    const byStatus = new Gauge({
      name: 'longrun_operations',
      help: 'Operations in the database, by kind and status.',
      labelNames: ['kind', 'status'],
      registers: [this.registry],
      async collect() {
        const stats = await store.operations.statistics(clock.now());
        this.reset();
        for (const r of stats.byKindStatus) this.set({ kind: r.kind, status: r.status }, r.n);
      },
    });
    void byStatus;
    new Gauge({
      name: 'longrun_queue_depth',
      help: 'Operations waiting to be claimed now.',
      registers: [this.registry],
      async collect() {
        this.set((await store.operations.statistics(clock.now())).queueDepth);
      },
    });
  }
}
