/**
 * A personal Microsoft account's delegated token. Entra refuses such accounts on the password
 * grant (AADSTS50126, as Longrun does); they sign in only interactively. Tests that need their
 * token (to see Graph refuse it) get it from the same code the interactive flows end in
 * (`issueUserTokens`: consumer `tid`, no `wids`), signed with the service's own keys.
 */
import type { App } from '../../src/app.js';
import { findApp } from '../../src/identity/client-authentication.js';
import { IdTokenIssuer } from '../../src/identity/id-token.js';
import type { SigningKeys } from '../../src/identity/signing-keys.js';
import { TokenIssuer } from '../../src/identity/token-issuer.js';
import { parseDelegatedScope } from '../../src/identity/token-scopes.js';
import { issueUserTokens } from '../../src/identity/user-tokens.js';

export async function personalAccountToken(
  target: { app: App; keys: SigningKeys },
  input: { tenant: string; user: string; clientId: string; scopes: string[] },
): Promise<string> {
  const { store, clock, config, publicUrl } = target.app.deps;
  const tenant = await store.directory.findTenant(input.tenant);
  if (!tenant) throw new Error(`no tenant ${input.tenant}`);
  const user = await store.directory.findUser(tenant.id, input.user);
  if (user?.accountType !== 'personal') throw new Error(`${input.user} is not a personal account`);
  const scope = input.scopes.join(' ');
  const body = await issueUserTokens(
    {
      store,
      clock,
      tenantTime: target.app.tenantTime,
      issuer: new TokenIssuer({ keys: target.keys, clock, config, publicUrl, tenantTime: target.app.tenantTime }),
      idTokens: new IdTokenIssuer(target.keys, publicUrl),
      graphRoot: config.cloud.graphRoot,
      publicUrl,
      verifySecret: async () => false,
    },
    {
      tenant,
      user,
      app: await findApp(store, tenant, input.clientId),
      requested: parseDelegatedScope(scope, config.cloud.graphRoot),
      scope,
      clientAuthenticated: true,
      wantClientInfo: false,
    },
  );
  return body.access_token;
}
