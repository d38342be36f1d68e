import type { Observable } from 'rxjs';
import { badRequest, notFound } from '../../api/errors.js';
import type { KubeObject, ObjectKey, ObjectList, WatchEvent } from '../../api/meta.js';
import type { ResourceDefinition, ResourceType } from '../../api/resource-type.js';
import { compileObjectSelection } from '../../selectors/object-selection.js';
import type {
  CreateOptions,
  DeleteOptions,
  GetOptions,
  ListOptions,
  ObjectStore,
  Patch,
  PatchOptions,
  SelectOptions,
  UpdateOptions,
  WatchOptions,
} from '../../store/object-store.js';
import type { InformerProvider } from '../controller/informer-provider.js';
import type { Informer, InformerSelection } from '../informer/types.js';

/** An index lookup in a cached LIST: the objects the index named `name` files under `value`. */
export interface IndexQuery {
  /** The index's name, as registered with `addIndex` (or a built-in one: `namespace`, `controller-owner`). */
  name: string;
  /** The value to look up. */
  value: string;
}

/** Options of a cached LIST: the usual selection, plus an optional index lookup. */
export interface CachedListOptions extends ListOptions {
  /**
   * Serve the list from an index: only objects the index files under `value`, further
   * narrowed by `namespace`, `labelSelector` and `fieldSelector` when given. An index the
   * kind's informer does not have fails with an Error naming the indexes it has.
   */
  index?: IndexQuery;
}

/**
 * An index function for `addIndex`: the values an object is filed under. `undefined`,
 * `null` and `''` entries are dropped, so `(pod) => [pod.spec?.nodeName]` files an
 * unscheduled Pod under nothing. It must be pure and fast: it runs on every change.
 */
export type FieldIndexFunc<T extends KubeObject = KubeObject> = (obj: T) => readonly (string | undefined | null)[];

/** Options of a CachedObjectStore. */
export interface CachedObjectStoreOptions<I extends InformerProvider = InformerProvider> {
  /** The store writes and watches go to (and the informers list and watch). */
  store: ObjectStore;
  /** The shared informers reads are served from (the manager's). */
  informers: I;
  /**
   * The informer selection a kind's reads use; default everything of the kind. Use it to
   * confine the cache (e.g. to one namespace, where RBAC allows no more): a read outside
   * the selection's namespace then fails rather than silently finding nothing.
   */
  selectionFor?: (type: ResourceType) => InformerSelection | undefined;
  /**
   * How long a first read waits for its informer's cache to sync, in ms of the informers'
   * clock; default no limit. A read that times out rejects (the informer keeps trying).
   */
  syncTimeoutMs?: number;
}

const NO_VALUES: readonly string[] = Object.freeze([]);

/**
 * An ObjectStore whose reads come from the shared informers' caches and whose writes go to
 * the store underneath: what controller-runtime's manager client is. A Manager injects one
 * under `ObjectStoreToken`; the store itself stays available as `DirectStoreToken`.
 *
 * ```ts
 * manager.addIndex(Pods, 'spec.nodeName', (pod) => [pod.spec?.nodeName]);
 * // in a reconcile, with `client` injected by `@inject(ObjectStoreToken)`:
 * const app = await client.get(Apps, request);                          // from the Apps informer's cache
 * const pods = await client.list(Pods, { index: { name: 'spec.nodeName', value: 'node-1' } });
 * await client.update(Apps, next);                                      // to the store
 * ```
 *
 * - `get` and `list` use the kind's shared informer: the first read starts it (if the
 *   manager has not) and waits for its first list; later reads are answered from memory,
 *   with no request. `get` fails with NotFound as the store does; `list` honours the
 *   namespace, label and field selectors (`metadata.name`, `metadata.namespace` and the
 *   kind's selectable fields from its definition's strategy), and `index` (see
 *   `CachedListOptions`). Objects are the cache's own: shared and deeply frozen (copy with
 *   `mutable` before changing one).
 * - `list` answers with every matching object at once, as the API server's watch cache does
 *   for resourceVersion "0": `limit` is not applied and no `continue` token is returned (a
 *   `continue` is refused). `resourceVersion` options are ignored: the cache is what it is.
 * - A `get` of a subresource (`status`, `scale`), `watch`, and every write (create, update,
 *   patch, delete, deleteCollection, and the status, scale, binding and eviction
 *   subresources) go to the store unchanged.
 *
 * **Read-your-writes caveat.** The cache follows the store through a watch, so it lags
 * behind it. A read right after your own write may not see that write yet: `get` may
 * return the version before your update, `list` may miss the object you just created (and
 * creating it again fails with AlreadyExists) or still show the one you just deleted. It
 * converges as soon as the watch event arrives, and that event triggers another reconcile
 * of whatever watches the kind. So: use the object a write returns rather than reading it
 * back; write conditionally (updates carry the resourceVersion you read, and a stale one
 * fails with Conflict, which is retried); treat AlreadyExists / NotFound from a write as
 * "the cache has not caught up yet"; and when a reconcile must not act twice on its own
 * writes (e.g. creating Pods for a ReplicaSet), keep expectations of the writes in flight,
 * as the built-in controllers do. When you really need the newest state, read through the
 * direct store (`DirectStoreToken`), at the cost of a request each time.
 */
