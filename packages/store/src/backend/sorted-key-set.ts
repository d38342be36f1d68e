/**
 * A set of strings kept in sorted order, for ordered iteration from any key.
 *
 * Keys live in a list of sorted buckets of bounded size, so an insert or delete costs a
 * binary search plus a splice of at most `2 * bucketSize` entries, whatever the set's size,
 * and iteration from a key never sorts anything.
 *
 * Invariants: every bucket is non-empty and sorted; the last key of bucket i is smaller than
 * the first key of bucket i + 1; no bucket holds more than `2 * bucketSize` keys.
 */
export class SortedKeySet {
  private buckets: string[][] = [];
  private count = 0;

  constructor(private readonly bucketSize = 512) {}

  /** The number of keys. */
  get size(): number {
    return this.count;
  }

  /** Adds a key; returns false when it was already there. */
  add(key: string): boolean {
    const buckets = this.buckets;
    if (buckets.length === 0) {
      buckets.push([key]);
      this.count = 1;
      return true;
    }
    let b = this.bucketFor(key);
    if (b === buckets.length) b--; // greater than every key: append to the last bucket
    const bucket = buckets[b]!;
    const i = lowerBound(bucket, key);
    if (bucket[i] === key) return false;
    if (i === bucket.length) bucket.push(key);
    else bucket.splice(i, 0, key);
    this.count++;
    if (bucket.length > 2 * this.bucketSize) buckets.splice(b + 1, 0, bucket.splice(this.bucketSize));
    return true;
  }

  /** Removes a key; returns false when it was not there. */
  delete(key: string): boolean {
    const b = this.bucketFor(key);
    const bucket = this.buckets[b];
    if (!bucket) return false;
    const i = lowerBound(bucket, key);
    if (bucket[i] !== key) return false;
    bucket.splice(i, 1);
    this.count--;
    if (bucket.length === 0) this.buckets.splice(b, 1);
    return true;
  }

  /** Whether the key is in the set. */
  has(key: string): boolean {
    const bucket = this.buckets[this.bucketFor(key)];
    return bucket !== undefined && bucket[lowerBound(bucket, key)] === key;
  }

  /** Iterates keys in order, starting at the first key `>= from` (or `> from` when `exclusive`). */
  *from(from: string, exclusive = false): IterableIterator<string> {
    const buckets = this.buckets;
    let b = this.bucketFor(from);
    if (b >= buckets.length) return;
    let i = lowerBound(buckets[b]!, from);
    if (exclusive && buckets[b]![i] === from) i++;
    for (; b < buckets.length; b++, i = 0) {
      const bucket = buckets[b]!;
      for (; i < bucket.length; i++) yield bucket[i]!;
    }
  }

  /** Counts the keys `k` with `from < k < to` (both exclusive). */
  countBetween(from: string, to: string): number {
    return this.rank(to) - this.rank(from) - (this.has(from) ? 1 : 0);
  }

  /** The number of keys smaller than `key`. */
  rank(key: string): number {
    const buckets = this.buckets;
    const b = this.bucketFor(key);
    let n = 0;
    for (let j = 0; j < b && j < buckets.length; j++) n += buckets[j]!.length;
    if (b < buckets.length) n += lowerBound(buckets[b]!, key);
    return n;
  }

  /** The index of the first bucket whose last key is `>= key` (buckets.length when none). */
  private bucketFor(key: string): number {
    const buckets = this.buckets;
    let lo = 0;
    let hi = buckets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const last = buckets[mid]![buckets[mid]!.length - 1]!;
      if (last < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function lowerBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
