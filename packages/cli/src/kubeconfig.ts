import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

/** What a kubeconfig for the reference cluster needs. */
export interface KubeconfigOptions {
  /** The API server URL, e.g. `https://127.0.0.1:6443`. */
  server: string;
  /** The cluster CA certificate (PEM); omitted for plain HTTP. */
  caCertPem?: string | undefined;
  /** The bearer token of the admin user. */
  token: string;
  /** The name used for the cluster, user and context entries. */
  name?: string;
}

/** Builds the kubeconfig document (as an object) for the reference cluster. */
export function kubeconfigFor(options: KubeconfigOptions): Record<string, unknown> {
  const name = options.name ?? 'converge';
  const cluster: Record<string, unknown> = { server: options.server };
  if (options.caCertPem) cluster['certificate-authority-data'] = Buffer.from(options.caCertPem).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name: `${name}-admin`, user: { token: options.token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  };
}

/** Writes the kubeconfig to `path` (mode 0600, directories created as needed). */
export async function writeKubeconfig(path: string, options: KubeconfigOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, stringify(kubeconfigFor(options)), { mode: 0o600 });
}
