/**
 * One profile's framework (kube-scheduler's frameworkImpl): the profile's plugins, created
 * once, sorted into the extension points they run at, and the code that runs each point.
 * The framework is also the FrameworkHandle its plugins are created with.
 */
import type { Clock, EventRecorder, InformerProvider, Logger, ObjectStore, Pod } from '@converge/core';
import { Container } from 'inversify';
import type { ClusterEventWithHint } from '../framework/cluster-event.js';
import type { CycleState } from '../framework/cycle-state.js';
import type { FrameworkHandle, Nominator, Snapshot } from '../framework/handle.js';
import type { NodeInfo, PodInfo } from '../framework/node-info.js';
import { PluginRegistry } from '../framework/plugin.decorator.js';
import {
  isEnqueueExtensions,
  type BindPlugin,
  type FilterPlugin,
  type PermitPlugin,
  type PostBindPlugin,
  type PostFilterPlugin,
  type PostFilterResult,
  type PreBindPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ReservePlugin,
  type SchedulerPlugin,
  type ScorePlugin,
} from '../framework/plugin.js';
import { Status } from '../framework/status.js';
import { instantiatePlugin, pluginsForPoint } from './plugin-wiring.js';
import { EXTENSION_POINTS, type ExtensionPoint, type ProfileConfig } from './profile-config.js';
import { PermitWaitingPod } from './waiting-pod.js';

/** What a Framework needs besides its profile. */
export interface FrameworkOptions {
  /** The profile. */
  profile: ProfileConfig;
  /** The plugin classes by name. */
  registry: PluginRegistry;
  /** Where plugins read and write. */
  store: ObjectStore;
  /** The scheduler's clock. */
  clock: Clock;
  /** The scheduler's logger. */
  logger: Logger;
  /** Where plugins record Events. */
  events: EventRecorder;
  /** The scheduler's shared informers, handed to plugins (`FrameworkHandle.informers`). */
  informers?: InformerProvider;
  /** Pods nominated to nodes. */
  nominator: Nominator;
  /** The snapshot of the current cycle. */
  snapshot: () => Snapshot;
  /** The container plugin containers are children of (so plugins can inject the manager's services). */
  container?: Container;
  /** The scheduler's percentageOfNodesToScore, used when the profile sets none. */
  percentageOfNodesToScore?: number;
}

/** A Score plugin with its weight. */
export interface WeightedScorePlugin {
  /** The plugin. */
  readonly plugin: ScorePlugin;
  /** Its weight (at least 1). */
  readonly weight: number;
}

/** An Error status as kube-scheduler words it for the later extension points: `running <Point> plugin "<name>": <error>`. */
function wrapError(status: Status, point: string, plugin: string): Status {
  if (status.code !== 'Error') return status.withPlugin(plugin);
  return new Status('Error', [`running ${point} plugin "${plugin}": ${status.message()}`], plugin);
}

/** One profile's plugins and the running of its extension points; see the file comment. */
export class Framework implements FrameworkHandle {
  /** The profile's scheduler name. */
  readonly profileName: string;
  /** Where plugins read and write. */
  readonly store: ObjectStore;
  /** The scheduler's clock. */
  readonly clock: Clock;
  /** The profile's logger. */
  readonly logger: Logger;
  /** Where plugins record Events. */
  readonly events: EventRecorder;
  /** The scheduler's shared informers. */
  readonly informers?: InformerProvider;
  /** Pods nominated to nodes. */
  readonly nominator: Nominator;
  /** The profile's percentageOfNodesToScore (0 = adaptive). */
  readonly percentageOfNodesToScore: number;
  /** Every plugin of the profile, by name, created once. */
  readonly plugins = new Map<string, SchedulerPlugin>();
  /** The plugins of each extension point, in order. */
  readonly preFilterPlugins: PreFilterPlugin[];
  /** Filter plugins, in order. */
  readonly filterPlugins: FilterPlugin[];
  /** PostFilter plugins, in order. */
  readonly postFilterPlugins: PostFilterPlugin[];
  /** PreScore plugins, in order. */
  readonly preScorePlugins: PreScorePlugin[];
  /** Score plugins with their weights, in order. */
  readonly scorePlugins: WeightedScorePlugin[];
  /** Reserve plugins, in order. */
  readonly reservePlugins: ReservePlugin[];
  /** Permit plugins, in order. */
  readonly permitPlugins: PermitPlugin[];
  /** PreBind plugins, in order. */
  readonly preBindPlugins: PreBindPlugin[];
  /** Bind plugins, in order. */
  readonly bindPlugins: BindPlugin[];
  /** PostBind plugins, in order. */
  readonly postBindPlugins: PostBindPlugin[];
  private readonly snapshotFn: () => Snapshot;
  private readonly waiting = new Map<string, PermitWaitingPod>();
  private readonly registered = new Map<string, readonly ClusterEventWithHint[] | undefined>();

