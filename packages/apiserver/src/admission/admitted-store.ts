/**
 * An ObjectStore whose writes pass the API server's admission chain, as a request to the server
 * would: for components that run in the API server's process (the controller-manager, the
 * scheduler, simulated nodes) and write to its store without HTTP. In Kubernetes every write
 * goes through admission; without this, pods created in process would miss what the mutating
 * plugins add (default tolerations, priority, service account) and could be created in a
 * terminating namespace.
 *
 * What is admitted, and when, mirrors the resource handler: creates and updates (objects and
 * their subresources) with their object, patches (UPDATE, `apply` for server-side apply) and
 * deletes (one object or a collection) without one, each before the store validates and stores
 * the write; creates of virtual kinds (`bindings`) and token requests are not admitted, as over
 * HTTP. Reads and watches go straight to the store.
 */
import {
  mutable,
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
  type ResourceDefinition,
  type ResourceType,
  type SelectOptions,
  type UpdateOptions,
  type WatchEvent,
  type WatchOptions,
} from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import { servedSubresourceOf } from '@converge/store';
import type { Observable } from 'rxjs';
import type { UserInfo } from '../auth/user-info.js';
import type { ResourceWriteHooks } from '../handlers/resource.handler.js';
import type { AdmissionChain, AdmissionOperation, AdmissionRequest } from './admission.js';

/** Options of `AdmittedStore`. */
export interface AdmittedStoreOptions {
  /** The store the API server serves (writes go there once admitted). */
  store: ObjectStore;
  /** The kinds the API server serves (admission sees their definitions). */
  catalog: ResourceCatalog;
  /** The API server's admission chain. */
  admission: AdmissionChain;
  /** Who writes: the user the plugins see (e.g. `system:kube-controller-manager`). */
  user: UserInfo;
  /** The API server's write hooks (CRD registration), run around writes as the resource handler runs them. */
  hooks?: ResourceWriteHooks;
}

/** What one write to admit names. */
interface WriteTarget {
  namespace?: string | undefined;
  name?: string | undefined;
  subresource?: string | undefined;
  object?: KubeObject;
  apply?: boolean;
  dryRun?: boolean | undefined;
}

/**
 * An ObjectStore that admits every write through an API server's admission chain before handing
 * it to the store underneath, as that user. Objects given to `create` and `update` are copied
 * before the mutating plugins change them: the caller's object (often a frozen cache entry) is
 * never modified.
 */
export class AdmittedStore implements ObjectStore {
  constructor(private readonly o: AdmittedStoreOptions) {}

  /** The user this store writes as. */
  get user(): UserInfo {
    return this.o.user;
  }

  get<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options?: GetOptions): Promise<T> {
    return this.o.store.get(type, key, options);
  }

  list<T extends KubeObject>(type: ResourceType<T>, options?: ListOptions): Promise<ObjectList<T>> {
    return this.o.store.list(type, options);
  }

  watch<T extends KubeObject>(type: ResourceType<T>, options?: WatchOptions): Observable<WatchEvent<T>> {
    return this.o.store.watch(type, options);
  }

  async create<T extends KubeObject>(type: ResourceType<T>, obj: T, options: CreateOptions = {}): Promise<T> {
    const def = this.definitionOf(type);
    const sub = options.subresource || undefined;
    // Not admitted over HTTP either: virtual kinds (bindings) and token requests.
    if (!def || def.virtual || (sub !== undefined && servedSubresourceOf(def, sub) === 'token-request'))
      return this.o.store.create(type, obj, options);
    const copy = mutable(obj);
    const meta = metaOf(copy);
    if (!sub) this.o.hooks?.beforeCreate?.(def);
    await this.admit(def, 'CREATE', {
      namespace: meta.namespace,
      // A subresource create (binding, eviction) names its parent; an object create its own name.
      name: sub ? options.name || meta.name : meta.name,
      subresource: sub,
      object: copy,
      dryRun: options.dryRun,
    });
    const created = await this.o.store.create(type, copy, options);
    if (!sub && !options.dryRun) await this.o.hooks?.afterWrite?.(def, created);
    return created;
  }

  async update<T extends KubeObject>(type: ResourceType<T>, obj: T, options: UpdateOptions = {}): Promise<T> {
    const def = this.definitionOf(type);
    if (!def) return this.o.store.update(type, obj, options);
    const sub = options.subresource || undefined;
    const copy = mutable(obj);
    const meta = metaOf(copy);
    await this.admit(def, 'UPDATE', { namespace: meta.namespace, name: meta.name, subresource: sub, object: copy, dryRun: options.dryRun });
    const updated = await this.o.store.update(type, copy, options);
    if (!sub && !options.dryRun) await this.o.hooks?.afterWrite?.(def, updated);
    return updated;
  }

  async patch<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, patch: Patch, options: PatchOptions = {}): Promise<T> {
    const def = this.definitionOf(type);
    if (!def) return this.o.store.patch(type, key, patch, options);
    const sub = options.subresource || undefined;
    await this.admit(def, 'UPDATE', { ...key, subresource: sub, apply: patch?.type === 'apply', dryRun: options.dryRun });
    const patched = await this.o.store.patch(type, key, patch, options);
    if (!sub && !options.dryRun) await this.o.hooks?.afterWrite?.(def, patched);
    return patched;
  }

  async delete<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options: DeleteOptions = {}): Promise<T> {
    const def = this.definitionOf(type);
    if (!def) return this.o.store.delete(type, key, options);
    await this.admit(def, 'DELETE', { ...key, dryRun: options.dryRun });
    if (!options.dryRun) await this.o.hooks?.beforeDelete?.(def, key);
    const result = await this.o.store.delete(type, key, options);
    if (!options.dryRun) await this.o.hooks?.afterDelete?.(def, result);
    return result;
  }

  async deleteCollection<T extends KubeObject>(type: ResourceType<T>, options: SelectOptions & DeleteOptions = {}): Promise<ObjectList<T>> {
    const def = this.definitionOf(type);
    if (!def) return this.o.store.deleteCollection(type, options);
    await this.admit(def, 'DELETE', { namespace: options.namespace, dryRun: options.dryRun });
    const list = await this.o.store.deleteCollection(type, options);
    if (!options.dryRun && this.o.hooks?.afterDelete) for (const item of list.items) await this.o.hooks.afterDelete(def, item);
    return list;
  }

  /** The served definition of a type; unknown types go to the store unadmitted (it answers NotFound). */
  private definitionOf(type: ResourceType): ResourceDefinition | undefined {
    return this.o.catalog.get(type);
  }

  private async admit(def: ResourceDefinition, operation: AdmissionOperation, target: WriteTarget): Promise<void> {
    const req: AdmissionRequest = { operation, definition: def, user: this.o.user, dryRun: target.dryRun ?? false };
    if (def.namespaced && target.namespace) req.namespace = target.namespace;
    if (target.name) req.name = target.name;
    if (target.subresource) req.subresource = target.subresource;
    if (target.object) req.object = target.object;
    if (target.apply) req.apply = true;
    await this.o.admission.run(req);
  }
}

/** The namespace and name an object states, when it states them as strings. */
function metaOf(obj: unknown): { namespace?: string; name?: string } {
  const meta = isRecord(obj) ? obj['metadata'] : undefined;
  if (!isRecord(meta)) return {};
  const out: { namespace?: string; name?: string } = {};
  if (typeof meta['namespace'] === 'string') out.namespace = meta['namespace'];
  if (typeof meta['name'] === 'string') out.name = meta['name'];
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
