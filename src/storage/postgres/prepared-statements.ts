/**
 * Which statements PostgreSQL keeps prepared on each connection (named statements). A statement
 * text that has run `PREPARE_AFTER` times on this node is sent by name from then on: the server
 * parses and analyses it once per connection instead of every time (the executor's claim round
 * spent 2–6 ms of its ~10 ms planning). Only texts that repeat get there, and at most
 * `MAX_PREPARED` of them, so statements built for one call (IN lists of every length) do not
 * fill each connection's memory.
 */
export const PREPARE_AFTER = 3;
const MAX_PREPARED = 200;
/** Distinct texts whose uses are counted; beyond it, new texts are converted but not remembered. */
const MAX_TRACKED = 2_000;

export interface Statement {
  /** The text with PostgreSQL's `$n` placeholders. */
  text: string;
  /** Set once the statement is prepared on the connections that run it. */
  name?: string;
}

interface Tracked extends Statement {
  uses: number;
}

/** Converts the port's `?` placeholders to PostgreSQL's `$n` (the SQL never has `?` in literals). */
export function toPositional(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export class PreparedStatements {
  readonly #tracked = new Map<string, Tracked>();
  #named = 0;

  /** What to send for `sql` (counts this use). */
  statement(sql: string): Statement {
    let s = this.#tracked.get(sql);
    if (s === undefined) {
      s = { text: toPositional(sql), uses: 0 };
      if (this.#tracked.size >= MAX_TRACKED) return { text: s.text };
      this.#tracked.set(sql, s);
    }
    if (s.name === undefined && ++s.uses >= PREPARE_AFTER && this.#named < MAX_PREPARED) s.name = `lr_${++this.#named}`;
    return s;
  }
}

/**
 * A prepared statement whose result columns changed under it (another node migrated the schema,
 * adding a column to a `SELECT *`): PostgreSQL refuses it on that connection for good. The
 * connection is then discarded and the statement run again on a fresh one, where it is prepared
 * with the new columns.
 */
export function isStalePlan(e: unknown): boolean {
  return (e as { code?: string }).code === '0A000' && /cached plan must not change result type/.test((e as Error).message ?? '');
}
