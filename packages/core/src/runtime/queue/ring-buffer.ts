/**
 * A growable FIFO over a circular array: O(1) push and shift without the element copying
 * `Array.prototype.shift` may do on long arrays.
 */
export class RingBuffer<T> {
  private buf: (T | undefined)[];
  private head = 0;
  private count = 0;
  private mask: number;

  /** Makes an empty buffer; `capacity` is rounded up to a power of two and grows on demand. */
  constructor(capacity = 16) {
    let c = 1;
    while (c < capacity) c <<= 1;
    this.buf = new Array<T | undefined>(c);
    this.mask = c - 1;
  }

  /** The number of elements. */
  get length(): number {
    return this.count;
  }

  /** Appends an element at the tail. */
  push(item: T): void {
    if (this.count > this.mask) this.grow();
    this.buf[(this.head + this.count) & this.mask] = item;
    this.count++;
  }

  /** Removes and returns the element at the head. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.count--;
    return item;
  }

  /** The element at the head, without removing it. */
  peek(): T | undefined {
    return this.count === 0 ? undefined : this.buf[this.head];
  }

  /** Removes every element. */
  clear(): void {
    this.buf.fill(undefined);
    this.head = 0;
    this.count = 0;
  }

  /** The elements from head to tail. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.buf[(this.head + i) & this.mask] as T);
    return out;
  }

  private grow(): void {
    const old = this.buf;
    const cap = old.length * 2;
    const next = new Array<T | undefined>(cap);
    for (let i = 0; i < this.count; i++) next[i] = old[(this.head + i) & this.mask];
    this.buf = next;
    this.head = 0;
    this.mask = cap - 1;
  }
}
