import { randomUUID } from 'node:crypto';
import type { Observable, Subscription } from 'rxjs';
import {
  alreadyExists,
  badRequest,
  conflict,
  deepFreeze,
  invalid,
  methodNotAllowed,
  notFound,
  realClock,
  StatusError,
  type Clock,
  type CreateOptions,
  type DeleteOptions,
  type GetOptions,
  type KubeObject,
  type ListOptions,
  type ObjectKey,
  type ObjectList,
  type ObjectStore,
  type Patch,
  type PatchOptions,
  type ResourceType,
  type SelectOptions,
  type UpdateOptions,
  type WatchEvent,
  type WatchOptions,
} from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import type { Backend, StoredObject } from '../backend/backend.js';
import { deleteObject, shouldDeleteDuringUpdate } from './deletion.js';
import { isObject } from './json-values.js';
import { KeyLayout, type KindInfo } from './kind-info.js';
import { listObjects } from './listing.js';
import { NamespaceLifecycle } from './namespace-lifecycle.js';
import { checkBody, prepareCreate, prepareStatusUpdate, prepareUpdate, sameButVersion, validatePrepared } from './object-prep.js';
import { appliedNew, patchStored, recordManagedFields } from './patching.js';
import { bindPod } from './pod-binding.js';
import { evictPod } from './pod-eviction.js';
import { getScale, patchScale, updateScale } from './scale-subresource.js';
import { ServiceAllocations } from './service-allocations.js';
import type { AllocationTxn, RepairReport, ServiceAllocator } from './service-allocator.js';
import { watchObjects } from './watching.js';
import { asStatusError, generateName, optionsOf, subresourceNotFound, Timestamps } from './request-helpers.js';

/** Options of a Registry. */
export interface RegistryOptions {
  /** Where objects are stored (`MemoryBackend` or `EtcdBackend`). */
  backend: Backend;
  /** The kinds served; a kind missing from it is NotFound. */
  catalog: ResourceCatalog;
  /** The source of timestamps and watch timers (default: the wall clock). */
  clock?: Clock;
  /** How often a watch with `allowWatchBookmarks` gets a BOOKMARK, in clock milliseconds (default 60 s). */
  bookmarkIntervalMs?: number;
  /** Generates uids (default `crypto.randomUUID`). */
  newUid?: () => string;
  /** Random numbers in [0, 1) for generateName (default `Math.random`). */
  random?: () => number;
  /**
   * The field manager recorded for writes that name none, once an object's fields are tracked
   * in managedFields (default `converge`). Writes naming no manager to untracked objects are
   * not tracked.
   */
  defaultFieldManager?: string;
  /**
   * The service CIDR cluster IPs are allocated from, as Kubernetes' `--service-cluster-ip-range`
   * (default `10.96.0.0/12`; IPv4). Its first address (`10.96.0.1`) is only handed out on
   * request: it belongs to the `kubernetes` Service.
   */
  serviceClusterIPRange?: string;
  /** The node ports of NodePort and LoadBalancer Services, as `--service-node-port-range` (default `30000-32767`). */
  serviceNodePortRange?: string;
  /**
   * How often (clock milliseconds) the registry reconciles its IP and node port claims with the
   * stored Services, removing claims a crash left behind (default 3 minutes, as Kubernetes'
   * repair loops; 0 = only once, on the first Service write).
   */
  serviceAllocationRepairIntervalMs?: number;
}

/** A change computed from the stored object: the object to store, or null when nothing changes. */
export type Mutation = (current: KubeObject) => KubeObject | null;

/** How `Registry.guaranteedUpdate` conditions and performs a read-modify-write. */
export interface UpdateSpec {
  /** Fail with Conflict unless the stored object has this resourceVersion (otherwise retry on conflicts). */
  resourceVersion?: string;
  dryRun?: boolean;
  mutate: Mutation;
}

const PODS: ResourceType = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
const GENERATE_ATTEMPTS = 8;

/**
 * The registry: the ObjectStore that applies Kubernetes' API semantics over a storage backend.
 *
 * Every server-side write goes through it, whatever the backend: uid, creationTimestamp,
 * generation and resourceVersion; optimistic concurrency; the status split; immutable
 * fields and validation; finalizers, graceful deletion and propagation policies; namespace
 * lifecycle; the status, scale, binding and eviction subresources; selectors, pagination
 * and watches from a resourceVersion. Objects it hands out are deeply frozen and shared.
 *
 * @example
 * ```ts
 * const registry = new Registry({ backend: new MemoryBackend(), catalog: createBuiltinCatalog() });
 * await registry.create(Namespaces, { metadata: { name: 'default' } });
 * const pod = await registry.create(Pods, { metadata: { namespace: 'default', generateName: 'web-' }, spec });
 * ```
 */
