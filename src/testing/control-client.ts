/**
 * A thin typed client over Longrun's control API (`/_longrun/v1`, docs/testing.md): rules,
 * one operation, the tenant's clock. It adds nothing to the HTTP API; every method is one request.
 */

/** What an operation rule matches: the kind of operation, optionally one target. */
export type ControlOperationKind = 'passwordReset' | 'alertRefresh' | 'alertRefreshAll';

/** Shapes operations started after the rule exists: timeline and outcome. */
export interface OperationRule {
  type: 'operation';
  match: { kind: ControlOperationKind; /** User id, UPN, or alert id. */ target?: string };
  /** Applies to the next N matches, then stops matching; omitted: until deleted. */
  times?: number;
  timeline?: { notStartedSeconds?: number; runningSeconds?: number };
  outcome?: { status: 'succeeded' } | { status: 'failed'; code: string; detail: string } | { status: 'stuck' };
  /** The operation reports `succeeded`, its effect becomes visible only this many seconds later. */
  effectLagSeconds?: number;
}

/** Answers matching Graph or token-endpoint requests with an error, or delays them. */
export interface HttpRule {
  type: 'http';
  /** `path` as sent, without the query; `*` is one segment, `**` any number. */
  match: { method?: string; path: string; appId?: string; user?: string };
  times?: number;
  probability?: number;
  respond?: { status: 429 | 500 | 502 | 503 | 504; retryAfterSeconds?: number };
  latencyMs?: number;
}

/** A token bucket per (tenant, app): beyond it, 429 with Retry-After. */
export interface ThrottleRule {
  type: 'throttle';
  match: { path: string; appId?: string };
  requests: number;
  perSeconds: number;
  times?: number;
}

export type ControlRule = OperationRule | HttpRule | ThrottleRule;

/** A rule as Longrun stores it: what was sent, with its id and how often it matched. */
export type StoredRule = ControlRule & { id: string; hits: number };

/** `GET /_longrun/v1/clock`. */
export interface TenantClock {
  now: string;
  offsetSeconds: number;
}

/** `GET /_longrun/v1/operations/{id}`: the full record (status, timeline events, attempts, the shaping rule). */
export interface ControlOperation {
  id: string;
  status: string;
  [property: string]: unknown;
}

/** A control request that Longrun refused: the HTTP status and the Graph error's code and message. */
export class LongrunControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'LongrunControlError';
  }
}

export interface ControlApi {
  rules: {
    add(rule: ControlRule): Promise<StoredRule>;
    list(): Promise<StoredRule[]>;
    get(id: string): Promise<StoredRule>;
    remove(id: string): Promise<void>;
    clear(): Promise<void>;
  };
  clock: {
    get(): Promise<TenantClock>;
    /** Moves the tenant's time forward by `seconds` (> 0). */
    advance(seconds: number): Promise<TenantClock>;
  };
  operations: {
    get(id: string): Promise<ControlOperation>;
    /** A `stuck` or waiting operation goes on now. */
    release(id: string): Promise<ControlOperation>;
    /** A non-terminal operation fails now, no effect applied (409 when already terminal). */
    fail(id: string, error: { code: string; detail: string }): Promise<ControlOperation>;
  };
}

/** Supplies a bearer token for the control API; `fresh` asks for a new one (after a 401 or a clock change). */
export type ControlTokenSource = (fresh: boolean) => Promise<string>;

export function controlClient(baseUrl: string, token: ControlTokenSource): ControlApi {
  const root = `${baseUrl}/_longrun/v1`;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const send = async (fresh: boolean) =>
      fetch(`${root}${path}`, {
        method,
        headers: { authorization: `Bearer ${await token(fresh)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    let res = await send(false);
    // A cached token may have expired in tenant time (the clock moves forward): retry once with a new one.
    if (res.status === 401) res = await send(true);
    const text = await res.text();
    const json = text === '' ? undefined : (JSON.parse(text) as unknown);
    if (!res.ok) {
      const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new LongrunControlError(
        res.status,
        error?.code ?? String(res.status),
        `${method} /_longrun/v1${path}: ${res.status} ${error?.code ?? ''}${error?.message ? `: ${error.message}` : ''}`.trim(),
      );
    }
    return json as T;
  };
  const id = (value: string) => encodeURIComponent(value);
  return {
    rules: {
      add: (rule) => call('POST', '/rules', rule),
      list: async () => (await call<{ value: StoredRule[] }>('GET', '/rules')).value,
      get: (ruleId) => call('GET', `/rules/${id(ruleId)}`),
      remove: async (ruleId) => void (await call('DELETE', `/rules/${id(ruleId)}`)),
      clear: async () => void (await call('DELETE', '/rules')),
    },
    clock: {
      get: () => call('GET', '/clock'),
      advance: async (seconds) => {
        await call('POST', '/clock', { advanceSeconds: seconds });
        // Tokens are dated in tenant time: the next call gets a token from the new "now".
        await token(true);
        return call('GET', '/clock');
      },
    },
    operations: {
      get: (opId) => call('GET', `/operations/${id(opId)}`),
      release: async (opId) =>
        (await call<ControlOperation | undefined>('POST', `/operations/${id(opId)}/release`)) ?? call('GET', `/operations/${id(opId)}`),
      fail: async (opId, error) =>
        (await call<ControlOperation | undefined>('POST', `/operations/${id(opId)}/fail`, error)) ?? call('GET', `/operations/${id(opId)}`),
    },
  };
}
