import type { DirectoryUser, Tenant } from '../directory/model.js';
import { ChangeMarkCache } from './change-mark-cache.js';
import type { DirectoryRepository } from './directory-repository.js';
import type { SqlDatabase } from './sql.js';

/**
 * The tenant and user look-ups every Graph request makes (the token's tenant, the path's user),
 * served from memory while the database reports no write (ChangeMarkCache).
 */
export class DirectoryReads {
  readonly #cache: ChangeMarkCache<Tenant | DirectoryUser>;

  constructor(
    db: SqlDatabase,
    private readonly directory: DirectoryRepository,
    now: () => number = Date.now,
    ttlMs = 1000,
  ) {
    this.#cache = new ChangeMarkCache(db, now, ttlMs);
  }

  /** As DirectoryRepository.findTenant. */
  findTenant(idOrDomain: string): Promise<Tenant | undefined> {
    return this.#cache.read(`t\u0000${idOrDomain}`, () => this.directory.findTenant(idOrDomain)) as Promise<Tenant | undefined>;
  }

  /** As DirectoryRepository.findUser. */
  findUser(tenantId: string, idOrUpn: string): Promise<DirectoryUser | undefined> {
    return this.#cache.read(`u\u0000${tenantId}\u0000${idOrUpn}`, () => this.directory.findUser(tenantId, idOrUpn)) as Promise<
      DirectoryUser | undefined
    >;
  }
}
