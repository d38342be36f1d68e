import { resolve } from 'node:path';
import { createBuiltinCatalog } from '@converge/core/kinds';
import { EtcdBackend, EtcdPeerDirectory, Registry } from '@converge/store';
import { startApiServer } from '@converge/apiserver';
import {
  announceAndRunUntilSignal,
  apiServerOptionsOf,
  etcdEndpointsOf,
  logToStderr,
  writeServerKubeconfig,
  type ApiServerFlags,
} from './api-server.flags.js';
import { credentialsFromFlags } from './cluster-identity.flags.js';
import type { RunningCluster } from './up.command.js';

/** The flags of `converge apiserver` (see `converge apiserver --help`). */
export interface ApiServerCommandOptions extends ApiServerFlags {
  /** Comma-separated client URLs of the cluster's etcd. */
  etcdEndpoints: string;
  /** Prepended to every etcd key (default none); the same for every server of the cluster. */
  etcdPrefix?: string;
}

/**
 * Starts one API server against an etcd it does not own (the store of a cluster that several
 * API servers may share): the registry over that etcd, the server announcing itself in the
 * etcd peer directory (and refusing to start when the etcd belongs to a cluster with another
 * identity), then a kubeconfig for it.
 */
export async function startApiServerCommand(
  options: ApiServerCommandOptions,
  log: (line: string) => void = () => {},
): Promise<RunningCluster> {
  const endpoints = etcdEndpointsOf(options.etcdEndpoints);
  if (endpoints.length === 0) throw new Error('--etcd-endpoints names no endpoint');
  const dataDir = resolve(options.dataDir);
  const credentials = credentialsFromFlags(options);
  const keyPrefix = options.etcdPrefix ?? '';
  const backend = new EtcdBackend({ endpoints, keyPrefix });
  const peers = new EtcdPeerDirectory({
    endpoints,
    keyPrefix,
    onLeaseLost: (err) => log(`the lease of this API server in etcd was lost (${String(err)}); announcing it again`),
  });
  const catalog = createBuiltinCatalog();
  const store = new Registry({ backend, catalog });
  const closeStore = async () => {
    await store.close();
    await backend.close();
    await peers.close();
  };
  try {
    const server = await startApiServer({
      store,
      catalog,
      ...apiServerOptionsOf(options, { dataDir, credentials }),
      peers,
      apiServerLeaseSeconds: options.apiserverLeaseSeconds ?? 15,
    });
    const kubeconfigPath = await writeServerKubeconfig(options, dataDir, server);
    return {
      url: server.url,
      kubeconfigPath,
      async stop() {
        await server.stop();
        await closeStore();
      },
    };
  } catch (err) {
    await closeStore();
    throw err;
  }
}

/** Runs `converge apiserver` until SIGINT / SIGTERM, then shuts down cleanly. */
export async function runApiServer(options: ApiServerCommandOptions): Promise<void> {
  const server = await startApiServerCommand(options, logToStderr);
  await announceAndRunUntilSignal(server, {
    headline: `Converge API server at ${server.url} (etcd: ${options.etcdEndpoints}).`,
    example: 'kubectl get endpoints kubernetes',
  });
}
