/**
 * Every row of every table of a store, as sorted JSON lines per table, so two snapshots can be
 * compared and the difference named (the fuzz test: a refused request changes nothing).
 */
import type { Store } from '../../src/storage/store.js';
import { TEST_BACKEND } from './backends.js';

export type DatabaseSnapshot = Map<string, string[]>;

async function tableNames(store: Store): Promise<string[]> {
  const rows =
    TEST_BACKEND === 'postgres'
      ? await store.sql.query<{ name: string }>(
          `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
        )
      : await store.sql.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`);
  return rows.map((r) => r.name).sort();
}

/** Buffers and bigints as text, so rows compare as JSON. */
const replacer = (_key: string, value: unknown): unknown =>
  typeof value === 'bigint' ? value.toString() : Buffer.isBuffer(value) ? value.toString('base64') : value;

export async function snapshotDatabase(store: Store): Promise<DatabaseSnapshot> {
  const snapshot: DatabaseSnapshot = new Map();
  const tables = await tableNames(store);
  if (TEST_BACKEND === 'postgres') {
    // One round trip for every table: each row as JSON text, grouped by table.
    const union = tables
      .map((t) => `SELECT '${t}' AS t, COALESCE((SELECT array_agg(to_jsonb(x)::text) FROM "${t}" x), '{}') AS rows`)
      .join(' UNION ALL ');
    for (const { t, rows } of await store.sql.query<{ t: string; rows: string[] }>(union)) snapshot.set(t, [...rows].sort());
    return snapshot;
  }
  for (const table of tables) {
    const rows = await store.sql.query<Record<string, unknown>>(`SELECT * FROM "${table}"`);
    snapshot.set(table, rows.map((row) => JSON.stringify(row, replacer)).sort());
  }
  return snapshot;
}

/** The tables whose rows differ between two snapshots, with the rows added and removed. */
export function diffSnapshots(
  before: DatabaseSnapshot,
  after: DatabaseSnapshot,
): Array<{ table: string; added: string[]; removed: string[] }> {
  const changes: Array<{ table: string; added: string[]; removed: string[] }> = [];
  for (const table of new Set([...before.keys(), ...after.keys()])) {
    const was = new Set(before.get(table) ?? []);
    const now = new Set(after.get(table) ?? []);
    const added = [...now].filter((r) => !was.has(r));
    const removed = [...was].filter((r) => !now.has(r));
    if (added.length > 0 || removed.length > 0) changes.push({ table, added, removed });
  }
  return changes;
}
