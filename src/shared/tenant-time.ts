import type { Clock } from './clock.js';

/** Where a tenant's clock offset is read from (the database, so all nodes agree). */
export interface TenantOffsetSource {
  offsetMs(tenantId: string): Promise<number>;
}

/**
 * Tenant time: the real clock plus the tenant's offset, moved forward by the control API
 * (docs/controls.md). Everything a client can see of a tenant runs on it (token lifetimes,
 * operation timestamps, retention, lockout windows, alert evaluation); leases and heartbeats
 * keep real time. Offsets are cached for `cacheMs` so the polling path does not pay a read per
 * request; an advance made on this node is seen at once (`forget`), other nodes see it within
 * `cacheMs`.
 */
export class TenantTime {
  readonly #cache = new Map<string, { offsetMs: number; readAt: number }>();

  constructor(
    readonly clock: Clock,
    private readonly source: TenantOffsetSource,
    private readonly cacheMs = 1000,
  ) {}

  /** The tenant's offset in milliseconds (0 when never moved). */
  async offsetMs(tenantId: string): Promise<number> {
    const realNow = this.clock.now();
    const cached = this.#cache.get(tenantId);
    if (cached && realNow - cached.readAt < this.cacheMs) return cached.offsetMs;
    const offsetMs = await this.source.offsetMs(tenantId);
    this.#cache.set(tenantId, { offsetMs, readAt: realNow });
    return offsetMs;
  }

  /** The offset as last read, while still fresh; undefined otherwise (no read is made). */
  cachedOffsetMs(tenantId: string): number | undefined {
    const cached = this.#cache.get(tenantId);
    return cached && this.clock.now() - cached.readAt < this.cacheMs ? cached.offsetMs : undefined;
  }

  /** The tenant's current time, in epoch milliseconds. */
  async now(tenantId: string): Promise<number> {
    return this.clock.now() + (await this.offsetMs(tenantId));
  }

  /** Drops the cached offset of a tenant (after this node moved its clock). */
  forget(tenantId: string): void {
    this.#cache.delete(tenantId);
  }
}
