/**
 * InterPodAffinity: kube-scheduler 1.32's plugin for required and preferred pod affinity and
 * anti-affinity (the incoming pod's terms, and existing pods' terms about it).
 */
import type { Pod } from '@converge/core';
import { inject, injectable, optional } from 'inversify';
import { ActionType, type ClusterEventWithHint } from '../../framework/cluster-event.js';
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
import { affinityTermsOf, withNamespacesMerged } from './affinity-term.js';
import { parseInterPodAffinityArgs, type InterPodAffinityArgs } from './inter-pod-affinity.args.js';
import { nodeChangeHint, podChangeHint } from './inter-pod-affinity-events.js';
import { AffinityIndexes } from './affinity-indexes.js';
import {
  InterPodAffinityPreFilterState,
  PRE_FILTER_STATE_KEY,
  REASON_AFFINITY,
  REASON_ANTI_AFFINITY,
  REASON_EXISTING_ANTI_AFFINITY,
  satisfiesExistingPodsAntiAffinity,
  satisfiesPodAffinity,
  satisfiesPodAntiAffinity,
} from './inter-pod-affinity-filtering.js';
import { InterPodAffinityPreScoreState, normalizeMinMax, PRE_SCORE_STATE_KEY } from './inter-pod-affinity-scoring.js';
import { ListerCache } from './lister-cache.js';
import { NamespaceLabelsLookup } from './namespace-labels.js';
import { missingState, updateCountingState } from '../helpers/counting-state.js';

const AFFINITY_MISMATCH = Status.unresolvable(REASON_AFFINITY);
const ANTI_AFFINITY_MISMATCH = Status.unschedulable(REASON_ANTI_AFFINITY);
const EXISTING_ANTI_AFFINITY_MISMATCH = Status.unschedulable(REASON_EXISTING_ANTI_AFFINITY);
const NAMESPACES_NOT_SYNCED = 'namespace selectors need Namespace labels, and the Namespace cache has not synced yet';
const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Filters nodes by the pod's required (anti-)affinity and existing pods' required
 * anti-affinity, and scores them by preferred terms (both ways) and existing pods' required
 * affinity. Namespace selectors read Namespace labels from an informer over `handle.store`.
 */
@injectable()
@SchedulerPluginClass({ name: 'InterPodAffinity' })
export class InterPodAffinity
  implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions, PreFilterExtensions
{
  /** The plugin's name. */
  readonly name = 'InterPodAffinity';
  /** The validated arguments. */
  readonly args: InterPodAffinityArgs;
  /** The Namespace cache, started when a namespace selector first needs it. */
  readonly listers: ListerCache;
  private readonly indexes = new AffinityIndexes();

  /** Makes the plugin; `args` as InterPodAffinityArgs (hardPodAffinityWeight, ignorePreferredTermsOfExistingPods). */
  constructor(
    @inject(FrameworkHandleToken) private readonly handle: FrameworkHandle,
    @inject(PluginArgsToken) @optional() args?: unknown,
  ) {
    this.args = parseInterPodAffinityArgs(args);
    this.listers = new ListerCache(handle);
  }

