import { readFile } from 'node:fs/promises';
import {
  apiDiscovery,
  BUILTIN_CONTROLLERS,
  catalogDiscovery,
  createControllerManager,
  CONTROLLER_MANAGER_LEASE,
  parseControllersFlag,
  type ControllerManagerOptions,
} from '@converge/builtin-controllers';
import { createLogger, RemoteObjectStore, type ObjectStore } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';

/** The flags of `converge controller-manager` (see `converge controller-manager --help`). */
export interface ControllerManagerFlags {
  kubeconfig?: string;
  context?: string;
  /** `--controllers`: Kubernetes 1.32 names, `*`, `-name`, comma-separated. */
  controllers: string;
  leaderElect: boolean;
  leaderElectResourceName: string;
  leaderElectResourceNamespace: string;
  kubeApiQps?: number;
  kubeApiBurst?: number;
  bindAddress: string;
  port: number;
  logLevel: string;
  /** `--root-ca-file`: the cluster CA (PEM) published as `kube-root-ca.crt`; default the kubeconfig's certificate authority. */
  rootCaFile?: string;
  /** `--concurrent-*-syncs`, by flag name without dashes' prefix (e.g. `concurrent-gc-syncs`). */
  concurrency: Record<string, number>;
  /** `--node-monitor-grace-period`, in ms (default 40,000). */
  nodeMonitorGracePeriod?: number;
  /** `--node-startup-grace-period`, in ms (default 60,000). */
  nodeStartupGracePeriod?: number;
  /** `--node-monitor-period`, in ms (default 5,000). */
  nodeMonitorPeriod?: number;
  /** `--node-eviction-rate`, nodes per second (default 0.1). */
  nodeEvictionRate?: number;
  /** `--allocate-node-cidrs` (default true). */
  allocateNodeCidrs?: boolean;
  /** `--cluster-cidr` (default 10.244.0.0/16). */
  clusterCidr?: string;
  /** `--node-cidr-mask-size` (default 24). */
  nodeCidrMaskSize?: number;
}

/** A controller-manager started by the CLI. */
export interface RunningControllerManager {
  /** The controllers it runs. */
  enabled: string[];
  /** The address of its health and metrics endpoints, when serving them. */
  healthUrl?: string;
  /** Stops it (in-flight reconciles finish). */
  stop(): Promise<void>;
}

/** Options of `startControllerManager`. */
export interface StartControllerManagerOptions extends Omit<ControllerManagerOptions, 'discovery'> {
  /** The in-process catalog (with `converge up`); unset = discover the remote API server through `store`. */
  catalog?: ResourceCatalog;
  /** Where problems are reported (stderr). */
  log: (line: string) => void;
}

/** Composes the built-in controllers over a store and starts them; resolves once the manager runs. */
export async function startControllerManager(options: StartControllerManagerOptions): Promise<RunningControllerManager> {
  const { catalog, log, ...rest } = options;
  let discovery;
  if (catalog) discovery = catalogDiscovery(catalog);
  else if (options.store instanceof RemoteObjectStore) discovery = apiDiscovery({ connection: options.store.connection });
  else throw new Error('a controller-manager needs a catalog (in process) or a RemoteObjectStore (to read discovery)');
  const cm = createControllerManager({ ...rest, discovery });
  for (const name of cm.notImplemented)
    log(`controller-manager: "${name}" is a Kubernetes controller Converge does not implement yet; not started`);
  for (const { name, reason } of cm.skipped) log(`controller-manager: "${name}" not started: ${reason}`);
  const done = cm.manager.start();
  done.catch((err: unknown) => log(`controller-manager stopped: ${(err as Error).message}`));
  const address = options.http ? await waitForAddress(cm.manager, done) : undefined;
  return {
    enabled: cm.enabled,
    ...(address ? { healthUrl: address } : {}),
    stop: async () => {
      await cm.manager.stop();
    },
  };
}