  /** Creates the profile's plugins (each once, in its own child container) and sorts them into the extension points. */
  constructor(options: FrameworkOptions) {
    const { profile, registry } = options;
    this.profileName = profile.schedulerName;
    this.store = options.store;
    this.clock = options.clock;
    this.logger = options.logger.child({ profile: profile.schedulerName });
    this.events = options.events;
    if (options.informers) this.informers = options.informers;
    this.nominator = options.nominator;
    this.snapshotFn = options.snapshot;
    this.percentageOfNodesToScore = profile.percentageOfNodesToScore ?? options.percentageOfNodesToScore ?? 0;
    const parent = options.container ?? new Container();
    const names = new Set<string>(profile.multiPoint.map((p) => p.name));
    for (const point of EXTENSION_POINTS) for (const p of profile.points?.[point]?.enabled ?? []) names.add(p.name);
    for (const name of names) {
      const cls = registry.get(name);
      if (!cls) throw new Error(`profile ${profile.schedulerName}: plugin ${name} is not registered`);
      this.plugins.set(name, instantiatePlugin(parent, cls, this, profile.pluginArgs?.[name]));
    }
    const at = <T>(point: ExtensionPoint): T[] => pluginsForPoint(profile, point, this.plugins).map((r) => r.plugin as T);
    this.preFilterPlugins = at('preFilter');
    this.filterPlugins = at('filter');
    this.postFilterPlugins = at('postFilter');
    this.preScorePlugins = at('preScore');
    this.scorePlugins = pluginsForPoint(profile, 'score', this.plugins).map((r) => ({ plugin: r.plugin as ScorePlugin, weight: r.weight }));
    this.reservePlugins = at('reserve');
    this.permitPlugins = at('permit');
    this.preBindPlugins = at('preBind');
    this.bindPlugins = at('bind');
    this.postBindPlugins = at('postBind');
    if (this.bindPlugins.length === 0) throw new Error(`profile ${profile.schedulerName}: at least one bind plugin is needed`);
  }

  /** The snapshot of the current cycle. */
  snapshot(): Snapshot {
    return this.snapshotFn();
  }

  /** A pod waiting at Permit, by uid. */
  waitingPod(uid: string): PermitWaitingPod | undefined {
    return this.waiting.get(uid);
  }

  /** Every pod waiting at Permit. */
  waitingPods(): readonly PermitWaitingPod[] {
    return [...this.waiting.values()];
  }

  /** The events a plugin registered, or undefined when it registers none (every event concerns it). */
  eventsToRegister(plugin: string): readonly ClusterEventWithHint[] | undefined {
    if (this.registered.has(plugin)) return this.registered.get(plugin);
    const p = this.plugins.get(plugin);
    const events = p && isEnqueueExtensions(p) ? p.eventsToRegister() : undefined;
    this.registered.set(plugin, events);
    return events;
  }

  /**
   * Runs PreFilter: merges the node sets of PreFilterResults (intersection), records plugins
   * answering Skip in `state.skipFilterPlugins`; the first rejection or error wins.
   */
  runPreFilterPlugins(
    state: CycleState,
    pod: Pod,
    nodes: readonly NodeInfo[],
  ): { status: Status; nodeNames?: Set<string>; narrowedBy: string[] } {
    let nodeNames: Set<string> | undefined;
    const narrowedBy: string[] = [];
    for (const p of this.preFilterPlugins) {
      let r: ReturnType<PreFilterPlugin['preFilter']>;
      try {
        r = p.preFilter(state, pod, nodes);
      } catch (err) {
        return { status: Status.error(err).withPlugin(p.name), narrowedBy };
      }
      if (r === undefined) continue;
      if (r instanceof Status) {
        if (r.code === 'Skip') {
          state.skipFilterPlugins.add(p.name);
          continue;
        }
        if (!r.isSuccess()) return { status: r.withPlugin(p.name), narrowedBy };
        continue;
      }
      narrowedBy.push(p.name);
      if (!nodeNames) nodeNames = new Set(r.nodeNames);
      else for (const n of nodeNames) if (!r.nodeNames.has(n)) nodeNames.delete(n);
    }
    if (nodeNames && nodeNames.size === 0) {
      const msg =
        narrowedBy.length === 1
          ? `node(s) didn't satisfy plugin ${narrowedBy[0]}`
          : `node(s) didn't satisfy plugin(s) [${narrowedBy.join(' ')}] simultaneously`;
      return { status: new Status('UnschedulableAndUnresolvable', [msg], narrowedBy[0]), nodeNames, narrowedBy };
    }
    return nodeNames ? { status: Status.success, nodeNames, narrowedBy } : { status: Status.success, narrowedBy };
  }

