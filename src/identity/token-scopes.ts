import { entraErrors } from './entra-errors.js';
import { GRAPH_APP_ID } from './principal.js';

/** OpenID Connect scopes a client may add to any request; they grant nothing on Graph. */
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** What a password-grant `scope` parameter asks for. */
export interface DelegatedScopeRequest {
  /** `{graph}/.default`: every delegated permission the app may request. */
  everything: boolean;
  /** Permission names asked for one by one (as written, prefix removed). */
  names: string[];
  /** OIDC scopes asked for (echoed in the response `scope`, never in `scp`). */
  oidc: string[];
}

/** The Graph resource identifiers a scope may be prefixed with, lower case, without trailing '/'. */
function graphResources(graphRoot: string): string[] {
  return [graphRoot.replace(/\/+$/, '').toLowerCase(), GRAPH_APP_ID];
}

/** Splits `{resource}/{name}` for Graph; undefined when the scope names another resource. */
function graphPermission(token: string, graphRoot: string): string | undefined {
  const slash = token.lastIndexOf('/');
  if (slash < 0) return token.includes(':') ? undefined : token; // a bare name means Graph
  const resource = token.slice(0, slash).replace(/\/+$/, '').toLowerCase();
  return graphResources(graphRoot).includes(resource) ? token.slice(slash + 1) : undefined;
}

const invalidScopeToken = (token: string) =>
  entraErrors.invalidScope(`The provided value for the input parameter 'scope' is not valid. The scope '${token}' is not valid.`);

/**
 * Parses a client-credentials `scope`: exactly `{graph}/.default` (Graph's app id instead of
 * its URL is accepted too). Throws AADSTS70011 otherwise.
 */
export function parseAppScope(scope: string, graphRoot: string): void {
  const tokens = scope.split(/\s+/).filter(Boolean);
  for (const token of tokens) {
    if (graphPermission(token, graphRoot)?.toLowerCase() !== '.default' || !token.includes('/')) {
      throw entraErrors.invalidScope(
        `The provided value for the input parameter 'scope' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI). Scope: '${token}'.`,
      );
    }
  }
  if (tokens.length === 0) throw invalidScopeToken(scope);
}

/**
 * Parses a password-grant `scope`: space-separated Graph permissions with or without the
 * `{graph}/` prefix, or `{graph}/.default`; OIDC scopes are set aside. A scope of another
 * resource throws AADSTS70011.
 */
export function parseDelegatedScope(scope: string, graphRoot: string): DelegatedScopeRequest {
  const request: DelegatedScopeRequest = { everything: false, names: [], oidc: [] };
  for (const token of scope.split(/\s+/).filter(Boolean)) {
    if (OIDC_SCOPES.has(token.toLowerCase())) {
      request.oidc.push(token.toLowerCase());
      continue;
    }
    const name = graphPermission(token, graphRoot);
    if (name === undefined || name === '') throw invalidScopeToken(token);
    if (name.toLowerCase() === '.default') request.everything = true;
    else request.names.push(name);
  }
  return request;
}

/**
 * The delegated permissions a token gets: those requested that the app may request for users
 * (names compared case-insensitively, returned as the app spells them), or all of them for
 * `.default`. Permissions the app may not request are dropped, as the contract says.
 */
export function grantDelegated(request: DelegatedScopeRequest, appDelegated: readonly string[]): string[] {
  if (request.everything) return [...new Set(appDelegated)];
  const wanted = new Set(request.names.map((n) => n.toLowerCase()));
  return [...new Set(appDelegated.filter((p) => wanted.has(p.toLowerCase())))];
}