export class Registry implements ObjectStore {
  /** The storage backend. */
  readonly backend: Backend;
  /** The kinds served. */
  readonly catalog: ResourceCatalog;
  /** The clock of timestamps and timers. */
  readonly clock: Clock;
  /** The storage key layout. */
  readonly layout = new KeyLayout();
  /** @internal */
  readonly bookmarkIntervalMs: number;
  /** @internal */
  readonly namespaces: NamespaceLifecycle;
  private readonly random: () => number;
  /** @internal */
  readonly defaultFieldManager: string;
  /** @internal */
  readonly newUid: () => string;
  /** KindInfo by the ResourceType object a caller passes; emptied whenever the catalog changes. */
  private kinds = new WeakMap<object, KindInfo>();
  private readonly catalogChanges: Subscription;
  private readonly options: RegistryOptions;
  private readonly services: ServiceAllocations;
  private readonly stamps: Timestamps;

  constructor(options: RegistryOptions) {
    this.options = options;
    this.backend = options.backend;
    this.catalog = options.catalog;
    this.clock = options.clock ?? realClock;
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? 60_000;
    this.newUid = options.newUid ?? randomUUID;
    this.random = options.random ?? Math.random;
    this.defaultFieldManager = options.defaultFieldManager ?? 'converge';
    this.namespaces = new NamespaceLifecycle(this);
    this.stamps = new Timestamps(this.clock);
    this.services = new ServiceAllocations({
      backend: this.backend,
      catalog: this.catalog,
      layout: this.layout,
      clock: this.clock,
      random: this.random,
      serviceClusterIPRange: options.serviceClusterIPRange,
      serviceNodePortRange: options.serviceNodePortRange,
      serviceAllocationRepairIntervalMs: options.serviceAllocationRepairIntervalMs,
    });
    this.catalogChanges = this.catalog.changes.subscribe(() => {
      this.kinds = new WeakMap();
      this.namespaces.catalogChanged();
    });
  }

