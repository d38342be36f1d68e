/**
 * InterPodAffinity's PreFilter state and Filter checks (kube-scheduler's
 * interpodaffinity/filtering.go semantics): PreFilter counts, per topology pair, the
 * existing pods whose required anti-affinity matches the incoming pod, and the existing
 * pods matching the incoming pod's required affinity and anti-affinity terms; Filter then
 * only looks the node's labels up in those counts.
 */
import type { Node, Pod } from '@converge/core';
import type { StateData } from '../../framework/cycle-state.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import {
  affinityTermsOf,
  matchesAllTerms,
  NO_NAMESPACE_LABELS,
  termMatches,
  termMatchesMeta,
  type AffinityTerm,
  type NamespaceLabelsFn,
} from './affinity-term.js';
import { TopologyCounts } from './topology-counts.js';

/** The CycleState key of the PreFilter state. */
export const PRE_FILTER_STATE_KEY = 'PreFilterInterPodAffinity';

/** Filter's reason when existing pods' required anti-affinity rejects the node. */
export const REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
/** Filter's reason when the pod's required affinity is not met on the node. */
export const REASON_AFFINITY = "node(s) didn't match pod affinity rules";
/** Filter's reason when the pod's required anti-affinity is not met on the node. */
export const REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";

/** What PreFilter computed for one pod. */
export class InterPodAffinityPreFilterState implements StateData {
  /**
   * Makes the state.
   * @param pod the pod being scheduled
   * @param requiredAffinity its required affinity terms (namespace selectors merged)
   * @param requiredAntiAffinity its required anti-affinity terms (namespace selectors merged)
   * @param nsLabels the labels of its namespace
   * @param existingAntiAffinityCounts pairs where existing pods' required anti-affinity matches the pod
   * @param affinityCounts pairs with existing pods matching all the pod's required affinity terms
   * @param antiAffinityCounts pairs with existing pods matching one of the pod's anti-affinity terms (once per term)
   */
  constructor(
    readonly pod: Pod,
    readonly requiredAffinity: readonly AffinityTerm[],
    readonly requiredAntiAffinity: readonly AffinityTerm[],
    readonly nsLabels: NamespaceLabelsFn,
    readonly existingAntiAffinityCounts: TopologyCounts,
    readonly affinityCounts: TopologyCounts,
    readonly antiAffinityCounts: TopologyCounts,
  ) {}

  /** A copy whose counts can change independently. */
  clone(): InterPodAffinityPreFilterState {
    return new InterPodAffinityPreFilterState(
      this.pod,
      this.requiredAffinity,
      this.requiredAntiAffinity,
      this.nsLabels,
      this.existingAntiAffinityCounts.clone(),
      this.affinityCounts.clone(),
      this.antiAffinityCounts.clone(),
    );
  }

  /** Counts `podInfo` on `node` (`delta` 1) or uncounts it (-1), for preemption's dry runs. */
  updateWithPod(podInfo: PodInfo, node: Node | undefined, delta: number): void {
    if (!node) return;
    const other = affinityTermsOf(podInfo.pod);
    updateWithAntiAffinityTerms(this.existingAntiAffinityCounts, other.requiredAntiAffinity, this.pod, this.nsLabels, node, delta);
    updateWithAffinityTerms(this.affinityCounts, this.requiredAffinity, podInfo.pod, node, delta);
    updateWithAntiAffinityTerms(this.antiAffinityCounts, this.requiredAntiAffinity, podInfo.pod, NO_NAMESPACE_LABELS, node, delta);
  }
}

/** Counts `target` on `node` for every term when it matches all of them. */
export function updateWithAffinityTerms(
  counts: TopologyCounts,
  terms: readonly AffinityTerm[],
  target: Pod,
  node: Node,
  delta: number,
): void {
  if (!matchesAllTerms(terms, target, NO_NAMESPACE_LABELS)) return;
  for (const t of terms) counts.addForNode(node, t.topologyKey, delta);
}

