/**
 * The shape of a migrated schema, read from each backend's catalogue and normalised so a
 * SQLite and a PostgreSQL schema can be compared: tables, columns (type family, nullability),
 * primary keys, indexes (columns, uniqueness, partial WHERE), CHECK counts, foreign keys and
 * trigger names. Used by test/storage/schema-parity.test.ts.
 */
import Database from 'better-sqlite3';
import pg from 'pg';

export interface TableShape {
  /** `name type-family [not null]`, in column order. */
  columns: string[];
  primaryKey: string[];
  /** `unique? (columns) where …`, keyed by index name; constraint-backed indexes keyed by their columns. */
  indexes: Record<string, string>;
  checks: number;
  /** `(from) -> table(to) on delete action`, sorted. */
  foreignKeys: string[];
}

export interface SchemaShape {
  tables: Record<string, TableShape>;
  triggers: string[];
}

/** INTEGER/BIGINT → integer, TEXT/VARCHAR → text, …: the families both backends store alike. */
export function typeFamily(declared: string): string {
  const t = declared.toLowerCase();
  if (/int|serial/.test(t)) return 'integer';
  if (/char|text|clob|uuid|json/.test(t)) return 'text';
  if (/real|floa|doub|numeric|decimal/.test(t)) return 'real';
  if (/blob|bytea/.test(t)) return 'blob';
  if (/bool/.test(t)) return 'boolean';
  return t;
}

