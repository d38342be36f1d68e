/**
 * PodTopologySpread's index of the snapshot's pods that count for spreading (not
 * terminating), grouped by namespace and labels, kept incrementally across cycles: counting
 * the pods a selector matches then costs one test per distinct group, not one per pod.
 */
import type { Labels } from '@converge/core';
import type { LabelSelectorMatcher } from '@converge/core/selectors';
import { GroupedPodIndex, type NodeSource, type PodGroup } from '../interpodaffinity/grouped-pod-index.js';

/** The namespace and labels shared by a group of pods. */
export interface PodLabels {
  readonly namespace: string;
  readonly labels: Labels;
}

/** Matching pods per node name for one selector and namespace. */
export type MatchCounts = ReadonlyMap<string, number>;

function signature(namespace: string, labels: Labels): string {
  if (!labels) return namespace;
  let s = namespace;
  for (const k of Object.keys(labels).sort()) s += `\u0000${k}\u0001${labels[k]}`;
  return s;
}

/** The grouped pods of one PodTopologySpread instance. */
export class SpreadPodIndex {
  private readonly index = new GroupedPodIndex<PodLabels>((ni, _node, emit) => {
    for (const p of ni.pods) {
      const m = p.pod.metadata;
      if (m.deletionTimestamp) continue;
      const namespace = m.namespace ?? '';
      emit(signature(namespace, m.labels), { namespace, labels: m.labels });
    }
  });
  private groups: PodGroup<PodLabels>[] = [];

  /** Brings the index to `nodes` (every node of the snapshot, as a list or with the snapshot itself). */
  sync(nodes: NodeSource): void {
    this.groups = [...this.index.syncFrom(nodes)];
  }

  /** Per node name, how many pods of namespace `ns` the selector matches (nodes without any are absent); empty for the empty selector. */
  matchCounts(selector: LabelSelectorMatcher, ns: string): MatchCounts {
    const out = new Map<string, number>();
    if (selector.empty) return out;
    for (const g of this.groups) {
      if (g.sample.namespace !== ns || !selector.matches(g.sample.labels)) continue;
      for (const [node, n] of g.nodes) {
        const name = node.metadata.name ?? '';
        out.set(name, (out.get(name) ?? 0) + n);
      }
    }
    return out;
  }
}
