/**
 * A binary min-heap ordered by a comparison function: O(log n) push and pop, O(1) peek.
 *
 * Used for the work queue's delayed items and the virtual clock's timers.
 */
export class MinHeap<T> {
  private readonly items: T[] = [];

  /** Makes a heap whose smallest element (per `less`) comes out first. */
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  /** The number of elements. */
  get size(): number {
    return this.items.length;
  }

  /** The smallest element, without removing it. */
  peek(): T | undefined {
    return this.items[0];
  }

  /** Adds an element. */
  push(item: T): void {
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  /** Removes and returns the smallest element. */
  pop(): T | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** Restores order after the element at `index` became smaller (or larger) in place. */
  fix(index: number): void {
    const a = this.items;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
    this.siftDown(i);
  }

  /** The position of an element (O(n)); -1 when absent. */
  indexOf(item: T): number {
    return this.items.indexOf(item);
  }

  /** Removes every element. */
  clear(): void {
    this.items.length = 0;
  }

  private siftDown(index: number): void {
    const a = this.items;
    const n = a.length;
    let i = index;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const m = r < n && this.less(a[r]!, a[l]!) ? r : l;
      if (!this.less(a[m]!, a[i]!)) break;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
  }
}
