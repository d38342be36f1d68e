/**
 * The snapshot a scheduling cycle reads (kube-scheduler's cache.Snapshot): copies of the
 * cache's NodeInfos, refreshed incrementally by `SchedulerCache.updateSnapshot` before each
 * cycle so that nothing the cache does during the cycle (informer events, bindings) changes
 * what the cycle's plugins see.
 */
import type { Snapshot } from '../framework/handle.js';
import type { NodeInfo } from '../framework/node-info.js';

/**
 * A consistent view of the nodes for one scheduling cycle.
 *
 * Invariants: `list` holds exactly the NodeInfos of `map` that have a Node, and
 * `positions.get(name)` is the index of that node in `list`; the affinity lists hold the
 * NodeInfos of `list` with pods with (required anti-)affinity.
 */
export class NodeSnapshot implements Snapshot {
  /** Every NodeInfo by node name (including nodes whose Node object is gone but pods remain). */
  readonly map = new Map<string, NodeInfo>();
  /** The NodeInfos with a Node, in the cache's node order. */
  nodes: NodeInfo[] = [];
  /** Index of each node in `nodes`. */
  readonly positions = new Map<string, number>();
  /** The nodes with pods with affinity terms. */
  withAffinity: NodeInfo[] = [];
  /** The nodes with pods with required anti-affinity terms. */
  withRequiredAntiAffinity: NodeInfo[] = [];
  /** Index of each node in `withAffinity`. */
  private readonly affinityPos = new Map<string, number>();
  /** Index of each node in `withRequiredAntiAffinity`. */
  private readonly antiAffinityPos = new Map<string, number>();

  /** Every node, in a stable order. */
  list(): readonly NodeInfo[] {
    return this.nodes;
  }

  /** One node by name. */
  get(name: string): NodeInfo | undefined {
    return this.map.get(name);
  }

  /** The nodes with pods that have pod affinity or anti-affinity terms. */
  havePodsWithAffinity(): readonly NodeInfo[] {
    return this.withAffinity;
  }

  /** The nodes with pods that have required pod anti-affinity terms. */
  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[] {
    return this.withRequiredAntiAffinity;
  }

  /** Rebuilds the affinity lists from `nodes`. */
  rebuildAffinityLists(): void {
    const a: NodeInfo[] = [];
    const r: NodeInfo[] = [];
    this.affinityPos.clear();
    this.antiAffinityPos.clear();
    for (const n of this.nodes) {
      if (n.podsWithAffinity.length > 0) {
        this.affinityPos.set(n.name, a.length);
        a.push(n);
      }
      if (n.podsWithRequiredAntiAffinity.length > 0) {
        this.antiAffinityPos.set(n.name, r.length);
        r.push(n);
      }
    }
    this.withAffinity = a;
    this.withRequiredAntiAffinity = r;
  }

  /**
   * Puts the new copy of a node in the affinity lists in place of the old one; false when its
   * membership of either list changed (the caller then rebuilds them).
   */
  replaceInAffinityLists(copy: NodeInfo): boolean {
    const name = copy.name;
    const a = this.affinityPos.get(name);
    const r = this.antiAffinityPos.get(name);
    if ((a !== undefined) !== (copy.node !== undefined && copy.podsWithAffinity.length > 0)) return false;
    if ((r !== undefined) !== (copy.node !== undefined && copy.podsWithRequiredAntiAffinity.length > 0)) return false;
    if (a !== undefined) this.withAffinity[a] = copy;
    if (r !== undefined) this.withRequiredAntiAffinity[r] = copy;
    return true;
  }
}
