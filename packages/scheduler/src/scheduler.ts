/**
 * The scheduler (kube-scheduler's Scheduler): a runnable that watches Pods and Nodes through
 * the shared informers, keeps the scheduler cache and the scheduling queue, and schedules
 * pods one at a time:
 *
 *   pop → snapshot → scheduling cycle (PreFilter, Filter, PostFilter on failure, PreScore,
 *   Score, pick the node) → assume the pod on the node → Reserve → Permit → binding cycle,
 *   asynchronously (WaitOnPermit, PreBind, Bind, PostBind), so the next pod is scheduled
 *   while the previous one binds.
 *
 * Only pending pods whose `spec.schedulerName` names one of its profiles are scheduled;
 * pods with scheduling gates and pods being deleted are left alone. Each profile is a
 * Framework built from the plugin registry and the configuration.
 */
import {
  EventRecorder,
  Nodes,
  Pods,
  silentLogger,
  realClock,
  type Clock,
  type InformerProvider,
  type Logger,
  type ObjectStore,
  type Pod,
  type Runnable,
} from '@converge/core';
import type { Container } from 'inversify';
import type { Subscription } from 'rxjs';
import { NodeSnapshot } from './cache/node-snapshot.js';
import { SchedulerCache } from './cache/scheduler-cache.js';
import { defaultSchedulerConfiguration, type SchedulerConfiguration } from './config/scheduler-configuration.js';
import { CycleState } from './framework/cycle-state.js';
import { PluginRegistry } from './framework/plugin.decorator.js';
import { Status } from './framework/status.js';
import { DefaultBinder } from './plugins/defaultbinder/default-binder.plugin.js';
import { inTreeRegistry } from './plugins/in-tree-registry.js';
import { SchedulingQueue } from './queue/scheduling-queue.js';
import type { QueuedPodInfo } from './queue/queued-pod-info.js';
import { FitError } from './runtime/fit-error.js';
import { Framework } from './runtime/framework.js';
import { ScheduleAlgorithm } from './runtime/schedule-algorithm.js';
import { ASSIGNED_POD_DELETE, handleNodeEvent, handlePodEvent, type EventHandlerTargets } from './scheduler-event-handlers.js';
import { handleSchedulingFailure, type SchedulingFailure } from './scheduler-failure.js';

/** Options of `createScheduler`. */
export interface SchedulerOptions {
  /** Where bindings, status updates and events are written (and plugins read). */
  store: ObjectStore;
  /** The shared informers Pods and Nodes are watched through. */
  informers: InformerProvider;
  /** The clock; default the wall clock. */
  clock?: Clock;
  /** The logger; default silent. */
  logger?: Logger;
  /** The plugin classes profiles can enable; DefaultBinder is added when missing. Default: every in-tree plugin (`inTreeRegistry()`). */
  registry?: PluginRegistry;
  /** The configuration; default Kubernetes' default profile (with the registered plugins). */
  config?: SchedulerConfiguration;
  /** Where events are recorded; default a recorder with component `default-scheduler`. */
  events?: EventRecorder;
  /** The parent of the plugins' containers (e.g. the manager's). */
  container?: Container;
  /** How long an assumed pod whose binding finished may wait for its bound version, in ms; default 15 min. */
  assumedPodTtlMs?: number;
  /** How long a pod stays unschedulable without a matching event; default 5 min. */
  podMaxInUnschedulablePodsDurationMs?: number;
  /** Breaks ties between best nodes; default Math.random. */
  random?: () => number;
  /** Whether it runs only on the elected leader; default true. */
  needLeaderElection?: boolean;
}

/** The scheduler; see the file comment. Make it with `createScheduler` and add it to a Manager. */
export class Scheduler implements Runnable {
  /** The runnable's name. */
  readonly name = 'kube-scheduler';
  /** Whether it runs only on the leader. */
  readonly needLeaderElection: boolean;
  /** The resolved configuration. */
  readonly config: SchedulerConfiguration;
  /** The plugin registry. */
  readonly registry: PluginRegistry;
  private readonly options: SchedulerOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly events: EventRecorder;
  private state: RunState | undefined;

  /** Prefer `createScheduler`. */
  constructor(options: SchedulerOptions) {
    this.options = options;
    this.clock = options.clock ?? realClock;
    this.logger = (options.logger ?? silentLogger()).child({ component: 'scheduler' });
    this.registry = options.registry ?? inTreeRegistry();
    if (!this.registry.get('DefaultBinder')) this.registry.register(DefaultBinder);
    this.config = options.config ?? defaultSchedulerConfiguration({ registry: this.registry, logger: this.logger });
    this.events =
      options.events ?? new EventRecorder({ store: options.store, component: 'default-scheduler', clock: this.clock, logger: this.logger });
    this.needLeaderElection = options.needLeaderElection ?? true;
  }

  /** The scheduling queue of the current run (undefined when not running). */
  get queue(): SchedulingQueue | undefined {
    return this.state?.queue;
  }

  /** The cache of the current run. */
  get cache(): SchedulerCache | undefined {
    return this.state?.cache;
  }

