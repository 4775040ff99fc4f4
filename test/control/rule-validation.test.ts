import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathMatches } from '../../src/control/faults/path-glob.js';
import { parseHttpRule } from '../../src/control/rules/http-rule.js';
import { RuleValidationError } from '../../src/control/rules/rule-error.js';
import { parseThrottleRule } from '../../src/control/rules/throttle-rule.js';

const OP_PATH = '/v1.0/users/*/authentication/operations/*';
const http = (extra: Record<string, unknown> = {}) => ({
  type: 'http',
  match: { method: 'GET', path: OP_PATH },
  respond: { status: 429 },
  ...extra,
});
const throttle = (extra: Record<string, unknown> = {}) => ({
  type: 'throttle',
  match: { path: '/v1.0/**' },
  requests: 10,
  perSeconds: 10,
  ...extra,
});

/** Asserts the parser refuses `body` naming `field`, with a message matching `message`. */
function refuses(parse: (b: Record<string, unknown>) => unknown, body: Record<string, unknown>, field: string, message: RegExp): void {
  assert.throws(
    () => parse(body),
    (e: unknown) => {
      assert.ok(e instanceof RuleValidationError, String(e));
      assert.equal(e.field, field);
      assert.match(e.message, message);
      assert.ok(e.message.startsWith(`${field}: `), e.message);
      return true;
    },
  );
}

describe('http rule validation', () => {
  it('accepts the documented rule and fills the defaults', () => {
    const rule = parseHttpRule({ ...http({ times: 3, latencyMs: 0 }), respond: { status: 429, retryAfterSeconds: 2 } });
    assert.deepEqual(rule, {
      type: 'http',
      times: 3,
      match: { method: 'GET', path: OP_PATH },
      probability: 1,
      respond: { status: 429, retryAfterSeconds: 2 },
      latencyMs: 0,
    });
  });

  it('normalises the method, app id and user for matching', () => {
    const rule = parseHttpRule(
      http({ match: { method: 'get', path: '/v1.0/**', appId: 'A0000000-0000-4000-8000-00000000000A', user: 'Megan@Contoso.com' } }),
    );
    assert.deepEqual(rule.match, {
      method: 'GET',
      path: '/v1.0/**',
      appId: 'a0000000-0000-4000-8000-00000000000a',
      user: 'megan@contoso.com',
    });
  });

  it('latency alone is a rule; neither respond nor latency is refused', () => {
    assert.equal(parseHttpRule({ type: 'http', match: { method: 'GET', path: '/v1.0/**' }, latencyMs: 500 }).respond, undefined);
    refuses(parseHttpRule, { type: 'http', match: { method: 'GET', path: '/v1.0/**' } }, 'respond', /required unless latencyMs/);
    refuses(parseHttpRule, { type: 'http', match: { method: 'GET', path: '/v1.0/**' }, latencyMs: 0 }, 'respond', /required/);
  });

  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    [
      'status outside the list',
      http({ respond: { status: 404 } }),
      'respond.status',
      /^respond\.status: must be one of 429, 500, 502, 503, 504$/,
    ],
    ['status as a string', http({ respond: { status: '429' } }), 'respond.status', /must be one of/],
    [
      'negative Retry-After',
      http({ respond: { status: 429, retryAfterSeconds: -1 } }),
      'respond.retryAfterSeconds',
      /integer from 0 to 3600/,
    ],
    ['fractional Retry-After', http({ respond: { status: 429, retryAfterSeconds: 1.5 } }), 'respond.retryAfterSeconds', /integer/],
    ['unknown respond field', http({ respond: { status: 429, body: 'x' } }), 'respond.body', /unknown property/],
    ['respond not an object', http({ respond: 429 }), 'respond', /must be an object/],
    ['missing match', { type: 'http', respond: { status: 500 } }, 'match', /required/],
    ['missing method', http({ match: { path: OP_PATH } }), 'match.method', /required/],
    ['unknown method', http({ match: { method: 'HEAD', path: OP_PATH } }), 'match.method', /one of GET, POST, PUT, PATCH, DELETE/],
    ['missing path', http({ match: { method: 'GET' } }), 'match.path', /required/],
    ['relative path', http({ match: { method: 'GET', path: 'v1.0/users' } }), 'match.path', /starting with '\/'/],
    ['path with a query', http({ match: { method: 'GET', path: '/v1.0/users?$top=1' } }), 'match.path', /query/],
    ['** inside a segment', http({ match: { method: 'GET', path: '/v1.0/us**' } }), 'match.path', /whole segment/],
    ['app id not a GUID', http({ match: { method: 'GET', path: OP_PATH, appId: 'my-app' } }), 'match.appId', /GUID/],
    ['user not a UPN', http({ match: { method: 'GET', path: OP_PATH, user: 'megan' } }), 'match.user', /user principal name/],
    ['unknown match field', http({ match: { method: 'GET', path: OP_PATH, host: 'x' } }), 'match.host', /unknown property/],
    ['probability above 1', http({ probability: 1.5 }), 'probability', /from 0 to 1/],
    ['probability as a string', http({ probability: '0.5' }), 'probability', /number/],
    ['latency too long', http({ latencyMs: 60_001 }), 'latencyMs', /integer from 0 to 60000/],
    ['unknown top-level field', http({ delayMs: 10 }), 'delayMs', /unknown property/],
  ];
  for (const [name, body, field, message] of cases) {
    it(`refuses ${name}, naming ${field}`, () => refuses(parseHttpRule, body, field, message));
  }
});

