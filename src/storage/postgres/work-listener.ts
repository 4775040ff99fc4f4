import pg from 'pg';
import type { PostgresOptions } from './postgres-database.js';

/** The channel the operations trigger notifies when work becomes claimable. */
export const WORK_CHANNEL = 'longrun_work';

/** The channel the operations trigger notifies, with the id, when an operation ends (migration 0005). */
export const DONE_CHANNEL = 'longrun_done';

/**
 * Holds one dedicated connection that LISTENs for new work and calls `listener` on each
 * notification. The connection is re-established (with backoff) when the server goes away;
 * after a reconnect `listener` is called once, since notifications sent meanwhile were lost.
 */
export function listenForWork(options: PostgresOptions, listener: () => void): Promise<() => Promise<void>> {
  return listenOn(options, WORK_CHANNEL, () => listener(), listener);
}

/**
 * Holds one dedicated connection that LISTENs on `channel`: `onNotification` gets each payload,
 * `onConnected` runs after every (re)connection, since notifications sent while disconnected
 * were lost. Reconnects with backoff. Returns a function that stops listening.
 */
export async function listenOn(
  options: PostgresOptions,
  channel: string,
  onNotification: (payload: string) => void,
  onConnected: () => void,
): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const connect = async (delayMs: number): Promise<void> => {
    if (stopped) return;
    const c = new pg.Client({
      connectionString: options.connectionString,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    c.on('notification', (n) => onNotification(n.payload ?? ''));
    c.on('error', () => undefined);
    c.on('end', () => {
      if (stopped) return;
      client = undefined;
      schedule(Math.min(delayMs * 2, 5_000));
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      client = c;
      onConnected();
    } catch {
      await c.end().catch(() => undefined);
      schedule(Math.min(delayMs * 2, 5_000)); // the server is not back yet: try again later
    }
  };
  const schedule = (delayMs: number) => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => void connect(delayMs), delayMs);
    retryTimer.unref();
  };

  await connect(100);
  return async () => {
    stopped = true;
    clearTimeout(retryTimer);
    await client?.end().catch(() => undefined);
  };
}
