/**
 * fast-check arbitraries for hostile HTTP requests against declared routes (test/http/fuzz.test.ts):
 * methods, paths with encoded, raw, unicode, long and empty segments, OData and console query
 * options, headers, JSON and form bodies, and bearer tokens valid or not.
 */
import fc from 'fast-check';
import type { CataloguedRoute } from '../../src/http/register-routes.js';

export interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** The declared route the request was made from. */
  route: CataloguedRoute;
}

/** Values the fuzzer knows make sense somewhere: real ids, names, tokens. */
export interface FuzzKnowledge {
  /** Ids, UPNs, tenant names and other words that reach deeper than random text. */
  words: string[];
  /** Valid bearer tokens (application and delegated). */
  tokens: string[];
  /** Form fields for the authority (client ids, secrets, user names). */
  form: Record<string, string[]>;
}

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD', 'OPTIONS'];

const TRICKY_SEGMENTS = [
  '',
  '%',
  '%E0%A4%A',
  '%00',
  '%FF',
  '%C0%80',
  '%2F',
  '%2e%2e',
  '..',
  '.',
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  "'",
  '"',
  // A raw backslash is left out: fastify.inject() parses the URL as WHATWG does ('/\\/x' has host x), a socket would not.
  '%5C',
  'me',
  '$count',
  '$ref',
  'null',
  'undefined',
  '-1',
  '0',
  '1e309',
];

/** A path segment: known words, encoded unicode, raw punctuation, tricky constants, long ones. */
function segment(k: FuzzKnowledge): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...k.words).map(encodeURIComponent) },
    { weight: 3, arbitrary: fc.constantFrom(...TRICKY_SEGMENTS) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(..."%:@.-_~!$&'()*+,;=aZ09 "), maxLength: 10 }) },
    { weight: 1, arbitrary: fc.integer({ min: 480, max: 640 }).map((n) => 'a'.repeat(n)) },
  );
}

/** The route's URL with its `:params` filled, sometimes bent (extra or empty segments, case). */
function path(route: CataloguedRoute, k: FuzzKnowledge): fc.Arbitrary<string> {
  const names = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  return fc
    .record({
      values: fc.tuple(...names.map(() => segment(k))),
      bend: fc.oneof({ weight: 12, arbitrary: fc.constant('none') }, fc.constantFrom('trailing', 'extra', 'double', 'upper')),
      extra: segment(k),
    })
    .map(({ values, bend, extra }) => {
      let i = 0;
      let p = route.url.replace(/:(\w+)/g, () => values[i++] ?? '');
      if (bend === 'trailing') p += '/';
      if (bend === 'extra') p += `/${extra}`;
      if (bend === 'double') p = p.replace(/\/([^/]*)$/, '//$1');
      if (bend === 'upper') p = p.toUpperCase();
      return p;
    });
}

const QUERY_KEYS = [
  '$select',
  '$top',
  '$skip',
  '$filter',
  '$expand',
  '$count',
  '$orderby',
  '$search',
  '$format',
  'top',
  'skip',
  'kind',
  'status',
  'since',
  'minutes',
  'api-version',
];

