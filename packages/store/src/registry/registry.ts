import type { Observable, Subscription } from 'rxjs';
import {
  badRequest,
  conflict,
  deepFreeze,
  invalid,
  realClock,
  silentLogger,
  StatusError,
  type Clock,
  type CreateOptions,
  type DeleteOptions,
  type GetOptions,
  type KubeObject,
  type ListOptions,
  type Logger,
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
import type { Backend } from '../backend/backend.js';
import { deleteObject } from './deletion.js';
import { GenericStore } from './generic-store.js';
import { isObject } from './json-values.js';
import type { KeyLayout, KindInfo } from './kind-info.js';
import { KindStorages } from './kinds/kinds-table.js';
import { listObjects } from './listing.js';
import { NamespaceLifecycle } from './namespace-lifecycle.js';
import { checkBody, prepareStatusUpdate, prepareUpdate } from './object-prep.js';
import { appliedNew } from './patching.js';
import { getScale, patchScale, updateScale } from './scale-subresource.js';
import { ServiceAllocations } from './service-allocations.js';
import type { RepairReport, ServiceAllocator } from './service-allocator.js';
import type { UpdateSpec } from './store-ops.js';
import { watchObjects } from './watching.js';
import { asStatusError, flatRandomUuid, optionsOf, subresourceNotFound } from './request-helpers.js';

/** The options of a create given none (shared, never written). */
const NO_OPTIONS: CreateOptions = Object.freeze({});

/** A promise that rejects with a StatusError only (see `asStatusError`). */
function statusErrorsOf<T>(p: Promise<T>): Promise<T> {
  return Promise.resolve(p).catch((err: unknown) => {
    throw asStatusError(err);
  });
}

export type { Mutation, UpdateSpec } from './store-ops.js';

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
  /** Generates uids (default: random version 4 UUIDs, as `crypto.randomUUID` makes them, each one flat string). */
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
  /** Where background failures (the Service allocations' repair loop, the namespace cache) are reported (default: silent). */
  logger?: Logger;
}

