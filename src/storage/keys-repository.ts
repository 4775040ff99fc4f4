import type { SqlClient } from './sql.js';

export interface StoredSigningKey {
  kid: string;
  privateJwk: string;
  publicJwk: string;
  createdAt: number;
  /** When a rotated key starts signing; undefined for the key created on first use. */
  activatesAt?: number | undefined;
}

interface KeyRow {
  kid: string;
  private_jwk: string;
  public_jwk: string;
  created_at: number;
  activates_at: number | null;
}

const toKey = (row: KeyRow): StoredSigningKey => ({
  kid: row.kid,
  privateJwk: row.private_jwk,
  publicJwk: row.public_jwk,
  createdAt: Number(row.created_at),
  ...(row.activates_at === null ? {} : { activatesAt: Number(row.activates_at) }),
});

/** When a key signs from: its activation time; the key created on first use signs from the start (0). */
const SIGNS_FROM = 'COALESCE(activates_at, 0)';

/** The login authority's RS256 keys, shared by every node through the database. */
export class KeysRepository {
  constructor(private readonly sql: SqlClient) {}

  /**
   * The key that signs at `now`: the latest whose activation has come (all nodes pick the same).
   * Without `now`, the first-use key (whether another node already created one).
   */
  async active(now?: number): Promise<StoredSigningKey | undefined> {
    const row =
      now === undefined
        ? await this.sql.queryOne<KeyRow>(`SELECT * FROM signing_keys WHERE activates_at IS NULL AND retired_at IS NULL LIMIT 1`)
        : await this.sql.queryOne<KeyRow>(
            `SELECT * FROM signing_keys WHERE retired_at IS NULL AND ${SIGNS_FROM} <= ? ORDER BY ${SIGNS_FROM} DESC, kid LIMIT 1`,
            [now],
          );
    return row && toKey(row);
  }

  /** The earliest activation after `now` (when a node must re-read the signing key), if any. */
  async nextActivation(now: number): Promise<number | undefined> {
    const row = await this.sql.queryOne<{ at: number | null }>(`SELECT MIN(activates_at) AS at FROM signing_keys WHERE activates_at > ?`, [
      now,
    ]);
    return row?.at == null ? undefined : Number(row.at);
  }

  async all(): Promise<StoredSigningKey[]> {
    const rows = await this.sql.query<KeyRow>(`SELECT * FROM signing_keys ORDER BY created_at, kid`);
    return rows.map(toKey);
  }

  /** Stores a rotated key that starts signing at `key.activatesAt`. */
  async insertNext(key: StoredSigningKey & { activatesAt: number }): Promise<void> {
    await this.sql.execute(`INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at, activates_at) VALUES (?, ?, ?, ?, ?)`, [
      key.kid,
      key.privateJwk,
      key.publicJwk,
      key.createdAt,
      key.activatesAt,
    ]);
  }

  /**
   * Deletes keys superseded before `supersededBefore`: a newer key has signed since then, so no
   * token they signed can still be valid. Returns their kids.
   */
  async deleteSuperseded(supersededBefore: number): Promise<string[]> {
    const rows = await this.sql.query<{ kid: string }>(
      `SELECT k.kid FROM signing_keys k WHERE EXISTS (SELECT 1 FROM signing_keys n WHERE COALESCE(n.activates_at, 0) > COALESCE(k.activates_at, 0)
         AND COALESCE(n.activates_at, 0) < ?)`,
      [supersededBefore],
    );
    for (const { kid } of rows) await this.sql.execute(`DELETE FROM signing_keys WHERE kid = ?`, [kid]);
    return rows.map((r) => r.kid);
  }

  /** Inserts a key unless another node already created one; returns the key that won. */
  async insertIfNone(key: StoredSigningKey): Promise<StoredSigningKey> {
    const existing = await this.active();
    if (existing) return existing;
    // The single-active-key index decides the race between nodes; the loser reads the winner's key.
    await this.sql.execute(
      `INSERT INTO signing_keys (kid, private_jwk, public_jwk, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [key.kid, key.privateJwk, key.publicJwk, key.createdAt],
    );
    return (await this.active()) ?? key;
  }

  /** Swaps a key's stored private JWK (to encrypt it in place); only if it is still `expected`. */
  async replacePrivateJwk(kid: string, expected: string, privateJwk: string): Promise<boolean> {
    return (
      (await this.sql.execute(`UPDATE signing_keys SET private_jwk = ? WHERE kid = ? AND private_jwk = ?`, [privateJwk, kid, expected])) ===
      1
    );
  }
}
