/**
 * PodTopologySpread's index of the snapshot's pods that count for spreading (not
 * terminating), grouped by namespace and labels, kept incrementally across cycles: counting
 * the pods a selector matches then costs one test per distinct group, not one per pod.
 */
import type { Labels, Node } from '@converge/core';
import type { LabelSelectorMatcher } from '@converge/core/selectors';
import { GroupedPodIndex, isNodeList, type NodeSource } from '../interpodaffinity/grouped-pod-index.js';
import { labelPostings, selectorPostings } from '../interpodaffinity/label-postings.js';
import { DomainCensus } from './domain-census.js';

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
  private readonly index = new GroupedPodIndex<PodLabels>(
    (ni, _node, emit) => {
      for (const p of ni.pods) {
        const m = p.pod.metadata;
        if (m.deletionTimestamp) continue;
        const namespace = m.namespace ?? '';
        emit(signature(namespace, m.labels), { namespace, labels: m.labels });
      }
    },
    { postings: (g) => labelPostings(g.labels) },
  );
  private readonly census = new DomainCensus();
  private censusSynced = false;

  /** Brings the index to `nodes` (every node of the snapshot, as a list or with the snapshot itself). */
  sync(nodes: NodeSource): void {
    this.index.syncFrom(nodes);
    this.censusSynced = !isNodeList(nodes) && this.census.sync(nodes.snapshot);
  }

  /**
   * Per value of `key`, how many nodes of the snapshot carry every key of `keys`; undefined
   * when the last `sync` was not given a snapshot that tells its changes.
   */
  domains(keys: readonly string[], key: string): ReadonlyMap<string, number> | undefined {
    return this.censusSynced ? this.census.domains(keys, key) : undefined;
  }

  /** Per node (the indexed Node object), how many pods of namespace `ns` the selector matches (nodes without any are absent); empty for the empty selector. */
  matchNodes(selector: LabelSelectorMatcher, ns: string): Map<Node, number> {
    const out = new Map<Node, number>();
    if (selector.empty) return out;
    for (const g of this.index.candidates(selectorPostings(selector))) {
      if (g.sample.namespace !== ns || !selector.matches(g.sample.labels)) continue;
      for (const [node, n] of g.nodes) out.set(node, (out.get(node) ?? 0) + n);
    }
    return out;
  }

  /** Per node name, how many pods of namespace `ns` the selector matches (nodes without any are absent); empty for the empty selector. */
  matchCounts(selector: LabelSelectorMatcher, ns: string): MatchCounts {
    return byName(this.matchNodes(selector, ns));
  }
}

/** The counts of `perNode` by node name. */
export function byName(perNode: ReadonlyMap<Node, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [node, n] of perNode) {
    const name = node.metadata.name ?? '';
    out.set(name, (out.get(name) ?? 0) + n);
  }
  return out;
}
