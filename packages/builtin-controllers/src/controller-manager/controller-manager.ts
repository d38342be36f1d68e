import 'reflect-metadata';
import {
  ControllerBlueprint,
  Manager,
  realClock,
  runnableFn,
  type Clock,
  type Logger,
  type ManagerLeaderElectionOptions,
  type ManagerOptions,
  type ObjectStore,
  type Reconciler,
  type RuntimeMetrics,
} from '@converge/core';
import { controllerBlueprintOf, controllerMetadataOf, whenAborted } from '@converge/core/runtime';
import { injectable, type Newable } from 'inversify';
import type { KindDiscovery } from '../discovery/kind-discovery.js';
import { KindDiscoveryToken } from '../discovery/tokens.js';
import { NodeIpamOptionsToken, type NodeIpamOptions } from '../node/node-ipam.controller.js';
import { NodeLifecycleOptionsToken, type NodeLifecycleOptions } from '../node/node-lifecycle-options.js';
import { RootCAToken } from '../serviceaccount/tokens.js';
import { BUILTIN_CONTROLLERS, type BuiltinControllerEntry } from './builtin-controllers.js';
import { selectControllers } from './controller-selection.js';
import { rateLimitedWrites } from './rate-limited-store.js';
import { isSourceProvider } from './source-provider.js';

/** The Lease kube-controller-manager elects its leader on (in `kube-system`). */
export const CONTROLLER_MANAGER_LEASE = 'kube-controller-manager';

/** Options of `createControllerManager`. */
export interface ControllerManagerOptions {
  /** The store the controllers talk to (the registry in process, a RemoteObjectStore, a FakeStore). */
  store: ObjectStore;
  /** Which kinds exist: `catalogDiscovery(catalog)` in process, `apiDiscovery(...)` against a remote server. */
  discovery: KindDiscovery;
  /** The `--controllers` items; default `['*']`. */
  controllers?: readonly string[];
  /** Workers per controller, by name or alias (`garbage-collector-controller: 20`); unset ones use their defaults. */
  concurrency?: Readonly<Record<string, number>>;
  /** Leader election on a Lease (default `kube-system/kube-controller-manager`); `false` = always lead. */
  leaderElection?: false | Partial<ManagerLeaderElectionOptions>;
  /** Serve `/healthz`, `/readyz` and `/metrics` (the Manager's endpoints). */
  http?: ManagerOptions['http'];
  /**
   * The cluster CA certificate (PEM) the root CA publisher puts in every namespace as
   * `kube-root-ca.crt` (kube-controller-manager's `--root-ca-file`); unset = that controller
   * is skipped (listed in `skipped`).
   */
  rootCA?: string;
  /**
   * Options of the node lifecycle controller: `--node-monitor-grace-period` (40 s), the node
   * startup grace period, the monitor period and the eviction rates; unset = their defaults.
   */
  nodeLifecycle?: NodeLifecycleOptions;
  /** Whether the node IPAM controller gives nodes pod ranges (`--allocate-node-cidrs`); default true. */
  allocateNodeCidrs?: boolean;
  /** The node IPAM controller's `--cluster-cidr` (default 10.244.0.0/16) and `--node-cidr-mask-size` (default 24). */
  nodeIpam?: NodeIpamOptions;
  /** Client-side limit on writes per second (`--kube-api-qps`); unset = none. */
  kubeApiQps?: number;
  /** Writes allowed in a burst (`--kube-api-burst`). */
  kubeApiBurst?: number;
  clock?: Clock;
  logger?: Logger;
  metrics?: RuntimeMetrics;
  /** The table to select from; default `BUILTIN_CONTROLLERS`. */
  table?: readonly BuiltinControllerEntry[];
}

/** A composed controller-manager, not yet started. */
export interface ControllerManager {
  /** The manager running the controllers: `start(signal)`, `stop()`, `address()`. */
  manager: Manager;
  /** The names of the controllers it runs. */
  enabled: string[];
  /** Kubernetes controller names that were asked for and are not implemented (not run). */
  notImplemented: string[];
  /** Selected controllers that cannot run with the options given, with the reason (not run). */
  skipped: { name: string; reason: string }[];
}

/**
 * Builds a controller blueprint for an instance of a `@Controller` class with a concurrency
 * from configuration: the blueprint its decorators stand for, plus the sources of a
 * `SourceProvider` (for controllers fed by something other than one kind, like the garbage
 * collector's graph monitor).
 */
