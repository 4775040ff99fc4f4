// @ts-check
// Talking to Longrun: the console's own API (/console/api/…) and Graph (/v1.0, /beta) with the
// signed-in user's bearer token. The token lives in sessionStorage (this tab only); the client
// secret never reaches the browser (the server performs the password grant).

const KEY = 'longrun.console.session';

export class ApiError extends Error {
  /** status 0: the server could not be reached. */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
  get unreachable() {
    return this.status === 0;
  }
  get expired() {
    return this.status === 401;
  }
}

export const session = {
  get() {
    try {
      const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
      return s && typeof s.accessToken === 'string' ? s : null;
    } catch {
      return null;
    }
  },
  set(s) {
    sessionStorage.setItem(KEY, JSON.stringify(s));
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};

/**
 * @param {string} method
 * @param {string} url
 * @param {{ body?: unknown, auth?: boolean }} [options]
 */
async function call(method, url, { body, auth = true } = {}) {
  const headers = { accept: 'application/json' };
  const s = session.get();
  if (auth && s) headers.authorization = `Bearer ${s.accessToken}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  } catch {
    throw new ApiError(
      0,
      'unreachable',
      'The Longrun server cannot be reached. Check that it is running; the console retries when you act again.',
    );
  }
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const err = json?.error;
    const message = typeof err === 'object' && err?.message ? err.message : `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, typeof err === 'object' ? err.code : 'error', message);
  }
  return { status: res.status, body: json, headers: res.headers };
}

export const consoleApi = {
  signIn: (form) => call('POST', '/console/api/sign-in', { body: form, auth: false }).then((r) => r.body),
  signOut: () => call('POST', '/console/api/sign-out', { auth: false }).catch(() => undefined),
  me: () => call('GET', '/console/api/me').then((r) => r.body),
  operations: (params) => call('GET', `/console/api/operations?${new URLSearchParams(params)}`).then((r) => r.body),
  operation: (id, run) => call('GET', `/console/api/operations/${encodeURIComponent(id)}${run ? `?run=${run}` : ''}`).then((r) => r.body),
  stats: (params) => call('GET', `/console/api/stats?${new URLSearchParams(params)}`).then((r) => r.body),
};

/** The Controls view: the tenant's control rules, and release/fail of one operation. */
export const controlsApi = {
  rules: () => call('GET', '/console/api/controls/rules').then((r) => r.body.value),
  addRule: (rule) => call('POST', '/console/api/controls/rules', { body: rule }).then((r) => r.body),
  deleteRule: (id) => call('DELETE', `/console/api/controls/rules/${encodeURIComponent(id)}`),
  clearRules: () => call('DELETE', '/console/api/controls/rules'),
  release: (id) => call('POST', `/console/api/controls/operations/${encodeURIComponent(id)}/release`, { body: {} }).then((r) => r.body),
  fail: (id, code, detail) =>
    call('POST', `/console/api/controls/operations/${encodeURIComponent(id)}/fail`, { body: { code, detail } }).then((r) => r.body),
};

const ALERTS = '/beta/identityGovernance/roleManagementAlerts';
const SCOPE = "scopeId eq '/' and scopeType eq 'DirectoryRole'";
export const PASSWORD_METHOD = '28c10230-6103-485e-b985-444c60001490';

/** The id at the end of a 202's Location path (percent-decoded; a reset's Location ends in Graph's routing-hint query). */
const operationIdOf = (location) => (location ? decodeURIComponent(location.split('?')[0].split('/').pop()) : '');

export const graph = {
  // Each alert with its definition, whose displayName is the alert's name.
  alerts: () =>
    call('GET', `${ALERTS}/alerts?$filter=${encodeURIComponent(SCOPE)}&$expand=alertDefinition,alertIncidents`).then((r) => r.body.value),
  alert: (id) => call('GET', `${ALERTS}/alerts/${encodeURIComponent(id)}?$expand=alertDefinition,alertIncidents`).then((r) => r.body),
  alertDefinitions: () =>
    call('GET', `${ALERTS}/alertDefinitions?$filter=${encodeURIComponent(SCOPE)}&$select=id,displayName`).then((r) => r.body.value),
  refreshAlert: (id) =>
    call('POST', `${ALERTS}/alerts/${encodeURIComponent(id)}/refresh`).then((r) => operationIdOf(r.headers.get('location'))),
  refreshAll: () =>
    call('POST', `${ALERTS}/alerts/refresh`, { body: { scopeId: '/', scopeType: 'DirectoryRole' } }).then((r) =>
      operationIdOf(r.headers.get('location')),
    ),
  resetPassword: (user) =>
    call('POST', `/v1.0/users/${encodeURIComponent(user)}/authentication/methods/${PASSWORD_METHOD}/resetPassword`, { body: {} }).then(
      (r) => ({
        operationId: operationIdOf(r.headers.get('location')),
        newPassword: r.body?.newPassword ?? null,
      }),
    ),
};

/**
 * Server-sent events of operation changes (authenticated by the HttpOnly session cookie the
 * sign-in route set). Calls onOperation(row), onResync(), onExpired(), onState('live'|'down').
 */
export function operationEvents(since, handlers) {
  const es = new EventSource(`/console/api/events?since=${encodeURIComponent(since)}`);
  es.addEventListener('open', () => handlers.onState('live'));
  es.addEventListener('operation', (e) => handlers.onOperation(JSON.parse(e.data)));
  es.addEventListener('resync', () => handlers.onResync());
  es.addEventListener('expired', () => {
    es.close();
    handlers.onExpired();
  });
  es.addEventListener('error', () => {
    // CONNECTING: the browser retries by itself (server restarting or unreachable).
    // CLOSED: the server refused the stream (a 401 or 403): ask /me which.
    handlers.onState('down');
    if (es.readyState === EventSource.CLOSED) handlers.onClosed();
  });
  return () => es.close();
}
