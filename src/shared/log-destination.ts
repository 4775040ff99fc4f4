import { pino } from 'pino';

type SonicBoom = ReturnType<typeof pino.destination>;

/** Pending log text is handed on once it reaches this size… */
const FLUSH_BYTES = 16 * 1024;
/** …or this long after its first line, whichever comes first. */
const FLUSH_AFTER_MS = 50;

/**
 * Standard output for the CLI's logs, written in batches: under load every request logs a line,
 * and one `write(2)` per line cost the serve process about a tenth of its CPU (issue #16). Lines
 * are gathered for at most 50 ms or 16 KiB, then handed to pino's asynchronous destination
 * (sonic-boom, which copes with slow pipes). What is pending when the process exits (also after
 * an uncaught exception) is written synchronously; only a SIGKILL can lose the last 50 ms.
 */
export class BatchedLogDestination {
  #pending = '';
  #timer: NodeJS.Timeout | undefined;
  readonly #flushPending = () => {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    const text = this.#pending;
    this.#pending = '';
    if (text) this.sink.write(text);
  };

  constructor(private readonly sink: SonicBoom = pino.destination({ dest: 1, sync: false })) {
    process.once('exit', () => this.flushSync());
  }

  write(line: string): boolean {
    this.#pending += line;
    if (this.#pending.length >= FLUSH_BYTES) this.#flushPending();
    else if (!this.#timer) this.#timer = setTimeout(this.#flushPending, FLUSH_AFTER_MS).unref();
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
