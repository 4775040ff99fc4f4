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
  readonly pollReplays = new Counter({
    name: 'longrun_poll_replays_total',
    help: 'Status polls answered again from memory (nothing written since the same answer was computed; docs/architecture.md).',
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
    // Process figures a soak run watches (bench/soak.mjs). Read when scraped; nothing runs between scrapes.
    new Gauge({
      name: 'longrun_process_resident_memory_bytes',
      help: 'Resident set size of this process.',
      registers: [this.registry],
      collect() {
        this.set(process.memoryUsage.rss());
      },
    });
    new Gauge({
      name: 'longrun_process_heap_used_bytes',
      help: 'V8 heap in use by this process.',
      registers: [this.registry],
      collect() {
        this.set(process.memoryUsage().heapUsed);
      },
    });
    new Gauge({
      name: 'longrun_process_active_resources',
      help: 'Resources keeping the event loop alive (sockets, timers, handles): process.getActiveResourcesInfo().',
      registers: [this.registry],
      collect() {
        this.set(process.getActiveResourcesInfo().length);
      },
    });
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

  /** Password verifications: running and waiting now, and refused since start (verification-gate.ts). */
  watchPasswordVerifications(gate: { running: number; queued: number; refused: number }): void {
    new Gauge({
      name: 'longrun_password_verifications',
      help: 'Password and client-secret verifications (argon2id), by state: running or queued.',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        this.set({ state: 'running' }, gate.running);
        this.set({ state: 'queued' }, gate.queued);
      },
    });
    new Counter({
      name: 'longrun_password_verifications_refused_total',
      help: 'Sign-ins answered 429 (AADSTS50196) because every verification slot and place in line was taken.',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(gate.refused);
      },
    });
  }
}
