/**
 * Counts per topology pair (node label key and value), as kube-scheduler's
 * topologyToMatchedTermCount: a pair whose count drops to zero is removed, so `size` is the
 * number of pairs with a count.
 */
import type { Node } from '@converge/core';

/** A count per (topology key, value), nested by key so lookups allocate nothing. */
export class TopologyCounts {
  private readonly byKey = new Map<string, Map<string, number>>();
  private pairs = 0;

  /** The number of pairs with a non-zero count. */
  get size(): number {
    return this.pairs;
  }

  /** The count of one pair (0 when absent). */
  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0;
  }

  /** Adds `delta` to one pair; a pair reaching zero is removed. */
  add(key: string, value: string, delta: number): void {
    let values = this.byKey.get(key);
    if (!values) {
      values = new Map();
      this.byKey.set(key, values);
    }
    const before = values.get(value) ?? 0;
    const after = before + delta;
    if (after === 0) {
      if (values.delete(value)) this.pairs--;
      if (values.size === 0) this.byKey.delete(key);
    } else {
      if (before === 0) this.pairs++;
      values.set(value, after);
    }
  }

  /** Adds `delta` to the pair of `node`'s value for `key`, when the node has that label. */
  addForNode(node: Node, key: string, delta: number): void {
    const value = node.metadata.labels?.[key];
    if (value !== undefined) this.add(key, value, delta);
  }

  /** True when any label of the node (key and value) has a positive count. */
  anyPositiveFor(labels: Readonly<Record<string, string>>): boolean {
    for (const [key, values] of this.byKey) {
      const v = labels[key];
      if (v !== undefined && (values.get(v) ?? 0) > 0) return true;
    }
    return false;
  }

  /** Sums the counts of the node's pairs (its value for every key counted). */
  sumFor(labels: Readonly<Record<string, string>>): number {
    let sum = 0;
    for (const [key, values] of this.byKey) {
      const v = labels[key];
      if (v !== undefined) sum += values.get(v) ?? 0;
    }
    return sum;
  }

  /** A copy. */
  clone(): TopologyCounts {
    const copy = new TopologyCounts();
    for (const [k, values] of this.byKey) copy.byKey.set(k, new Map(values));
    copy.pairs = this.pairs;
    return copy;
  }
}
