import type { Config } from '../../config/config.js';
import { Executor } from '../../operations/executor.js';
import { HandlerRegistry } from '../../operations/handler.js';
import { alertScanCompanions, executorParts } from '../../service.js';
import { systemClock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { openStore } from '../../storage/open.js';
import { CliError } from '../exit.js';
import { onShutdownSignal } from '../signals.js';
import { redactDbUrl } from './serve.js';

/** `longrun worker`: the executor alone. */
export async function worker(config: Config, logger: Logger): Promise<void> {
  if (config.concurrency === 0) throw new CliError('worker: --concurrency must be at least 1', 2);
  const { store } = await openStore(config.db).catch((e: Error) => {
    throw new CliError(`cannot open the database ${redactDbUrl(config.db)}: ${e.message}`);
  });
  const parts = executorParts(config.extensions);
  const executor: Executor = new Executor({
    store,
    clock: systemClock,
    logger: logger.child({ component: 'executor' }),
    handlers: new HandlerRegistry(parts.handlers),
    onTerminal: parts.onTerminal,
    concurrency: config.concurrency,
    leaseMs: config.leaseMs,
    retentionMs: config.retentionMs,
    companions: alertScanCompanions({ config, store, clock: systemClock, logger }, () => executor.notify()),
  });
  executor.start();
  process.stdout.write(`longrun worker ${executor.workerId} running ${config.concurrency} at once on ${redactDbUrl(config.db)}\n`);
  onShutdownSignal(logger, async () => {
    await executor.stop(10_000);
    await store.close();
  });
}
