/** The sign-in flows driven over plain HTTP (no browser), for the hostile and rule tests. */
import { createHash, randomBytes } from 'node:crypto';
import { DOMAIN, postForm, type SignInServer } from './sign-in-harness.js';

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeInput {
  clientId: string;
  redirectUri: string;
  username: string;
  password: string;
  scope?: string;
  challenge?: string;
  authority?: string;
  extra?: Record<string, string>;
}

/** Posts the sign-in form of /authorize; returns the response (a 302 on success). */
export async function postSignIn(server: SignInServer, input: AuthorizeInput): Promise<Response> {
  const form: Record<string, string> = {
    client_id: input.clientId,
    response_type: 'code',
    redirect_uri: input.redirectUri,
    scope: input.scope ?? 'openid profile offline_access User.Read',
    state: 'st',
    nonce: 'nn',
    username: input.username,
    password: input.password,
    ...(input.challenge ? { code_challenge: input.challenge, code_challenge_method: 'S256' } : {}),
    ...input.extra,
  };
  return server.fetch(`${server.url}/${input.authority ?? DOMAIN}/oauth2/v2.0/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
}

/** Signs in and returns the authorization code from the redirect. */
export async function obtainCode(server: SignInServer, input: AuthorizeInput): Promise<string> {
  const res = await postSignIn(server, input);
  const location = res.headers.get('location');
  if (res.status !== 302 || !location) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new Error(`no code in ${location}`);
  return code;
}

export function redeemCode(server: SignInServer, form: Record<string, string>) {
  return postForm(server, `/${DOMAIN}/oauth2/v2.0/token`, { grant_type: 'authorization_code', client_info: '1', ...form });
}

export function tokenRequest(server: SignInServer, form: Record<string, string>, authority = DOMAIN) {
  return postForm(server, `/${authority}/oauth2/v2.0/token`, form);
}

/** The AADSTS number of an Entra error body. */
export const aadsts = (body: Record<string, unknown>): number | undefined => (body.error_codes as number[] | undefined)?.[0];
