/**
 * InterPodAffinity's scoring (kube-scheduler's interpodaffinity/scoring.go semantics): for
 * every existing pod, the incoming pod's preferred terms the existing pod matches, and the
 * existing pod's required affinity (weighted `hardPodAffinityWeight`) and preferred terms the
 * incoming pod matches, add (affinity) or subtract (anti-affinity) their weight to the
 * topology pair of the existing pod's node. A node scores the sum over its pairs; scores are
 * then scaled min-max to 0..100.
 */
import type { Node, Pod } from '@converge/core';
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo } from '../../framework/node-info.js';
import { MAX_NODE_SCORE, type NodeScore } from '../../framework/plugin.js';
import {
  affinityTermsOf,
  NO_NAMESPACE_LABELS,
  termMatches,
  type AffinityTerm,
  type NamespaceLabelsFn,
  type WeightedAffinityTerm,
} from './affinity-term.js';
import { TopologyCounts } from './topology-counts.js';

/** The CycleState key of the PreScore state. */
export const PRE_SCORE_STATE_KEY = 'PreScoreInterPodAffinity';

/** What PreScore computed: a score per topology pair. */
export class InterPodAffinityPreScoreState implements StateData {
  /** Makes the state from the pair scores. */
  constructor(readonly topologyScore: TopologyCounts) {}

  /** A copy. */
  clone(): InterPodAffinityPreScoreState {
    return new InterPodAffinityPreScoreState(this.topologyScore.clone());
  }
}

/** What scoring needs besides the nodes. */
export interface AffinityScoringInput {
  /** The pod being scheduled. */
  readonly pod: Pod;
  /** Its preferred affinity terms (namespace selectors merged). */
  readonly preferredAffinity: readonly WeightedAffinityTerm[];
  /** Its preferred anti-affinity terms (namespace selectors merged). */
  readonly preferredAntiAffinity: readonly WeightedAffinityTerm[];
  /** The labels of its namespace. */
  readonly nsLabels: NamespaceLabelsFn;
  /** The weight of existing pods' required affinity terms the pod matches (0 disables). */
  readonly hardPodAffinityWeight: number;
  /** True when the pod has preferred terms of its own: every pod on every node is then examined. */
  readonly hasConstraints: boolean;
}

function processTerm(
  scores: TopologyCounts,
  term: AffinityTerm,
  weight: number,
  target: Pod,
  nsLabels: NamespaceLabelsFn,
  node: Node,
  multiplier: number,
): void {
  if (!termMatches(term, target, nsLabels)) return;
  scores.addForNode(node, term.topologyKey, weight * multiplier);
}

function processTerms(
  scores: TopologyCounts,
  terms: readonly WeightedAffinityTerm[],
  target: Pod,
  nsLabels: NamespaceLabelsFn,
  node: Node,
  multiplier: number,
): void {
  for (const t of terms) processTerm(scores, t, t.weight, target, nsLabels, node, multiplier);
}

/** The score per topology pair over the given nodes (all nodes, or only those with pods with affinity). */
export function topologyScores(input: AffinityScoringInput, nodes: readonly NodeInfo[]): TopologyCounts {
  const scores = new TopologyCounts();
  for (const ni of nodes) {
    const node = ni.node;
    if (!node?.metadata.labels || Object.keys(node.metadata.labels).length === 0) continue;
    const pods = input.hasConstraints ? ni.pods : ni.podsWithAffinity;
    for (const existing of pods) {
      const other = existing.pod;
      processTerms(scores, input.preferredAffinity, other, NO_NAMESPACE_LABELS, node, 1);
      processTerms(scores, input.preferredAntiAffinity, other, NO_NAMESPACE_LABELS, node, -1);
      if (!existing.hasAffinity) continue;
      const terms = affinityTermsOf(other);
      if (input.hardPodAffinityWeight > 0) {
        for (const t of terms.requiredAffinity) processTerm(scores, t, input.hardPodAffinityWeight, input.pod, input.nsLabels, node, 1);
      }
      processTerms(scores, terms.preferredAffinity, input.pod, input.nsLabels, node, 1);
      processTerms(scores, terms.preferredAntiAffinity, input.pod, input.nsLabels, node, -1);
    }
  }
  return scores;
}

/** Scales scores min-max into 0..MAX_NODE_SCORE (all 0 when they are equal), truncating as Kubernetes does. */
export function normalizeMinMax(scores: NodeScore[]): void {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const s of scores) {
    if (s.score > max) max = s.score;
    if (s.score < min) min = s.score;
  }
  const diff = max - min;
  for (const s of scores) s.score = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((s.score - min) / diff)) : 0;
}
