import {
  createLogger,
  Manager,
  realClock,
  RemoteObjectStore,
  type Logger,
  type ManagerLeaderElectionOptions,
  type ObjectStore,
} from '@converge/core';
import {
  defaultSchedulerConfiguration,
  inTreeRegistry,
  KubeScheduler,
  loadSchedulerConfiguration,
  SchedulerOptionsToken,
  type KubeSchedulerOptions,
  type SchedulerConfiguration,
} from '@converge/scheduler';
import { runUntilSignal } from './run-until-signal.js';

/** The Lease kube-scheduler elects its leader on (namespace kube-system). */
export const SCHEDULER_LEASE = 'kube-scheduler';

/** The flags of `converge scheduler` (see `converge scheduler --help`). */
export interface SchedulerFlags {
  kubeconfig?: string;
  context?: string;
  /** `--config`: a KubeSchedulerConfiguration file (YAML or JSON); default Kubernetes 1.32's default profile. */
  config?: string;
  leaderElect: boolean;
  leaderElectResourceName: string;
  leaderElectResourceNamespace: string;
  bindAddress: string;
  port: number;
  logLevel: string;
}

/** Options of `startScheduler`. */
export interface StartSchedulerOptions {
  /** The cluster: the registry in process (`converge up`) or a RemoteObjectStore. */
  store: ObjectStore;
  /** A KubeSchedulerConfiguration file; unset = the default profile. */
  configFile?: string;
  /** Elect a leader on this Lease (default `kube-system/kube-scheduler`), or not at all. */
  leaderElection?: false | Partial<ManagerLeaderElectionOptions>;
  /** Serve `/healthz`, `/readyz` and `/metrics` here. */
  http?: { port: number; host?: string };
  logger?: Logger;
  /** Where a failure of the scheduler is reported (stderr). */
  log: (line: string) => void;
}

/** A scheduler started by the CLI. */
export interface RunningScheduler {
  /** The profiles' scheduler names. */
  profiles: string[];
  /** The address of its health and metrics endpoints, when serving them. */
  healthUrl?: string;
  /** Stops it (bindings in flight finish). */
  stop(): Promise<void>;
}

/**
 * Starts kube-scheduler's counterpart over a store in its own Manager: the in-tree plugins,
 * the configuration file's profiles (or the default profile), leader-elected unless told
 * otherwise. Resolves once the manager runs; an invalid configuration file rejects.
 */
export async function startScheduler(options: StartSchedulerOptions): Promise<RunningScheduler> {
  const registry = inTreeRegistry();
  const logger = options.logger ?? createLogger({ name: 'scheduler' });
  const config: SchedulerConfiguration = options.configFile
    ? await loadSchedulerConfiguration(options.configFile, { registry, logger, source: options.configFile })
    : defaultSchedulerConfiguration({ registry, logger });
  const manager = new Manager({
    store: options.store,
    clock: realClock,
    logger,
    ...(options.http ? { http: options.http } : {}),
    ...(options.leaderElection === false
      ? {}
      : { leaderElection: { leaseName: SCHEDULER_LEASE, leaseNamespace: 'kube-system', ...(options.leaderElection ?? {}) } }),
  });
  const schedulerOptions: KubeSchedulerOptions = { registry, config };
  manager.container.bind(SchedulerOptionsToken).toConstantValue(schedulerOptions);
  manager.add(KubeScheduler);
  const done = manager.start();
  done.catch((err: unknown) => options.log(`scheduler stopped: ${(err as Error).message}`));
  let healthUrl: string | undefined;
  if (options.http) {
    for (let i = 0; i < 500 && !healthUrl; i++) {
      const a = manager.address();
      if (a) healthUrl = `http://${a.address}:${a.port}`;
      else await new Promise((r) => setTimeout(r, 10));
    }
  }
  return {
    profiles: config.profiles.map((p) => p.schedulerName),
    ...(healthUrl ? { healthUrl } : {}),
    stop: () => manager.stop(),
  };
}

/** Runs `converge scheduler` against the API server of a kubeconfig until SIGINT / SIGTERM. */
export async function runScheduler(flags: SchedulerFlags): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const store = flags.kubeconfig
    ? await RemoteObjectStore.fromFile(flags.kubeconfig, flags.context ? { context: flags.context } : {})
    : await RemoteObjectStore.fromDefault();
  const scheduler = await startScheduler({
    store,
    ...(flags.config ? { configFile: flags.config } : {}),
    leaderElection: flags.leaderElect
      ? { leaseName: flags.leaderElectResourceName, leaseNamespace: flags.leaderElectResourceNamespace }
      : false,
    http: { port: flags.port, host: flags.bindAddress },
    logger: createLogger({ level: flags.logLevel, name: 'scheduler', destination: process.stderr as never }),
    log,
  });
  process.stdout.write(
    `converge scheduler is running: profiles ${scheduler.profiles.join(', ')}${scheduler.healthUrl ? `; health and metrics at ${scheduler.healthUrl}` : ''}.\n`,
  );
  await runUntilSignal(scheduler, log);
  store.close();
}
