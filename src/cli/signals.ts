import type { Logger } from '../shared/logger.js';

/** On SIGTERM/SIGINT: run `shutdown` once, then exit 0 (1 if it failed). A second signal exits at once. */
export function onShutdownSignal(logger: Logger, shutdown: () => Promise<void>): void {
  let called = false;
  const handler = (signal: NodeJS.Signals) => {
    if (called) process.exit(1);
    called = true;
    logger.info({ signal }, 'shutting down');
    shutdown().then(
      () => {
        logger.info('stopped');
        logger.flush?.();
        process.exit(0);
      },
      (e: unknown) => {
        logger.error({ err: e }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
