import {
  alreadyExists,
  badRequest,
  conflict,
  deepFreeze,
  methodNotAllowed,
  notFound,
  StatusError,
  type Clock,
  type CreateOptions,
  type KubeObject,
  type Logger,
  type ObjectKey,
  type Patch,
  type PatchOptions,
  type ResourceDefinition,
  type ResourceType,
} from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import type { Subscription } from 'rxjs';
import type { Backend, StoredObject } from '../backend/backend.js';
import { shouldDeleteDuringUpdate } from './deletion.js';
import { isObject } from './json-values.js';
import { KeyLayout, type KindInfo } from './kind-info.js';
import type { KindStorage, WriteClaims } from './kinds/kind-storage.js';
import { prepareCreate, sameButVersion, validatePrepared } from './object-prep.js';
import { patchStored, recordManagedFields } from './patching.js';
import { generateName, Timestamps } from './request-helpers.js';
import type { StoreOps, UpdateSpec } from './store-ops.js';

/** Options of a GenericStore. */
export interface GenericStoreOptions {
  backend: Backend;
  catalog: ResourceCatalog;
  clock: Clock;
  logger: Logger;
  bookmarkIntervalMs: number;
  newUid: () => string;
  random: () => number;
  defaultFieldManager: string;
  /** The storage of a kind (its row in the kinds table, or the generic storage). */
  storageOf: (def: ResourceDefinition) => KindStorage;
  /**
   * Admission of a create in a namespace (namespace lifecycle): throws, or answers a promise
   * that rejects, when the namespace does not admit it; undefined when it answers at once.
   */
  admitNamespaced?: (info: KindInfo, namespace: string, name: string) => Promise<void> | undefined;
}

const GENERATE_ATTEMPTS = 8;

/**
 * The generic store: Kubernetes' API semantics for any kind over a backend (create with
 * generated names, read, read-modify-write with optimistic concurrency, managedFields,
 * removal once the last finalizer is gone). It knows no kind: what differs per kind comes
 * from the kind's definition (its strategy) and from its `KindStorage` in the kinds table.
 * Objects it returns are deeply frozen.
 */
export class GenericStore implements StoreOps {
  readonly backend: Backend;
  readonly catalog: ResourceCatalog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly layout: KeyLayout;
  readonly bookmarkIntervalMs: number;
  private readonly o: GenericStoreOptions;
  private readonly stamps: Timestamps;
  /** KindInfo by the ResourceType object a caller passes; emptied whenever the catalog changes. */
  private kinds = new WeakMap<object, KindInfo>();
  private readonly catalogChanges: Subscription;

  constructor(options: GenericStoreOptions) {
    this.o = options;
    this.backend = options.backend;
    this.catalog = options.catalog;
    this.clock = options.clock;
    this.logger = options.logger;
    this.bookmarkIntervalMs = options.bookmarkIntervalMs;
    this.layout = new KeyLayout({ storageOf: options.storageOf });
    this.stamps = new Timestamps(this.clock);
    this.catalogChanges = this.catalog.changes.subscribe(() => {
      this.kinds = new WeakMap();
    });
  }

  kind(type: ResourceType, verb?: string): KindInfo {
    let info = this.kinds.get(type);
    if (!info) {
      if (!isObject(type) || typeof type.resource !== 'string') throw badRequest('a resource type is required');
      const def = this.catalog.get(type);
      if (!def || def.virtual)
        throw new StatusError(
          'NotFound',
          `the server could not find the requested resource (${type.group ? `${type.resource}.${type.group}` : type.resource})`,
        );
      info = this.layout.info(def);
      this.kinds.set(type, info);
    }
    if (verb !== undefined && info.def.verbs && !info.def.verbs.includes(verb))
      throw methodNotAllowed('the server does not allow this method on the requested resource');
    return info;
  }

  checkKey(info: KindInfo, key: ObjectKey): void {
    if (!isObject(key) || typeof key.name !== 'string' || key.name === '') throw badRequest('resource name may not be empty');
    if (key.name.includes('/')) throw badRequest(`invalid resource name ${JSON.stringify(key.name)}: may not contain '/'`);
    if (info.def.namespaced) {
      if (typeof key.namespace !== 'string' || key.namespace === '') throw badRequest(`a namespace is required for ${info.def.resource}`);
      if (key.namespace.includes('/')) throw badRequest(`invalid namespace ${JSON.stringify(key.namespace)}`);
    }
  }

