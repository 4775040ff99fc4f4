/**
 * Readers for the fixture's sign-in fields (docs/authentication.md): an application's
 * `redirectUris`, `publicClient` and `certificates`, and the tenant's `passwordLockout`.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { ApplicationCertificate, PasswordLockoutSettings } from './model.js';
import {
  describeValue,
  fieldPath,
  itemPath,
  isJsonObject,
  type FieldPath,
  type FixtureFieldReader,
  type JsonObject,
} from './fixture-fields.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Redirect URIs as Entra accepts them: absolute, no fragment; `https`, `http` only on a loopback
 * host, or a private-use scheme (`myapp://callback`) for native clients.
 */
export function readRedirectUris(reader: FixtureFieldReader, object: JsonObject, base: FieldPath): string[] | undefined {
  const items = reader.array(object, 'redirectUris', base);
  if (items === undefined) return undefined;
  const before = reader.errors.length;
  items.forEach((item, i) => {
    const path = itemPath(fieldPath(base, 'redirectUris'), i);
    let url: URL | undefined;
    try {
      url = typeof item === 'string' ? new URL(item) : undefined;
    } catch {
      url = undefined;
    }
    if (!url) return reader.report(path, `must be an absolute URI like https://app.example.com/callback; got ${describeValue(item)}`);
    if (url.hash) return reader.report(path, 'must not have a fragment (#…)');
    if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
      reader.report(path, 'http is allowed only for localhost or 127.0.0.1; use https');
    }
  });
  return reader.errors.length === before ? (items as string[]) : undefined;
}

/** `[{ "certificatePem": "-----BEGIN CERTIFICATE-----…" }]`: each parsed, with its thumbprints. */
export function readCertificates(reader: FixtureFieldReader, object: JsonObject, base: FieldPath): ApplicationCertificate[] | undefined {
  const items = reader.array(object, 'certificates', base);
  if (items === undefined) return undefined;
  const out: ApplicationCertificate[] = [];
  const before = reader.errors.length;
  items.forEach((item, i) => {
    const path = itemPath(fieldPath(base, 'certificates'), i);
    const entry = reader.object(item, path, ['certificatePem']);
    if (!entry) return;
    const pem = entry['certificatePem'];
    if (typeof pem !== 'string' || !pem.includes('-----BEGIN CERTIFICATE-----')) {
      return reader.report(
        fieldPath(path, 'certificatePem'),
        `must be a PEM certificate (-----BEGIN CERTIFICATE-----…); got ${describeValue(pem)}`,
      );
    }
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch (e) {
      return reader.report(fieldPath(path, 'certificatePem'), `is not a readable X.509 certificate (${(e as Error).message})`);
    }
    if (cert.publicKey.asymmetricKeyType !== 'rsa') {
      return reader.report(fieldPath(path, 'certificatePem'), 'must hold an RSA public key (client assertions are RS256 or PS256)');
    }
    out.push(certificateOf(cert));
  });
  return reader.errors.length === before ? out : undefined;
}

export function certificateOf(cert: X509Certificate): ApplicationCertificate {
  return {
    x5t: createHash('sha1').update(cert.raw).digest('base64url'),
    x5tS256: createHash('sha256').update(cert.raw).digest('base64url'),
    certificatePem: cert.toString(),
  };
}

/** `{"threshold": 10, "durationSeconds": 60}`; absent: Entra's defaults (undefined here). */
export function readPasswordLockout(
  reader: FixtureFieldReader,
  object: JsonObject,
  base: FieldPath,
): PasswordLockoutSettings | null | undefined {
  const raw = object['passwordLockout'];
  if (raw === undefined || raw === null) return null;
  const path = fieldPath(base, 'passwordLockout');
  if (!isJsonObject(raw)) {
    reader.report(path, `must be an object {"threshold", "durationSeconds"}; got ${describeValue(raw)}`);
    return undefined;
  }
  const entry = reader.object(raw, path, ['threshold', 'durationSeconds']);
  if (!entry) return undefined;
  const integer = (key: string, fallback: number, max: number): number | undefined => {
    const value = entry[key];
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max) return value;
    reader.report(fieldPath(path, key), `must be a whole number from 1 to ${max}; got ${describeValue(value)}`);
    return undefined;
  };
  const threshold = integer('threshold', 10, 1000);
  const durationSeconds = integer('durationSeconds', 60, 86_400);
  return threshold === undefined || durationSeconds === undefined ? undefined : { threshold, durationSeconds };
}
