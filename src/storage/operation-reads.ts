import { ChangeMarkCache } from './change-mark-cache.js';
import type { ShownOperation } from './operation-rows.js';
import type { OperationsRepository } from './operations-repository.js';
import type { SqlDatabase } from './sql.js';

/**
 * The operation a status poll reads (`GET …/operations/{id}`), served from memory while the
 * database reports no write (ChangeMarkCache): polls of an operation nothing is changing cost no
 * query; the executor's or any other process's write makes the next poll read it again.
 */
export class OperationReads {
  readonly #cache: ChangeMarkCache<ShownOperation>;

  constructor(
    db: SqlDatabase,
    private readonly operations: OperationsRepository,
    now: () => number = Date.now,
    ttlMs = 1000,
  ) {
    this.#cache = new ChangeMarkCache(db, now, ttlMs);
  }

  /** As OperationsRepository.getShown. */
  getShown(id: string): Promise<ShownOperation | undefined> {
    return this.#cache.read(id, () => this.operations.getShown(id));
  }
}