/**
 * The registry: the ObjectStore that applies Kubernetes' API semantics over a storage backend.
 *
 * Every server-side write goes through it, whatever the backend: uid, creationTimestamp,
 * generation and resourceVersion; optimistic concurrency; the status split; immutable
 * fields and validation; finalizers, graceful deletion and propagation policies; namespace
 * lifecycle; the status, scale, binding and eviction subresources; selectors, pagination
 * and watches from a resourceVersion. Objects it hands out are deeply frozen and shared.
 *
 * It is the ObjectStore facade over a `GenericStore` (which knows no kind) and the kinds
 * table (`kinds/kinds-table.ts`: what pods, services, namespaces, nodes, bindings add); each
 * verb checks its options and routes a subresource to the generic store (status, scale) or
 * to the kind's storage (binding, eviction, finalize).
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
  /** Where background failures are reported. */
  readonly logger: Logger;
  /** The generic store under the verbs. */
  private readonly store: GenericStore;
  private readonly namespaces: NamespaceLifecycle;
  private readonly services: ServiceAllocations;
  private readonly storages: KindStorages;
  private readonly catalogChanges: Subscription;

  constructor(options: RegistryOptions) {
    this.backend = options.backend;
    this.catalog = options.catalog;
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? silentLogger();
    const random = options.random ?? Math.random;
    // The storages need the store and the store asks them for each kind's: made just after it.
    const store = new GenericStore({
      backend: this.backend,
      catalog: this.catalog,
      clock: this.clock,
      logger: this.logger,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
      newUid: options.newUid ?? flatRandomUuid,
      random,
      defaultFieldManager: options.defaultFieldManager ?? 'converge',
      storageOf: (def) => this.storages.of(def),
      admitNamespaced: (info, namespace, name) => this.namespaces.admit(info, namespace, name),
    });
    this.store = store;
    this.namespaces = new NamespaceLifecycle(store);
    this.services = new ServiceAllocations({
      backend: this.backend,
      catalog: this.catalog,
      layout: store.layout,
      clock: this.clock,
      random,
      logger: this.logger,
      serviceClusterIPRange: options.serviceClusterIPRange,
      serviceNodePortRange: options.serviceNodePortRange,
      serviceAllocationRepairIntervalMs: options.serviceAllocationRepairIntervalMs,
    });
    this.storages = new KindStorages({ ops: store, services: this.services });
    this.catalogChanges = this.catalog.changes.subscribe(() => this.namespaces.catalogChanged());
  }

  /** The storage key layout. */
  get layout(): KeyLayout {
    return this.store.layout;
  }

  async get<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options: GetOptions = {}): Promise<T> {
    options = optionsOf(options);
    try {
      const store = this.store;
      const info = store.kind(type, 'get');
      const stored = this.backend.peek ? store.peek(info, key) : await store.read(info, key);
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
      return (await listObjects(this.store, this.store.kind(type, 'list'), options)) as ObjectList<T>;
    } catch (err) {
      throw asStatusError(err);
    }
  }

  watch<T extends KubeObject>(type: ResourceType<T>, options: WatchOptions = {}): Observable<WatchEvent<T>> {
    options = optionsOf(options);
    return watchObjects(this.store, () => this.store.kind(type, 'watch'), options) as Observable<WatchEvent<T>>;
  }

  create<T extends KubeObject>(type: ResourceType<T>, obj: T, options: CreateOptions = NO_OPTIONS): Promise<T> {
    // Not an async function: a create that completes synchronously (the memory backend's)
    // answers a resolved promise without suspending two async frames on the hottest path.
    try {
      options = optionsOf(options);
      let info: KindInfo;
      try {
        info = this.store.kind(type, 'create');
      } catch (err) {
        // A create-only virtual kind (bindings) is no stored kind: its storage says what a create does.
        const instead = isObject(type) ? this.storages.of(type).createInstead : undefined;
        if (!instead) throw err;
        return statusErrorsOf(instead(obj, options)) as Promise<T>;
      }
      const sub = options.subresource;
      if (sub) {
        const handler = info.storage.create?.[sub];
        if (!handler || !Object.hasOwn(info.storage.create!, sub)) throw subresourceNotFound(info, sub);
        return statusErrorsOf(handler(info.def, obj, options)) as Promise<T>;
      }
      const created = this.store.createNow(info, obj, options, true);
      return (created instanceof Promise ? statusErrorsOf(created) : Promise.resolve(created)) as Promise<T>;
    } catch (err) {
      return Promise.reject(asStatusError(err));
    }
  }

  async update<T extends KubeObject>(type: ResourceType<T>, obj: T, options: UpdateOptions = {}): Promise<T> {
    options = optionsOf(options);
    try {
      const store = this.store;
      const info = store.kind(type, 'update');
      const sub = options.subresource || undefined;
      if (sub === 'scale') {
        if (!isObject(obj) || !isObject(obj.metadata)) throw badRequest('the body of a Scale must be a JSON object with metadata');
        return (await updateScale(store, info, store.keyOf(info, obj.metadata), obj, options)) as T;
      }
      checkBody(info, obj);
      const key = store.keyOf(info, obj.metadata);
      if (sub !== undefined && sub !== 'status') {
        const handler = info.storage.update?.[sub];
        if (!handler || !Object.hasOwn(info.storage.update!, sub)) throw subresourceNotFound(info, sub);
        return (await handler(info.def, key, obj, options)) as T;
      }
      if (sub === 'status' && info.statusFields.length === 0) throw subresourceNotFound(info, sub);
      const rv = obj.metadata.resourceVersion || undefined;
      if (!rv && !sub && info.def.strategy?.allowUnconditionalUpdate === false) {
        throw invalid(info.def.kind, info.def.group, key.name, [
          {
            field: 'metadata.resourceVersion',
            reason: 'FieldValueInvalid',
            message: 'Invalid value: 0x0: must be specified for an update',
          },
        ]);
      }
      const spec: UpdateSpec = {
        mutate: (current) =>
          store.track(
            info,
            current,
            sub === 'status' ? prepareStatusUpdate(info, current, obj, options) : prepareUpdate(info, current, obj, options),
            options.fieldManager,
            sub,
          ),
      };
      if (rv) spec.resourceVersion = rv;
      if (options.dryRun) spec.dryRun = true;
      return (await store.guaranteedUpdate(info, key, spec)) as T;
    } catch (err) {
      throw asStatusError(err);
    }
  }

  async patch<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, patch: Patch, options: PatchOptions = {}): Promise<T> {
    options = optionsOf(options);
    try {
      const store = this.store;
      const info = store.kind(type, 'patch');
      store.checkKey(info, key);
      if (!isObject(patch) || typeof patch.type !== 'string') throw badRequest('a patch needs a type and a body');
      const sub = options.subresource || undefined;
      if (sub === 'scale') return (await patchScale(store, info, key, patch, options)) as T;
      if (sub !== undefined && (sub !== 'status' || info.statusFields.length === 0)) throw subresourceNotFound(info, sub);
      const applying = patch.type === 'apply';
      if (applying && !sub) {
        // An apply to an object that does not exist creates it.
        const storageKey = store.layout.key(info, key.namespace, key.name);
        const existing = this.backend.peek ? this.backend.peek(storageKey) : await this.backend.get(storageKey);
        if (!existing) {
          try {
            return (await store.create(info, appliedNew(info, key, patch, options, store.timestamp()), options, false)) as T;
          } catch (err) {
            if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
          }
        }
      }
      const spec: UpdateSpec = {
        mutate: (current) => {
          const patched = store.applyPatch(info, current, patch, options);
          if (!isObject(patched) || !isObject(patched.metadata)) throw badRequest('the patched object must be a JSON object with metadata');
          checkBody(info, patched);
          const rv = patched.metadata.resourceVersion;
          if (rv && rv !== current.metadata.resourceVersion) throw conflict(info.qualified, key.name);
          const next =
            sub === 'status' ? prepareStatusUpdate(info, current, patched, options) : prepareUpdate(info, current, patched, options);
          return applying ? next : store.track(info, current, next, options.fieldManager, sub);
        },
      };
      if (options.dryRun) spec.dryRun = true;
      return (await store.guaranteedUpdate(info, key, spec)) as T;
    } catch (err) {
      throw asStatusError(err);
    }
  }

  async delete<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options: DeleteOptions = {}): Promise<T> {
    options = optionsOf(options);
    try {
      const info = this.store.kind(type, 'delete');
      this.store.checkKey(info, key);
      return (await deleteObject(this.store, info, key, options)) as T;
    } catch (err) {
      throw asStatusError(err);
    }
  }

  async deleteCollection<T extends KubeObject>(type: ResourceType<T>, options: SelectOptions & DeleteOptions = {}): Promise<ObjectList<T>> {
    options = optionsOf(options);
    try {
      const info = this.store.kind(type, 'deletecollection');
      const select: ListOptions = {};
      if (options.namespace) select.namespace = options.namespace;
      if (options.labelSelector) select.labelSelector = options.labelSelector;
      if (options.fieldSelector) select.fieldSelector = options.fieldSelector;
      const listed = await listObjects(this.store, info, select);
      const { namespace: _n, labelSelector: _l, fieldSelector: _f, ...deleteOptions } = options;
      const items: KubeObject[] = [];
      for (const obj of listed.items) {
        try {
          items.push(await deleteObject(this.store, info, { namespace: obj.metadata.namespace, name: obj.metadata.name! }, deleteOptions));
        } catch (err) {
          if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
        }
      }
      return deepFreeze({
        apiVersion: listed.apiVersion,
        kind: listed.kind,
        metadata: { resourceVersion: listed.metadata.resourceVersion },
        items,
      }) as ObjectList<T>;
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

  /** @internal The allocator of Service cluster IPs and node ports (made on first use). */
  serviceAllocator(): ServiceAllocator {
    return this.services.get();
  }

  /**
   * Checks that the backend answers (reads its current revision): resolves when it does,
   * rejects with the backend's error otherwise. The API server's `/readyz` asks this.
   */
  async checkBackend(): Promise<void> {
    await this.backend.currentRevision();
  }

  /** Closes the backend; running watches end. */
  async close(): Promise<void> {
    this.services.close();
    this.storages.close();
    this.catalogChanges.unsubscribe();
    this.store.close();
    this.namespaces.close();
    await this.backend.close();
  }
}