  /** Runs every Filter plugin for the pod on one node (skipping those in `state.skipFilterPlugins`); the first failure wins. */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const skip = state.skipFilterPlugins.size > 0 ? state.skipFilterPlugins : undefined;
    for (const p of this.filterPlugins) {
      if (skip?.has(p.name)) continue;
      let s: Status;
      try {
        s = p.filter(state, pod, nodeInfo);
      } catch (err) {
        return Status.error(err).withPlugin(p.name);
      }
      if (s.code !== 'Success') return s.withPlugin(p.name);
    }
    return Status.success;
  }

  /**
   * Runs Filter as kube-scheduler does with nominated pods: when pods of equal or higher
   * priority are nominated to the node, the pod must fit both with them (on copies of the node
   * and state, through the PreFilter extensions) and without them.
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const nominated = this.nominator.nominatedPodsForNode(nodeInfo.name);
    if (nominated.length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    const priority = pod.spec?.priority ?? 0;
    const uid = pod.metadata.uid;
    let withState: CycleState | undefined;
    let withInfo: NodeInfo | undefined;
    for (const p of nominated) {
      if ((p.pod.spec?.priority ?? 0) < priority || p.pod.metadata.uid === uid) continue;
      if (!withState) {
        withState = state.clone();
        withInfo = nodeInfo.clone();
      }
      withInfo!.addPod(p);
      const s = this.runPreFilterExtensionAddPod(withState, pod, p, withInfo!);
      if (!s.isSuccess()) return s;
    }
    if (!withState) return this.runFilterPlugins(state, pod, nodeInfo);
    const s = this.runFilterPlugins(withState, pod, withInfo!);
    if (!s.isSuccess()) return s;
    return this.runFilterPlugins(state, pod, nodeInfo);
  }

  /** True when some pod is nominated to some node (when none is, Filter needs no nominated-pod pass). */
  hasNominatedPods(): boolean {
    return (this.nominator as { size?: number }).size !== 0;
  }

  /** Runs the PreFilter extensions as if `podInfoToAdd` were added to `nodeInfo`. */
  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status {
    for (const p of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (!ext) continue;
      try {
        const s = ext.addPod(state, podToSchedule, podInfoToAdd, nodeInfo);
        if (s && !s.isSuccess()) return s.withPlugin(p.name);
      } catch (err) {
        return Status.error(err).withPlugin(p.name);
      }
    }
    return Status.success;
  }

  /** Runs the PreFilter extensions as if `podInfoToRemove` left `nodeInfo`. */
  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status {
    for (const p of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (!ext) continue;
      try {
        const s = ext.removePod(state, podToSchedule, podInfoToRemove, nodeInfo);
        if (s && !s.isSuccess()) return s.withPlugin(p.name);
      } catch (err) {
        return Status.error(err).withPlugin(p.name);
      }
    }
    return Status.success;
  }

  /** Runs PostFilter (no node fits): the first plugin that succeeds or errs ends it; otherwise the rejections are joined. */
  async runPostFilterPlugins(state: CycleState, pod: Pod, statuses: ReadonlyMap<string, Status>): Promise<PostFilterResult> {
    const reasons: string[] = [];
    let rejectedBy: string | undefined;
    for (const p of this.postFilterPlugins) {
      let r: PostFilterResult;
      try {
        r = await p.postFilter(state, pod, statuses);
      } catch (err) {
        return { status: Status.error(err).withPlugin(p.name) };
      }
      if (r.status.isSuccess()) return r;
      if (!r.status.isRejected()) return { ...r, status: r.status.withPlugin(p.name) };
      rejectedBy ??= p.name;
      reasons.push(...r.status.reasons);
    }
    return { status: new Status('Unschedulable', reasons, rejectedBy) };
  }

  /** Runs PreScore with the feasible nodes; plugins answering Skip go to `state.skipScorePlugins`. */
  runPreScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    for (const p of this.preScorePlugins) {
      let s: Status | void;
      try {
        s = p.preScore(state, pod, nodes);
      } catch (err) {
        return Status.error(err).withPlugin(p.name);
      }
      if (!s || s.code === 'Success') continue;
      if (s.code === 'Skip') state.skipScorePlugins.add(p.name);
      else return s.withPlugin(p.name);
    }
    return Status.success;
  }

  /** Runs Reserve in order; on a failure the caller runs `runReservePluginsUnreserve`. */
  async runReservePluginsReserve(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const p of this.reservePlugins) {
      try {
        const s = await p.reserve(state, pod, nodeName);
        if (s && !s.isSuccess()) return wrapError(s, 'Reserve', p.name);
      } catch (err) {
        return wrapError(Status.error(err), 'Reserve', p.name);
      }
    }
    return Status.success;
  }

  /** Runs Unreserve in reverse order; failures are logged, never raised. */
  async runReservePluginsUnreserve(state: CycleState, pod: Pod, nodeName: string): Promise<void> {
    for (let i = this.reservePlugins.length - 1; i >= 0; i--) {
      const p = this.reservePlugins[i]!;
      try {
        await p.unreserve(state, pod, nodeName);
      } catch (err) {
        this.logger.error({ err, plugin: p.name, pod: pod.metadata.name }, 'unreserve failed');
      }
    }
  }

  /**
   * Runs Permit. A rejection or error ends it; when plugins answer Wait the pod is held (see
   * `waitOnPermit`) and Wait is returned.
   */
  async runPermitPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    const waits = new Map<string, number>();
    for (const p of this.permitPlugins) {
      let r;
      try {
        r = await p.permit(state, pod, nodeName);
      } catch (err) {
        return wrapError(Status.error(err), 'Permit', p.name);
      }
      if (r.status.code === 'Wait') waits.set(p.name, r.timeoutMs ?? 0);
      else if (!r.status.isSuccess()) return wrapError(r.status, 'Permit', p.name);
    }
    if (waits.size === 0) return Status.success;
    const uid = pod.metadata.uid ?? '';
    this.waiting.set(uid, new PermitWaitingPod(pod, waits, this.clock));
    return new Status('Wait', [], [...waits.keys()][0]);
  }

  /** Waits until a pod held at Permit is allowed (Success) or rejected / timed out (Unschedulable). */
  async waitOnPermit(pod: Pod): Promise<Status> {
    const uid = pod.metadata.uid ?? '';
    const w = this.waiting.get(uid);
    if (!w) return Status.success;
    try {
      return await w.result;
    } finally {
      this.waiting.delete(uid);
    }
  }

  /** Runs PreBind in order; the first failure wins. */
  async runPreBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const p of this.preBindPlugins) {
      try {
        const s = await p.preBind(state, pod, nodeName);
        if (s && !s.isSuccess()) return wrapError(s, 'PreBind', p.name);
      } catch (err) {
        return wrapError(Status.error(err), 'PreBind', p.name);
      }
    }
    return Status.success;
  }

  /** Runs Bind: the first plugin not answering Skip binds; Skip when every one skipped. */
  async runBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const p of this.bindPlugins) {
      let s: Status | void;
      try {
        s = await p.bind(state, pod, nodeName);
      } catch (err) {
        return wrapError(Status.error(err), 'Bind', p.name);
      }
      if (s && s.code === 'Skip') continue;
      return s && !s.isSuccess() ? wrapError(s, 'Bind', p.name) : Status.success;
    }
    return Status.skip();
  }

  /** Runs PostBind (errors are logged). */
  runPostBindPlugins(state: CycleState, pod: Pod, nodeName: string): void {
    for (const p of this.postBindPlugins) {
      try {
        p.postBind(state, pod, nodeName);
      } catch (err) {
        this.logger.error({ err, plugin: p.name }, 'postBind failed');
      }
    }
  }
}
