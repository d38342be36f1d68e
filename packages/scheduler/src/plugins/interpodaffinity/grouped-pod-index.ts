/**
 * An index of what the pods of a snapshot carry (their labels, or their affinity terms),
 * grouped by identical value, with the nodes each group is found on. It is kept from one
 * scheduling cycle to the next and brought up to date by comparing node generations, so a
 * cycle costs a generation check per node plus one evaluation per distinct group, instead of
 * one evaluation per pod: replicas of a workload share their labels and terms.
 */
import type { Node } from '@converge/core';
import type { Snapshot } from '../../framework/handle.js';
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

const NO_GROUPS: readonly never[] = [];

/** A snapshot with the nodes of it whose NodeInfo can yield an item (see `GroupedPodIndex.syncSnapshot`). */
export interface SnapshotNodes {
  /** The snapshot. */
  readonly snapshot: Snapshot;
  /** Its nodes that may hold items. */
  readonly nodes: readonly NodeInfo[];
}

/** Nodes to index: a plain list (rescanned), or a snapshot's (followed through its changes). */
export type NodeSource = readonly NodeInfo[] | SnapshotNodes;

/** Options of a GroupedPodIndex. */
export interface GroupedPodIndexOptions<T> {
  /** The postings a group is filed under, from its sample (see `candidates`); without, `candidates` gives every group. */
  postings?: (sample: T) => readonly string[];
}

/** Groups of identical items over a snapshot's nodes, updated incrementally. */
export class GroupedPodIndex<T> {
  private readonly groups = new Map<string, PodGroup<T>>();
  /** The groups filed under each posting (only with `options.postings`). */
  private readonly postings = new Map<string, Set<PodGroup<T>>>();
  private readonly perNode = new Map<string, NodeRecord<T>>();
  private epoch = 0;
  /** The snapshot last synced with `syncSnapshot`, and its revision then. */
  private source: Snapshot | undefined;
  private revision = -1;

  /** Makes an index whose items come from `itemsOf`. */
  constructor(
    private readonly itemsOf: ItemsOfNode<T>,
    private readonly options: GroupedPodIndexOptions<T> = {},
  ) {}

  /**
   * The groups filed under any of `postings` (each group once, provided a group is never filed
   * under two of them), or every group when `postings` is undefined or the index files none; as
   * of the last sync.
   */
  candidates(postings: readonly string[] | undefined): Iterable<PodGroup<T>> {
    if (postings === undefined || !this.options.postings) return this.groups.values();
    if (postings.length === 1) return this.postings.get(postings[0]!) ?? NO_GROUPS;
    const out: PodGroup<T>[] = [];
    for (const p of postings) {
      const set = this.postings.get(p);
      if (set) for (const g of set) out.push(g);
    }
    return out;
  }

  /** Brings the index to the state of `nodes` (every node that may hold items) and returns the groups. */
  sync(nodes: readonly NodeInfo[]): IterableIterator<PodGroup<T>> {
    this.source = undefined;
    this.revision = -1;
    this.rescan(nodes);
    return this.groups.values();
  }

  /** `sync` or `syncSnapshot`, by the kind of source. */
  syncFrom(source: NodeSource): IterableIterator<PodGroup<T>> {
    return isNodeList(source) ? this.sync(source) : this.syncSnapshot(source.snapshot, source.nodes);
  }

  /**
   * Brings the index to the state of `snapshot` and returns the groups. `nodes` must hold
   * every node of the snapshot whose NodeInfo can yield an item (e.g. the nodes with pods with
   * affinity, when items are affinity terms). When the snapshot tells which nodes changed since
   * the last call, only those are looked at (in the snapshot itself, by name); otherwise
   * `nodes` is rescanned as `sync` does.
   */
  syncSnapshot(snapshot: Snapshot, nodes: readonly NodeInfo[]): IterableIterator<PodGroup<T>> {
    const changes = snapshot.changesSince?.(this.source === snapshot ? this.revision : -1);
    if (!changes?.names) {
      this.rescan(nodes);
      this.source = changes ? snapshot : undefined;
      this.revision = changes ? changes.revision : -1;
      return this.groups.values();
    }
    for (const name of changes.names) {
      const ni = snapshot.get(name);
      const rec = this.perNode.get(name);
      if (ni?.node) {
        if (rec && rec.generation === ni.generation && rec.node === ni.node) continue;
        if (rec) this.retract(rec);
        this.record(name, ni, ni.node, this.epoch);
      } else if (rec) {
        this.retract(rec);
        this.perNode.delete(name);
      }
    }
    this.revision = changes.revision;
    return this.groups.values();
  }

  private rescan(nodes: readonly NodeInfo[]): void {
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
      this.record(name, ni, node, epoch);
    }
    for (const [name, rec] of this.perNode) {
      if (rec.epoch === epoch) continue;
      this.retract(rec);
      this.perNode.delete(name);
    }
  }

  private record(name: string, ni: NodeInfo, node: Node, epoch: number): void {
    const fresh: NodeRecord<T> = { generation: ni.generation, epoch, node, groups: [] };
    this.itemsOf(ni, node, (signature, value) => {
      let g = this.groups.get(signature);
      if (!g) {
        g = new PodGroup(signature, value);
        this.groups.set(signature, g);
        this.file(g, 1);
      }
      g.nodes.set(node, (g.nodes.get(node) ?? 0) + 1);
      g.total++;
      fresh.groups.push(g);
    });
    this.perNode.set(name, fresh);
  }

  /** The number of distinct groups (tests, metrics). */
  get size(): number {
    return this.groups.size;
  }

  /** Files (1) or unfiles (-1) a group under its postings. */
  private file(g: PodGroup<T>, delta: number): void {
    const postingsOf = this.options.postings;
    if (!postingsOf) return;
    for (const p of postingsOf(g.sample)) {
      let set = this.postings.get(p);
      if (delta > 0) {
        if (!set) this.postings.set(p, (set = new Set()));
        set.add(g);
      } else if (set) {
        set.delete(g);
        if (set.size === 0) this.postings.delete(p);
      }
    }
  }

  private retract(rec: NodeRecord<T>): void {
    for (const g of rec.groups) {
      const n = (g.nodes.get(rec.node) ?? 0) - 1;
      if (n > 0) g.nodes.set(rec.node, n);
      else g.nodes.delete(rec.node);
      if (--g.total === 0) {
        this.groups.delete(g.signature);
        this.file(g, -1);
      }
    }
  }
}

/** True when `source` is a plain list of nodes (not a snapshot's). */
export function isNodeList(source: NodeSource): source is readonly NodeInfo[] {
  return Array.isArray(source);
}
