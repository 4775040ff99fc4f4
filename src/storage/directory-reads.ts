import type { DirectoryUser, Tenant } from '../directory/model.js';
import type { DirectoryRepository } from './directory-repository.js';
import type { SqlDatabase } from './sql.js';

interface Entry {
  value: Tenant | DirectoryUser;
  mark: string;
  readAt: number;
}

/**
 * The tenant and user look-ups every Graph request makes (the token's tenant, the path's user),
 * kept in memory for at most `ttlMs` and only while the database reports no write at all since
 * they were read (`SqlDatabase.changeMark`: this node's writes, e.g. an import, and on SQLite
 * any other process's commit). So the database stays the source of truth: any write, anywhere,
 * makes the next look-up read it again. Backends that cannot tell cheaply (PostgreSQL, where
 * other nodes write without this process knowing) always read. Values are frozen: shared.
 */
export class DirectoryReads {
  readonly #entries = new Map<string, Entry>();

  constructor(
    private readonly db: SqlDatabase,
    private readonly directory: DirectoryRepository,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 1000,
    private readonly capacity = 10_000,
  ) {}

  /** As DirectoryRepository.findTenant. */
  findTenant(idOrDomain: string): Promise<Tenant | undefined> {
    return this.#read(`t\u0000${idOrDomain}`, () => this.directory.findTenant(idOrDomain)) as Promise<Tenant | undefined>;
  }

  /** As DirectoryRepository.findUser. */
  findUser(tenantId: string, idOrUpn: string): Promise<DirectoryUser | undefined> {
    return this.#read(`u\u0000${tenantId}\u0000${idOrUpn}`, () => this.directory.findUser(tenantId, idOrUpn)) as Promise<
      DirectoryUser | undefined
    >;
  }

  async #read(key: string, load: () => Promise<Tenant | DirectoryUser | undefined>): Promise<Tenant | DirectoryUser | undefined> {
    const mark = this.db.changeMark?.();
    if (mark === undefined) return load();
    const now = this.now();
    const hit = this.#entries.get(key);
    if (hit && hit.mark === mark && now - hit.readAt < this.ttlMs) return hit.value;
    // The mark is taken before the read: a write in between leaves a stale mark, never a stale value.
    const value = await load();
    if (value === undefined) {
      this.#entries.delete(key);
      return undefined;
    }
    if (this.#entries.size >= this.capacity) this.#entries.clear();
    this.#entries.set(key, { value: Object.freeze(value), mark, readAt: now });
    return value;
  }
}
