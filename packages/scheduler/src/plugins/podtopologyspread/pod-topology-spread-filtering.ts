/**
 * PodTopologySpread's PreFilter state and Filter check (kube-scheduler's
 * podtopologyspread/filtering.go semantics): per DoNotSchedule constraint, the matching pods
 * per domain over the eligible nodes and the two smallest domains ("critical paths"); a node
 * fits when `count(its domain) + (1 if the pod matches) - global minimum <= maxSkew`.
 */
import type { Node, Pod } from '@converge/core';
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { Status } from '../../framework/status.js';
import { RequiredNodeAffinity } from '../helpers/node-selector.js';
import type { SpreadPodIndex } from './spread-pod-index.js';
import { countMatchingPods, NodeInclusion, nodeHasAllTopologyKeys, type SpreadConstraint } from './spread-constraint.js';

/** The CycleState key of the PreFilter state. */
export const PRE_FILTER_STATE_KEY = 'PreFilterPodTopologySpread';
/** Filter's reason when the skew would be exceeded. */
export const REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
/** Filter's reason when the node lacks a constraint's topology key. */
export const REASON_NODE_LABEL_NOT_MATCH = `${REASON_CONSTRAINTS_NOT_MATCH} (missing required label)`;

const MAX_INT32 = 2147483647;
const SKEW_EXCEEDED = Status.unschedulable(REASON_CONSTRAINTS_NOT_MATCH);
const LABEL_MISSING = Status.unresolvable(REASON_NODE_LABEL_NOT_MATCH);

/** The two domains with the fewest matching pods, smallest first, kept up to date as kube-scheduler's criticalPaths. */
export class CriticalPaths {
  /** The domain with the fewest matching pods. */
  v0 = '';
  /** Its count (MaxInt32 while there is no domain). */
  n0 = MAX_INT32;
  /** The domain with the second fewest. */
  v1 = '';
  /** Its count. */
  n1 = MAX_INT32;

  /** Records that domain `value` now counts `num`. */
  update(value: string, num: number): void {
    if (value === this.v0 || value === this.v1) {
      if (value === this.v0) this.n0 = num;
      else this.n1 = num;
      if (this.n0 > this.n1) {
        [this.v0, this.v1] = [this.v1, this.v0];
        [this.n0, this.n1] = [this.n1, this.n0];
      }
    } else if (num < this.n0) {
      this.v1 = this.v0;
      this.n1 = this.n0;
      this.v0 = value;
      this.n0 = num;
    } else if (num < this.n1) {
      this.v1 = value;
      this.n1 = num;
    }
  }

  /** A copy. */
  clone(): CriticalPaths {
    return Object.assign(new CriticalPaths(), this);
  }
}

/** What PreFilter computed for one pod. */
export class SpreadPreFilterState implements StateData {
  /**
   * Makes the state.
   * @param constraints the pod's DoNotSchedule constraints
   * @param counts matching pods per domain, per constraint (every eligible domain present)
   * @param paths the critical paths per constraint
   * @param selfMatch per constraint, 1 when the pod itself matches the selector
   * @param pod the pod being scheduled
   * @param affinity its required node affinity
   */
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    readonly counts: Map<string, number>[],
    readonly paths: CriticalPaths[],
    readonly selfMatch: readonly number[],
    readonly pod: Pod,
    readonly affinity: RequiredNodeAffinity,
  ) {}

  /** A copy whose counts can change independently. */
  clone(): SpreadPreFilterState {
    return new SpreadPreFilterState(
      this.constraints,
      this.counts.map((m) => new Map(m)),
      this.paths.map((p) => p.clone()),
      this.selfMatch,
      this.pod,
      this.affinity,
    );
  }

  /** The global minimum of constraint `i`: 0 while fewer domains than minDomains are eligible. */
  minMatchNum(i: number): number {
    const c = this.constraints[i]!;
    if (this.counts[i]!.size < c.minDomains) return 0;
    return this.paths[i]!.n0;
  }

  /** Counts `podInfo` on `node` (`delta` 1) or uncounts it (-1), for preemption's dry runs. */
  updateWithPod(podInfo: PodInfo, node: Node | undefined, delta: number): void {
    const other = podInfo.pod;
    if (!node || (other.metadata.namespace ?? '') !== (this.pod.metadata.namespace ?? '')) return;
    if (!nodeHasAllTopologyKeys(node.metadata.labels, this.constraints)) return;
    const inclusion = new NodeInclusion(this.pod, this.affinity);
    this.constraints.forEach((c, i) => {
      if (!c.selector.matches(other.metadata.labels)) return;
      if (!inclusion.includes(c, node)) return;
      const v = node.metadata.labels![c.topologyKey]!;
      const n = (this.counts[i]!.get(v) ?? 0) + delta;
      this.counts[i]!.set(v, n);
      this.paths[i]!.update(v, n);
    });
  }
}

