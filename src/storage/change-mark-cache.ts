import type { SqlDatabase } from './sql.js';

interface Entry<V> {
  value: V;
  mark: string;
  readAt: number;
}

/**
 * Read-through memory for the look-ups every polling request repeats, kept for at most `ttlMs`
 * and only while the database reports no write at all since the value was read
 * (`SqlDatabase.changeMark`: this node's writes, and on SQLite any other process's commit). So
 * the database stays the source of truth: any write, anywhere, makes the next look-up read it
 * again. Backends that cannot tell cheaply (PostgreSQL, where other nodes write without this
 * process knowing) always read. Values are frozen: callers share them.
 */
export class ChangeMarkCache<V extends object> {
  readonly #entries = new Map<string, Entry<V>>();

  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 1000,
    private readonly capacity = 10_000,
  ) {}

  async read(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
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
