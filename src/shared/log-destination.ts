import { pino } from 'pino';

type SonicBoom = ReturnType<typeof pino.destination>;

/**
 * Standard output for the CLI's logs, one write per turn of the event loop: the lines logged
 * while the loop serves a burst of requests (one `request` line each) leave in one `write(2)`
 * instead of one each, and nothing waits longer than the current turn. Underneath is pino's
 * asynchronous destination (sonic-boom), which handles slow pipes; what is still pending when
 * the process exits is written synchronously.
 */
export class TurnBatchedDestination {
  #pending = '';
  #scheduled = false;
  readonly #flushPending = () => {
    this.#scheduled = false;
    const text = this.#pending;
    this.#pending = '';
    if (text) this.sink.write(text);
  };

  constructor(private readonly sink: SonicBoom = pino.destination({ dest: 1, sync: false })) {
    process.once('exit', () => this.flushSync());
  }

  write(line: string): boolean {
    this.#pending += line;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flushPending);
    }
    return true;
  }

  /** Hands what is pending to the destination (pino's logger.flush calls this). */
  flush(callback?: (err?: Error) => void): void {
    this.#flushPending();
    this.sink.flush(callback);
  }

  flushSync(): void {
    this.#flushPending();
    this.sink.flushSync();
  }
}
