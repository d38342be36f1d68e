import { resolve } from 'node:path';
import { createLogger } from '@converge/core';
import { createBuiltinCatalog } from '@converge/core/kinds';
import {
  EtcdBackend,
  EtcdPeerDirectory,
  MemoryBackend,
  Registry,
  startEtcd,
  type Backend,
  type EtcdProcess,
  type PeerDirectory,
} from '@converge/store';
import { CONTROLLER_MANAGER_USER, nodeUser, SCHEDULER_USER, startApiServer } from '@converge/apiserver';
import {
  announceAndRunUntilSignal,
  apiServerOptionsOf,
  etcdEndpointsOf,
  logToStderr,
  writeServerKubeconfig,
  type ApiServerFlags,
} from './api-server.flags.js';
import { credentialsFromFlags } from './cluster-identity.flags.js';
import { parseControllersFlag } from '@converge/builtin-controllers';
import { startControllerManager } from './controller-manager.command.js';
import { startScheduler } from './scheduler.command.js';
import { startSimulatedNodes } from './simulated-nodes.js';

/** The flags of `converge up` (see `converge up --help`). */
export interface UpOptions extends ApiServerFlags {
  store: 'memory' | 'etcd';
  etcdEndpoints?: string;
  etcdBinary: string;
  /** Serve plain HTTP on a loopback address without authentication (kube-apiserver's old insecure port). */
  insecureHttp: boolean;
  /** The built-in controllers to run, as `converge controller-manager --controllers` (default `*`: all). */
  controllers?: string;
  /** Run this many kwok-style simulated nodes in process (`--simulated-nodes <n>`); 0 or unset = none. */
  simulatedNodes?: number;
  /** Run the scheduler in process (default true; `--no-scheduler` leaves pods pending for a scheduler of your own). */
  scheduler?: boolean;
  /** A KubeSchedulerConfiguration file for the in-process scheduler (`--scheduler-config`). */
  schedulerConfig?: string;
}

/** A running reference cluster, as started by `startCluster`. */
export interface RunningCluster {
  /** The API server URL. */
  url: string;
  /** Where the kubeconfig was written. */
  kubeconfigPath: string;
  /** Stops everything, in reverse order of start. */
  stop(): Promise<void>;
}

/**
 * Starts the reference cluster in this process: the store (memory, or etcd started locally
 * or reached at external endpoints), the registry over it, and the API server; then writes a
 * kubeconfig for it.
 */
export async function startCluster(options: UpOptions, log: (line: string) => void = () => {}): Promise<RunningCluster> {
  const dataDir = resolve(options.dataDir);
  const stops: Array<() => Promise<void> | void> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        log(`error while stopping: ${(err as Error).message}`);
      }
    }
  };
  try {
    const credentials = credentialsFromFlags(options);
    let backend: Backend;
    let peers: PeerDirectory | undefined;
    if (options.store === 'etcd') {
      let endpoints: string[];
      if (options.etcdEndpoints) {
        endpoints = etcdEndpointsOf(options.etcdEndpoints);
      } else {
        const etcd: EtcdProcess = await startEtcd({ dataDir: resolve(dataDir, 'etcd'), binary: options.etcdBinary });
        stops.push(() => etcd.stop());
        endpoints = etcd.endpoints;
        log(`etcd started (pid ${etcd.pid}) at ${endpoints.join(',')}, data in ${etcd.dataDir}`);
      }
      const etcdBackend = new EtcdBackend({ endpoints });
      stops.push(() => etcdBackend.close());
      backend = etcdBackend;
      // Other API servers may share this etcd: one identity, each in the kubernetes endpoints.
      const etcdPeers = new EtcdPeerDirectory({ endpoints });
      stops.push(() => etcdPeers.close());
      peers = etcdPeers;
    } else {
      backend = new MemoryBackend();
    }
    const catalog = createBuiltinCatalog();
    const store = new Registry({ backend, catalog });
    const server = await startApiServer({
      store,
      catalog,
      ...apiServerOptionsOf(options, { dataDir, credentials }),
      tls: !options.insecureHttp,
      ...(peers ? { peers } : {}),
      ...(options.apiserverLeaseSeconds !== undefined ? { apiServerLeaseSeconds: options.apiserverLeaseSeconds } : {}),
    });
    stops.push(() => server.stop());
    // Components in this process write through the API server's admission chain, each as its
    // Kubernetes user, as they would over HTTP; reads and watches go straight to the registry.
    // The built-in controllers (garbage collector, namespace controller, ...) run in this process.
    const controllers = await startControllerManager({
      store: server.admittedStore({ user: CONTROLLER_MANAGER_USER }),
      catalog,
      controllers: parseControllersFlag(options.controllers ?? '*'),
      ...(server.caCertPem ? { rootCA: server.caCertPem } : {}),
      logger: createLogger({ level: options.logLevel, name: 'controller-manager', destination: process.stderr as never }),
      log,
    });
    stops.push(() => controllers.stop());
    if (options.scheduler !== false) {
      // kube-scheduler's counterpart, in this process: it binds pending pods to the nodes.
      const scheduler = await startScheduler({
        store: server.admittedStore({ user: SCHEDULER_USER }),
        ...(options.schedulerConfig ? { configFile: options.schedulerConfig } : {}),
        logger: createLogger({ level: options.logLevel, name: 'scheduler', destination: process.stderr as never }),
        log,
      });
      stops.push(() => scheduler.stop());
    }
    if (options.simulatedNodes) {
      const nodes = await startSimulatedNodes({
        // One agent speaks for every simulated node, so one node user (`system:node:simulated-nodes`) for all.
        store: server.admittedStore({ user: nodeUser('simulated-nodes') }),
        nodes: options.simulatedNodes,
        // Without a scheduler in this process the agent binds pods itself, round-robin.
        bindUnscheduled: options.scheduler === false,
        log,
        logger: createLogger({ level: options.logLevel, name: 'simulated-nodes', destination: process.stderr as never }),
      });
      stops.push(() => nodes.stop());
      log(`simulated nodes (no containers run): ${nodes.nodeNames.join(', ')}`);
    }
    const kubeconfigPath = await writeServerKubeconfig(options, dataDir, server);
    return { url: server.url, kubeconfigPath, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Runs `converge up` until SIGINT / SIGTERM, then shuts down cleanly. */
export async function runUp(options: UpOptions): Promise<void> {
  const cluster = await startCluster(options, logToStderr);
  if (options.insecureHttp) {
    logToStderr(
      `WARNING: --insecure-http serves plain HTTP on ${cluster.url} WITHOUT AUTHENTICATION: any local process that can reach it acts as a cluster administrator (system:unsecured, group system:masters). Use it only on a machine you alone use.`,
    );
  }
  await announceAndRunUntilSignal(cluster, {
    headline: `Converge is up: API server at ${cluster.url} (store: ${options.store}).`,
    example: 'kubectl get ns',
  });
}
