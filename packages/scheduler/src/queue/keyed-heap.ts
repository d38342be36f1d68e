/**
 * A binary heap of items addressed by key (kube-scheduler's internal heap): push, pop,
 * peek, update and delete by key in O(log n).
 */

/**
 * A min-heap under `less`, with each item filed under a key.
 *
 * Invariants: `items[i]` is at `index.get(key(items[i])) === i`; every parent is not
 * greater than its children under `less`.
 */
export class KeyedHeap<T> {
  private readonly items: T[] = [];
  private readonly index = new Map<string, number>();

  /** Makes an empty heap ordered by `less` (true when `a` goes before `b`), items keyed by `keyOf`. */
  constructor(
    private readonly keyOf: (item: T) => string,
    private readonly less: (a: T, b: T) => boolean,
  ) {}

  /** How many items it holds. */
  get size(): number {
    return this.items.length;
  }

  /** True when an item with `key` is in the heap. */
  has(key: string): boolean {
    return this.index.has(key);
  }

  /** The item filed under `key`. */
  get(key: string): T | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.items[i];
  }

  /** Adds `item`, or replaces (and re-sorts) the item with the same key. */
  push(item: T): void {
    const key = this.keyOf(item);
    const i = this.index.get(key);
    if (i !== undefined) {
      this.items[i] = item;
      this.fix(i);
      return;
    }
    this.items.push(item);
    this.index.set(key, this.items.length - 1);
    this.up(this.items.length - 1);
  }

  /** The first item, without removing it. */
  peek(): T | undefined {
    return this.items[0];
  }

  /** Removes and returns the first item. */
  pop(): T | undefined {
    if (this.items.length === 0) return undefined;
    return this.removeAt(0);
  }

  /** Removes the item filed under `key`; returns it. */
  delete(key: string): T | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.removeAt(i);
  }

  /** Every item, in no particular order. */
  values(): readonly T[] {
    return this.items;
  }

  private removeAt(i: number): T {
    const items = this.items;
    const out = items[i]!;
    const last = items.pop()!;
    this.index.delete(this.keyOf(out));
    if (i < items.length) {
      items[i] = last;
      this.index.set(this.keyOf(last), i);
      this.fix(i);
    }
    return out;
  }

  private fix(i: number): void {
    if (!this.up(i)) this.down(i);
  }

  private up(i: number): boolean {
    const items = this.items;
    const item = items[i]!;
    const start = i;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!this.less(item, p)) break;
      items[i] = p;
      this.index.set(this.keyOf(p), i);
      i = parent;
    }
    items[i] = item;
    this.index.set(this.keyOf(item), i);
    return i !== start;
  }

  private down(i: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(items[r]!, items[l]!) ? r : l;
      const child = items[c]!;
      if (!this.less(child, item)) break;
      items[i] = child;
      this.index.set(this.keyOf(child), i);
      i = c;
    }
    items[i] = item;
    this.index.set(this.keyOf(item), i);
  }
}