  keyOf(info: KindInfo, meta: { readonly namespace?: string | undefined; readonly name?: string | undefined }): ObjectKey {
    const key: ObjectKey = info.def.namespaced ? { namespace: meta.namespace ?? '', name: meta.name ?? '' } : { name: meta.name ?? '' };
    this.checkKey(info, key);
    return key;
  }

  async read(info: KindInfo, key: ObjectKey): Promise<StoredObject> {
    this.checkKey(info, key);
    const stored = await this.backend.get(this.layout.key(info, key.namespace, key.name));
    if (!stored) throw notFound(info.qualified, key.name);
    return stored;
  }

  /** Reads one object synchronously from a backend that can `peek`; NotFound when absent. */
  peek(info: KindInfo, key: ObjectKey): StoredObject {
    this.checkKey(info, key);
    const stored = this.backend.peek!(this.layout.key(info, key.namespace, key.name));
    if (!stored) throw notFound(info.qualified, key.name);
    return stored;
  }

  view(info: KindInfo, stored: KubeObject): KubeObject {
    return info.conversion ? info.conversion.view(stored) : stored;
  }

  /** A new uid. */
  newUid(): string {
    return this.o.newUid();
  }

  timestamp(offsetSeconds = 0): string {
    return this.stamps.format(offsetSeconds);
  }

  track(
    info: KindInfo,
    old: KubeObject | undefined,
    next: KubeObject,
    fieldManager: string | undefined,
    subresource: string | undefined,
  ): KubeObject {
    const o: Parameters<typeof recordManagedFields>[0] = {
      info,
      old,
      next,
      fieldManager,
      defaultManager: this.o.defaultFieldManager,
      time: this.timestamp(),
    };
    if (subresource) o.subresource = subresource;
    return recordManagedFields(o);
  }

  /** Applies a patch to a stored object (or to nothing, for an apply that creates) at the current time. */
  applyPatch(info: KindInfo, current: KubeObject | undefined, patch: Patch, options: PatchOptions): KubeObject {
    return patchStored(info, current, patch, options, this.timestamp());
  }

  /**
   * Creates an object: prepare (system fields, status reset), generate the name, validate,
   * record managedFields (when `track`), admit into its namespace, claim what the kind's
   * storage claims, store (retrying a generated name that is taken).
   *
   * The answer is the stored object itself when every step finished synchronously (no
   * admission or claim to wait for, a backend that creates synchronously), else a promise of
   * it; `create` wraps it in a promise. A synchronous failure is thrown.
   */
  createNow(info: KindInfo, obj: unknown, options: CreateOptions, track: boolean): KubeObject | Promise<KubeObject> {
    const draft = prepareCreate(this, info, obj, options);
    const random = this.o.random;
    const generated = !draft.metadata.name;
    if (generated) draft.metadata.name = generateName(draft.metadata.generateName!, random);
    let prepared = validatePrepared(info, draft, undefined, options);
    if (track && (options.fieldManager !== undefined || prepared.metadata.managedFields))
      prepared = this.track(info, undefined, prepared, options.fieldManager, undefined);
    const m = prepared.metadata;
    if (info.def.namespaced && this.o.admitNamespaced) {
      const admitted = this.o.admitNamespaced(info, m.namespace!, m.name!);
      if (admitted) return admitted.then(() => this.claimAndStore(info, prepared, options, generated));
    }
    if (info.storage.claimCreate || !this.backend.createNow) return this.claimAndStore(info, prepared, options, generated);
    if (options.dryRun) return deepFreeze(prepared);
    return this.storeNow(info, prepared, generated);
  }