  /** The framework of a profile in the current run. */
  profile(schedulerName: string): Framework | undefined {
    return this.state?.profiles.get(schedulerName);
  }

  /** Runs until `signal` aborts: watches, then schedules pods one after another; waits for bindings under way before resolving. */
  async start(signal: AbortSignal): Promise<void> {
    const run = new RunState(this, this.options, this.clock, this.logger, this.events);
    this.state = run;
    try {
      await run.run(signal);
    } finally {
      this.state = undefined;
    }
  }
}

/** One term of the scheduler (a leader may lose and regain the lease: each term starts from scratch). */
class RunState implements EventHandlerTargets {
  readonly cache: SchedulerCache;
  readonly queue: SchedulingQueue;
  readonly profiles = new Map<string, Framework>();
  private readonly snapshot = new NodeSnapshot();
  private readonly algorithm: ScheduleAlgorithm;
  private readonly bindings = new Set<Promise<void>>();
  private readonly pods;

  constructor(
    scheduler: Scheduler,
    private readonly options: SchedulerOptions,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly events: EventRecorder,
  ) {
    const config = scheduler.config;
    this.cache = new SchedulerCache({
      clock,
      ...(options.assumedPodTtlMs !== undefined ? { assumedPodTtlMs: options.assumedPodTtlMs } : {}),
    });
    this.queue = new SchedulingQueue({
      clock,
      podInitialBackoffMs: config.podInitialBackoffMs,
      podMaxBackoffMs: config.podMaxBackoffMs,
      ...(options.podMaxInUnschedulablePodsDurationMs !== undefined
        ? { podMaxInUnschedulablePodsDurationMs: options.podMaxInUnschedulablePodsDurationMs }
        : {}),
      eventsOf: (profile, plugin) => this.profiles.get(profile)?.eventsToRegister(plugin),
    });
    for (const profile of config.profiles) {
      this.profiles.set(
        profile.schedulerName,
        new Framework({
          profile,
          registry: scheduler.registry,
          store: options.store,
          clock,
          logger,
          events,
          informers: options.informers,
          nominator: this.queue.nominator,
          snapshot: () => this.snapshot,
          percentageOfNodesToScore: config.percentageOfNodesToScore,
          ...(options.container ? { container: options.container } : {}),
        }),
      );
    }
    this.algorithm = new ScheduleAlgorithm(options.random);
    this.pods = options.informers.informerFor(Pods);
  }

  responsible(pod: Pod): boolean {
    return this.profiles.has(pod.spec?.schedulerName ?? 'default-scheduler');
  }

  pendingPodDeleted(pod: Pod): void {
    for (const fwk of this.profiles.values()) fwk.waitingPod(pod.metadata.uid ?? '')?.reject('', 'pod deleted');
  }

  async run(signal: AbortSignal): Promise<void> {
    const nodes = this.options.informers.informerFor(Nodes);
    const subs: Subscription[] = [
      nodes.events.subscribe((e) => handleNodeEvent(this, e)),
      this.pods.events.subscribe((e) => handlePodEvent(this, e)),
    ];
    try {
      nodes.start();
      this.pods.start();
      await Promise.all([nodes.waitForCacheSync(), this.pods.waitForCacheSync()]);
      for (const n of nodes.cache.list())
        if (!this.cache.nodeInfo(n.metadata.name!)?.node) handleNodeEvent(this, { type: 'add', object: n });
      for (const p of this.pods.cache.list()) {
        const known = p.spec?.nodeName ? this.cache.nodeOfPod(p) !== undefined : this.queue.whereIs(p.metadata.uid ?? '') !== undefined;
        if (!known) handlePodEvent(this, { type: 'add', object: p });
      }
      this.logger.info({ profiles: [...this.profiles.keys()], nodes: this.cache.nodeCount() }, 'scheduler started');
      let n = 0;
      while (!signal.aborted) {
        const info = this.queue.tryPop() ?? (await this.queue.pop(signal));
        if (!info) break;
        await this.scheduleOne(info);
        if (++n % 32 === 0) await new Promise<void>((r) => setImmediate(r));
      }
    } finally {
      this.queue.close();
      for (const s of subs) s.unsubscribe();
      for (const fwk of this.profiles.values()) for (const w of fwk.waitingPods()) w.reject('', 'scheduler stopped');
      await Promise.allSettled([...this.bindings]);
    }
  }

