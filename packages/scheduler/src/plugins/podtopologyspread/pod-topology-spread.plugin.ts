/**
 * PodTopologySpread: kube-scheduler 1.32's plugin for `topologySpreadConstraints`
 * (DoNotSchedule ones filter, ScheduleAnyway ones score) and the cluster-level default
 * constraints for pods without their own.
 */
import type { Node, Pod, TopologySpreadConstraint } from '@converge/core';
import { inject, injectable, optional } from 'inversify';
import { ActionType, type ClusterEventWithHint, type QueueingHint } from '../../framework/cluster-event.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { FrameworkHandleToken, PluginArgsToken, type FrameworkHandle } from '../../framework/handle.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { SchedulerPluginClass } from '../../framework/plugin.decorator.js';
import type {
  EnqueueExtensions,
  FilterPlugin,
  NodeScore,
  PreFilterExtensions,
  PreFilterPlugin,
  PreScorePlugin,
  ScorePlugin,
} from '../../framework/plugin.js';
import { Status } from '../../framework/status.js';
import { ListerCache } from '../interpodaffinity/lister-cache.js';
import { defaultSelector } from './default-selector.js';
import { parsePodTopologySpreadArgs, SYSTEM_DEFAULT_CONSTRAINTS, type PodTopologySpreadArgs } from './pod-topology-spread.args.js';
import { computePreFilterState, filterNode, PRE_FILTER_STATE_KEY, SpreadPreFilterState } from './pod-topology-spread-filtering.js';
import {
  computePreScoreState,
  normalizeSpreadScores,
  PRE_SCORE_STATE_KEY,
  scoreNode,
  SpreadPreScoreState,
} from './pod-topology-spread-scoring.js';
import { SpreadPodIndex } from './spread-pod-index.js';
import { filterConstraints, nodeHasAllTopologyKeys, type SpreadConstraint, type UnsatisfiableAction } from './spread-constraint.js';
import { missingState, updateCountingState } from '../helpers/counting-state.js';

/**
 * Spreads pods over topology domains. Default constraints take their selector from the
 * Services, ReplicationControllers, ReplicaSets and StatefulSets selecting the pod, read
 * through informers over `handle.store` (until those have synced, a pod without constraints
 * of its own gets no default ones).
 */
