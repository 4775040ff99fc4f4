import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import type { Application, Tenant } from '../directory/model.js';
import type { Store } from '../storage/store.js';
import { EntraError, entraErrors } from './entra-errors.js';
import type { VerifySecret } from './password-sign-in.js';
import { VerifiedClientSecrets } from './verified-client-secrets.js';

export type StoredApplication = Application & { secretHash: string | null };

export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** How a token request's client proved itself (form fields or HTTP Basic). */
export interface ClientCredentials {
  secret?: string | undefined;
  assertionType?: string | undefined;
  assertion?: string | undefined;
}

export async function findApp(store: Store, tenant: Tenant, clientId: string): Promise<StoredApplication> {
  const app = await store.directory.findApplication(tenant.id, clientId);
  if (!app) throw entraErrors.unknownClient(clientId, tenant.displayName);
  return app;
}

/** An app with neither secret nor certificate, or marked `publicClient`: it cannot prove itself. */
export const isPublicClient = (app: StoredApplication): boolean =>
  app.publicClient || (app.secretHash === null && app.certificates.length === 0);

/**
 * Authenticates the client: a `client_assertion` signed by a registered certificate's key, or the
 * secret. Returns whether the client proved itself (`appidacr` 1 or 2). A public client proves
 * nothing and may only use the grants that allow it (`confidentialOnly` false); a secret it
 * sends anyway is ignored.
 */
export async function authenticateClient(
  deps: { verifySecret: VerifySecret; publicUrl: string },
  app: StoredApplication,
  credentials: ClientCredentials,
  confidentialOnly: boolean,
): Promise<boolean> {
  if (credentials.assertion !== undefined || credentials.assertionType !== undefined) {
    if (credentials.assertionType !== JWT_BEARER_ASSERTION) {
      throw entraErrors.missingParameter('client_assertion_type');
    }
    if (!credentials.assertion) throw entraErrors.missingParameter('client_assertion');
    await verifyClientAssertion(deps.publicUrl, app, credentials.assertion);
    return true;
  }
  if (isPublicClient(app)) {
    if (confidentialOnly) throw entraErrors.missingClientSecret();
    return false;
  }
  if (!credentials.secret || app.secretHash === null) throw entraErrors.missingClientSecret();
  if (verifiedSecrets.has(app.secretHash, credentials.secret)) return true;
  if (!(await deps.verifySecret(app.secretHash, credentials.secret))) throw entraErrors.invalidClientSecret(app.appId);
  verifiedSecrets.remember(app.secretHash, credentials.secret);
  return true;
}

/** Per process: the wall clock is right for a cache's lifetime (tenant time plays no part). */
const verifiedSecrets = new VerifiedClientSecrets();

/**
 * A certificate credential (RFC 7523): RS256 or PS256, `x5t` or `x5t#S256` naming a certificate
 * registered on the app, `iss` = `sub` = the client id, `aud` = this authority's token endpoint,
 * and a current lifetime. See docs/authentication.md, "Certificate credentials".
 */
async function verifyClientAssertion(publicUrl: string, app: StoredApplication, assertion: string): Promise<void> {
  let header: { alg?: string; x5t?: string; 'x5t#S256'?: string };
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw entraErrors.invalidAssertion('The assertion is not a JWT.');
  }
  const alg = header.alg;
  if (alg !== 'RS256' && alg !== 'PS256') throw entraErrors.invalidAssertion(`Unsupported algorithm '${String(alg)}'; use RS256 or PS256.`);
  const thumbprint = header['x5t#S256'] ?? header.x5t;
  if (!thumbprint) throw entraErrors.invalidAssertion("The assertion's header names no certificate (x5t or x5t#S256).");
  const cert = app.certificates.find((c) => (header['x5t#S256'] ? c.x5tS256 === header['x5t#S256'] : c.x5t === header.x5t));
  if (!cert) throw entraErrors.unknownCertificate(thumbprint, app.appId);
  const key = await importX509(cert.certificatePem, alg);
  try {
    const { payload } = await jwtVerify(assertion, key, { algorithms: [alg], issuer: app.appId, subject: app.appId, clockTolerance: 300 });
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!audiences.some((a) => typeof a === 'string' && isTokenEndpoint(publicUrl, a))) {
      throw entraErrors.invalidAssertion("The assertion's audience is not this authority's token endpoint.");
    }
  } catch (e) {
    if (e instanceof EntraError) throw e;
    throw entraErrors.invalidAssertion((e as Error).message);
  }
}

function isTokenEndpoint(publicUrl: string, aud: string): boolean {
  if (!aud.toLowerCase().startsWith(`${publicUrl.toLowerCase()}/`)) return false;
  return /\/[^/]+\/oauth2\/(v2\.0\/)?token\/?$/i.test(aud.slice(publicUrl.length));
}