/**
 * Computes the PreFilter state of `pod` for its DoNotSchedule constraints over every node.
 * With `index` (synced to `nodes`) matching pods are counted per group of identical pods;
 * without, pod by pod.
 */
export function computePreFilterState(
  pod: Pod,
  constraints: readonly SpreadConstraint[],
  nodes: readonly NodeInfo[],
  index?: SpreadPodIndex,
): SpreadPreFilterState {
  const affinity = new RequiredNodeAffinity(pod);
  const inclusion = new NodeInclusion(pod, affinity);
  const ns = pod.metadata.namespace ?? '';
  const counts = (index && countsFromCensus(constraints, affinity, ns, index)) ?? countsOverNodes(constraints, inclusion, ns, nodes, index);
  const paths = counts.map((m) => {
    const p = new CriticalPaths();
    for (const [v, n] of m) p.update(v, n);
    return p;
  });
  const selfMatch = constraints.map((c) => (c.selector.matches(pod.metadata.labels) ? 1 : 0));
  return new SpreadPreFilterState(constraints, counts, paths, selfMatch, pod, affinity);
}

/**
 * The counts per domain from the index's domain census and matching pods, without visiting
 * every node; undefined when the census is unavailable or an inclusion policy must be checked
 * node by node (the pod has node affinity to honour, or a constraint honours taints).
 */
function countsFromCensus(
  constraints: readonly SpreadConstraint[],
  affinity: RequiredNodeAffinity,
  ns: string,
  index: SpreadPodIndex,
): Map<string, number>[] | undefined {
  for (const c of constraints) {
    if (c.nodeTaintsPolicy === 'Honor' || (c.nodeAffinityPolicy === 'Honor' && !affinity.empty)) return undefined;
  }
  const keys = constraints.map((c) => c.topologyKey);
  const counts: Map<string, number>[] = [];
  for (const c of constraints) {
    const domains = index.domains(keys, c.topologyKey);
    if (!domains) return undefined;
    const m = new Map<string, number>();
    for (const v of domains.keys()) m.set(v, 0);
    for (const [node, n] of index.matchNodes(c.selector, ns)) {
      const labels = node.metadata.labels;
      if (!nodeHasAllTopologyKeys(labels, constraints)) continue;
      const v = labels![c.topologyKey]!;
      m.set(v, (m.get(v) ?? 0) + n);
    }
    counts.push(m);
  }
  return counts;
}

/** The counts per domain, node by node (with the index's matching pods per node, or counting each node's pods). */
function countsOverNodes(
  constraints: readonly SpreadConstraint[],
  inclusion: NodeInclusion,
  ns: string,
  nodes: readonly NodeInfo[],
  index: SpreadPodIndex | undefined,
): Map<string, number>[] {
  const counts = constraints.map(() => new Map<string, number>());
  const matches = index ? constraints.map((c) => index.matchCounts(c.selector, ns)) : undefined;
  for (const ni of nodes) {
    const node = ni.node;
    if (!node) continue;
    const labels = node.metadata.labels;
    if (!nodeHasAllTopologyKeys(labels, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      if (!inclusion.includes(c, node)) continue;
      const v = labels![c.topologyKey]!;
      const m = counts[i]!;
      const n = matches ? (matches[i]!.get(ni.name) ?? 0) : countMatchingPods(ni.pods, c.selector, ns);
      m.set(v, (m.get(v) ?? 0) + n);
    }
  }
  return counts;
}

/** Filter: the node has every topology key, and placing the pod keeps every skew within maxSkew. */
export function filterNode(s: SpreadPreFilterState, node: Node): Status {
  const labels = node.metadata.labels;
  const n = s.constraints.length;
  for (let i = 0; i < n; i++) {
    const c = s.constraints[i]!;
    const v = labels?.[c.topologyKey];
    if (v === undefined) return LABEL_MISSING;
    const skew = (s.counts[i]!.get(v) ?? 0) + s.selfMatch[i]! - s.minMatchNum(i);
    if (skew > c.maxSkew) return SKEW_EXCEEDED;
  }
  return Status.success;
}
