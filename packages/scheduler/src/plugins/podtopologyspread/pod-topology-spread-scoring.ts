/**
 * PodTopologySpread's scoring (kube-scheduler's podtopologyspread/scoring.go semantics): per
 * ScheduleAnyway constraint, the matching pods per domain of the feasible nodes; a node
 * scores `Σ count(its domain) × log(domains + 2) + (maxSkew - 1)` (fewer is better), and
 * NormalizeScore maps it to `100 × (max + min - score) / max`.
 */
import type { Pod } from '@converge/core';
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { MAX_NODE_SCORE, type NodeScore } from '../../framework/plugin.js';
import { RequiredNodeAffinity } from '../helpers/node-selector.js';
import { byName, type MatchCounts, type SpreadPodIndex } from './spread-pod-index.js';
import { countMatchingPods, LABEL_HOSTNAME, NodeInclusion, nodeHasAllTopologyKeys, type SpreadConstraint } from './spread-constraint.js';

/** The CycleState key of the PreScore state. */
export const PRE_SCORE_STATE_KEY = 'PreScorePodTopologySpread';

/** What PreScore computed. */
export class SpreadPreScoreState implements StateData {
  /**
   * Makes the state.
   * @param constraints the pod's ScheduleAnyway (or default) constraints
   * @param ignoredNodes feasible nodes lacking a topology key (scored 0)
   * @param counts matching pods per domain of the feasible nodes, per constraint (empty for hostname)
   * @param weights `log(domains + 2)` per constraint
   * @param matches per constraint, matching pods per node (from the index), when an index was used
   */
  constructor(
    readonly constraints: readonly SpreadConstraint[],
    readonly ignoredNodes: ReadonlySet<string>,
    readonly counts: readonly Map<string, number>[],
    readonly weights: readonly number[],
    readonly matches?: readonly MatchCounts[],
  ) {}

  /** Scoring state is read-only after PreScore: the copy shares it. */
  clone(): SpreadPreScoreState {
    return this;
  }
}

/** The weight of a constraint with `size` domains. */
export function topologyNormalizingWeight(size: number): number {
  return Math.log(size + 2);
}

/**
 * Computes the scoring state. `requireAllTopologies` (the pod's own constraints, or List
 * defaults) ignores feasible nodes lacking a topology key; System defaults do not.
 */
export function computePreScoreState(
  pod: Pod,
  constraints: readonly SpreadConstraint[],
  filtered: readonly NodeInfo[],
  all: readonly NodeInfo[],
  requireAllTopologies: boolean,
  index?: SpreadPodIndex,
): SpreadPreScoreState {
  const ignored = new Set<string>();
  const counts = constraints.map(() => new Map<string, number>());
  const sizes = constraints.map(() => 0);
  for (const ni of filtered) {
    const labels = ni.node?.metadata.labels;
    if (requireAllTopologies && !nodeHasAllTopologyKeys(labels, constraints)) {
      ignored.add(ni.name);
      continue;
    }
    constraints.forEach((c, i) => {
      if (c.topologyKey === LABEL_HOSTNAME) return;
      const v = labels?.[c.topologyKey];
      if (v === undefined) return;
      if (!counts[i]!.has(v)) {
        counts[i]!.set(v, 0);
        sizes[i]!++;
      }
    });
  }
  const weights = constraints.map((c, i) =>
    topologyNormalizingWeight(c.topologyKey === LABEL_HOSTNAME ? filtered.length - ignored.size : sizes[i]!),
  );

  const inclusion = new NodeInclusion(pod, new RequiredNodeAffinity(pod));
  const ns = pod.metadata.namespace ?? '';
  if (index) {
    // Only nodes with matching pods add to a domain: visit those instead of every node.
    const matchNodes = constraints.map((c) => index.matchNodes(c.selector, ns));
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      const m = counts[i]!;
      for (const [node, n] of matchNodes[i]!) {
        const labels = node.metadata.labels;
        if (requireAllTopologies && !nodeHasAllTopologyKeys(labels, constraints)) continue;
        if (!inclusion.includes(c, node)) continue;
        const v = labels?.[c.topologyKey];
        if (v === undefined) continue;
        const cur = m.get(v);
        if (cur !== undefined) m.set(v, cur + n);
      }
    }
    return new SpreadPreScoreState(constraints, ignored, counts, weights, matchNodes.map(byName));
  }
  for (const ni of all) {
    const node = ni.node;
    if (!node) continue;
    const labels = node.metadata.labels;
    if (requireAllTopologies && !nodeHasAllTopologyKeys(labels, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      if (!inclusion.includes(c, node)) continue;
      const v = labels?.[c.topologyKey];
      if (v === undefined) continue;
      const m = counts[i]!;
      const cur = m.get(v);
      if (cur === undefined) continue;
      m.set(v, cur + countMatchingPods(ni.pods, c.selector, ns));
    }
  }
  return new SpreadPreScoreState(constraints, ignored, counts, weights);
}

/** The raw score of a node (lower means fewer matching pods). */
export function scoreNode(s: SpreadPreScoreState, pod: Pod, ni: NodeInfo): number {
  const node = ni.node;
  if (!node) return 0;
  const name = node.metadata.name ?? '';
  if (s.ignoredNodes.size > 0 && s.ignoredNodes.has(name)) return 0;
  const labels = node.metadata.labels;
  let score = 0;
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    const v = labels?.[c.topologyKey];
    if (v === undefined) continue;
    let count: number;
    if (c.topologyKey !== LABEL_HOSTNAME) count = s.counts[i]!.get(v) ?? 0;
    else if (s.matches) count = s.matches[i]!.get(name) ?? 0;
    else count = countMatchingPods(ni.pods, c.selector, pod.metadata.namespace ?? '');
    score += count * s.weights[i]! + (c.maxSkew - 1);
  }
  return Math.round(score);
}

/** Inverts and scales the raw scores into 0..100; ignored nodes get 0. */
export function normalizeSpreadScores(s: SpreadPreScoreState, scores: NodeScore[]): void {
  let min = Number.MAX_SAFE_INTEGER;
  let max = 0;
  for (const sc of scores) {
    if (s.ignoredNodes.has(sc.name)) continue;
    if (sc.score < min) min = sc.score;
    if (sc.score > max) max = sc.score;
  }
  for (const sc of scores) {
    if (s.ignoredNodes.has(sc.name)) {
      sc.score = 0;
      continue;
    }
    if (max === 0) {
      sc.score = MAX_NODE_SCORE;
      continue;
    }
    sc.score = Math.trunc((MAX_NODE_SCORE * (max + min - sc.score)) / max);
  }
}