describe('throttle rule validation', () => {
  it('accepts the documented rule', () => {
    assert.deepEqual(parseThrottleRule(throttle({ match: { path: '/v1.0/**', appId: 'A0000000-0000-4000-8000-000000000001' } })), {
      type: 'throttle',
      match: { path: '/v1.0/**', appId: 'a0000000-0000-4000-8000-000000000001' },
      requests: 10,
      perSeconds: 10,
    });
  });

  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['missing requests', { type: 'throttle', match: { path: '/v1.0/**' }, perSeconds: 10 }, 'requests', /required/],
    ['zero requests', throttle({ requests: 0 }), 'requests', /integer from 1 to 1000000/],
    ['missing perSeconds', { type: 'throttle', match: { path: '/v1.0/**' }, requests: 10 }, 'perSeconds', /required/],
    ['fractional perSeconds', throttle({ perSeconds: 0.5 }), 'perSeconds', /integer from 1 to 86400/],
    ['missing path', throttle({ match: {} }), 'match.path', /required/],
    ['a method (throttles match paths only)', throttle({ match: { path: '/v1.0/**', method: 'GET' } }), 'match.method', /unknown property/],
    ['app id not a GUID', throttle({ match: { path: '/v1.0/**', appId: 'x' } }), 'match.appId', /GUID/],
    ['a respond block', throttle({ respond: { status: 429 } }), 'respond', /unknown property/],
  ];
  for (const [name, body, field, message] of cases) {
    it(`refuses ${name}, naming ${field}`, () => refuses(parseThrottleRule, body, field, message));
  }
});

describe('path globs', () => {
  it('* is one segment, ** any number, the rest literal', () => {
    assert.ok(pathMatches(OP_PATH, '/v1.0/users/u1/authentication/operations/op1'));
    assert.ok(!pathMatches(OP_PATH, '/v1.0/users/u1/x/authentication/operations/op1'));
    assert.ok(!pathMatches(OP_PATH, '/beta/users/u1/authentication/operations/op1'));
    assert.ok(pathMatches('/v1.0/**', '/v1.0'));
    assert.ok(pathMatches('/v1.0/**', '/v1.0/users/a/b/c'));
    assert.ok(pathMatches('/**/operations/*', '/beta/identityGovernance/roleManagementAlerts/operations/refresh:x'));
    assert.ok(pathMatches("/teams('*')/operations('*')", "/teams('t1')/operations('o1')"));
    assert.ok(!pathMatches('/v1.0/users', '/v1.0/Users'), 'case-sensitive');
    assert.ok(!pathMatches('/v1.0/users.x', '/v1.0/usersAx'), 'a dot is literal');
  });
});
