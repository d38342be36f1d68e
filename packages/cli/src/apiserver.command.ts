import { resolve } from 'node:path';
import { createLogger } from '@converge/core';
import { createBuiltinCatalog } from '@converge/core/kinds';
import { EtcdBackend, EtcdPeerDirectory, Registry } from '@converge/store';
import { startApiServer } from '@converge/apiserver';
import { credentialsFromFlags, type IdentityFlags } from './cluster-identity.flags.js';
import { writeKubeconfig } from './kubeconfig.js';
import type { RunningCluster } from './up.command.js';
import { runUntilSignal } from './run-until-signal.js';

/** The flags of `converge apiserver` (see `converge apiserver --help`). */
export interface ApiServerCommandOptions extends IdentityFlags {
  /** Comma-separated client URLs of the cluster's etcd. */
  etcdEndpoints: string;
  /** Prepended to every etcd key (default none); the same for every server of the cluster. */
  etcdPrefix?: string;
  dataDir: string;
  host: string;
  port: number;
  kubeconfig?: string;
  logLevel: string;
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
  const endpoints = options.etcdEndpoints
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
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
      host: options.host,
      port: options.port,
      dataDir,
      credentials,
      peers,
      apiServerLeaseSeconds: options.apiserverLeaseSeconds ?? 15,
      ...(options.advertiseAddress ? { advertiseAddress: options.advertiseAddress } : {}),
      logger: createLogger({ level: options.logLevel, name: 'apiserver', destination: process.stderr as never }),
      accessLog: options.logLevel === 'debug' || options.logLevel === 'trace',
    });
    const kubeconfigPath = resolve(options.kubeconfig ?? resolve(dataDir, 'kubeconfig'));
    await writeKubeconfig(kubeconfigPath, { server: server.url, caCertPem: server.caCertPem, token: server.adminToken });
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
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const server = await startApiServerCommand(options, log);
  process.stdout.write(
    [
      `Converge API server at ${server.url} (etcd: ${options.etcdEndpoints}).`,
      '',
      'To use it with kubectl:',
      `  export KUBECONFIG=${server.kubeconfigPath}`,
      '  kubectl get endpoints kubernetes',
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  await runUntilSignal(server, log);
}