  /** One scheduling cycle; starts the binding cycle without waiting for it. */
  private async scheduleOne(info: QueuedPodInfo): Promise<void> {
    const pod = info.pod;
    const fwk = this.profiles.get(pod.spec?.schedulerName ?? 'default-scheduler');
    if (!fwk || pod.metadata.deletionTimestamp || this.cache.isAssumed(pod)) {
      this.queue.done(info.key);
      return;
    }
    this.cache.updateSnapshot(this.snapshot);
    const state = new CycleState();
    let host: string;
    try {
      host = this.algorithm.schedulePod(fwk, state, pod, this.snapshot.nodes, (name) => this.snapshot.map.get(name)).suggestedHost;
    } catch (err) {
      await this.failedCycle(fwk, state, info, err);
      return;
    }
    const assumed: Pod = { ...pod, spec: { ...pod.spec!, nodeName: host } };
    this.cache.assumePod({ ...info.podInfo, pod: assumed });
    this.queue.nominator.delete(pod);
    let status = fwk.reservePlugins.length > 0 ? await fwk.runReservePluginsReserve(state, assumed, host) : Status.success;
    if (status.isSuccess() && fwk.permitPlugins.length > 0) status = await fwk.runPermitPlugins(state, assumed, host);
    if (!status.isSuccess() && status.code !== 'Wait') {
      await this.undo(fwk, state, assumed, host);
      void this.fail(info, status);
      return;
    }
    const binding = this.bindingCycle(fwk, state, info, assumed, host);
    this.bindings.add(binding);
    void binding.finally(() => this.bindings.delete(binding));
  }

  private async bindingCycle(fwk: Framework, state: CycleState, info: QueuedPodInfo, assumed: Pod, host: string): Promise<void> {
    try {
      let status = await fwk.waitOnPermit(assumed);
      if (status.isSuccess() && fwk.preBindPlugins.length > 0) status = await fwk.runPreBindPlugins(state, assumed, host);
      if (status.isSuccess()) status = await fwk.runBindPlugins(state, assumed, host);
      if (!status.isSuccess()) {
        await this.undo(fwk, state, assumed, host);
        this.queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE, assumed, undefined);
        await this.fail(info, status);
        return;
      }
      this.cache.finishBinding(assumed);
      const m = assumed.metadata;
      this.events.normal(assumed, 'Scheduled', `Successfully assigned ${m.namespace}/${m.name} to ${host}`, { type: Pods });
      fwk.runPostBindPlugins(state, assumed, host);
      this.queue.done(info.key);
    } catch (err) {
      this.logger.error({ err, pod: `${assumed.metadata.namespace}/${assumed.metadata.name}` }, 'binding cycle failed');
      await this.undo(fwk, state, assumed, host);
      await this.fail(info, Status.error(err));
    }
  }

  private async undo(fwk: Framework, state: CycleState, assumed: Pod, host: string): Promise<void> {
    if (fwk.reservePlugins.length > 0) await fwk.runReservePluginsUnreserve(state, assumed, host);
    this.cache.forgetPod(assumed);
  }

  /** No node fits (PostFilter may nominate one) or a plugin failed. */
  private async failedCycle(fwk: Framework, state: CycleState, info: QueuedPodInfo, err: unknown): Promise<void> {
    if (!(err instanceof FitError)) return this.fail(info, Status.error(err));
    const d = err.diagnosis;
    let nominated: string | undefined;
    if (fwk.postFilterPlugins.length > 0 && err.numAllNodes > 0) {
      let statuses: ReadonlyMap<string, Status> = d.nodeToStatus;
      if (d.absentNodesStatus && d.nodeToStatus.size < err.numAllNodes) {
        const all = new Map(d.nodeToStatus);
        for (const n of this.snapshot.nodes) if (!all.has(n.name)) all.set(n.name, d.absentNodesStatus);
        statuses = all;
      }
      const r = await fwk.runPostFilterPlugins(state, info.pod, statuses);
      if (r.status.isSuccess()) nominated = r.nominatedNodeName;
      else if (r.status.reasons.length > 0) d.postFilterMsg = r.status.message();
    }
    const failure: SchedulingFailure = {
      info,
      reason: 'Unschedulable',
      message: new FitError(info.pod.metadata.name ?? '', err.numAllNodes, d).message,
      unschedulablePlugins: d.unschedulablePlugins,
      pendingPlugins: d.pendingPlugins,
      nominatedNodeName: nominated,
    };
    void this.track(handleSchedulingFailure(this.failureDeps(), failure));
  }

  /** A rejection at Reserve or Permit (naming its plugin), or an error. */
  private async fail(info: QueuedPodInfo, status: Status): Promise<void> {
    const rejected = status.isRejected();
    const plugins = rejected && status.plugin ? new Set([status.plugin]) : new Set<string>();
    const failure: SchedulingFailure = {
      info,
      reason: rejected ? 'Unschedulable' : 'SchedulerError',
      message: status.message() || `running ${status.plugin ?? 'plugin'}: ${status.code}`,
      unschedulablePlugins: status.code === 'Pending' ? new Set() : plugins,
      pendingPlugins: status.code === 'Pending' ? plugins : new Set(),
    };
    await this.track(handleSchedulingFailure(this.failureDeps(), failure));
  }

  private track(p: Promise<void>): Promise<void> {
    this.bindings.add(p);
    void p.finally(() => this.bindings.delete(p));
    return p;
  }

  private failureDeps() {
    return {
      store: this.options.store,
      clock: this.clock,
      logger: this.logger,
      events: this.events,
      queue: this.queue,
      latest: (pod: Pod) => this.pods.cache.get({ namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' }),
    };
  }
}

/** Makes a scheduler; add it to a Manager (it is leader-elected by default) or call `start(signal)`. */
export function createScheduler(options: SchedulerOptions): Scheduler {
  return new Scheduler(options);
}