function query(k: FuzzKnowledge): fc.Arbitrary<string> {
  const value = fc.oneof(
    fc.constantFrom('id', 'id,status', '*', '1', '0', '-1', '999999999999', 'true', "scopeId eq '/'", '', 'notStarted', 'running'),
    fc.constantFrom(...k.words).map(encodeURIComponent),
    fc.string({ unit: 'grapheme', maxLength: 16 }).map(encodeURIComponent),
    fc.string({ unit: fc.constantFrom(...'%&=+?#$,\'" az'), maxLength: 8 }),
  );
  const key = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...QUERY_KEYS) }, fc.string({ maxLength: 8 }).map(encodeURIComponent));
  return fc
    .oneof(fc.constant([]), fc.array(fc.tuple(key, value), { maxLength: 4 }))
    .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([a, b]) => `${a}=${b}`).join('&')}`));
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned token whose header and claims hold hostile text (the request hooks read claims before verification). */
function forgedToken(): fc.Arbitrary<string> {
  const hostile = fc.oneof(fc.constantFrom('\u0000', '', "'", '%', 'x'.repeat(300)), fc.string({ unit: 'grapheme', maxLength: 8 }));
  return fc
    .record({ kid: hostile, tid: hostile, appid: hostile, upn: hostile, iss: hostile })
    .map(
      ({ kid, ...claims }) =>
        `${base64url({ alg: 'RS256', typ: 'JWT', kid })}.${base64url({ aud: 'https://graph.microsoft.com', ...claims })}.c2ln`,
    );
}

function headers(k: FuzzKnowledge): fc.Arbitrary<Record<string, string>> {
  const text = fc.string({ unit: 'grapheme-ascii', maxLength: 40 });
  const token = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...k.tokens) },
    { weight: 1, arbitrary: fc.constantFrom(...k.tokens).map((t) => `${t.slice(0, -4)}AAAA`) },
    { weight: 1, arbitrary: fc.constantFrom('', 'junk', 'a.b.c', 'eyJhbGciOiJub25lIn0.e30.') },
    { weight: 1, arbitrary: forgedToken() },
    { weight: 1, arbitrary: text },
  );
  return fc
    .record(
      {
        authorization: fc.oneof(
          { weight: 8, arbitrary: token.map((t) => `Bearer ${t}`) },
          { weight: 1, arbitrary: fc.constantFrom('Basic Og==', 'Bearer', 'bearer  x') },
          { weight: 1, arbitrary: text },
        ),
        'content-type': fc.oneof(
          { weight: 4, arbitrary: fc.constantFrom('application/json', 'application/x-www-form-urlencoded') },
          fc.constantFrom(
            'application/json; charset=utf-8',
            'text/plain',
            'multipart/form-data; boundary=x',
            'application/json; charset=latin1',
            '',
          ),
        ),
        'client-request-id': fc.oneof(fc.uuid(), text),
        prefer: fc.constantFrom('respond-async', 'return=minimal', 'odata.maxpagesize=1', 'wait=0', 'bogus'),
        'repeatability-request-id': fc.oneof(fc.uuid(), text),
        'repeatability-first-sent': fc.oneof(fc.constantFrom('Thu, 01 Jan 2026 00:00:00 GMT', 'Sun, 06 Nov 1994 08:49:37 GMT'), text),
        accept: fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml', ''),
        'if-match': fc.constantFrom('*', 'W/"x"'),
        cookie: fc.oneof(
          fc.constantFrom(...k.tokens).map((t) => `longrun_session=${t}`),
          text.map((t) => `longrun_session=${t}`),
        ),
        'x-anything': text,
      },
      { requiredKeys: ['authorization', 'content-type'] },
    )
    .map((h) => Object.fromEntries(Object.entries(h).filter(([name, v]) => !/[\r\n]/.test(v) && !(v === '' && name !== 'authorization'))));
}

const BODY_KEYS = [
  'newPassword',
  'isActive',
  'advanceSeconds',
  'code',
  'detail',
  'scopeId',
  'scopeType',
  'type',
  'match',
  'respond',
  'times',
  'timeline',
  'outcome',
  '@odata.type',
  'globalAdminCountThreshold',
  'changeType',
  'resource',
  'expirationDateTime',
  'clientState',
  'username',
  'password',
  'clientId',
  'tenant',
  '__proto__',
  'constructor',
];

function body(k: FuzzKnowledge): fc.Arbitrary<string | undefined> {
  const formField = fc.oneof(
    ...Object.entries(k.form).map(([name, values]) =>
      fc.tuple(fc.constant(name), fc.oneof(fc.constantFrom(...values), fc.string({ unit: 'grapheme', maxLength: 12 }))),
    ),
  );
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    {
      weight: 3,
      arbitrary: fc.dictionary(fc.constantFrom(...BODY_KEYS), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((o) => JSON.stringify(o)),
    },
    { weight: 1, arbitrary: fc.json({ maxDepth: 2 }) },
    { weight: 3, arbitrary: fc.array(formField, { maxLength: 7 }).map((pairs) => new URLSearchParams(pairs).toString()) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 64 }) },
    { weight: 1, arbitrary: fc.constantFrom('', '{', 'null', '[]', '"x"', '{"a":1}{"a":2}', '\u0000') },
    // Bodies some routes accept, so requests also get past validation.
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '{}',
        '{"newPassword":"Fuzz-Pass-7x!Q-long"}',
        '{"isActive":false}',
        '{"advanceSeconds":1}',
        '{"scopeId":"/","scopeType":"DirectoryRole"}',
        '{"code":"fuzz","detail":"fuzz"}',
      ),
    },
  );
}

/** One request made from one of `routes`. */
export function fuzzRequest(routes: readonly CataloguedRoute[], k: FuzzKnowledge): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...routes).chain((route) =>
    fc
      .record({
        method: fc.oneof({ weight: 6, arbitrary: fc.constant(route.method as string) }, fc.constantFrom(...METHODS)),
        path: path(route, k),
        query: query(k),
        headers: headers(k),
        payload: body(k),
      })
      .map(({ method, path: p, query: q, headers: h, payload }) => ({
        method,
        url: p + q,
        headers: h,
        ...(payload !== undefined && method !== 'GET' && method !== 'HEAD' ? { payload } : {}),
        route,
      })),
  );
}

/** Runs per backend from `LONGRUN_FUZZ_RUNS` (default `fallback`), and the seed from `LONGRUN_FUZZ_SEED` to replay a failure. */
export function fuzzSettings(fallback: number): { numRuns: number; seed?: number } {
  const runs = Number(process.env.LONGRUN_FUZZ_RUNS);
  const seed = Number(process.env.LONGRUN_FUZZ_SEED);
  return { numRuns: Number.isInteger(runs) && runs > 0 ? runs : fallback, ...(Number.isInteger(seed) ? { seed } : {}) };
}
