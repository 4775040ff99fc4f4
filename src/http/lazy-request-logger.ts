import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, LogFn } from 'pino';

/**
 * Fastify makes a child logger (bound to the request id) for every request before any hook
 * runs; pino's `child()` serialises its bindings at once. Most requests never log through it
 * (the one request line is written by graph/request-log.ts), so this stand-in makes the child
 * only when a line is first written at an enabled level. What is logged is unchanged.
 */
export function lazyRequestLogger(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyRequestLogger(parent, bindings, options);
}

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
/** pino's numeric levels; `silent` (absent here) is above them all. */
const LEVELS: Record<Level, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

class LazyRequestLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get #logger(): FastifyBaseLogger {
    return (this.#child ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.#child?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.#logger.level = level;
  }

  fatal: LogFn = (...args: Parameters<LogFn>) => this.#write('fatal', args);
  error: LogFn = (...args: Parameters<LogFn>) => this.#write('error', args);
  warn: LogFn = (...args: Parameters<LogFn>) => this.#write('warn', args);
  info: LogFn = (...args: Parameters<LogFn>) => this.#write('info', args);
  debug: LogFn = (...args: Parameters<LogFn>) => this.#write('debug', args);
  trace: LogFn = (...args: Parameters<LogFn>) => this.#write('trace', args);
  silent: LogFn = () => undefined;

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.#logger.child(bindings, options);
  }

  #write(level: Level, args: Parameters<LogFn>): void {
    // Below the threshold nothing is written, so no child is needed to find that out.
    if (this.#child === undefined && LEVELS[level] < (LEVELS[this.level as Level] ?? Infinity)) return;
    this.#logger[level](...args);
  }
}
