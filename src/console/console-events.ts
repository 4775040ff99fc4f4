import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { OperationSummary, TenantOperationFilter, TenantOperationsRepository } from '../storage/tenant-operations-repository.js';

/** How often a stream polls the store for changed rows. */
export const POLL_MS = 500;
/** Rows whose last action is this much older than the newest seen are read again (late commits, clock skew between nodes). */
export const LOOKBACK_MS = 5000;
/** A poll that returns this many rows tells the page to reload its list instead (a burst). */
export const BATCH_LIMIT = 500;
const KEEPALIVE_MS = 15_000;

export interface EventStreamOptions {
  repo: TenantOperationsRepository;
  filter: TenantOperationFilter;
  clock: Clock;
  logger: Logger;
  /** Token expiry, epoch ms: the stream sends `expired` and ends then. */
  expiresAt: number;
  /** Start of the changes to send (the page passes the `asOf` of the list it shows). */
  since: number;
  pollMs?: number;
  /** Adds display fields (the target user's name) to a row before it is sent. */
  label?: (row: OperationSummary) => Promise<object>;
}

/**
 * One server-sent-events stream of operation changes for a tenant. It polls the store (not the
 * executor), so changes made by workers in other processes or on other nodes are seen too.
 * Events: `operation` (an OperationSummary whose run, status or last action changed),
 * `resync` (too many changes at once: reload the list), `expired` (the token expired; the
 * stream ends). Each row is sent once per change: a map remembers what was sent.
 */
export class OperationEventStream {
  readonly #o: EventStreamOptions;
  readonly #reply: FastifyReply;
  readonly #sent = new Map<string, string>();
  #cursor: number;
  #timer: NodeJS.Timeout | undefined;
  #keepalive: NodeJS.Timeout | undefined;
  #polling = false;
  #closed = false;
  onClose: (() => void) | undefined;

  constructor(request: FastifyRequest, reply: FastifyReply, options: EventStreamOptions) {
    this.#o = options;
    this.#reply = reply;
    this.#cursor = options.since;
    reply.hijack();
    const headers: Record<string, string | number | string[]> = {};
    for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) headers[k] = v;
    reply.raw.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    reply.raw.write(`retry: 2000\n: connected\n\n`);
    request.raw.on('close', () => this.close());
    this.#timer = setInterval(() => void this.poll(), options.pollMs ?? POLL_MS);
    this.#keepalive = setInterval(() => this.#write(': keepalive\n\n'), KEEPALIVE_MS);
    void this.poll();
  }

  async poll(): Promise<void> {
    if (this.#polling || this.#closed) return;
    this.#polling = true;
    try {
      if (this.#o.clock.now() >= this.#o.expiresAt) {
        this.#write(`event: expired\ndata: {"message":"The access token expired. Sign in again."}\n\n`);
        this.close();
        return;
      }
      const rows = await this.#o.repo.changedSince(this.#o.filter, this.#cursor - LOOKBACK_MS, BATCH_LIMIT);
      if (this.#closed) return;
      if (rows.length >= BATCH_LIMIT) {
        this.#sent.clear();
        this.#cursor = Math.max(this.#cursor, rows[rows.length - 1]!.lastActionAt);
        this.#write(`event: resync\ndata: {}\n\n`);
        return;
      }
      for (const row of rows) await this.#send(row);
      this.#prune();
    } catch (err) {
      this.#o.logger.warn({ err }, 'console event stream poll failed');
    } finally {
      this.#polling = false;
    }
  }

  async #send(row: OperationSummary): Promise<void> {
    const signature = `${row.run}:${row.status}:${row.lastActionAt}:${row.attempts}`;
    if (this.#sent.get(row.id) === signature) return;
    this.#sent.set(row.id, signature);
    this.#cursor = Math.max(this.#cursor, row.lastActionAt);
    const data = this.#o.label ? await this.#o.label(row) : row;
    this.#write(`event: operation\nid: ${row.lastActionAt}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Forgets rows that fell out of the look-back window: they will not be read again. */
  #prune(): void {
    const horizon = this.#cursor - 2 * LOOKBACK_MS;
    for (const [id, signature] of this.#sent) {
      const at = Number(signature.split(':')[2]);
      if (at < horizon) this.#sent.delete(id);
    }
  }

  #write(chunk: string): void {
    if (this.#closed || this.#reply.raw.destroyed) return;
    this.#reply.raw.write(chunk);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    clearInterval(this.#keepalive);
    if (!this.#reply.raw.destroyed) this.#reply.raw.end();
    this.onClose?.();
  }
}
