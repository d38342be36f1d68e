import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalPeerDirectory } from '@converge/store';
import { claimClusterIdentity, clusterIdentityOf, readClusterCredentials } from './cluster-identity.js';
import { createCertificateAuthority } from './tls-assets.js';

const dirs: string[] = [];
function dir(): string {
  const d = mkdtempSync(join(tmpdir(), 'converge-identity-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const ca = createCertificateAuthority();
const saKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('readClusterCredentials', () => {
  it('reads ca.crt, ca.key, sa.key and admin-token from an identity dir, a flag overriding its file', () => {
    const d = dir();
    const sa = saKey().privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    writeFileSync(join(d, 'ca.crt'), ca.certPem);
    writeFileSync(join(d, 'ca.key'), ca.keyPem);
    writeFileSync(join(d, 'sa.key'), sa);
    writeFileSync(join(d, 'admin-token'), 'secret\n');
    const other = join(dir(), 'token');
    writeFileSync(other, 'other\n');
    expect(readClusterCredentials({ identityDir: d, adminTokenFile: other })).toEqual({
      ca,
      serviceAccountSigningKeyPem: sa,
      adminToken: 'other',
    });
  });

  it('refuses a CA key that is not the key of the CA certificate, and a CA without its key', () => {
    const d = dir();
    writeFileSync(join(d, 'ca.crt'), ca.certPem);
    writeFileSync(join(d, 'other.key'), createCertificateAuthority().keyPem);
    expect(() => readClusterCredentials({ caFile: join(d, 'ca.crt'), caKeyFile: join(d, 'other.key') })).toThrow(
      /is not the key of the CA certificate/,
    );
    expect(() => readClusterCredentials({ caFile: join(d, 'ca.crt') })).toThrow(/--ca-key-file/);
  });
});

describe('claimClusterIdentity', () => {
  it('accepts the same identity again and refuses another one, naming what differs and the flags to pass', async () => {
    const peers = new LocalPeerDirectory();
    const key = saKey().publicKey;
    await claimClusterIdentity(peers, clusterIdentityOf(ca.certPem, key));
    await claimClusterIdentity(peers, clusterIdentityOf(ca.certPem, key));
    await expect(claimClusterIdentity(peers, clusterIdentityOf(ca.certPem, saKey().publicKey))).rejects.toThrow(
      /its service-account signing key \(the cluster's sha256 [0-9a-f]{16}…, this server's [0-9a-f]{16}…\) differ.*--identity-dir/,
    );
    await expect(claimClusterIdentity(peers, clusterIdentityOf(createCertificateAuthority().certPem, key))).rejects.toThrow(
      /its CA .* differ/,
    );
  });
});
