import { entraErrors } from './entra-errors.js';
import type { VerifySecret } from './password-sign-in.js';

/** Password and client-secret verifications (argon2id) one process runs at once, by default. */
export const DEFAULT_PASSWORD_VERIFICATIONS = 4;
/** Verifications that may wait for a slot; beyond them a request is refused at once. */
export const DEFAULT_PASSWORD_QUEUE = 32;
/**
 * Verifications one hash may have waiting while every slot is busy. The key is the stored hash,
 * so a flood aimed at one account (or one application's secret) cannot fill the line, and
 * neither can one of unknown usernames: they all verify against one stand-in hash
 * (password-sign-in.ts). Other users keep places in line, so they wait a little, not forever.
 */
export const VERIFICATIONS_PER_ACCOUNT = 2;

/** Raised when a verification is refused: every slot and queue place is taken, or its account's share is. */
export class VerificationRefused extends Error {
  constructor(readonly reason: 'busy' | 'account') {
    super(reason === 'busy' ? 'every password verification slot is taken' : "the account's share of verifications is taken");
    this.name = 'VerificationRefused';
  }
}

export interface VerificationGateOptions {
  concurrency?: number;
  queue?: number;
  /** Places in line one account may hold. */
  perAccount?: number;
  /** Slots one account may run at once; default half the slots, rounded up. */
  runningPerAccount?: number;
}

/**
 * A semaphore with a short line in front of argon2id, so a flood of wrong passwords cannot make
 * the server hash at will: at most `concurrency` run, `queue` wait, and the rest are refused at
 * once (the caller answers with Entra's throttling answer). Fairness per account (the key is the
 * stored hash): one account runs at most `runningPerAccount` at once (half the slots by default)
 * and holds at most `perAccount` places in line, so a flood aimed at one account, or at unknown
 * names, leaves slots and places to everyone else. Smart lockout is checked before a
 * verification is asked for, so a locked account costs nothing here.
 */
export class VerificationGate {
  readonly #concurrency: number;
  readonly #queueLimit: number;
  readonly #perAccount: number;
  readonly #runningPerAccount: number;
  /** In arrival order; a freed slot goes to the first whose account is under its running share. */
  readonly #waiting: { accountKey: string; start: () => void }[] = [];
  readonly #waitingByAccount = new Map<string, number>();
  readonly #runningByAccount = new Map<string, number>();
  #running = 0;
  #refused = 0;

  constructor(options: VerificationGateOptions = {}) {
    this.#concurrency = options.concurrency ?? DEFAULT_PASSWORD_VERIFICATIONS;
    this.#queueLimit = options.queue ?? DEFAULT_PASSWORD_QUEUE;
    this.#perAccount = options.perAccount ?? VERIFICATIONS_PER_ACCOUNT;
    this.#runningPerAccount = options.runningPerAccount ?? Math.ceil(this.#concurrency / 2);
  }

  /** Verifications running now. */
  get running(): number {
    return this.#running;
  }

  /** Verifications waiting for a slot now. */
  get queued(): number {
    return this.#waiting.length;
  }

  /** Verifications refused since start. */
  get refused(): number {
    return this.#refused;
  }

  /**
   * Runs `verify` at once when a slot is free and the account is under its running share;
   * otherwise waits in line, if the line has room and the account has fewer than its share
   * waiting; otherwise throws `VerificationRefused` at once.
   */
  async run<T>(accountKey: string, verify: () => Promise<T>): Promise<T> {
    if (this.#canStart(accountKey)) this.#start(accountKey);
    else await this.#waitInLine(accountKey);
    try {
      return await verify();
    } finally {
      this.#finish(accountKey);
    }
  }

  #canStart(accountKey: string): boolean {
    return this.#running < this.#concurrency && (this.#runningByAccount.get(accountKey) ?? 0) < this.#runningPerAccount;
  }

  #start(accountKey: string): void {
    this.#running++;
    bump(this.#runningByAccount, accountKey, 1);
  }

  #finish(accountKey: string): void {
    this.#running--;
    bump(this.#runningByAccount, accountKey, -1);
    const next = this.#waiting.findIndex((w) => this.#canStart(w.accountKey));
    if (next >= 0) {
      const [waiter] = this.#waiting.splice(next, 1);
      bump(this.#waitingByAccount, waiter!.accountKey, -1);
      this.#start(waiter!.accountKey);
      waiter!.start();
    }
  }

  async #waitInLine(accountKey: string): Promise<void> {
    if ((this.#waitingByAccount.get(accountKey) ?? 0) >= this.#perAccount) this.#refuse('account');
    if (this.#waiting.length >= this.#queueLimit) this.#refuse('busy');
    bump(this.#waitingByAccount, accountKey, 1);
    await new Promise<void>((start) => this.#waiting.push({ accountKey, start }));
  }

  #refuse(reason: VerificationRefused['reason']): never {
    this.#refused++;
    throw new VerificationRefused(reason);
  }
}

/** Adds `by` to a count, deleting it at zero so the map holds only accounts with something in flight. */
function bump(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}

/** Seconds a refused sign-in is told to wait (`Retry-After`): a slot frees within one argon2id run. */
export const VERIFICATION_RETRY_AFTER_SECONDS = 1;

/** `verify` behind the gate, keyed by the hash; a refusal becomes Entra's throttling answer (AADSTS50196, 429). */
export function gatedVerifySecret(gate: VerificationGate, verify: VerifySecret): VerifySecret {
  return async (hash, clear) => {
    try {
      return await gate.run(hash, () => verify(hash, clear));
    } catch (e) {
      if (e instanceof VerificationRefused) throw entraErrors.throttled(VERIFICATION_RETRY_AFTER_SECONDS);
      throw e;
    }
  };
}
