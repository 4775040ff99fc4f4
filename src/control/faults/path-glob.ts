import { RuleValidationError } from '../rules/rule-error.js';

/**
 * Path patterns of `http` and `throttle` rules (docs/controls-http.md): matched against the
 * path as sent, without the query. `*` matches within one segment (a whole segment, or part of
 * one such as `operations('*')`), `**` as a whole segment matches any number of segments,
 * including none. Everything else is literal and case-sensitive, as Graph paths are here.
 */
export function validatePathGlob(pattern: unknown, field: string): string {
  if (typeof pattern !== 'string' || !pattern.startsWith('/') || pattern.length > 1000) {
    throw new RuleValidationError(field, "must be a path starting with '/', e.g. /v1.0/users/*/authentication/operations/*");
  }
  if (pattern.includes('?')) throw new RuleValidationError(field, 'must not contain a query; rules match the path only');
  for (const segment of pattern.split('/')) {
    if (segment.includes('**') && segment !== '**') throw new RuleValidationError(field, "'**' must be a whole segment");
  }
  return pattern;
}

const compiled = new Map<string, RegExp>();

/** Whether `path` (no query) matches the pattern; compiled patterns are kept (rules are few). */
export function pathMatches(pattern: string, path: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    re = compile(pattern);
    if (compiled.size > 10_000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re.test(path);
}

function compile(pattern: string): RegExp {
  const segments = pattern.split('/').slice(1);
  let source = '';
  for (const segment of segments) {
    if (segment === '**') {
      // Any number of segments, including none: "/a/**" matches "/a", "/a/b", "/a/b/c".
      source += '(?:/[^/]*)*';
      continue;
    }
    source += '/' + segment.split('*').map(escapeRegExp).join('[^/]*');
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