export class CachedObjectStore<I extends InformerProvider = InformerProvider> implements ObjectStore {
  /** The store underneath: writes and watches go there, and so may reads that must be current. */
  readonly store: ObjectStore;
  /** The shared informers reads are served from. */
  readonly informers: I;
  private readonly options: CachedObjectStoreOptions<I>;

  /** Makes a client over `options.store` and `options.informers`; nothing starts until the first read. */
  constructor(options: CachedObjectStoreOptions<I>) {
    this.options = options;
    this.store = options.store;
    this.informers = options.informers;
  }

  /**
   * Registers an index on the kind's shared informer, usable from `list(type, { index })`
   * (and from `informer.cache.byIndex`), as controller-runtime's `FieldIndexer.IndexField`.
   * Allowed before and after the informer starts; a name already taken fails.
   *
   * ```ts
   * client.addIndex(Pods, 'spec.nodeName', (pod) => [pod.spec?.nodeName]);
   * await client.list(Pods, { index: { name: 'spec.nodeName', value: 'node-1' } });
   * ```
   */
  addIndex<T extends KubeObject>(type: ResourceType<T>, name: string, fn: FieldIndexFunc<T>): void {
    this.informerOf(type).addIndex(name, (obj) => {
      const values = fn(obj);
      let clean = true;
      for (const v of values) if (v === undefined || v === null || v === '') clean = false;
      if (clean) return values as readonly string[];
      const out = values.filter((v): v is string => v !== undefined && v !== null && v !== '');
      return out.length === 0 ? NO_VALUES : out;
    });
  }

  /** The shared informer a kind's reads use (the one `selectionFor` names, by default the whole kind). */
  informerOf<T extends KubeObject>(type: ResourceType<T>): Informer<T> {
    return this.informers.informerFor(type, this.options.selectionFor?.(type as ResourceType));
  }

