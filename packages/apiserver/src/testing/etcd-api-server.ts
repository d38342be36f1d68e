/**
 * Test support for several API servers on one etcd: a server over a registry on the etcd
 * backend with an etcd peer directory, a port free on several loopback addresses at once, and
 * etcd's current revision (what counts writes). Not part of the package's public surface.
 */
import { createServer } from 'node:net';
import { createBuiltinCatalog, type ResourceCatalog } from '@converge/core/kinds';
import { EtcdBackend, EtcdPeerDirectory, Registry } from '@converge/store';
import { startApiServer, type ApiServerOptions, type RunningApiServer } from '../server/api-server.js';

/** A running API server on etcd and what it runs on. */
export interface EtcdApiServer {
  api: RunningApiServer;
  registry: Registry;
  catalog: ResourceCatalog;
  peers: EtcdPeerDirectory;
  /** Stops the server, then closes the registry, the backend and the directory. */
  stop(): Promise<void>;
}

/** Options of `startEtcdApiServer`. */
export interface EtcdApiServerOptions extends Partial<Omit<ApiServerOptions, 'store' | 'catalog' | 'peers'>> {
  endpoints: string[];
  /** The key prefix of the backend and the directory (the same for every server of one cluster). */
  keyPrefix: string;
  /** The backend's compaction interval in ms (default: the backend's). */
  compactionIntervalMs?: number;
}

/** Starts an API server over a registry on etcd, announcing itself in the etcd peer directory. */
export async function startEtcdApiServer(o: EtcdApiServerOptions): Promise<EtcdApiServer> {
  const { endpoints, keyPrefix, compactionIntervalMs, ...rest } = o;
  const catalog = createBuiltinCatalog();
  const backend = new EtcdBackend({ endpoints, keyPrefix, ...(compactionIntervalMs !== undefined ? { compactionIntervalMs } : {}) });
  const registry = new Registry({ backend, catalog });
  const peers = new EtcdPeerDirectory({ endpoints, keyPrefix });
  let api: RunningApiServer;
  try {
    api = await startApiServer({ port: 0, ...rest, store: registry, catalog, peers });
  } catch (err) {
    await registry.close();
    await backend.close();
    await peers.close();
    throw err;
  }
  let stopped: Promise<void> | undefined;
  return {
    api,
    registry,
    catalog,
    peers,
    stop() {
      stopped ??= (async () => {
        await api.stop();
        await registry.close();
        await backend.close();
        await peers.close();
      })();
      return stopped;
    },
  };
}

function canListen(host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(undefined));
    s.listen(port, host, () => {
      const a = s.address();
      const p = typeof a === 'object' && a ? a.port : undefined;
      s.close(() => resolve(p));
    });
  });
}

/** A TCP port free on every one of `hosts` (loopback addresses such as 127.0.0.2 and 127.0.0.3). */
export async function portFreeOn(hosts: string[]): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await canListen(hosts[0]!, 0);
    if (port === undefined) continue;
    let all = true;
    for (const h of hosts.slice(1)) if ((await canListen(h, port)) === undefined) all = false;
    if (all) return port;
  }
  throw new Error(`no port free on all of ${hosts.join(', ')}`);
}

/** etcd's current revision: it moves with every write, and only with writes. */
export async function etcdRevision(endpoints: string[]): Promise<number> {
  const backend = new EtcdBackend({ endpoints, compactionIntervalMs: 0 });
  try {
    return await backend.currentRevision();
  } finally {
    await backend.close();
  }
}
