/** Small helpers over a ControlHarness: rules, resets, polling, sign-in checks. */
import type { ControlHarness, Res } from './control-harness.js';
import { USERS } from './control-harness.js';

export const PASSWORD_METHOD = '28c10230-6103-485e-b985-444c60001490';

export async function addRule(h: ControlHarness, rule: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await h.request('POST', '/_longrun/v1/rules', { token: await h.appToken(), body: rule });
  if (res.status !== 201) throw new Error(`rule refused: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A Global Administrator's token for resets and reading their operations. */
export function adminToken(h: ControlHarness): Promise<string> {
  return h.userToken(USERS.globalAdmin, 'UserAuthenticationMethod.ReadWrite.All');
}

/** Starts a reset of `user`'s password; returns the operation id and its Graph URL path. */
export async function startReset(
  h: ControlHarness,
  token: string,
  userId: string,
  newPassword: string,
): Promise<{ id: string; path: string }> {
  const res = await h.request('POST', `/v1.0/users/${userId}/authentication/methods/${PASSWORD_METHOD}/resetPassword`, {
    token,
    body: { newPassword },
  });
  if (res.status !== 202) throw new Error(`reset refused: ${res.status} ${JSON.stringify(res.body)}`);
  const location = String(res.headers.location);
  const path = new URL(location).pathname;
  return { id: path.split('/').pop()!, path };
}

/**
 * Whether the authority accepts this password: a token, or the "must change password" answer
 * (AADSTS50055), which Entra gives only for the right password.
 */
export async function signsIn(h: ControlHarness, user: { upn: string }, password: string): Promise<boolean> {
  const res: Res = await h.passwordGrant(user, password);
  return res.status === 200 || (Array.isArray(res.body?.error_codes) && res.body.error_codes.includes(50055));
}

/** Polls until `check` holds or the deadline passes; returns the last value. */
export async function waitFor<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 10_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (check(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export async function controlGet(h: ControlHarness, path: string): Promise<Res> {
  return h.request('GET', `/_longrun/v1${path}`, { token: await h.appToken() });
}

export async function controlPost(h: ControlHarness, path: string, body: unknown = {}): Promise<Res> {
  return h.request('POST', `/_longrun/v1${path}`, { token: await h.appToken(), body });
}
