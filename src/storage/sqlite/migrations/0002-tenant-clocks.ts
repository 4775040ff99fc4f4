/**
 * Each tenant's clock offset (control API, docs/controls.md): tenant time = real time +
 * offset_ms. Kept in the database so every node sees the same offset. Frozen once released.
 */
export const up = /* sql */ `
CREATE TABLE tenant_clocks (
  tenant_id   TEXT PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  offset_ms   BIGINT NOT NULL DEFAULT 0 CHECK (offset_ms >= 0),
  updated_at  BIGINT NOT NULL
);
`;
