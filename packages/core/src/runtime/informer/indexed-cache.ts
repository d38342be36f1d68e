import type { KubeObject, ObjectKey } from '../../api/meta.js';
import { CONTROLLER_OWNER_INDEX, NAMESPACE_INDEX, controllerOwnerIndexFunc, namespaceIndexFunc } from './indexers.js';
import type { CacheReader, IndexFunc } from './types.js';

/** The cache key of an object: `namespace/name`, or `name` when cluster-scoped (as client-go keys it). */
export function cacheKeyOf(obj: KubeObject): string {
  const m = obj.metadata;
  return m.namespace ? `${m.namespace}/${m.name ?? ''}` : (m.name ?? '');
}

function keyOf(key: ObjectKey): string {
  return key.namespace ? `${key.namespace}/${key.name}` : key.name;
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface Index<T extends KubeObject> {
  readonly fn: IndexFunc<T>;
  /**
   * Index value → keys of the objects filed under it, or undefined while the index has not
   * been read yet (it is built on first lookup). A value with no keys left is removed.
   */
  byValue: Map<string, Set<string>> | undefined;
}

/**
 * An informer's store: each object held once, by key, plus named indexes that hold keys only.
 *
 * Invariants:
 * - `objects` holds every cached object exactly once, under `cacheKeyOf(object)`.
 * - for every built index `i` and every cached object `o` with key `k`, `k` is in
 *   `i.byValue.get(v)` for each `v` of `i.fn(o)`, and in no other set of `i`; index
 *   functions are pure, so an object's old index values are recomputed from the old object
 *   when it changes or leaves (nothing per object is stored beside it).
 * - no set in an index is empty.
 * - `built` counts the indexes whose `byValue` is set.
 *
 * Indexes are built on first lookup and kept up to date from then on, so filling a cache
 * (an informer's first list) costs one map insert per object, and an index nobody reads
 * costs nothing. The built-in indexes `namespace` and `controller-owner` always exist.
 * Objects are shared and frozen; the cache never copies them.
 */
export class IndexedCache<T extends KubeObject = KubeObject> implements CacheReader<T> {
  private readonly objects = new Map<string, T>();
  private readonly indices = new Map<string, Index<T>>();
  private built = 0;

  /** Makes an empty cache with the built-in indexes and any extra ones. */
  constructor(indexers: Readonly<Record<string, IndexFunc<T>>> = {}) {
    this.indices.set(NAMESPACE_INDEX, { fn: namespaceIndexFunc as IndexFunc<T>, byValue: undefined });
    this.indices.set(CONTROLLER_OWNER_INDEX, { fn: controllerOwnerIndexFunc as IndexFunc<T>, byValue: undefined });
    for (const [name, fn] of Object.entries(indexers)) this.addIndex(name, fn);
  }

  /** The object under `key`, if cached. */
  get(key: ObjectKey): T | undefined {
    return this.objects.get(keyOf(key));
  }

  /** The object under a `namespace/name` (or `name`) string key, if cached. */
  getByKey(key: string): T | undefined {
    return this.objects.get(key);
  }

  /** Every cached object, or those of one namespace. */
  list(namespace?: string): T[] {
    if (namespace === undefined) return Array.from(this.objects.values());
    return this.byIndex(NAMESPACE_INDEX, namespace);
  }

  /** Every cached key. */
  keys(): string[] {
    return Array.from(this.objects.keys());
  }

  /** Objects filed under `value` by the named index; throws for an unknown index. */
  byIndex(index: string, value: string): T[] {
    const keys = this.lookup(index).get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) {
      const o = this.objects.get(k);
      if (o !== undefined) out.push(o);
    }
    return out;
  }

  /** Keys filed under `value` by the named index; throws for an unknown index. */
  keysByIndex(index: string, value: string): string[] {
    const keys = this.lookup(index).get(value);
    return keys ? Array.from(keys) : [];
  }

  /** The values the named index currently files objects under. */
  indexValues(index: string): string[] {
    return Array.from(this.lookup(index).keys());
  }

  /** The names of the indexes. */
  indexNames(): string[] {
    return Array.from(this.indices.keys());
  }

  /** The number of cached objects. */
  size(): number {
    return this.objects.size;
  }

  /**
   * Adds a named index (built on its first lookup). Throws when the name is taken
   * (replacing an index silently would leave callers reading the wrong one).
   */
  addIndex(name: string, fn: IndexFunc<T>): void {
    if (this.indices.has(name)) throw new Error(`index "${name}" already exists`);
    this.indices.set(name, { fn, byValue: undefined });
  }

  /**
   * Puts an object in the cache (adding or replacing the one under its key) and returns the
   * object it replaced. The new object's values in the built indexes are computed before
   * anything changes, so an index function that throws leaves the cache as it was.
   */
  upsert(obj: T): T | undefined {
    const key = cacheKeyOf(obj);
    if (this.built === 0) {
      const old = this.objects.get(key);
      this.objects.set(key, obj);
      return old;
    }
    const old = this.objects.get(key);
    const values: (readonly string[] | undefined)[] = [];
    for (const index of this.indices.values()) values.push(index.byValue ? index.fn(obj) : undefined);
    this.objects.set(key, obj);
    let i = 0;
    for (const index of this.indices.values()) {
      const now = values[i++];
      const byValue = index.byValue;
      if (!byValue || !now) continue;
      if (old === undefined) {
        file(byValue, key, now);
      } else {
        const before = index.fn(old);
        if (sameValues(before, now)) continue;
        unfile(byValue, key, before);
        file(byValue, key, now);
      }
    }
    return old;
  }

  /** Removes the object under `key` and returns it (undefined if it was not cached). */
  delete(key: string): T | undefined {
    const old = this.objects.get(key);
    if (old === undefined) return undefined;
    this.objects.delete(key);
    if (this.built > 0) for (const index of this.indices.values()) if (index.byValue) unfile(index.byValue, key, index.fn(old));
    return old;
  }

  /** Empties the cache (indexes stay defined). */
  clear(): void {
    this.objects.clear();
    for (const index of this.indices.values()) index.byValue?.clear();
  }

  /** The value map of an index, building it on first use. */
  private lookup(name: string): Map<string, Set<string>> {
    const index = this.indices.get(name);
    if (!index) throw new Error(`index "${name}" does not exist`);
    if (index.byValue) return index.byValue;
    const byValue = new Map<string, Set<string>>();
    for (const [k, o] of this.objects) file(byValue, k, index.fn(o));
    index.byValue = byValue;
    this.built++;
    return byValue;
  }
}

function file(byValue: Map<string, Set<string>>, key: string, values: readonly string[]): void {
  for (const v of values) {
    let set = byValue.get(v);
    if (!set) byValue.set(v, (set = new Set()));
    set.add(key);
  }
}

function unfile(byValue: Map<string, Set<string>>, key: string, values: readonly string[]): void {
  for (const v of values) {
    const set = byValue.get(v);
    if (!set) continue;
    set.delete(key);
    if (set.size === 0) byValue.delete(v);
  }
}
