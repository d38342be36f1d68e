/**
 * The topology domains of a snapshot's nodes, kept incrementally across scheduling cycles:
 * for a set of topology keys, how many nodes carry every key of the set, per value of each
 * key. PodTopologySpread's PreFilter needs every eligible domain (with zero matching pods
 * too); when the pod's inclusion policies admit every node, the census gives them without
 * visiting every node each cycle.
 */
import type { Node } from '@converge/core';
import type { Snapshot } from '../../framework/handle.js';

/** Node counts per value of each key, over the nodes that carry all the keys. */
class KeySetCensus {
  /** Per key, nodes per value (values with no node are absent). */
  readonly perKey = new Map<string, Map<string, number>>();

  /** Makes the census of `keys` (distinct). */
  constructor(private readonly keys: readonly string[]) {
    for (const k of keys) this.perKey.set(k, new Map());
  }

  /** Counts (`delta` 1) or uncounts (-1) a node. */
  count(node: Node, delta: number): void {
    const labels = node.metadata.labels;
    if (!labels) return;
    for (const k of this.keys) if (labels[k] === undefined) return;
    for (const k of this.keys) {
      const values = this.perKey.get(k)!;
      const v = labels[k]!;
      const n = (values.get(v) ?? 0) + delta;
      if (n > 0) values.set(v, n);
      else values.delete(v);
    }
  }
}

/** The domains of the nodes of one snapshot, per set of topology keys asked for. */
export class DomainCensus {
  /** The Node object counted per node name. */
  private readonly nodes = new Map<string, Node>();
  private readonly sets = new Map<string, KeySetCensus>();
  private source: Snapshot | undefined;
  private revision = -1;

  /**
   * Brings the census to the state of `snapshot` (its nodes with a Node object); false when
   * the snapshot cannot tell which nodes changed (the census is then unusable).
   */
  sync(snapshot: Snapshot): boolean {
    const changes = snapshot.changesSince?.(this.source === snapshot ? this.revision : -1);
    if (!changes) {
      this.source = undefined;
      this.revision = -1;
      this.nodes.clear();
      this.sets.clear();
      return false;
    }
    if (!changes.names) {
      this.nodes.clear();
      this.sets.clear();
      for (const ni of snapshot.list()) if (ni.node) this.nodes.set(ni.name, ni.node);
    } else {
      for (const name of changes.names) {
        const node = snapshot.get(name)?.node;
        const old = this.nodes.get(name);
        if (old === node) continue;
        for (const set of this.sets.values()) {
          if (old) set.count(old, -1);
          if (node) set.count(node, 1);
        }
        if (node) this.nodes.set(name, node);
        else this.nodes.delete(name);
      }
    }
    this.source = snapshot;
    this.revision = changes.revision;
    return true;
  }

  /**
   * Per value of `key`, how many nodes carry every key of `keys` (which includes `key`); as
   * of the last `sync`. The map is the census's own: callers must not change it.
   */
  domains(keys: readonly string[], key: string): ReadonlyMap<string, number> {
    const distinct = [...new Set(keys)].sort();
    const signature = distinct.join('\u0000');
    let set = this.sets.get(signature);
    if (!set) {
      set = new KeySetCensus(distinct);
      for (const node of this.nodes.values()) set.count(node, 1);
      this.sets.set(signature, set);
    }
    return set.perKey.get(key) ?? new Map<string, number>();
  }
}