  async get<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options: GetOptions = {}): Promise<T> {
    options = optionsOf(options);
    try {
      const info = this.kind(type, 'get');
      const stored = this.backend.peek ? this.peek(info, key) : await this.read(info, key);
      const obj = info.conversion ? info.conversion.view(stored.object) : stored.object;
      switch (options.subresource) {
        case undefined:
        case '':
          return obj as T;
        case 'status':
          if (info.statusFields.length === 0) throw subresourceNotFound(info, 'status');
          return obj as T;
        case 'scale':
          return getScale(info, obj) as T;
        default:
          throw subresourceNotFound(info, options.subresource);
      }
    } catch (err) {
      throw asStatusError(err);
    }
  }

  async list<T extends KubeObject>(type: ResourceType<T>, options: ListOptions = {}): Promise<ObjectList<T>> {
    options = optionsOf(options);
    try {
      return (await listObjects(this, this.kind(type, 'list'), options)) as ObjectList<T>;
    } catch (err) {
      throw asStatusError(err);
    }
  }

  watch<T extends KubeObject>(type: ResourceType<T>, options: WatchOptions = {}): Observable<WatchEvent<T>> {
    options = optionsOf(options);
    return watchObjects(this, () => this.kind(type, 'watch'), options) as Observable<WatchEvent<T>>;
  }

  async create<T extends KubeObject>(type: ResourceType<T>, obj: T, options: CreateOptions = {}): Promise<T> {
    options = optionsOf(options);
    try {
      if (this.isBindings(type)) return (await bindPod(this, this.kind(PODS), obj, options)) as T;
      const info = this.kind(type, 'create');
      if (options.subresource) return (await this.createSubresource(info, obj, options)) as T;
      return (await this.createObject(info, obj, options, true)) as T;
    } catch (err) {
      throw asStatusError(err);
    }
  }

  /** Creates an object: prepare, validate, record managedFields (when `track`), admit, store. */
  private async createObject(info: KindInfo, obj: KubeObject, options: CreateOptions, track: boolean): Promise<KubeObject> {
    const draft = prepareCreate(this, info, obj, options);
    const generated = !draft.metadata.name;
    if (generated) draft.metadata.name = generateName(draft.metadata.generateName!, this.random);
    let prepared = validatePrepared(info, draft, undefined, options);
    if (track && (options.fieldManager !== undefined || prepared.metadata.managedFields)) prepared = this.track(info, undefined, prepared, options.fieldManager, undefined);
    const m = prepared.metadata;
    if (info.def.namespaced) {
      const admitted = this.namespaces.admit(info, m.namespace!, m.name!);
      if (admitted) await admitted;
    }
    const txn = info.isService ? await this.serviceAllocator().allocateCreate(prepared, options.dryRun === true) : undefined;
    if (options.dryRun) return deepFreeze(prepared);
    const backend = this.backend;
    const conversion = info.conversion;
    try {
      for (let attempt = 1; ; attempt++) {
        const key = this.layout.key(info, m.namespace, m.name!);
        const toStore = conversion ? conversion.toStorage(prepared) : prepared;
        const res = backend.createNow ? backend.createNow(key, toStore) : await backend.create(key, toStore);
        if (res.ok) {
          this.services.started(info);
          return conversion ? conversion.view(res.stored.object) : res.stored.object;
        }
        if (!generated || attempt >= GENERATE_ATTEMPTS) throw alreadyExists(info.qualified, m.name!);
        m.name = generateName(m.generateName!, this.random);
      }
    } catch (err) {
      await txn?.revert();
      throw err;
    }
  }

  /** @internal Records a non-apply write in managedFields (see `recordManagedFields`). */
  track(info: KindInfo, old: KubeObject | undefined, next: KubeObject, fieldManager: string | undefined, subresource: string | undefined): KubeObject {
    const o: Parameters<typeof recordManagedFields>[0] = { info, old, next, fieldManager, defaultManager: this.defaultFieldManager, time: this.timestamp() };
    if (subresource) o.subresource = subresource;
    return recordManagedFields(o);
  }

  async update<T extends KubeObject>(type: ResourceType<T>, obj: T, options: UpdateOptions = {}): Promise<T> {
    options = optionsOf(options);
    try {
      const info = this.kind(type, 'update');
      const sub = options.subresource || undefined;
      if (sub === 'scale') {
        if (!isObject(obj) || !isObject(obj.metadata)) throw badRequest('the body of a Scale must be a JSON object with metadata');
        return (await updateScale(this, info, this.keyOf(info, obj.metadata), obj, options)) as T;
      }
      checkBody(info, obj);
      const key = this.keyOf(info, obj.metadata);
      if (sub === 'finalize' && info.isNamespace) return (await this.namespaces.finalize(info, key, obj, options)) as T;
      if (sub !== undefined && (sub !== 'status' || info.statusFields.length === 0)) throw subresourceNotFound(info, sub);
      const rv = obj.metadata.resourceVersion || undefined;
      if (!rv && !sub && info.def.strategy?.allowUnconditionalUpdate === false) {
        throw invalid(info.def.kind, info.def.group, key.name, [{ field: 'metadata.resourceVersion', reason: 'FieldValueInvalid', message: 'Invalid value: 0x0: must be specified for an update' }]);
      }
      const spec: UpdateSpec = {
        mutate: (current) => this.track(info, current, sub === 'status' ? prepareStatusUpdate(info, current, obj, options) : prepareUpdate(info, current, obj, options), options.fieldManager, sub),
      };
      if (rv) spec.resourceVersion = rv;
      if (options.dryRun) spec.dryRun = true;
      return (await this.guaranteedUpdate(info, key, spec)) as T;
    } catch (err) {
      throw asStatusError(err);
    }
  }

  async patch<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, patch: Patch, options: PatchOptions = {}): Promise<T> {
    options = optionsOf(options);
    try {
      const info = this.kind(type, 'patch');
      this.checkKey(info, key);
      if (!isObject(patch) || typeof patch.type !== 'string') throw badRequest('a patch needs a type and a body');
      const sub = options.subresource || undefined;
      if (sub === 'scale') return (await patchScale(this, info, key, patch, options)) as T;
      if (sub !== undefined && (sub !== 'status' || info.statusFields.length === 0)) throw subresourceNotFound(info, sub);
      const applying = patch.type === 'apply';
      if (applying && !sub) {
        // An apply to an object that does not exist creates it.
        const existing = this.backend.peek ? this.backend.peek(this.layout.key(info, key.namespace, key.name)) : await this.backend.get(this.layout.key(info, key.namespace, key.name));
        if (!existing) {
          try {
            return (await this.createObject(info, appliedNew(info, key, patch, options, this.timestamp()), options, false)) as T;
          } catch (err) {
            if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
          }
        }
      }
      const spec: UpdateSpec = {
        mutate: (current) => {
          const patched = this.applyPatch(info, current, patch, options);
          if (!isObject(patched) || !isObject(patched.metadata)) throw badRequest('the patched object must be a JSON object with metadata');
          checkBody(info, patched);
          const rv = patched.metadata.resourceVersion;
          if (rv && rv !== current.metadata.resourceVersion) throw conflict(info.qualified, key.name);
          const next = sub === 'status' ? prepareStatusUpdate(info, current, patched, options) : prepareUpdate(info, current, patched, options);
          return applying ? next : this.track(info, current, next, options.fieldManager, sub);
        },
      };
      if (options.dryRun) spec.dryRun = true;
      return (await this.guaranteedUpdate(info, key, spec)) as T;
    } catch (err) {
      throw asStatusError(err);
    }
  }

  async delete<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options: DeleteOptions = {}): Promise<T> {
    options = optionsOf(options);
    try {
      const info = this.kind(type, 'delete');
      this.checkKey(info, key);
      return (await deleteObject(this, info, key, options)) as T;
    } catch (err) {
      throw asStatusError(err);
    }
  }

  async deleteCollection<T extends KubeObject>(type: ResourceType<T>, options: SelectOptions & DeleteOptions = {}): Promise<ObjectList<T>> {
    options = optionsOf(options);
    try {
      const info = this.kind(type, 'deletecollection');
      const select: ListOptions = {};
      if (options.namespace) select.namespace = options.namespace;
      if (options.labelSelector) select.labelSelector = options.labelSelector;
      if (options.fieldSelector) select.fieldSelector = options.fieldSelector;
      const listed = await listObjects(this, info, select);
      const { namespace: _n, labelSelector: _l, fieldSelector: _f, ...deleteOptions } = options;
      const items: KubeObject[] = [];
      for (const obj of listed.items) {
        try {
          items.push(await deleteObject(this, info, { namespace: obj.metadata.namespace, name: obj.metadata.name! }, deleteOptions));
        } catch (err) {
          if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
        }
      }
      return deepFreeze({ apiVersion: listed.apiVersion, kind: listed.kind, metadata: { resourceVersion: listed.metadata.resourceVersion }, items }) as ObjectList<T>;
    } catch (err) {
      throw asStatusError(err);
    }
  }

  /**
   * Reconciles the claims on service IPs and node ports with the stored Services: removes
   * claims that no Service holds (left by a crash between a claim and its Service write, once
   * older than a minute) and claims what stored Services hold unclaimed. It also runs on the
   * first Service write and then every `serviceAllocationRepairIntervalMs`.
   */
  async repairServiceAllocations(): Promise<RepairReport> {
    return this.services.repair();
  }

  /** Closes the backend; running watches end. */
  async close(): Promise<void> {
    this.services.close();
    this.catalogChanges.unsubscribe();
    this.namespaces.close();
    await this.backend.close();
  }

  // ---- internals shared by the registry's modules ----

  /**
   * @internal The KindInfo of a served, stored kind; NotFound otherwise, MethodNotAllowed when
   * the kind does not serve `verb`.
   */
  kind(type: ResourceType, verb?: string): KindInfo {
    let info = this.kinds.get(type);
    if (!info) {
      if (!isObject(type) || typeof type.resource !== 'string') throw badRequest('a resource type is required');
      const def = this.catalog.get(type);
      if (!def || def.virtual) throw new StatusError('NotFound', `the server could not find the requested resource (${type.group ? `${type.resource}.${type.group}` : type.resource})`);
      info = this.layout.info(def);
      this.kinds.set(type, info);
    }
    if (verb !== undefined && info.def.verbs && !info.def.verbs.includes(verb)) throw methodNotAllowed('the server does not allow this method on the requested resource');
    return info;
  }

  /** @internal Validates a key against its kind: a name, and a namespace exactly when namespaced. */
  checkKey(info: KindInfo, key: ObjectKey): void {
    if (!isObject(key) || typeof key.name !== 'string' || key.name === '') throw badRequest('resource name may not be empty');
    if (key.name.includes('/')) throw badRequest(`invalid resource name ${JSON.stringify(key.name)}: may not contain '/'`);
    if (info.def.namespaced) {
      if (typeof key.namespace !== 'string' || key.namespace === '') throw badRequest(`a namespace is required for ${info.def.resource}`);
      if (key.namespace.includes('/')) throw badRequest(`invalid namespace ${JSON.stringify(key.namespace)}`);
    }
  }

  /** @internal The key of an object addressed by its metadata. */
  keyOf(info: KindInfo, meta: KubeObject['metadata']): ObjectKey {
    const key: ObjectKey = info.def.namespaced ? { namespace: meta.namespace ?? '', name: meta.name ?? '' } : { name: meta.name ?? '' };
    this.checkKey(info, key);
    return key;
  }

  /** @internal Reads one object; NotFound when absent. */
  async read(info: KindInfo, key: ObjectKey): Promise<StoredObject> {
    this.checkKey(info, key);
    const stored = await this.backend.get(this.layout.key(info, key.namespace, key.name));
    if (!stored) throw notFound(info.qualified, key.name);
    return stored;
  }

  /** @internal Reads one object synchronously from a backend that can `peek`; NotFound when absent. */
  peek(info: KindInfo, key: ObjectKey): StoredObject {
    this.checkKey(info, key);
    const stored = this.backend.peek!(this.layout.key(info, key.namespace, key.name));
    if (!stored) throw notFound(info.qualified, key.name);
    return stored;
  }

  /**
   * @internal A read-modify-write that retries on conflicting writes (unless conditioned on a
   * resourceVersion), skips writes that change nothing, and deletes an object whose last
   * finalizer is gone once it is being deleted.
   */
  async guaranteedUpdate(info: KindInfo, key: ObjectKey, spec: UpdateSpec): Promise<KubeObject> {
    const storageKey = this.layout.key(info, key.namespace, key.name);
    const conversion = info.conversion;
    let current = await this.backend.get(storageKey);
    for (let attempt = 1; ; attempt++) {
      if (!current) throw notFound(info.qualified, key.name);
      // Mutations see (and produce) the served version; the backend holds the storage form.
      const currentObj = conversion ? conversion.view(current.object) : current.object;
      if (spec.resourceVersion !== undefined && spec.resourceVersion !== currentObj.metadata.resourceVersion) throw conflict(info.qualified, key.name);
      const next = spec.mutate(currentObj);
      if (next === null || next === currentObj || sameButVersion(next, currentObj)) return currentObj;
      const removing = shouldDeleteDuringUpdate(info, next);
      let txn: AllocationTxn | undefined;
      if (info.isService && !removing) txn = await this.serviceAllocator().allocateUpdate(next, currentObj, spec.dryRun === true);
      if (spec.dryRun) return deepFreeze({ ...next, metadata: { ...next.metadata, resourceVersion: currentObj.metadata.resourceVersion } });
      let res;
      try {
        res = removing ? await this.backend.delete(storageKey, current.revision) : await this.backend.update(storageKey, conversion ? conversion.toStorage(next) : next, current.revision);
      } catch (err) {
        await txn?.revert();
        throw err;
      }
      if (res.ok) {
        if (txn) {
          await txn.commit();
          this.services.started(info);
        }
        if (removing) {
          if (info.isService) await this.serviceAllocator().releaseAll(currentObj);
          return deepFreeze({ ...next, metadata: { ...next.metadata, resourceVersion: String(res.stored.revision) } });
        }
        return conversion ? conversion.view(res.stored.object) : res.stored.object;
      }
      await txn?.revert();
      if (res.reason === 'not-found') throw notFound(info.qualified, key.name);
      if (spec.resourceVersion !== undefined || attempt >= 64) throw conflict(info.qualified, key.name);
      current = res.current;
    }
  }

  /** @internal The served view of a stored object (itself, for a kind stored as itself). */
  view(info: KindInfo, stored: KubeObject): KubeObject {
    return info.conversion ? info.conversion.view(stored) : stored;
  }

  /** @internal The allocator of Service cluster IPs and node ports (made on first use). */
  serviceAllocator(): ServiceAllocator {
    return this.services.get();
  }

  /** @internal The current time as Kubernetes writes it in metadata (RFC 3339, seconds). */
  timestamp(offsetSeconds = 0): string {
    return this.stamps.format(offsetSeconds);
  }

  /** @internal Applies a patch to a stored object. */
  applyPatch(info: KindInfo, current: KubeObject | undefined, patch: Patch, options: PatchOptions): KubeObject {
    return patchStored(info, current, patch, options, this.timestamp());
  }

  /** Whether a type is core/v1 bindings: a create there binds the pod the Binding names. */
  private isBindings(type: ResourceType): boolean {
    return isObject(type) && type.group === '' && type.resource === 'bindings';
  }

  private async createSubresource(info: KindInfo, body: KubeObject, options: CreateOptions): Promise<KubeObject> {
    if (info.isPod && options.subresource === 'binding') return bindPod(this, info, body, options);
    if (info.isPod && options.subresource === 'eviction') return evictPod(this, info, body, options);
    throw subresourceNotFound(info, options.subresource ?? '');
  }
}
