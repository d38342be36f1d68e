/**
 * InterPodAffinity's per-plugin indexes over the snapshot: pods grouped by namespace and
 * labels, and existing pods' affinity terms grouped by identical term. PreFilter and PreScore
 * evaluate each group once and add its count to the topology pairs of the nodes it is on;
 * the result equals evaluating every pod (as `existingAntiAffinityCounts`,
 * `incomingAffinityCounts` and `topologyScores` do).
 */
import type { Labels, Pod } from '@converge/core';
import {
  affinityTermsOf,
  matchesAllTerms,
  NO_NAMESPACE_LABELS,
  termMatchesMeta,
  type AffinityTerm,
  type NamespaceLabelsFn,
  type WeightedAffinityTerm,
} from './affinity-term.js';
import { GroupedPodIndex, type NodeSource, type PodGroup } from './grouped-pod-index.js';
import { labelPostings, selectorPostings, termLookupPostings, termPostings } from './label-postings.js';
import type { AffinityScoringInput } from './inter-pod-affinity-scoring.js';
import { TopologyCounts } from './topology-counts.js';

/** A pod's namespace and labels, with a pod carrying them. */
interface PodMeta {
  readonly namespace: string;
  readonly labels: Labels;
  readonly pod: Pod;
}

/** An existing pod's scoring term: the term and the signed weight it adds when the incoming pod matches it. */
interface ScoringTerm {
  readonly term: AffinityTerm;
  /** The weight times +1 (affinity) or -1 (anti-affinity); 0 for required affinity (weighted by the argument). */
  readonly weight: number;
  readonly hard: boolean;
}

function labelSignature(namespace: string, labels: Labels): string {
  if (!labels) return namespace;
  const keys = Object.keys(labels).sort();
  let s = namespace;
  for (const k of keys) s += `\u0000${k}\u0001${labels[k]}`;
  return s;
}

function addGroup<T>(counts: TopologyCounts, g: PodGroup<T>, key: string, perPod: number): void {
  for (const [node, n] of g.nodes) counts.addForNode(node, key, perPod * n);
}

/** The indexes of one InterPodAffinity instance. */
export class AffinityIndexes {
  private readonly pods = new GroupedPodIndex<PodMeta>(
    (ni, _node, emit) => {
      for (const p of ni.pods) {
        const m = p.pod.metadata;
        const namespace = m.namespace ?? '';
        emit(labelSignature(namespace, m.labels), { namespace, labels: m.labels, pod: p.pod });
      }
    },
    { postings: (m) => labelPostings(m.labels) },
  );

  private readonly existingAnti = new GroupedPodIndex<AffinityTerm>(
    (ni, _node, emit) => {
      for (const p of ni.podsWithRequiredAntiAffinity) for (const t of affinityTermsOf(p.pod).requiredAntiAffinity) emit(t.signature, t);
    },
    { postings: (t) => termPostings(t.selector) },
  );

  private readonly existingScoring = new GroupedPodIndex<ScoringTerm>(
    (ni, _node, emit) => {
      for (const p of ni.podsWithAffinity) {
        const terms = affinityTermsOf(p.pod);
        for (const t of terms.requiredAffinity) emit(`h|${t.signature}`, { term: t, weight: 0, hard: true });
        for (const t of terms.preferredAffinity) emit(`a${t.weight}|${t.signature}`, { term: t, weight: t.weight, hard: false });
        for (const t of terms.preferredAntiAffinity) emit(`n${t.weight}|${t.signature}`, { term: t, weight: -t.weight, hard: false });
      }
    },
    { postings: (s) => termPostings(s.term.selector) },
  );

  /** Pairs where existing pods' required anti-affinity terms match `pod` (over the nodes with such pods). */
  existingAntiAffinityCounts(pod: Pod, nsLabels: NamespaceLabelsFn, nodes: NodeSource): TopologyCounts {
    const counts = new TopologyCounts();
    const ns = pod.metadata.namespace ?? '';
    const labels = pod.metadata.labels;
    this.existingAnti.syncFrom(nodes);
    for (const g of this.existingAnti.candidates(termLookupPostings(labels))) {
      if (termMatchesMeta(g.sample, ns, labels, nsLabels)) addGroup(counts, g, g.sample.topologyKey, 1);
    }
    return counts;
  }

  /** Pairs with existing pods matching all `affinity` terms, and (once per term) any `antiAffinity` term. */
  incomingAffinityCounts(
    affinity: readonly AffinityTerm[],
    antiAffinity: readonly AffinityTerm[],
    nodes: NodeSource,
  ): { affinity: TopologyCounts; antiAffinity: TopologyCounts } {
    const aff = new TopologyCounts();
    const anti = new TopologyCounts();
    if (affinity.length === 0 && antiAffinity.length === 0) return { affinity: aff, antiAffinity: anti };
    this.pods.syncFrom(nodes);
    if (affinity.length > 0) {
      // A pod matching every term matches the first: its postings give the candidates.
      for (const g of this.pods.candidates(selectorPostings(affinity[0]!.selector))) {
        if (!matchesAllTerms(affinity, g.sample.pod, NO_NAMESPACE_LABELS)) continue;
        for (const t of affinity) addGroup(aff, g, t.topologyKey, 1);
      }
    }
    for (const t of antiAffinity) {
      for (const g of this.pods.candidates(selectorPostings(t.selector))) {
        if (termMatchesMeta(t, g.sample.namespace, g.sample.labels, NO_NAMESPACE_LABELS)) addGroup(anti, g, t.topologyKey, 1);
      }
    }
    return { affinity: aff, antiAffinity: anti };
  }

  /**
   * The score per topology pair: the incoming pod's preferred terms over every pod of
   * `allNodes` (when it has any), and existing pods' terms over `affinityNodes`.
   */
  topologyScores(input: AffinityScoringInput, allNodes: NodeSource, affinityNodes: NodeSource): TopologyCounts {
    const scores = new TopologyCounts();
    if (input.hasConstraints) {
      const own: { term: WeightedAffinityTerm; sign: number }[] = [
        ...input.preferredAffinity.map((term) => ({ term, sign: 1 })),
        ...input.preferredAntiAffinity.map((term) => ({ term, sign: -1 })),
      ];
      this.pods.syncFrom(allNodes);
      for (const { term, sign } of own) {
        for (const g of this.pods.candidates(selectorPostings(term.selector))) {
          const { namespace, labels } = g.sample;
          if (termMatchesMeta(term, namespace, labels, NO_NAMESPACE_LABELS)) addGroup(scores, g, term.topologyKey, term.weight * sign);
        }
      }
    }
    const ns = input.pod.metadata.namespace ?? '';
    const labels = input.pod.metadata.labels;
    this.existingScoring.syncFrom(affinityNodes);
    for (const g of this.existingScoring.candidates(termLookupPostings(labels))) {
      const { term, weight, hard } = g.sample;
      const w = hard ? input.hardPodAffinityWeight : weight;
      if (w === 0) continue;
      if (termMatchesMeta(term, ns, labels, input.nsLabels)) addGroup(scores, g, term.topologyKey, w);
    }
    return scores;
  }
}
