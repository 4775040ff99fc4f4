/**
 * `--tls-dev`: a local certificate authority and a server certificate it signed, made once and
 * kept on disk so clients can trust the CA (`NODE_EXTRA_CA_CERTS=…/longrun-dev-ca.pem`) and keep
 * trusting it across restarts. Keys are ECDSA P-256, made with WebCrypto; certificates are built
 * with @peculiar/x509 and checked with node:crypto's X509Certificate.
 *
 * Files (in `devCertificateDir(db)`):
 *   longrun-dev-ca.pem      the CA certificate: the one file clients trust
 *   longrun-dev-ca-key.pem  the CA private key (mode 0600): signs new server certificates
 *   server.pem              the server certificate (SANs: localhost, 127.0.0.1, ::1, the hosts asked for)
 *   server-key.pem          its private key (mode 0600)
 *
 * Reuse: an existing CA is kept while it is valid for at least 30 more days; an existing server
 * certificate is kept while it was signed by that CA, covers every host asked for, and is valid
 * for at least 30 more days. Otherwise the server certificate (and, if needed, the CA) is
 * re-issued; re-issuing the server certificate alone keeps clients' trust in the CA.
 */
import { X509Certificate as NodeX509, createPrivateKey, webcrypto } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { dirname, join, resolve } from 'node:path';
// @peculiar/x509 2.x needs a Reflect metadata polyfill, loaded before it.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

export const DEV_CA_FILE = 'longrun-dev-ca.pem';
export const DEV_CA_KEY_FILE = 'longrun-dev-ca-key.pem';
export const DEV_CERT_FILE = 'server.pem';
export const DEV_KEY_FILE = 'server-key.pem';

/** Hosts every development server certificate names. */
export const DEFAULT_DEV_HOSTS = ['localhost', '127.0.0.1', '::1'] as const;

const DAY_MS = 86_400_000;
const CA_LIFETIME_DAYS = 3650;
/** Under 398 days: the longest server-certificate lifetime browsers and Apple platforms accept. */
const SERVER_LIFETIME_DAYS = 397;
const RENEW_BEFORE_DAYS = 30;
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

export interface DevCertificates {
  dir: string;
  caPath: string;
  certPath: string;
  keyPath: string;
  /** PEM of the CA certificate (what clients trust). */
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  /** What was made on this call (nothing when every file was reused). */
  created: { ca: boolean; server: boolean };
}

/**
 * Where `--tls-dev` keeps its files: `tls/` next to the SQLite file, or `./data/tls` for
 * `sqlite::memory:` and PostgreSQL.
 */
export function devCertificateDir(db: string, cwd: string = process.cwd()): string {
  const m = /^sqlite:(.+)$/.exec(db);
  if (m && m[1] !== ':memory:') return resolve(cwd, dirname(m[1]!.replace(/^file:/, '')), 'tls');
  return resolve(cwd, 'data', 'tls');
}

/** The hosts a server certificate must name: the defaults plus the public URL's host (and any extra). */
export function devCertificateHosts(publicUrl: string | undefined, extra: string[] = []): string[] {
  const hosts: string[] = [...DEFAULT_DEV_HOSTS];
  const add = (h: string | undefined) => {
    if (!h) return;
    const bare = h.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    if (bare === '' || bare === '0.0.0.0' || bare === '::') return;
    if (!hosts.includes(bare)) hosts.push(bare);
  };
  if (publicUrl) add(new URL(publicUrl).hostname);
  extra.forEach(add);
  return hosts;
}

/** Makes (or reuses) the development CA and a server certificate for `hosts` in `dir`. */
export async function ensureDevCertificates(options: { dir: string; hosts: string[]; now?: Date }): Promise<DevCertificates> {
  const { dir } = options;
  const now = options.now ?? new Date();
  const hosts = devCertificateHosts(undefined, options.hosts);
  const caPath = join(dir, DEV_CA_FILE);
  const caKeyPath = join(dir, DEV_CA_KEY_FILE);
  const certPath = join(dir, DEV_CERT_FILE);
  const keyPath = join(dir, DEV_KEY_FILE);
  await mkdir(dir, { recursive: true, mode: 0o700 });

  const created = { ca: false, server: false };
  let ca = await readCa(caPath, caKeyPath, now);
  if (!ca) {
    ca = await createCa(now);
    await writeAtomic(caKeyPath, ca.keyPem, 0o600);
    await writeAtomic(caPath, ca.certPem, 0o644);
    created.ca = true;
  }

  let server = await readServer(certPath, keyPath, ca.certPem, hosts, now);
  if (!server) {
    server = await createServer(ca, hosts, now);
    await writeAtomic(keyPath, server.keyPem, 0o600);
    await writeAtomic(certPath, server.certPem, 0o644);
    created.server = true;
  }
  return {
    dir,
    caPath,
    certPath,
    keyPath,
    ca: Buffer.from(ca.certPem),
    cert: Buffer.from(server.certPem),
    key: Buffer.from(server.keyPem),
    created,
  };
}

