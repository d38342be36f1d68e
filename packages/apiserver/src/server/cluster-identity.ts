/**
 * One cluster identity for several API servers: the CA (which signs serving and client
 * certificates), the service-account signing key and the admin token, read from files that
 * the servers share, and the check that refuses a server whose identity differs from the one
 * its store already belongs to.
 *
 * ```ts
 * const credentials = readClusterCredentials({ identityDir: '/srv/first-server-data' });
 * await startApiServer({ store, catalog, credentials, peers });
 * ```
 */
import { createHash, createPrivateKey, createPublicKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClusterIdentity, PeerDirectory } from '@converge/store';
import type { CertificateAndKey } from './tls-assets.js';

/** The credentials that make several API servers one cluster; each one unset is the server's own (data dir or made up). */
export interface ClusterCredentials {
  /** The cluster CA: its certificate and private key (PEM). */
  ca?: CertificateAndKey;
  /** The service-account signing key (PEM private key, EC P-256). */
  serviceAccountSigningKeyPem?: string;
  /** The admin's bearer token. */
  adminToken?: string;
}

/** Where `readClusterCredentials` reads the credentials from (the `converge apiserver` / `converge up` flags of the same names). */
export interface ClusterCredentialFiles {
  /**
   * A data dir of a server of the cluster (`--identity-dir`): its `ca.crt`, `ca.key`, `sa.key`
   * and `admin-token`, each used when present and not named by a flag below.
   */
  identityDir?: string;
  /** The CA certificate (`--ca-file`). */
  caFile?: string;
  /** The CA's private key (`--ca-key-file`). */
  caKeyFile?: string;
  /** The service-account signing key (`--service-account-signing-key-file`). */
  serviceAccountSigningKeyFile?: string;
  /** A file holding the admin's bearer token (`--admin-token-file`). */
  adminTokenFile?: string;
}

/** The flags that give a server the cluster's identity, as error messages name them. */
export const IDENTITY_FLAGS =
  '--identity-dir <data dir of a server of the cluster>, or --ca-file, --ca-key-file and --service-account-signing-key-file (and --admin-token-file)';

function read(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the ${what} ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads the credentials the files name (see `ClusterCredentialFiles`); checks that the CA key matches its certificate. */
export function readClusterCredentials(files: ClusterCredentialFiles): ClusterCredentials {
  const inDir = (name: string): string | undefined => {
    if (!files.identityDir) return undefined;
    const p = join(files.identityDir, name);
    return existsSync(p) ? p : undefined;
  };
  const caFile = files.caFile ?? inDir('ca.crt');
  const caKeyFile = files.caKeyFile ?? inDir('ca.key');
  const saKeyFile = files.serviceAccountSigningKeyFile ?? inDir('sa.key');
  const tokenFile = files.adminTokenFile ?? inDir('admin-token');
  if (files.identityDir && !existsSync(files.identityDir)) throw new Error(`--identity-dir ${files.identityDir} does not exist`);
  if ((caFile === undefined) !== (caKeyFile === undefined))
    throw new Error('the CA needs both its certificate (--ca-file) and its private key (--ca-key-file)');
  const out: ClusterCredentials = {};
  if (caFile && caKeyFile) {
    const ca = { certPem: read(caFile, 'CA certificate'), keyPem: read(caKeyFile, 'CA key') };
    let matches: boolean;
    try {
      const cert = new X509Certificate(ca.certPem);
      const pub = createPublicKey(createPrivateKey(ca.keyPem)).export({ type: 'spki', format: 'der' });
      matches = cert.publicKey.export({ type: 'spki', format: 'der' }).equals(pub) && cert.ca;
    } catch (err) {
      throw new Error(`the CA files ${caFile} and ${caKeyFile} are not a PEM certificate and key: ${(err as Error).message}`, {
        cause: err,
      });
    }
    if (!matches) throw new Error(`${caKeyFile} is not the key of the CA certificate ${caFile}`);
    out.ca = ca;
  }
  if (saKeyFile) out.serviceAccountSigningKeyPem = read(saKeyFile, 'service-account signing key');
  if (tokenFile) {
    const token = read(tokenFile, 'admin token file').trim();
    if (!token) throw new Error(`the admin token file ${tokenFile} is empty`);
    out.adminToken = token;
  }
  return out;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The fingerprints of a server's identity: its CA certificate (`none` without TLS) and its service-account public key. */
export function clusterIdentityOf(caCertPem: string | undefined, serviceAccountPublicKey: KeyObject): ClusterIdentity {
  return {
    ca: caCertPem ? sha256(new X509Certificate(caCertPem).raw) : 'none',
    serviceAccountKey: sha256(serviceAccountPublicKey.export({ type: 'spki', format: 'der' })),
  };
}

/**
 * Claims the store's cluster identity for this server: the first server of a cluster records
 * its own; any later one must bring the same, or is refused with an error naming the flags
 * that give it the cluster's files.
 */
export async function claimClusterIdentity(peers: PeerDirectory, identity: ClusterIdentity): Promise<void> {
  const claim = await peers.claimIdentity(identity);
  if (claim.ok) return;
  const differs: string[] = [];
  if (claim.stored.ca !== identity.ca)
    differs.push(`CA (the cluster's sha256 ${claim.stored.ca.slice(0, 16)}…, this server's ${identity.ca.slice(0, 16)}…)`);
  if (claim.stored.serviceAccountKey !== identity.serviceAccountKey) {
    differs.push(
      `service-account signing key (the cluster's sha256 ${claim.stored.serviceAccountKey.slice(0, 16)}…, this server's ${identity.serviceAccountKey.slice(0, 16)}…)`,
    );
  }
  throw new Error(
    `this store already belongs to a cluster with another identity: its ${differs.join(' and ')} differ. ` +
      `Start this server with the cluster's files: ${IDENTITY_FLAGS}.`,
  );
}

/**
 * The admin's bearer token: the given one, else the one kept in `<dataDir>/admin-token` (made on
 * first start), else (no data dir) a random one for this run.
 */
export function loadOrCreateAdminToken(options: { given?: string; dataDir?: string }): string {
  if (options.given) return options.given;
  if (!options.dataDir) return randomBytes(24).toString('hex');
  const file = join(options.dataDir, 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(24).toString('hex');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}