@injectable()
@SchedulerPluginClass({ name: 'PodTopologySpread' })
export class PodTopologySpread
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions, PreFilterExtensions
{
  /** The plugin's name. */
  readonly name = 'PodTopologySpread';
  /** The validated arguments. */
  readonly args: PodTopologySpreadArgs;
  /** The Service and workload caches, started when default constraints first need them. */
  readonly listers: ListerCache;
  private readonly systemDefaulted: boolean;
  private readonly index = new SpreadPodIndex();
  private readonly defaults: readonly TopologySpreadConstraint[];

  /** Makes the plugin; `args` as PodTopologySpreadArgs (defaultConstraints, defaultingType). */
  constructor(
    @inject(FrameworkHandleToken) private readonly handle: FrameworkHandle,
    @inject(PluginArgsToken) @optional() args?: unknown,
  ) {
    this.args = parsePodTopologySpreadArgs(args);
    this.listers = new ListerCache(handle);
    this.systemDefaulted = this.args.defaultingType === 'System';
    this.defaults = this.systemDefaulted ? SYSTEM_DEFAULT_CONSTRAINTS : (this.args.defaultConstraints as TopologySpreadConstraint[]);
  }

  /** The pod's constraints for `action`: its own, or the defaults with the selector of its Services and controller. */
  constraintsOf(pod: Pod, action: UnsatisfiableAction): SpreadConstraint[] {
    const own = pod.spec?.topologySpreadConstraints;
    if (own && own.length > 0) return filterConstraints(own, pod.metadata.labels, action);
    const defaults = filterConstraints(this.defaults, pod.metadata.labels, action);
    if (defaults.length === 0) return defaults;
    const selector = defaultSelector(pod, this.listers);
    if (!selector || selector.empty) return [];
    return defaults.map((c) => ({ ...c, selector }));
  }

  /** Counts matching pods per domain for the DoNotSchedule constraints; Skip when there are none. */
  preFilter(state: CycleState, pod: Pod): Status | void {
    let constraints: SpreadConstraint[];
    try {
      constraints = this.constraintsOf(pod, 'DoNotSchedule');
    } catch (err) {
      return Status.error(`obtaining pod's hard topology spread constraints: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (constraints.length === 0) return Status.skip();
    const snapshot = this.handle.snapshot();
    const nodes = snapshot.list();
    this.index.sync({ snapshot, nodes });
    state.write(PRE_FILTER_STATE_KEY, computePreFilterState(pod, constraints, nodes, this.index));
  }

  /** This plugin keeps its counts right when preemption adds or removes pods. */
  preFilterExtensions(): PreFilterExtensions {
    return this;
  }

  /** Counts a pod added to a node during a dry run. */
  addPod(state: CycleState, _podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status | void {
    return updateCountingState(state, PRE_FILTER_STATE_KEY, podInfoToAdd, nodeInfo, 1);
  }

  /** Uncounts a pod removed from a node during a dry run. */
  removePod(state: CycleState, _podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status | void {
    return updateCountingState(state, PRE_FILTER_STATE_KEY, podInfoToRemove, nodeInfo, -1);
  }

  /** Checks the node's topology labels and the skew placing the pod there would cause. */
  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const node = nodeInfo.node;
    if (!node) return Status.error('node not found');
    const s = state.read<SpreadPreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) return missingState(PRE_FILTER_STATE_KEY);
    return filterNode(s, node);
  }

  /** Counts matching pods per domain of the feasible nodes for the ScheduleAnyway constraints; Skip when there are none. */
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | void {
    const snapshot = this.handle.snapshot();
    const all = snapshot.list();
    if (nodes.length === 0 || all.length === 0) return Status.skip();
    let constraints: SpreadConstraint[];
    try {
      constraints = this.constraintsOf(pod, 'ScheduleAnyway');
    } catch (err) {
      return Status.error(`obtaining pod's soft topology spread constraints: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (constraints.length === 0) return Status.skip();
    const requireAllTopologies = (pod.spec?.topologySpreadConstraints?.length ?? 0) > 0 || !this.systemDefaulted;
    this.index.sync({ snapshot, nodes: all });
    state.write(PRE_SCORE_STATE_KEY, computePreScoreState(pod, constraints, nodes, all, requireAllTopologies, this.index));
  }

  /** The node's raw score: its domains' matching pods, weighted. */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<SpreadPreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) throw new Error(`reading "${PRE_SCORE_STATE_KEY}" from cycleState: not found`);
    return scoreNode(s, pod, nodeInfo);
  }

  /** Fewer matching pods score higher: `100 × (max + min - score) / max`. */
  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status | void {
    const s = state.read<SpreadPreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) return missingState(PRE_SCORE_STATE_KEY);
    normalizeSpreadScores(s, scores);
  }

  /** Assigned pods added, deleted or relabelled; nodes added, deleted, relabelled or retainted. */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      {
        event: {
          resource: 'AssignedPod',
          actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete,
          label: 'AssignedPodChange',
        },
        hint: (pod, oldObj, newObj) => this.podChangeHint(pod, oldObj as Pod | undefined, newObj as Pod | undefined),
      },
      {
        event: {
          resource: 'Node',
          actionType: ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint,
          label: 'NodeChange',
        },
        hint: (pod, oldObj, newObj) => this.nodeChangeHint(pod, oldObj as Node | undefined, newObj as Node | undefined),
      },
    ];
  }

  private hintConstraints(pod: Pod): SpreadConstraint[] | undefined {
    try {
      return [...this.constraintsOf(pod, 'DoNotSchedule'), ...this.constraintsOf(pod, 'ScheduleAnyway')];
    } catch {
      return undefined;
    }
  }

  /** Re-queue when an assigned pod of the same namespace that a constraint counts appears, goes, or changes whether it is counted. */
  private podChangeHint(pod: Pod, before: Pod | undefined, after: Pod | undefined): QueueingHint {
    if ((after && !after.spec?.nodeName) || (before && !before.spec?.nodeName)) return 'Skip';
    const constraints = this.hintConstraints(pod);
    if (!constraints) return 'Queue';
    if (before && after) {
      if (before.metadata.namespace !== pod.metadata.namespace) return 'Skip';
      return constraints.some((c) => c.selector.matches(before.metadata.labels) !== c.selector.matches(after.metadata.labels))
        ? 'Queue'
        : 'Skip';
    }
    const changed = after ?? before;
    if (!changed || changed.metadata.namespace !== pod.metadata.namespace) return 'Skip';
    return constraints.some((c) => c.selector.matches(changed.metadata.labels)) ? 'Queue' : 'Skip';
  }

  /** Re-queue when the node (before or after) carries every topology key of the pod's constraints. */
  private nodeChangeHint(pod: Pod, before: Node | undefined, after: Node | undefined): QueueingHint {
    const constraints = this.hintConstraints(pod);
    if (!constraints) return 'Queue';
    const node = after ?? before;
    if (!node) return 'Skip';
    return nodeHasAllTopologyKeys(node.metadata.labels, constraints) ? 'Queue' : 'Skip';
  }
}
