/**
 * The cluster's TLS material: a CA, the API server's serving certificate, and client
 * certificates signed by the CA (for client-certificate authentication).
 *
 * Made on first start into the data dir (`ca.crt`, `ca.key`, `apiserver.crt`, `apiserver.key`)
 * and reused afterwards, or given (the CA of a cluster of several API servers); the serving
 * certificate is remade when it nears expiry, was not issued by the CA, or does not cover the
 * address the server listens on. Keys are RSA 2048 made by Node's crypto; node-forge
 * writes the X.509 certificates.
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';

/** A PEM certificate and its PEM private key. */
export interface CertificateAndKey {
  certPem: string;
  keyPem: string;
}

/** The CA and the serving certificate of an API server. */
export interface TlsAssets {
  ca: CertificateAndKey;
  serving: CertificateAndKey;
}

/** Options of `loadOrCreateTlsAssets`. */
export interface TlsAssetsOptions {
  /** Where the files live; unset = made in memory, never written. */
  dataDir?: string;
  /** Extra host names and IP addresses the serving certificate must cover. */
  hosts?: string[];
  /** The current time in ms (certificates' validity starts an hour before). */
  now?: number;
  /**
   * The cluster's CA, given (e.g. from `--ca-file` and `--ca-key-file`, shared by several API
   * servers): used instead of the data dir's `ca.crt`, which is neither read nor written. The
   * serving certificate is remade when the stored one was not issued by it.
   */
  ca?: CertificateAndKey;
}

const DAY = 24 * 3600 * 1000;

function newKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

function serial(): string {
  const b = randomBytes(16);
  b[0] = b[0]! & 0x7f;
  return b.toString('hex');
}

function sign(cert: forge.pki.Certificate, key: forge.pki.PrivateKey): void {
  cert.sign(key as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
}

/** Makes a self-signed CA valid for ten years. */
export function createCertificateAuthority(commonName = 'converge-ca', now = Date.now()): CertificateAndKey {
  const keys = newKeyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now - 3600_000);
  cert.validity.notAfter = new Date(now + 3650 * DAY);
  const attrs = [{ name: 'commonName', value: commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  sign(cert, forge.pki.privateKeyFromPem(keys.privatePem));
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}

/** Options of a leaf certificate. */
export interface LeafOptions {
  commonName: string;
  /** Subject organizations: the groups of a client certificate. */
  organizations?: string[];
  /** DNS names and IP addresses (server certificates). */
  hosts?: string[];
  usage: 'server' | 'client';
  validDays?: number;
  now?: number;
}

/** Makes a certificate signed by the CA: a serving certificate or a client certificate. */
export function issueCertificate(ca: CertificateAndKey, options: LeafOptions): CertificateAndKey {
  const now = options.now ?? Date.now();
  const keys = newKeyPair();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicPem);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now - 3600_000);
  cert.validity.notAfter = new Date(now + (options.validDays ?? 365) * DAY);
  const subject: forge.pki.CertificateField[] = [];
  for (const o of options.organizations ?? []) subject.push({ name: 'organizationName', value: o });
  subject.push({ name: 'commonName', value: options.commonName });
  cert.setSubject(subject);
  cert.setIssuer(caCert.subject.attributes);
  const exts: unknown[] = [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: options.usage === 'server', clientAuth: options.usage === 'client' },
  ];
  if (options.hosts?.length) {
    exts.push({
      name: 'subjectAltName',
      altNames: options.hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })),
    });
  }
  cert.setExtensions(exts as never[]);
  sign(cert, forge.pki.privateKeyFromPem(ca.keyPem));
  return { certPem: forge.pki.certificateToPem(cert), keyPem: keys.privatePem };
}

/** The names a serving certificate covers by default. */
export function defaultServingHosts(extra: string[] = []): string[] {
  const names = [
    'localhost',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
    'kubernetes.default.svc.cluster.local',
    '127.0.0.1',
    '::1',
    '10.96.0.1',
    hostname(),
    ...extra,
  ];
  return [...new Set(names.filter((n) => n && n !== '0.0.0.0' && n !== '::'))];
}

function covers(certPem: string, hosts: string[], now: number, caCertPem: string): boolean {
  try {
    const x = new X509Certificate(certPem);
    if (!x.verify(new X509Certificate(caCertPem).publicKey)) return false;
    if (Date.parse(x.validTo) - now < 30 * DAY) return false;
    return hosts.every((h) => (isIP(h) ? x.checkIP(h) !== undefined : x.checkHost(h) !== undefined));
  } catch {
    return false;
  }
}

function readPair(dir: string, base: string): CertificateAndKey | undefined {
  const c = join(dir, `${base}.crt`);
  const k = join(dir, `${base}.key`);
  if (!existsSync(c) || !existsSync(k)) return undefined;
  return { certPem: readFileSync(c, 'utf8'), keyPem: readFileSync(k, 'utf8') };
}

function writePair(dir: string, base: string, pair: CertificateAndKey): void {
  writeFileSync(join(dir, `${base}.crt`), pair.certPem, { mode: 0o644 });
  writeFileSync(join(dir, `${base}.key`), pair.keyPem, { mode: 0o600 });
}

/** Loads the CA and serving certificate from the data dir, making whatever is missing or stale. */
export function loadOrCreateTlsAssets(options: TlsAssetsOptions = {}): TlsAssets {
  const now = options.now ?? Date.now();
  const hosts = defaultServingHosts(options.hosts);
  const dir = options.dataDir;
  if (dir) mkdirSync(dir, { recursive: true, mode: 0o700 });
  let ca = options.ca ?? (dir ? readPair(dir, 'ca') : undefined);
  let caIsNew = false;
  if (!ca) {
    ca = createCertificateAuthority('converge-ca', now);
    caIsNew = true;
    if (dir) writePair(dir, 'ca', ca);
  }
  let serving = dir && !caIsNew ? readPair(dir, 'apiserver') : undefined;
  if (!serving || !covers(serving.certPem, hosts, now, ca.certPem)) {
    serving = issueCertificate(ca, { commonName: 'kube-apiserver', hosts, usage: 'server', now });
    if (dir) writePair(dir, 'apiserver', serving);
  }
  return { ca, serving };
}
