import type { SqlClient } from './sql.js';

export interface StoredSigningKey {
  kid: string;
  privateJwk: string;
  publicJwk: string;
  createdAt: number;
}

/** The login authority's RS256 keys, shared by every node through the database. */
export class KeysRepository {
  constructor(private readonly sql: SqlClient) {}

  async active(): Promise<StoredSigningKey | undefined> {
    const row = await this.sql.queryOne<{ kid: string; private_jwk: string; public_jwk: string; created_at: number }>(
      `SELECT kid, private_jwk, public_jwk, created_at FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at, kid LIMIT 1`,
    );
    return row && { kid: row.kid, privateJwk: row.private_jwk, publicJwk: row.public_jwk, createdAt: Number(row.created_at) };
  }

  async all(): Promise<StoredSigningKey[]> {
    const rows = await this.sql.query<{ kid: string; private_jwk: string; public_jwk: string; created_at: number }>(
      `SELECT kid, private_jwk, public_jwk, created_at FROM signing_keys ORDER BY created_at, kid`,
    );
    return rows.map((row) => ({ kid: row.kid, privateJwk: row.private_jwk, publicJwk: row.public_jwk, createdAt: Number(row.created_at) }));
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
    return (await this.sql.execute(`UPDATE signing_keys SET private_jwk = ? WHERE kid = ? AND private_jwk = ?`, [privateJwk, kid, expected])) === 1;
  }
}