async function waitForAddress(
  manager: ReturnType<typeof createControllerManager>['manager'],
  done: Promise<void>,
): Promise<string | undefined> {
  let failed = false;
  done.catch(() => (failed = true));
  for (let i = 0; i < 500 && !failed; i++) {
    const a = manager.address();
    if (a) return `http://${a.address}:${a.port}`;
    await new Promise((r) => setTimeout(r, 10));
  }
  return undefined;
}

/** Runs `converge controller-manager` against the API server of a kubeconfig until SIGINT / SIGTERM. */
export async function runControllerManager(flags: ControllerManagerFlags): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const store: ObjectStore = flags.kubeconfig
    ? await RemoteObjectStore.fromFile(flags.kubeconfig, flags.context ? { context: flags.context } : {})
    : await RemoteObjectStore.fromDefault();
  const options: StartControllerManagerOptions = {
    store,
    controllers: parseControllersFlag(flags.controllers),
    concurrency: flags.concurrency,
    leaderElection: flags.leaderElect
      ? { leaseName: flags.leaderElectResourceName, leaseNamespace: flags.leaderElectResourceNamespace }
      : false,
    http: { port: flags.port, host: flags.bindAddress },
    nodeLifecycle: {
      ...(flags.nodeMonitorGracePeriod !== undefined ? { nodeMonitorGracePeriodMs: flags.nodeMonitorGracePeriod } : {}),
      ...(flags.nodeStartupGracePeriod !== undefined ? { nodeStartupGracePeriodMs: flags.nodeStartupGracePeriod } : {}),
      ...(flags.nodeMonitorPeriod !== undefined ? { nodeMonitorPeriodMs: flags.nodeMonitorPeriod } : {}),
      ...(flags.nodeEvictionRate !== undefined ? { nodeEvictionRate: flags.nodeEvictionRate } : {}),
    },
    nodeIpam: {
      ...(flags.clusterCidr !== undefined ? { clusterCidr: flags.clusterCidr } : {}),
      ...(flags.nodeCidrMaskSize !== undefined ? { nodeCidrMaskSize: flags.nodeCidrMaskSize } : {}),
    },
    ...(flags.allocateNodeCidrs !== undefined ? { allocateNodeCidrs: flags.allocateNodeCidrs } : {}),
    logger: createLogger({ level: flags.logLevel, name: 'controller-manager', destination: process.stderr as never }),
    log,
  };
  // As kube-controller-manager: --root-ca-file, else the CA the kubeconfig trusts.
  const rootCA = flags.rootCaFile
    ? await readFile(flags.rootCaFile, 'utf8')
    : (store as RemoteObjectStore).connection.certificateAuthority();
  if (rootCA) options.rootCA = rootCA;
  if (flags.kubeApiQps !== undefined) options.kubeApiQps = flags.kubeApiQps;
  if (flags.kubeApiBurst !== undefined) options.kubeApiBurst = flags.kubeApiBurst;
  const cm = await startControllerManager(options);
  process.stdout.write(
    `converge controller-manager is running: ${cm.enabled.join(', ') || 'no controllers'}${cm.healthUrl ? `; health and metrics at ${cm.healthUrl}` : ''}.\n`,
  );
  await new Promise<void>((done) => {
    const onSignal = (signal: NodeJS.Signals) => {
      log(`received ${signal}, shutting down`);
      cm.stop().then(done, done);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  (store as RemoteObjectStore).close();
  log('stopped');
}

/** The `--concurrent-*-syncs` flags of the controllers Converge implements, with their defaults. */
export function concurrencyFlags(): { flag: string; controller: string; defaultValue: number }[] {
  return BUILTIN_CONTROLLERS.filter((e) => e.concurrencyFlag).map((e) => ({
    flag: e.concurrencyFlag!,
    controller: e.name,
    defaultValue: e.defaultConcurrency,
  }));
}

/** The lease kube-controller-manager elects its leader on, for the flags' defaults. */
export const DEFAULT_LEASE = CONTROLLER_MANAGER_LEASE;