export function builtinBlueprintOf(instance: Reconciler, options: { maxConcurrentReconciles?: number } = {}): ControllerBlueprint {
  const cls = (instance as unknown as { constructor: object }).constructor;
  const meta = controllerMetadataOf(cls);
  if (!meta) throw new Error(`${(cls as { name?: string }).name ?? 'class'} is not a @Controller`);
  const extra = isSourceProvider(instance) ? instance.sources() : [];
  const o = meta.options;
  const watchesSomething = o.for !== undefined || (o.watches?.length ?? 0) > 0 || meta.watches.length > 0 || meta.mappers.length > 0;
  const base = watchesSomething
    ? controllerBlueprintOf(instance)
    : new ControllerBlueprint(
        o.name ?? (cls as { name: string }).name,
        undefined,
        [],
        [],
        {
          ...(o.maxConcurrentReconciles !== undefined ? { maxConcurrentReconciles: o.maxConcurrentReconciles } : {}),
          ...(o.needLeaderElection !== undefined ? { needLeaderElection: o.needLeaderElection } : {}),
          ...(o.rateLimiter ? { rateLimiter: o.rateLimiter } : {}),
        },
        instance,
      );
  const opts = { ...base.options };
  if (options.maxConcurrentReconciles !== undefined) opts.maxConcurrentReconciles = options.maxConcurrentReconciles;
  return new ControllerBlueprint(base.name, base.forType, base.watches, [...base.sources, ...extra], opts, base.reconciler);
}

/**
 * Composes the built-in controllers into one Manager: kube-controller-manager's role.
 *
 * ```ts
 * const { manager } = createControllerManager({ store, discovery: catalogDiscovery(catalog), controllers: ['*', '-namespace-controller'] });
 * await manager.start(shutdownSignal());
 * ```
 *
 * `controllers` selects with Kubernetes 1.32's names and syntax (see `selectControllers`);
 * each controller runs `concurrency[name]` workers (default per `BUILTIN_CONTROLLERS`); the
 * manager elects a leader on `kube-system/kube-controller-manager` unless told otherwise, so
 * several controller-managers run active/standby; writes can be rate limited on the client.
 */
export function createControllerManager(options: ControllerManagerOptions): ControllerManager {
  const table = options.table ?? BUILTIN_CONTROLLERS;
  const selection = selectControllers(options.controllers ?? ['*'], table);
  const clock = options.clock;
  const store =
    options.kubeApiQps !== undefined && options.kubeApiQps > 0
      ? rateLimitedWrites(options.store, {
          qps: options.kubeApiQps,
          ...(options.kubeApiBurst !== undefined ? { burst: options.kubeApiBurst } : {}),
          clock: clock ?? realClock,
        })
      : options.store;
  const managerOptions: ManagerOptions = { store };
  if (clock) managerOptions.clock = clock;
  if (options.logger) managerOptions.logger = options.logger;
  if (options.metrics) managerOptions.metrics = options.metrics;
  if (options.http) managerOptions.http = options.http;
  if (options.leaderElection !== false) {
    managerOptions.leaderElection = {
      leaseName: CONTROLLER_MANAGER_LEASE,
      leaseNamespace: 'kube-system',
      ...(options.leaderElection ?? {}),
    };
  }
  const manager = new Manager(managerOptions);
  manager.container.bind(KindDiscoveryToken).toConstantValue(options.discovery);
  if (options.rootCA) manager.container.bind(RootCAToken).toConstantValue(options.rootCA);
  if (options.nodeLifecycle) manager.container.bind(NodeLifecycleOptionsToken).toConstantValue(options.nodeLifecycle);
  if (options.nodeIpam) manager.container.bind(NodeIpamOptionsToken).toConstantValue(options.nodeIpam);
  // Keeps discovery followed for the manager's life, so `kinds()` is current for every controller.
  manager.add(
    runnableFn('kind-discovery', async (signal) => {
      const sub = options.discovery.changes.subscribe({ error: (err: unknown) => manager.log.error({ err }, 'discovery failed') });
      await whenAborted(signal);
      sub.unsubscribe();
    }),
  );
  const concurrency = normalizeConcurrency(options.concurrency ?? {}, table);
  const enabled: string[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const entry of table) {
    if (!selection.enabled.includes(entry.name)) continue;
    const reason = entry.unavailable?.({ rootCA: options.rootCA, allocateNodeCidrs: options.allocateNodeCidrs });
    if (reason) {
      skipped.push({ name: entry.name, reason });
      continue;
    }
    enabled.push(entry.name);
    for (const cls of entry.controllers) {
      const instance = instantiate(manager, cls);
      manager.add(builtinBlueprintOf(instance, { maxConcurrentReconciles: concurrency.get(entry.name) ?? entry.defaultConcurrency }));
    }
  }
  return { manager, enabled, notImplemented: selection.notImplemented, skipped };
}

function normalizeConcurrency(given: Readonly<Record<string, number>>, table: readonly BuiltinControllerEntry[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, n] of Object.entries(given)) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`concurrency of ${key} must be a positive integer, got ${n}`);
    const entry = table.find((e) => e.name === key || e.aliases.includes(key) || e.concurrencyFlag === key);
    if (!entry) throw new Error(`concurrency given for unknown controller "${key}"`);
    out.set(entry.name, n);
  }
  return out;
}

function instantiate(manager: Manager, cls: Newable<Reconciler>): Reconciler {
  if (!manager.container.isBound(cls)) {
    try {
      injectable()(cls);
    } catch {
      // already @injectable()
    }
    manager.container.bind(cls).toSelf().inSingletonScope();
  }
  return manager.container.get(cls);
}
