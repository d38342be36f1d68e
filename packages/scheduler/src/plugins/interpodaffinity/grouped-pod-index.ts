/**
 * An index of what the pods of a snapshot carry (their labels, or their affinity terms),
 * grouped by identical value, with the nodes each group is found on. It is kept from one
 * scheduling cycle to the next and brought up to date by comparing node generations, so a
 * cycle costs a generation check per node plus one evaluation per distinct group, instead of
 * one evaluation per pod: replicas of a workload share their labels and terms.
 */
import type { Node } from '@converge/core';
import type { NodeInfo } from '../../framework/node-info.js';

/** Pods (or terms) with one signature: a sample value and how many there are on each node. */
export class PodGroup<T> {
  /** Count per node (the Node object the NodeInfo had when counted). */
  readonly nodes = new Map<Node, number>();
  /** The total count. */
  total = 0;

  /** Makes an empty group for `sample`. */
  constructor(
    readonly signature: string,
    readonly sample: T,
  ) {}
}

/** What one node contributed, to take it back when the node changes or goes. */
interface NodeRecord<T> {
  generation: number;
  epoch: number;
  node: Node;
  groups: PodGroup<T>[];
}

/** Gives, for a node, the (signature, value) of every item it holds (one per pod, or one per term). */
export type ItemsOfNode<T> = (ni: NodeInfo, node: Node, emit: (signature: string, value: T) => void) => void;

/** Groups of identical items over a snapshot's nodes, updated incrementally. */
export class GroupedPodIndex<T> {
  private readonly groups = new Map<string, PodGroup<T>>();
  private readonly perNode = new Map<string, NodeRecord<T>>();
  private epoch = 0;

  /** Makes an index whose items come from `itemsOf`. */
  constructor(private readonly itemsOf: ItemsOfNode<T>) {}

  /** Brings the index to the state of `nodes` (every node that may hold items) and returns the groups. */
  sync(nodes: readonly NodeInfo[]): IterableIterator<PodGroup<T>> {
    const epoch = ++this.epoch;
    for (const ni of nodes) {
      const node = ni.node;
      if (!node) continue;
      const name = node.metadata.name ?? '';
      const rec = this.perNode.get(name);
      if (rec && rec.generation === ni.generation && rec.node === node) {
        rec.epoch = epoch;
        continue;
      }
      if (rec) this.retract(rec);
      const fresh: NodeRecord<T> = { generation: ni.generation, epoch, node, groups: [] };
      this.itemsOf(ni, node, (signature, value) => {
        let g = this.groups.get(signature);
        if (!g) {
          g = new PodGroup(signature, value);
          this.groups.set(signature, g);
        }
        g.nodes.set(node, (g.nodes.get(node) ?? 0) + 1);
        g.total++;
        fresh.groups.push(g);
      });
      this.perNode.set(name, fresh);
    }
    for (const [name, rec] of this.perNode) {
      if (rec.epoch === epoch) continue;
      this.retract(rec);
      this.perNode.delete(name);
    }
    return this.groups.values();
  }

  /** The number of distinct groups (tests, metrics). */
  get size(): number {
    return this.groups.size;
  }

  private retract(rec: NodeRecord<T>): void {
    for (const g of rec.groups) {
      const n = (g.nodes.get(rec.node) ?? 0) - 1;
      if (n > 0) g.nodes.set(rec.node, n);
      else g.nodes.delete(rec.node);
      if (--g.total === 0) this.groups.delete(g.signature);
    }
  }
}
