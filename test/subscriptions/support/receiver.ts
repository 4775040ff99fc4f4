/**
 * A real notification endpoint for the tests: node:http on 127.0.0.1 with a free port. It
 * answers Graph's validation request as told, records every notification, and answers them with
 * the statuses it is given (202 once they run out), or holds them until released.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ValidationMode = 'echo' | 'status500' | 'mismatch' | 'json' | 'hang';

export interface ReceivedNotification {
  at: number;
  body: any;
}

export class Receiver {
  validation: ValidationMode = 'echo';
  readonly validationTokens: string[] = [];
  readonly notifications: ReceivedNotification[] = [];
  /** Answers for the next notification POSTs, in order; 202 when empty. 'hold' keeps the request open. */
  readonly answers: Array<number | 'hold'> = [];
  readonly #held: ServerResponse[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path = '/hook'): Promise<Receiver> {
    // eslint-disable-next-line prefer-const -- assigned after the server (whose handler reads it) exists
    let self: Receiver | undefined;
    const server = createServer((req, res) => void self!.#handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new Receiver(server, `http://127.0.0.1:${port}${path}`);
    return self;
  }

  /** Notifications that reached the endpoint (held ones included). */
  get count(): number {
    return this.notifications.length;
  }

  /** Answers every held request with `status`. */
  release(status = 202): void {
    for (const res of this.#held.splice(0)) if (!res.writableEnded && !res.destroyed) res.writeHead(status).end();
  }

  async close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://receiver');
    const token = url.searchParams.get('validationToken');
    if (token !== null) {
      this.validationTokens.push(token);
      switch (this.validation) {
        case 'echo':
          return void res.writeHead(200, { 'content-type': 'text/plain' }).end(token);
        case 'status500':
          return void res.writeHead(500).end();
        case 'mismatch':
          return void res.writeHead(200, { 'content-type': 'text/plain' }).end(`${token}-not`);
        case 'json':
          return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(token));
        case 'hang':
          this.#held.push(res);
          return;
      }
    }
    this.notifications.push({ at: Date.now(), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
    const answer = this.answers.shift() ?? 202;
    if (answer === 'hold') this.#held.push(res);
    else res.writeHead(answer).end();
  }
}

/** Polls `check` until it holds or the deadline passes (no fixed sleeps). */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
