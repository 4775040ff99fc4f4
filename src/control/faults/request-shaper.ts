import type { TenantTime } from '../../shared/tenant-time.js';
import type { Store } from '../../storage/store.js';
import type { ThrottleBucketsRepository } from '../../storage/throttle-buckets-repository.js';
import type { FaultStatus, HttpRule } from '../rules/http-rule.js';
import type { ThrottleRule } from '../rules/throttle-rule.js';
import { pathMatches } from './path-glob.js';
import type { RequestRule, RequestRulesCache } from './request-rules-cache.js';

/** What the hook knows of a request: enough to match rules, nothing of HTTP. */
export interface RequestFacts {
  tenantId: string;
  /** Upper case. */
  method: string;
  /** The path as sent, without the query. */
  path: string;
  /** The calling application (token `appid`, or the token request's `client_id`), lower case. */
  appId?: string | undefined;
  /** The signed-in user, when there is one: UPN (lower case). */
  user?: { upn?: string | undefined } | undefined;
}

/** How a rule shapes a request; undefined: it goes on untouched. */
export type Shaping =
  | { kind: 'respond'; ruleId: string; status: FaultStatus; retryAfterSeconds?: number; latencyMs: number }
  | { kind: 'delay'; ruleId: string; latencyMs: number }
  | { kind: 'throttle'; ruleId: string; retryAfterSeconds: number; appId: string };

export function httpRuleMatches(rule: HttpRule, facts: RequestFacts): boolean {
  const m = rule.match;
  if (m.method !== facts.method || !pathMatches(m.path, facts.path)) return false;
  if (m.appId !== undefined && m.appId !== facts.appId) return false;
  if (m.user !== undefined && m.user !== facts.user?.upn) return false;
  return true;
}

export function throttleRuleMatches(rule: ThrottleRule, facts: RequestFacts): boolean {
  if (!pathMatches(rule.match.path, facts.path)) return false;
  return rule.match.appId === undefined || rule.match.appId === facts.appId;
}

/**
 * Decides whether a rule shapes a request (docs/controls-http.md). The tenant's rules are
 * tried oldest first; the first that fires decides. An `http` rule fires with its
 * `probability`, and only if `takeHit` still grants it a match (exact `times` across nodes). A
 * `throttle` rule draws one request from its bucket (tenant, rule, app); a refused draw is its
 * hit. Transport-free: the hook renders the answer.
 */
export class RequestShaper {
  readonly #buckets: ThrottleBucketsRepository;

  constructor(private readonly deps: { store: Store; tenantTime: TenantTime; cache: RequestRulesCache; random?: () => number }) {
    this.#buckets = deps.store.throttleBuckets;
  }

  /**
   * `onDraw` hears of every throttle bucket that let the request through, with the bucket's use
   * after the draw (a fraction of its limit), so the answer can carry Graph's metering headers.
   */
  async shape(facts: RequestFacts, onDraw?: (usage: number) => void): Promise<Shaping | undefined> {
    const rules = await this.deps.cache.rulesOf(facts.tenantId);
    for (const entry of rules) {
      const shaping =
        entry.type === 'http' ? await this.#tryHttp(entry, entry.rule, facts) : await this.#tryThrottle(entry, entry.rule, facts, onDraw);
      if (shaping) return shaping;
    }
    return undefined;
  }

  async #tryHttp(entry: RequestRule, rule: HttpRule, facts: RequestFacts): Promise<Shaping | undefined> {
    if (!httpRuleMatches(rule, facts)) return undefined;
    // Roll first: a request the dice spare is not a match, so it neither counts nor uses up `times`.
    if (rule.probability < 1 && (this.deps.random ?? Math.random)() >= rule.probability) return undefined;
    if (!(await this.#takeHit(entry))) return undefined;
    const latencyMs = rule.latencyMs ?? 0;
    if (!rule.respond) return { kind: 'delay', ruleId: entry.id, latencyMs };
    return {
      kind: 'respond',
      ruleId: entry.id,
      status: rule.respond.status,
      latencyMs,
      ...(rule.respond.retryAfterSeconds !== undefined ? { retryAfterSeconds: rule.respond.retryAfterSeconds } : {}),
    };
  }

  async #tryThrottle(
    entry: RequestRule,
    rule: ThrottleRule,
    facts: RequestFacts,
    onDraw: ((usage: number) => void) | undefined,
  ): Promise<Shaping | undefined> {
    if (!throttleRuleMatches(rule, facts)) return undefined;
    const appId = facts.appId ?? '';
    const windowMs = rule.perSeconds * 1000;
    const intervalMs = windowMs / rule.requests;
    const now = await this.deps.tenantTime.now(facts.tenantId);
    const draw = await this.#buckets.draw({ tenantId: facts.tenantId, ruleId: entry.id, appId }, now, intervalMs, windowMs);
    if (!draw) {
      this.deps.cache.drop(facts.tenantId, entry.id);
      return undefined;
    }
    if (draw.allowed) {
      // After an allowed draw the bucket holds tat - now of its window: that share of the limit is used.
      onDraw?.((draw.tat - now) / windowMs);
      return undefined;
    }
    if (!(await this.#takeHit(entry))) return undefined;
    // The next request is allowed once tat <= t + window - interval (the epsilon absorbs float sums of fractional intervals).
    const waitMs = draw.tat - windowMs + intervalMs - now;
    return { kind: 'throttle', ruleId: entry.id, appId, retryAfterSeconds: Math.max(1, Math.ceil((waitMs - 1e-6) / 1000)) };
  }

  /** One guarded UPDATE; a rule this node sees used up or gone stops matching here at once. */
  async #takeHit(entry: RequestRule): Promise<boolean> {
    const hit = await this.deps.store.controlRules.takeHit(entry.tenantId, entry.id);
    if (!hit || hit.timesLeft === 0) this.deps.cache.drop(entry.tenantId, entry.id);
    return hit !== undefined;
  }
}