  /** Reads an object from the cache (a subresource from the store); NotFound when the cache has no such object. */
  async get<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options: GetOptions = {}): Promise<T> {
    if (options.subresource) return this.store.get(type, key, options);
    if (!key.name) throw badRequest('name is required');
    const namespace = type.namespaced ? key.namespace : undefined;
    if (type.namespaced && !namespace) throw badRequest(`${type.resource} is namespaced: a namespace is required`);
    const informer = await this.synced(type, namespace);
    const obj = informer.cache.get(namespace ? { namespace, name: key.name } : { name: key.name });
    if (obj === undefined)
      throw notFound(type.group ? { group: type.group, resource: type.resource } : { resource: type.resource }, key.name);
    return obj;
  }

  /** Lists objects from the cache: namespace, label and field selectors, and an optional index lookup. */
  async list<T extends KubeObject>(type: ResourceType<T>, options: CachedListOptions = {}): Promise<ObjectList<T>> {
    if (options.continue) throw badRequest('a cached list returns every item at once: it takes no continue token');
    const namespace = type.namespaced && options.namespace ? options.namespace : undefined;
    const selected = compileObjectSelection<T>({
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      fields: (type as Partial<ResourceDefinition<T>>).strategy?.selectableFields,
    }); // bad selectors fail here, before any informer starts
    const informer = await this.synced(type, namespace, true);
    let items: T[];
    if (options.index) {
      items = lookup(informer, options.index);
      if (namespace !== undefined) items = items.filter((o) => o.metadata.namespace === namespace);
    } else {
      items = informer.cache.list(namespace);
    }
    if (selected) items = items.filter(selected);
    const list: ObjectList<T> = {
      apiVersion: type.group ? `${type.group}/${type.version}` : type.version,
      kind: (type as Partial<ResourceDefinition<T>>).listKind ?? `${type.kind}List`,
      metadata: {},
      items,
    };
    const rv = resourceVersionOf(informer);
    if (rv !== undefined) list.metadata.resourceVersion = rv;
    Object.freeze(items);
    Object.freeze(list.metadata);
    return Object.freeze(list);
  }

  /** Watches through the store (each subscription opens its own watch). */
  watch<T extends KubeObject>(type: ResourceType<T>, options?: WatchOptions): Observable<WatchEvent<T>> {
    return this.store.watch(type, options);
  }

  /** Creates through the store (subresources such as `binding` and `eviction` too). */
  create<T extends KubeObject>(type: ResourceType<T>, obj: T, options?: CreateOptions): Promise<T> {
    return this.store.create(type, obj, options);
  }

  /** Updates through the store (the `status` and `scale` subresources too). */
  update<T extends KubeObject>(type: ResourceType<T>, obj: T, options?: UpdateOptions): Promise<T> {
    return this.store.update(type, obj, options);
  }

  /** Patches through the store. */
  patch<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, patch: Patch, options?: PatchOptions): Promise<T> {
    return this.store.patch(type, key, patch, options);
  }

  /** Deletes through the store. */
  delete<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options?: DeleteOptions): Promise<T> {
    return this.store.delete(type, key, options);
  }

  /** Deletes a collection through the store. */
  deleteCollection<T extends KubeObject>(type: ResourceType<T>, options?: SelectOptions & DeleteOptions): Promise<ObjectList<T>> {
    return this.store.deleteCollection(type, options);
  }

  /** The kind's informer, started if need be and synced; refuses reads outside its namespace. */
  private async synced<T extends KubeObject>(type: ResourceType<T>, namespace: string | undefined, listing = false): Promise<Informer<T>> {
    const informer = this.informerOf(type);
    const confined = informer.selection.namespace;
    if (confined && type.namespaced && namespace !== confined) {
      const what = namespace === undefined ? (listing ? 'across all namespaces' : 'without a namespace') : `in namespace ${namespace}`;
      throw new Error(
        `the cache of ${type.resource} holds namespace ${confined} only: cannot read ${what} from it (read through the direct store)`,
      );
    }
    if (!informer.hasSynced()) {
      informer.start();
      await informer.waitForCacheSync(this.options.syncTimeoutMs);
    }
    return informer;
  }
}

function lookup<T extends KubeObject>(informer: Informer<T>, index: IndexQuery): T[] {
  const names = (informer.cache as { indexNames?: () => string[] }).indexNames?.();
  if (names && !names.includes(index.name)) throw unknownIndex(informer, index, names);
  try {
    return informer.cache.byIndex(index.name, index.value);
  } catch (err) {
    // a cache that cannot list its indexes says so only here
    if (!names && err instanceof Error && /does not exist/.test(err.message)) throw unknownIndex(informer, index, undefined);
    throw err;
  }
}

function unknownIndex(informer: Informer, index: IndexQuery, names: readonly string[] | undefined): Error {
  const known = names ? ` (it has: ${names.join(', ')})` : '';
  return new Error(
    `cannot list ${informer.type.resource} by index "${index.name}": the informer has no such index${known}; register it first with addIndex(<${informer.type.kind} type>, '${index.name}', fn)`,
  );
}

function resourceVersionOf(informer: Informer): string | undefined {
  const health = (informer as { health?: () => { resourceVersion?: string } }).health;
  return typeof health === 'function' ? health.call(informer).resourceVersion : undefined;
}
