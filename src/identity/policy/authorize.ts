import { AccessDeniedError } from '../identity-errors.js';
import type { Principal } from '../principal.js';
import { POLICY_RULES, type PolicyRule, type PolicyRuleName } from './rules.js';

/** What a request acts on, when the rule depends on it. */
export interface AuthorizationTarget {
  /** The object id of the user the request is about (resolved from id or UPN). */
  targetUserId?: string;
}

const hasAny = (held: ReadonlySet<string>, wanted: readonly string[]): boolean => {
  if (wanted.length === 0) return false;
  const lower = new Set([...held].map((s) => s.toLowerCase()));
  return wanted.some((w) => lower.has(w.toLowerCase()));
};

/** Whether `principal` passes `rule`; pure, for tests and the docs table. */
export function isAllowed(principal: Principal, rule: PolicyRule, target: AuthorizationTarget = {}): boolean {
  if (principal.personal) return rule.personalAccounts;
  if (principal.kind === 'app') return hasAny(principal.appPermissions, rule.application);

  // Without a target the request is treated as acting on someone else: the stricter reading.
  const self = target.targetUserId !== undefined && target.targetUserId.toLowerCase() === principal.objectId.toLowerCase();
  const scoped = hasAny(principal.scopes, rule.delegated) || (self && hasAny(principal.scopes, rule.delegatedSelf ?? []));
  if (!scoped) return false;
  if (rule.roles.length === 0 || (self && rule.rolesOnlyForOthers)) return true;
  return hasAny(principal.roleTemplateIds, rule.roles);
}

/**
 * Enforces a named rule: returns when allowed, throws `AccessDeniedError` otherwise (Graph's 403
 * `Authorization_RequestDenied`, "Insufficient privileges to complete the operation.").
 */
export function authorize(principal: Principal, ruleName: PolicyRuleName, target: AuthorizationTarget = {}): void {
  const rule = POLICY_RULES[ruleName];
  if (!rule) throw new Error(`unknown policy rule '${String(ruleName)}'`);
  if (!isAllowed(principal, rule, target)) throw new AccessDeniedError();
}