  /** Creates an object (see `createNow`), always answering a promise. */
  create(info: KindInfo, obj: unknown, options: CreateOptions, track: boolean): Promise<KubeObject> {
    try {
      const created = this.createNow(info, obj, options, track);
      return created instanceof Promise ? created : Promise.resolve(created);
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  /** The asynchronous end of a create: claims, then stores (reverting the claims when the store fails). */
  private async claimAndStore(info: KindInfo, prepared: KubeObject, options: CreateOptions, generated: boolean): Promise<KubeObject> {
    const storage = info.storage;
    const claims = storage.claimCreate ? await storage.claimCreate(prepared, options.dryRun === true) : undefined;
    if (options.dryRun) return deepFreeze(prepared);
    const backend = this.backend;
    const conversion = info.conversion;
    const m = prepared.metadata;
    const random = this.o.random;
    try {
      for (let attempt = 1; ; attempt++) {
        const key = this.layout.key(info, m.namespace, m.name!);
        const toStore = conversion ? conversion.toStorage(prepared) : prepared;
        const res = backend.createNow ? backend.createNow(key, toStore) : await backend.create(key, toStore);
        if (res.ok) {
          storage.written?.();
          return conversion ? conversion.view(res.stored.object) : res.stored.object;
        }
        if (!generated || attempt >= GENERATE_ATTEMPTS) throw alreadyExists(info.qualified, m.name!);
        m.name = generateName(m.generateName!, random);
      }
    } catch (err) {
      await claims?.revert();
      throw err;
    }
  }

  /** The store of a create that claims nothing, on a backend that creates synchronously. */
  private storeNow(info: KindInfo, prepared: KubeObject, generated: boolean): KubeObject {
    const backend = this.backend;
    const conversion = info.conversion;
    const m = prepared.metadata;
    for (let attempt = 1; ; attempt++) {
      const key = this.layout.key(info, m.namespace, m.name!);
      const res = backend.createNow!(key, conversion ? conversion.toStorage(prepared) : prepared);
      if (res.ok) {
        info.storage.written?.();
        return conversion ? conversion.view(res.stored.object) : res.stored.object;
      }
      if (!generated || attempt >= GENERATE_ATTEMPTS) throw alreadyExists(info.qualified, m.name!);
      m.name = generateName(m.generateName!, this.o.random);
    }
  }

  async guaranteedUpdate(info: KindInfo, key: ObjectKey, spec: UpdateSpec): Promise<KubeObject> {
    const storageKey = this.layout.key(info, key.namespace, key.name);
    const conversion = info.conversion;
    const storage = info.storage;
    let current = await this.backend.get(storageKey);
    for (let attempt = 1; ; attempt++) {
      if (!current) throw notFound(info.qualified, key.name);
      // Mutations see (and produce) the served version; the backend holds the storage form.
      const currentObj = conversion ? conversion.view(current.object) : current.object;
      if (spec.resourceVersion !== undefined && spec.resourceVersion !== currentObj.metadata.resourceVersion)
        throw conflict(info.qualified, key.name);
      const next = spec.mutate(currentObj);
      if (next === null || next === currentObj || sameButVersion(next, currentObj)) return currentObj;
      const removing = shouldDeleteDuringUpdate(info, next);
      let claims: WriteClaims | undefined;
      if (storage.claimUpdate && !removing) claims = await storage.claimUpdate(next, currentObj, spec.dryRun === true);
      if (spec.dryRun)
        return deepFreeze({
          ...next,
          metadata: { ...next.metadata, resourceVersion: currentObj.metadata.resourceVersion ?? String(current.revision) },
        });
      let res;
      try {
        res = removing
          ? await this.backend.delete(storageKey, current.revision)
          : await this.backend.update(storageKey, conversion ? conversion.toStorage(next) : next, current.revision);
      } catch (err) {
        await claims?.revert();
        throw err;
      }
      if (res.ok) {
        if (claims) {
          await claims.commit();
          storage.written?.();
        }
        if (removing) {
          if (storage.removed) await storage.removed(currentObj);
          return deepFreeze({ ...next, metadata: { ...next.metadata, resourceVersion: String(res.stored.revision) } });
        }
        return conversion ? conversion.view(res.stored.object) : res.stored.object;
      }
      await claims?.revert();
      if (res.reason === 'not-found') throw notFound(info.qualified, key.name);
      if (spec.resourceVersion !== undefined || attempt >= 64) throw conflict(info.qualified, key.name);
      current = res.current;
    }
  }

  /** Stops following the catalog. */
  close(): void {
    this.catalogChanges.unsubscribe();
  }
}