interface Issued {
  certPem: string;
  keyPem: string;
}

interface CaMaterial extends Issued {
  cert: x509.X509Certificate;
  privateKey: webcrypto.CryptoKey;
}

/** WebCrypto types as @peculiar/x509 names them (lib has no DOM here). */
type XCrypto = NonNullable<Parameters<typeof x509.X509CertificateGenerator.create>[1]>;
type XKeyPair = Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'];
type XKey = XKeyPair['publicKey'];

const provider = webcrypto as unknown as XCrypto;

const stillValid = (cert: NodeX509, now: Date): boolean =>
  new Date(cert.validFrom).getTime() <= now.getTime() + DAY_MS &&
  new Date(cert.validTo).getTime() - now.getTime() > RENEW_BEFORE_DAYS * DAY_MS;

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function readCa(caPath: string, caKeyPath: string, now: Date): Promise<CaMaterial | undefined> {
  const certPem = await readText(caPath);
  const keyPem = await readText(caKeyPath);
  if (!certPem || !keyPem) return undefined;
  try {
    const nodeCert = new NodeX509(certPem);
    if (!nodeCert.ca || !stillValid(nodeCert, now)) return undefined;
    const keyObject = createPrivateKey(keyPem);
    if (!nodeCert.checkPrivateKey(keyObject)) return undefined;
    const pkcs8 = keyObject.export({ format: 'der', type: 'pkcs8' });
    const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, ALGORITHM, false, ['sign']);
    return { certPem, keyPem, cert: new x509.X509Certificate(certPem), privateKey };
  } catch {
    return undefined; // unreadable: make a new one
  }
}

async function readServer(certPath: string, keyPath: string, caPem: string, hosts: string[], now: Date): Promise<Issued | undefined> {
  const certPem = await readText(certPath);
  const keyPem = await readText(keyPath);
  if (!certPem || !keyPem) return undefined;
  try {
    const cert = new NodeX509(certPem);
    const caCert = new NodeX509(caPem);
    if (!cert.checkIssued(caCert) || !cert.verify(caCert.publicKey)) return undefined;
    if (!stillValid(cert, now) || !cert.checkPrivateKey(createPrivateKey(keyPem))) return undefined;
    const covers = hosts.every((h) => (isIP(h) ? cert.checkIP(h) !== undefined : cert.checkHost(h) !== undefined));
    return covers ? { certPem, keyPem } : undefined;
  } catch {
    return undefined;
  }
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function pkcs8Pem(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

const serial = (): string => {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f; // positive
  return Buffer.from(bytes).toString('hex');
};

async function createCa(now: Date): Promise<CaMaterial> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial(),
      name: `CN=Longrun Development CA ${now.toISOString().slice(0, 10)}, O=Longrun (development only)`,
      notBefore: new Date(now.getTime() - DAY_MS),
      notAfter: new Date(now.getTime() + CA_LIFETIME_DAYS * DAY_MS),
      keys: keys as unknown as XKeyPair,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as unknown as XKey, false, provider),
      ],
    },
    provider,
  );
  return { certPem: cert.toString('pem') + '\n', keyPem: (await pkcs8Pem(keys.privateKey)) + '\n', cert, privateKey: keys.privateKey };
}

async function createServer(ca: CaMaterial, hosts: string[], now: Date): Promise<Issued> {
  const keys = await generateKeys();
  const names = hosts.map((h) => ({ type: isIP(h) ? ('ip' as const) : ('dns' as const), value: h }));
  const notAfter = Math.min(now.getTime() + SERVER_LIFETIME_DAYS * DAY_MS, ca.cert.notAfter.getTime());
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject: 'CN=localhost, O=Longrun (development only)',
      issuer: ca.cert.subject,
      notBefore: new Date(now.getTime() - DAY_MS),
      notAfter: new Date(notAfter),
      publicKey: keys.publicKey as unknown as XKey,
      signingKey: ca.privateKey as unknown as XKey,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
        new x509.SubjectAlternativeNameExtension(names, false),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as unknown as XKey, false, provider),
        await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false, provider),
      ],
    },
    provider,
  );
  return { certPem: cert.toString('pem') + '\n', keyPem: (await pkcs8Pem(keys.privateKey)) + '\n' };
}

/** Writes through a temporary file and a rename, so a crash never leaves half a key. */
async function writeAtomic(path: string, text: string, mode: number): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode });
  await chmod(tmp, mode);
  await rename(tmp, path);
}