  /** Computes the topology counts Filter reads; Skip when no affinity rule can apply to the pod. */
  preFilter(state: CycleState, pod: Pod): Status | void {
    const terms = affinityTermsOf(pod);
    if (terms.parseError !== undefined) return Status.unresolvable(`parsing pod: ${terms.parseError}`);
    const snapshot = this.handle.snapshot();
    const ns = new NamespaceLabelsLookup(this.listers);
    const requiredAffinity = terms.requiredAffinity.map((t) => withNamespacesMerged(t, (sel) => ns.namesMatching(sel)));
    const requiredAntiAffinity = terms.requiredAntiAffinity.map((t) => withNamespacesMerged(t, (sel) => ns.namesMatching(sel)));
    const nsLabels = ns.labelsOf(pod.metadata.namespace ?? '');
    const existing = this.indexes.existingAntiAffinityCounts(pod, nsLabels, {
      snapshot,
      nodes: snapshot.havePodsWithRequiredAntiAffinity(),
    });
    if (ns.missing) return Status.error(NAMESPACES_NOT_SYNCED);
    if (existing.size === 0 && requiredAffinity.length === 0 && requiredAntiAffinity.length === 0) return Status.skip();
    const incoming = this.indexes.incomingAffinityCounts(requiredAffinity, requiredAntiAffinity, { snapshot, nodes: snapshot.list() });
    state.write(
      PRE_FILTER_STATE_KEY,
      new InterPodAffinityPreFilterState(
        pod,
        requiredAffinity,
        requiredAntiAffinity,
        nsLabels,
        existing,
        incoming.affinity,
        incoming.antiAffinity,
      ),
    );
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

  /** Checks the node against the counts: the pod's affinity, its anti-affinity, then existing pods' anti-affinity. */
  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const node = nodeInfo.node;
    if (!node) return Status.error('node not found');
    const s = state.read<InterPodAffinityPreFilterState>(PRE_FILTER_STATE_KEY);
    if (!s) return missingState(PRE_FILTER_STATE_KEY);
    const labels = node.metadata.labels ?? NO_LABELS;
    if (!satisfiesPodAffinity(s, labels)) return AFFINITY_MISMATCH;
    if (!satisfiesPodAntiAffinity(s, labels)) return ANTI_AFFINITY_MISMATCH;
    if (!satisfiesExistingPodsAntiAffinity(s, labels)) return EXISTING_ANTI_AFFINITY_MISMATCH;
    return Status.success;
  }

  /** Computes the score of every topology pair; Skip when no pair scores anything. */
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | void {
    if (nodes.length === 0) return Status.skip();
    const terms = affinityTermsOf(pod);
    if (terms.parseError !== undefined) return Status.unresolvable(`parsing pod: ${terms.parseError}`);
    const hasConstraints = terms.preferredAffinity.length > 0 || terms.preferredAntiAffinity.length > 0;
    if (this.args.ignorePreferredTermsOfExistingPods && !hasConstraints) return Status.skip();
    const snapshot = this.handle.snapshot();
    const ns = new NamespaceLabelsLookup(this.listers);
    const scores = this.indexes.topologyScores(
      {
        pod,
        preferredAffinity: terms.preferredAffinity.map((t) => withNamespacesMerged(t, (sel) => ns.namesMatching(sel))),
        preferredAntiAffinity: terms.preferredAntiAffinity.map((t) => withNamespacesMerged(t, (sel) => ns.namesMatching(sel))),
        nsLabels: ns.labelsOf(pod.metadata.namespace ?? ''),
        hardPodAffinityWeight: this.args.hardPodAffinityWeight,
        hasConstraints,
      },
      hasConstraints ? { snapshot, nodes: snapshot.list() } : [],
      { snapshot, nodes: snapshot.havePodsWithAffinity() },
    );
    if (ns.missing) return Status.error(NAMESPACES_NOT_SYNCED);
    if (scores.size === 0) return Status.skip();
    state.write(PRE_SCORE_STATE_KEY, new InterPodAffinityPreScoreState(scores));
  }

  /** The sum of the scores of the node's topology pairs. */
  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<InterPodAffinityPreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s) throw new Error(`reading "${PRE_SCORE_STATE_KEY}" from cycleState: not found`);
    return s.topologyScore.sumFor(nodeInfo.node?.metadata.labels ?? NO_LABELS);
  }

  /** Scales the scores min-max into 0..100. */
  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status | void {
    const s = state.read<InterPodAffinityPreScoreState>(PRE_SCORE_STATE_KEY);
    if (!s || s.topologyScore.size === 0) return;
    normalizeMinMax(scores);
  }

  /** Assigned pods added, deleted or relabelled; nodes added or relabelled. */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      {
        event: {
          resource: 'AssignedPod',
          actionType: ActionType.Add | ActionType.UpdatePodLabel | ActionType.Delete,
          label: 'AssignedPodChange',
        },
        hint: podChangeHint,
      },
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel, label: 'NodeAddOrLabelChange' },
        hint: nodeChangeHint,
      },
    ];
  }
}