/** One spelling for SQL fragments: PostgreSQL's `= ANY (ARRAY[…])` and `::text` casts read as SQLite's `IN (…)`. */
export function normaliseSql(sql: string): string {
  return sql
    .replace(/::[a-z ]+(\[\])?/gi, '')
    .replace(/=\s*ANY\s*\(\s*ARRAY\s*\[([^\]]*)\]\s*\)/gi, 'IN ($1)')
    .replace(/[()\s"]/g, '')
    .toLowerCase();
}

/** Splits `CREATE [UNIQUE] INDEX name ON table [USING m] (cols) [WHERE cond]` without a regex on nested parentheses. */
export function parseIndexSql(sql: string): { unique: boolean; columns: string; where: string } {
  const on = sql.search(/\sON\s/i);
  const open = sql.indexOf('(', on);
  let depth = 0;
  let close = open;
  for (let i = open; i < sql.length; i++) {
    if (sql[i] === '(') depth++;
    else if (sql[i] === ')' && --depth === 0) {
      close = i;
      break;
    }
  }
  const rest = sql.slice(close + 1).trim();
  return {
    unique: /^CREATE\s+UNIQUE/i.test(sql),
    columns: normaliseSql(sql.slice(open + 1, close)),
    where: /^WHERE/i.test(rest) ? normaliseSql(rest.slice('WHERE'.length)) : '',
  };
}

const indexText = (i: { unique: boolean; columns: string; where: string }) =>
  `${i.unique ? 'unique ' : ''}(${i.columns})${i.where ? ` where ${i.where}` : ''}`;

const ON_DELETE: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

export function sqliteShape(path: string): SchemaShape {
  const db = new Database(path, { readonly: true });
  try {
    const tables: Record<string, TableShape> = {};
    const rows = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .all() as Array<{
      name: string;
      sql: string;
    }>;
    for (const { name, sql } of rows) {
      const info = db.pragma(`table_info(${name})`) as Array<{ name: string; type: string; notnull: number; pk: number }>;
      const indexes: Record<string, string> = {};
      for (const idx of db.pragma(`index_list(${name})`) as Array<{ name: string; unique: number; origin: string }>) {
        if (idx.origin === 'pk') continue;
        if (idx.origin === 'c') {
          const created = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`).get(idx.name) as { sql: string };
          indexes[idx.name] = indexText(parseIndexSql(created.sql));
        } else {
          const cols = (db.pragma(`index_info(${idx.name})`) as Array<{ name: string }>).map((c) => c.name).join(',');
          indexes[`constraint (${cols})`] = indexText({ unique: idx.unique === 1, columns: cols, where: '' });
        }
      }
      const fks = new Map<number, { table: string; from: string[]; to: string[]; onDelete: string }>();
      for (const fk of db.pragma(`foreign_key_list(${name})`) as Array<{
        id: number;
        table: string;
        from: string;
        to: string;
        on_delete: string;
      }>) {
        const entry = fks.get(fk.id) ?? { table: fk.table, from: [], to: [], onDelete: fk.on_delete.toLowerCase() };
        entry.from.push(fk.from);
        entry.to.push(fk.to);
        fks.set(fk.id, entry);
      }
      tables[name] = {
        columns: info.map((c) => `${c.name} ${typeFamily(c.type)}${c.notnull || c.pk ? ' not null' : ''}`),
        primaryKey: info
          .filter((c) => c.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((c) => c.name),
        indexes,
        checks: (sql.match(/\bCHECK\s*\(/gi) ?? []).length,
        foreignKeys: [...fks.values()].map((f) => `(${f.from.join(',')}) -> ${f.table}(${f.to.join(',')}) on delete ${f.onDelete}`).sort(),
      };
    }
    const triggers = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`).all() as Array<{ name: string }>
    ).map((t) => t.name);
    return { tables, triggers };
  } finally {
    db.close();
  }
}

export async function postgresShape(url: string): Promise<SchemaShape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];
    const tables: Record<string, TableShape> = {};
    const names = await q<{ relname: string; oid: number }>(
      `SELECT c.relname, c.oid FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' ORDER BY c.relname`,
    );
    for (const { relname, oid } of names) {
      const columns = await q<{ attname: string; type: string; attnotnull: boolean }>(
        `SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull FROM pg_attribute
          WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
        [oid],
      );
      const colName = async (attnums: number[]) =>
        Promise.all(
          attnums.map(
            async (n) =>
              (await q<{ attname: string }>(`SELECT attname FROM pg_attribute WHERE attrelid = $1 AND attnum = $2`, [oid, n]))[0]!.attname,
          ),
        );
      const constraints = await q<{
        contype: string;
        conindid: number;
        conkey: number[];
        confkey: number[] | null;
        confrelid: number;
        confdeltype: string;
      }>(
        `SELECT contype, conindid::int, conkey::int[], confkey::int[], confrelid::int, confdeltype FROM pg_constraint WHERE conrelid = $1`,
        [oid],
      );
      const pk = constraints.find((c) => c.contype === 'p');
      const indexes: Record<string, string> = {};
      const idx = await q<{
        indexname: string;
        indexdef: string;
        indexrelid: number;
        indisprimary: boolean;
        indisunique: boolean;
        indkey: string;
      }>(
        `SELECT i.relname AS indexname, pg_get_indexdef(x.indexrelid) AS indexdef, x.indexrelid::int, x.indisprimary, x.indisunique, x.indkey::text
           FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = $1`,
        [oid],
      );
      for (const i of idx) {
        if (i.indisprimary) continue;
        if (constraints.some((c) => c.conindid === i.indexrelid)) {
          const cols = (await colName(i.indkey.split(' ').map(Number))).join(',');
          indexes[`constraint (${cols})`] = indexText({ unique: i.indisunique, columns: cols, where: '' });
        } else {
          indexes[i.indexname] = indexText(parseIndexSql(i.indexdef));
        }
      }
      const foreignKeys: string[] = [];
      for (const fk of constraints.filter((c) => c.contype === 'f')) {
        const target = (await q<{ relname: string }>(`SELECT relname FROM pg_class WHERE oid = $1`, [fk.confrelid]))[0]!.relname;
        const to = await Promise.all(
          (fk.confkey ?? []).map(
            async (n) =>
              (await q<{ attname: string }>(`SELECT attname FROM pg_attribute WHERE attrelid = $1 AND attnum = $2`, [fk.confrelid, n]))[0]!
                .attname,
          ),
        );
        foreignKeys.push(
          `(${(await colName(fk.conkey)).join(',')}) -> ${target}(${to.join(',')}) on delete ${ON_DELETE[fk.confdeltype] ?? fk.confdeltype}`,
        );
      }
      tables[relname] = {
        columns: columns.map((c) => `${c.attname} ${typeFamily(c.type)}${c.attnotnull ? ' not null' : ''}`),
        primaryKey: pk ? await colName(pk.conkey) : [],
        indexes,
        checks: constraints.filter((c) => c.contype === 'c').length,
        foreignKeys: foreignKeys.sort(),
      };
    }
    const triggers = (
      await q<{ tgname: string }>(
        `SELECT DISTINCT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
          WHERE c.relnamespace = current_schema()::regnamespace AND NOT t.tgisinternal ORDER BY t.tgname`,
      )
    ).map((t) => t.tgname);
    return { tables, triggers };
  } finally {
    await client.end();
  }
}
