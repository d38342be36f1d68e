import { parseKey, type KubeObject, type ObjectKey } from '../../api/meta.js';
import { CONTROLLER_OWNER_INDEX, NAMESPACE_INDEX, controllerOwnerIndexFunc } from './indexers.js';
import type { CacheReader, IndexFunc } from './types.js';

/** The cache key of an object: `namespace/name`, or `name` when cluster-scoped (as client-go keys it). */
export function cacheKeyOf(obj: KubeObject): string {
  const m = obj.metadata;
  return m.namespace ? `${m.namespace}/${m.name ?? ''}` : (m.name ?? '');
}

function keyString(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
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
 * An informer's store: each object held once, by namespace and name, plus named indexes
 * that hold keys (`namespace/name`) only.
 *
 * Invariants:
 * - `byNamespace.get(ns).get(name)` holds every cached object exactly once (`ns` is `''` for
 *   cluster-scoped objects); no inner map is empty; `count` is the number of objects.
 * - for every built index `i` and every cached object `o` with key `k`, `k` is in
 *   `i.byValue.get(v)` for each `v` of `i.fn(o)`, and in no other set of `i`; index
 *   functions are pure, so an object's old index values are recomputed from the old object
 *   when it changes or leaves (nothing per object is stored beside it).
 * - no set in an index is empty; `built` counts the indexes whose `byValue` is set.
 *
 * The objects are filed by namespace first, so the built-in `namespace` index costs nothing
 * and filling the cache (an informer's first list) needs no key strings: one lookup of the
 * namespace and one insert per object. The other indexes (the built-in `controller-owner`
 * and custom ones) are built on first lookup and kept up to date from then on, so an index
 * nobody reads costs nothing. Objects are shared and frozen; the cache never copies them.
 */
export class IndexedCache<T extends KubeObject = KubeObject> implements CacheReader<T> {
  private readonly byNamespace = new Map<string, Map<string, T>>();
  private count = 0;
  private readonly indices = new Map<string, Index<T>>();
  private built = 0;

  /** Makes an empty cache with the built-in indexes and any extra ones. */
  constructor(indexers: Readonly<Record<string, IndexFunc<T>>> = {}) {
    this.indices.set(CONTROLLER_OWNER_INDEX, { fn: controllerOwnerIndexFunc as IndexFunc<T>, byValue: undefined });
    for (const [name, fn] of Object.entries(indexers)) this.addIndex(name, fn);
  }

  /** The object under `key`, if cached. */
  get(key: ObjectKey): T | undefined {
    return this.byNamespace.get(key.namespace ?? '')?.get(key.name);
  }

  /** The object under a `namespace/name` (or `name`) string key, if cached. */
  getByKey(key: string): T | undefined {
    return this.get(parseKey(key));
  }

  /** The cached object with the same namespace and name as `obj`, if any. */
  getLike(obj: KubeObject): T | undefined {
    const m = obj.metadata;
    return this.byNamespace.get(m.namespace ?? '')?.get(m.name ?? '');
  }

  /** Every cached object, or those of one namespace. */
  list(namespace?: string): T[] {
    if (namespace !== undefined) {
      const inner = this.byNamespace.get(namespace);
      return inner ? Array.from(inner.values()) : [];
    }
    const out: T[] = [];
    for (const inner of this.byNamespace.values()) for (const o of inner.values()) out.push(o);
    return out;
  }

  /** Every cached key (`namespace/name`, or `name` for cluster-scoped objects). */
  keys(): string[] {
    const out: string[] = [];
    for (const [ns, inner] of this.byNamespace) for (const name of inner.keys()) out.push(keyString(ns, name));
    return out;
  }

  /** Objects filed under `value` by the named index; throws for an unknown index. */
  byIndex(index: string, value: string): T[] {
    if (index === NAMESPACE_INDEX) return value ? this.list(value) : [];
    const keys = this.lookup(index).get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const k of keys) {
      const o = this.getByKey(k);
      if (o !== undefined) out.push(o);
    }
    return out;
  }

  /** Keys filed under `value` by the named index; throws for an unknown index. */
  keysByIndex(index: string, value: string): string[] {
    if (index === NAMESPACE_INDEX) {
      const inner = value ? this.byNamespace.get(value) : undefined;
      return inner ? Array.from(inner.keys(), (name) => keyString(value, name)) : [];
    }
    const keys = this.lookup(index).get(value);
    return keys ? Array.from(keys) : [];
  }

  /** The values the named index currently files objects under. */
  indexValues(index: string): string[] {
    if (index === NAMESPACE_INDEX) return Array.from(this.byNamespace.keys()).filter((ns) => ns !== '');
    return Array.from(this.lookup(index).keys());
  }

  /** The names of the indexes. */
  indexNames(): string[] {
    return [NAMESPACE_INDEX, ...this.indices.keys()];
  }

  /** The number of cached objects. */
  size(): number {
    return this.count;
  }

  /**
   * Adds a named index (built on its first lookup). Throws when the name is taken
   * (replacing an index silently would leave callers reading the wrong one).
   */
  addIndex(name: string, fn: IndexFunc<T>): void {
    if (name === NAMESPACE_INDEX || this.indices.has(name)) throw new Error(`index "${name}" already exists`);
    this.indices.set(name, { fn, byValue: undefined });
  }

  /**
   * Puts an object in the cache (adding or replacing the one with its namespace and name)
   * and returns the object it replaced. The new object's values in the built indexes are
   * computed before anything changes, so an index function that throws leaves the cache as
   * it was.
   */
  upsert(obj: T): T | undefined {
    const m = obj.metadata;
    const ns = m.namespace ?? '';
    const name = m.name ?? '';
    let inner = this.byNamespace.get(ns);
    if (this.built === 0) {
      if (inner === undefined) this.byNamespace.set(ns, (inner = new Map()));
      const old = inner.get(name);
      inner.set(name, obj);
      if (old === undefined) this.count++;
      return old;
    }
    const old = inner?.get(name);
    const values: (readonly string[] | undefined)[] = [];
    for (const index of this.indices.values()) values.push(index.byValue ? index.fn(obj) : undefined);
    if (inner === undefined) this.byNamespace.set(ns, (inner = new Map()));
    inner.set(name, obj);
    if (old === undefined) this.count++;
    const key = keyString(ns, name);
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

  /** Removes the object under a `namespace/name` key and returns it (undefined if it was not cached). */
  delete(key: string): T | undefined {
    const k = parseKey(key);
    return this.remove(k.namespace ?? '', k.name);
  }

  /** Removes the cached object with the same namespace and name as `obj` and returns it. */
  deleteLike(obj: KubeObject): T | undefined {
    return this.remove(obj.metadata.namespace ?? '', obj.metadata.name ?? '');
  }

  /** Empties the cache (indexes stay defined). */
  clear(): void {
    this.byNamespace.clear();
    this.count = 0;
    for (const index of this.indices.values()) index.byValue?.clear();
  }

  private remove(ns: string, name: string): T | undefined {
    const inner = this.byNamespace.get(ns);
    const old = inner?.get(name);
    if (inner === undefined || old === undefined) return undefined;
    inner.delete(name);
    if (inner.size === 0) this.byNamespace.delete(ns);
    this.count--;
    if (this.built > 0) {
      const key = keyString(ns, name);
      for (const index of this.indices.values()) if (index.byValue) unfile(index.byValue, key, index.fn(old));
    }
    return old;
  }

  /** The value map of an index, building it on first use. */
  private lookup(name: string): Map<string, Set<string>> {
    const index = this.indices.get(name);
    if (!index) throw new Error(`index "${name}" does not exist`);
    if (index.byValue) return index.byValue;
    const byValue = new Map<string, Set<string>>();
    for (const [ns, inner] of this.byNamespace) for (const [n, o] of inner) file(byValue, keyString(ns, n), index.fn(o));
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
