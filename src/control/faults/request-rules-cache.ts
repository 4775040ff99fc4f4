import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { Store } from '../../storage/store.js';
import type { RequestRulesRepository } from '../../storage/request-rules-repository.js';
import { parseHttpRule, type HttpRule } from '../rules/http-rule.js';
import { parseThrottleRule, type ThrottleRule } from '../rules/throttle-rule.js';

/** A tenant's `http` or `throttle` rule as the request hook matches it (parsed once per load). */
export type RequestRule = { id: string; tenantId: string } & ({ type: 'http'; rule: HttpRule } | { type: 'throttle'; rule: ThrottleRule });

const caches = new Set<RequestRulesCache>();

/**
 * Call after adding, removing or clearing a tenant's rules: this node's request hooks see the
 * change at once (other nodes within the cache period, about a second). `tenantId` omitted:
 * every tenant.
 */
export function invalidateRequestRules(tenantId?: string): void {
  for (const cache of caches) cache.forget(tenantId);
}

/**
 * What the request hook knows of the rules, kept for `ttlMs` (docs/controls-http.md): first
 * which tenants have any `http`/`throttle` rule (one query per period for all tenants), then,
 * only for those tenants, their rules. A tenant without rules costs a Set look-up per request.
 * Counting (`times`, hits) is never cached: it is `takeHit`'s guarded UPDATE.
 */
export class RequestRulesCache {
  readonly #repo: RequestRulesRepository;
  #tenants: { set: Set<string>; readAt: number } | undefined;
  #tenantsLoading: Promise<Set<string>> | undefined;
  readonly #rules = new Map<string, { rules: RequestRule[]; readAt: number }>();
  /** Moves on each invalidation, so a load that started before it is not kept. */
  #generation = 0;

  constructor(
    private readonly deps: { store: Store; clock: Clock; logger: Logger },
    private readonly ttlMs = 1000,
  ) {
    this.#repo = deps.store.requestRules;
  }

  /** Starts receiving invalidations; `close()` stops. */
  open(): this {
    caches.add(this);
    return this;
  }

  close(): void {
    caches.delete(this);
  }

  /** The tenants that have rules, or a promise of them when the cached set is stale. */
  tenantsWithRules(): Set<string> | Promise<Set<string>> {
    const now = this.deps.clock.now();
    if (this.#tenants && now - this.#tenants.readAt < this.ttlMs && now >= this.#tenants.readAt) return this.#tenants.set;
    if (!this.#tenantsLoading) {
      const generation = this.#generation;
      const loading: Promise<Set<string>> = this.#repo
        .tenantsWithRequestRules()
        .then((set) => {
          if (generation === this.#generation) this.#tenants = { set, readAt: now };
          return set;
        })
        .finally(() => {
          if (this.#tenantsLoading === loading) this.#tenantsLoading = undefined;
        });
      this.#tenantsLoading = loading;
    }
    return this.#tenantsLoading;
  }

  /** The tenant's rules still applying, oldest first (the order they are matched in). */
  async rulesOf(tenantId: string): Promise<RequestRule[]> {
    const now = this.deps.clock.now();
    const cached = this.#rules.get(tenantId);
    if (cached && now - cached.readAt < this.ttlMs && now >= cached.readAt) return cached.rules;
    const generation = this.#generation;
    const rules: RequestRule[] = [];
    for (const stored of await this.deps.store.controlRules.list(tenantId)) {
      if (stored.timesLeft === 0 || (stored.type !== 'http' && stored.type !== 'throttle')) continue;
      try {
        rules.push(
          stored.type === 'http'
            ? { id: stored.id, tenantId, type: 'http', rule: parseHttpRule(stored.body) }
            : { id: stored.id, tenantId, type: 'throttle', rule: parseThrottleRule(stored.body) },
        );
      } catch (error) {
        // Only validated rules are stored; a body that no longer parses is skipped, not fatal.
        this.deps.logger.warn({ err: error, ruleId: stored.id, tenantId }, 'control rule skipped: its body does not parse');
      }
    }
    if (this.#rules.size > 10_000) this.#rules.clear();
    if (generation === this.#generation) this.#rules.set(tenantId, { rules, readAt: now });
    return rules;
  }

  /** A rule this node saw used up: stop matching it before the next load. */
  drop(tenantId: string, ruleId: string): void {
    const cached = this.#rules.get(tenantId);
    if (cached) cached.rules = cached.rules.filter((r) => r.id !== ruleId);
  }

  forget(tenantId?: string): void {
    this.#generation++;
    this.#tenants = undefined;
    this.#tenantsLoading = undefined;
    if (tenantId === undefined) this.#rules.clear();
    else this.#rules.delete(tenantId);
  }
}