/** Counts `target` on `node` once for each term it matches. */
export function updateWithAntiAffinityTerms(
  counts: TopologyCounts,
  terms: readonly AffinityTerm[],
  target: Pod,
  nsLabels: NamespaceLabelsFn,
  node: Node,
  delta: number,
): void {
  for (const t of terms) if (termMatches(t, target, nsLabels)) counts.addForNode(node, t.topologyKey, delta);
}

/** Counts, over the nodes with pods that have required anti-affinity, the pairs where such a term matches `pod`. */
export function existingAntiAffinityCounts(pod: Pod, nsLabels: NamespaceLabelsFn, nodes: readonly NodeInfo[]): TopologyCounts {
  const counts = new TopologyCounts();
  const ns = pod.metadata.namespace ?? '';
  const labels = pod.metadata.labels;
  for (const ni of nodes) {
    const node = ni.node;
    if (!node) continue;
    for (const existing of ni.podsWithRequiredAntiAffinity) {
      for (const t of affinityTermsOf(existing.pod).requiredAntiAffinity) {
        if (termMatchesMeta(t, ns, labels, nsLabels)) counts.addForNode(node, t.topologyKey, 1);
      }
    }
  }
  return counts;
}

/** Counts the existing pods matching the incoming pod's required affinity (all terms) and anti-affinity (each term). */
export function incomingAffinityCounts(
  affinity: readonly AffinityTerm[],
  antiAffinity: readonly AffinityTerm[],
  nodes: readonly NodeInfo[],
): { affinity: TopologyCounts; antiAffinity: TopologyCounts } {
  const aff = new TopologyCounts();
  const anti = new TopologyCounts();
  if (affinity.length > 0) {
    for (const ni of nodes) {
      const node = ni.node;
      if (node) for (const existing of ni.pods) updateWithAffinityTerms(aff, affinity, existing.pod, node, 1);
    }
  }
  if (antiAffinity.length > 0) {
    for (const ni of nodes) {
      const node = ni.node;
      if (!node) continue;
      for (const existing of ni.pods) {
        const m = existing.pod.metadata;
        const ns = m.namespace ?? '';
        for (const t of antiAffinity) if (termMatchesMeta(t, ns, m.labels, NO_NAMESPACE_LABELS)) anti.addForNode(node, t.topologyKey, 1);
      }
    }
  }
  return { affinity: aff, antiAffinity: anti };
}

const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * Whether the pod's required affinity holds on a node with `labels`: the node has every
 * term's topology key and each of its pairs has matching pods — or no pod anywhere matches
 * and the pod matches its own terms (the first pod of a group with affinity to itself).
 */
export function satisfiesPodAffinity(s: InterPodAffinityPreFilterState, labels: Readonly<Record<string, string>> = NO_LABELS): boolean {
  let podsExist = true;
  for (const t of s.requiredAffinity) {
    const v = labels[t.topologyKey];
    if (v === undefined) return false;
    if (s.affinityCounts.get(t.topologyKey, v) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  return s.affinityCounts.size === 0 && matchesAllTerms(s.requiredAffinity, s.pod, NO_NAMESPACE_LABELS);
}

/** Whether no pod matching one of the pod's required anti-affinity terms shares the term's domain with the node. */
export function satisfiesPodAntiAffinity(s: InterPodAffinityPreFilterState, labels: Readonly<Record<string, string>> = NO_LABELS): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  for (const t of s.requiredAntiAffinity) {
    const v = labels[t.topologyKey];
    if (v !== undefined && s.antiAffinityCounts.get(t.topologyKey, v) > 0) return false;
  }
  return true;
}

/** Whether no existing pod's required anti-affinity forbids the pod in a domain of the node. */
export function satisfiesExistingPodsAntiAffinity(
  s: InterPodAffinityPreFilterState,
  labels: Readonly<Record<string, string>> = NO_LABELS,
): boolean {
  return s.existingAntiAffinityCounts.size === 0 || !s.existingAntiAffinityCounts.anyPositiveFor(labels);
}
