// One worker process for bench/executor-pg.mjs. Started with an IPC channel; protocol:
//   parent -> { system, url, schema, concurrency, queue }   child prepares, then -> { ready: true }
//   parent -> 'go'                                          child starts working
//   parent -> 'report'                                      child -> { ran: [ids its handler ran], cpuMs: its CPU since 'go' }
//   parent disconnects                                      child stops, closes its pool, exits
//
// system:
//   'longrun'      Longrun's Executor (no-op handler, concurrency C) on openStore(url, { schema })
//   'pgboss-fetch' pg-boss fetch({ batchSize: C }) -> no-op per job -> complete(ids), in a tight
//                  loop (no sleep while jobs come back); stops when a fetch returns nothing
//   'pgboss-work'  pg-boss work(queue, { batchSize: C, pollingIntervalSeconds: 0.5 }, async () => {})
//                  (its documented worker API at its minimum polling interval)
let cfg;
let stop = async () => undefined;
/** Every id this process's no-op handler ran, in order: the parent checks none ran twice. */
const ran = [];

process.once('message', async (msg) => {
  cfg = msg;
  try {
    const go = await prepare(cfg);
    let cpuAtGo;
    process.on('message', (m) => {
      if (m === 'go') {
        cpuAtGo = process.cpuUsage();
        go().catch(fail);
      }
      if (m === 'report') {
        const cpu = process.cpuUsage(cpuAtGo);
        process.send({ ran, cpuMs: (cpu.user + cpu.system) / 1000 });
      }
    });
    process.send({ ready: true });
  } catch (e) {
    fail(e);
  }
});

process.on('disconnect', async () => {
  try {
    await stop();
  } catch (e) {
    console.error(`pg-worker (${cfg?.system}): stop failed:`, e);
  }
  process.exit(0);
});

function fail(e) {
  console.error(`pg-worker (${cfg?.system}) failed:`, e);
  process.exit(1);
}

async function prepare({ system, url, schema, concurrency, queue }) {
  if (system === 'longrun') {
    const { openStore } = await import('../../dist/src/storage/open.js');
    const { Executor } = await import('../../dist/src/operations/executor.js');
    const { HandlerRegistry } = await import('../../dist/src/operations/handler.js');
    const { systemClock } = await import('../../dist/src/shared/clock.js');
    const { silentLogger } = await import('../../dist/src/shared/logger.js');
    const { store } = await openStore(url, Date.now, { schema }); // already migrated by the parent: a no-op
    const executor = new Executor({
      store,
      clock: systemClock,
      logger: silentLogger(),
      handlers: new HandlerRegistry([
        {
          kind: 'bench.noop',
          maxAttempts: 3,
          run: async ({ operation }) => (ran.push(operation.id), { status: 'succeeded' }),
        },
      ]),
      concurrency,
    });
    stop = async () => {
      await executor.stop();
      await store.close();
    };
    return async () => executor.start();
  }

  const { default: PgBoss } = await import('pg-boss');
  const boss = new PgBoss({
    connectionString: url,
    schema,
    max: 10, // same pool size as Longrun's PostgresDatabase default
    application_name: process.env.PGAPPNAME, // the parent finds this worker's backends by it (CPU per op)
    migrate: false, // the parent created the schema
    supervise: false, // no maintenance/monitoring loop in workers (the parent owns the schema)
    schedule: false, // no cron
  });
  boss.on('error', (e) => console.error('pg-boss error:', e.message));
  await boss.start();
  let stopping = false;
  let loopDone = Promise.resolve();
  stop = async () => {
    stopping = true;
    await loopDone;
    await boss.stop({ graceful: true, wait: true, timeout: 5_000 });
  };

  if (system === 'pgboss-fetch') {
    return async () => {
      loopDone = (async () => {
        while (!stopping) {
          const jobs = await boss.fetch(queue, { batchSize: concurrency });
          if (!jobs || jobs.length === 0) break; // everything was pre-inserted: nothing left to take
          await Promise.all(jobs.map(async (j) => void ran.push(j.id))); // the no-op "handler", once per job
          await boss.complete(
            queue,
            jobs.map((j) => j.id),
          );
        }
      })();
      await loopDone;
    };
  }
  if (system === 'pgboss-work') {
    return async () => {
      await boss.work(queue, { batchSize: concurrency, pollingIntervalSeconds: 0.5 }, async (jobs) => {
        for (const j of jobs) ran.push(j.id);
      });
    };
  }
  throw new Error(`unknown system '${system}'`);
}
