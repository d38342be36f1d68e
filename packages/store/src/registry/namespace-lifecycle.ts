import { forbidden, notFound, StatusError, type KubeObject, type ObjectKey, type ResourceDefinition, type UpdateOptions } from '@converge/core';
import type { BackendWatch } from '../backend/backend.js';
import { cloneJson, isObject } from './json-values.js';
import type { KindInfo } from './kind-info.js';
import { checkIdentity, validatePrepared } from './object-prep.js';
import type { Registry, UpdateSpec } from './registry.js';

/**
 * Namespace lifecycle, as Kubernetes' NamespaceLifecycle admission and namespace storage do it:
 * a namespaced object may only be created in an existing namespace that is not terminating,
 * and the `finalize` subresource updates a Namespace's `spec.finalizers`.
 *
 * Over a backend that can `peek` (memory) the namespace is read on every create. Otherwise a
 * cache fed by a watch answers, and a namespace missing or terminating in the cache is read
 * live before the create is refused (a namespace created a moment ago may not be cached yet).
 */
export class NamespaceLifecycle {
  private cache?: Map<string, KubeObject>;
  private cacheReady = false;
  private starting?: Promise<void>;
  private watch?: BackendWatch;
  /** The Namespace kind's info; null when the catalog does not serve it, undefined until looked up. */
  private nsInfo: KindInfo | null | undefined;

  constructor(private readonly reg: Registry) {}

  /**
   * Fails unless `namespace` exists and is not terminating: NotFound or Forbidden. Answers
   * synchronously (undefined) when it can, else with a promise.
   */
  admit(info: KindInfo, namespace: string, name: string): Promise<void> | undefined {
    if (info.isNamespace) return undefined;
    const nsInfo = this.namespaceInfo();
    if (!nsInfo) return undefined;
    const key = this.reg.layout.key(nsInfo, undefined, namespace);
    const backend = this.reg.backend;
    if (backend.peek) {
      check(info, namespace, name, backend.peek(key)?.object);
      return undefined;
    }
    const cached = this.cacheReady ? this.cache!.get(namespace) : undefined;
    if (cached && !isTerminating(cached)) return undefined;
    if (!this.starting) this.starting = this.startCache(nsInfo).catch(() => undefined);
    return backend.get(key).then((ns) => check(info, namespace, name, ns?.object));
  }

  /** The `namespaces/finalize` subresource: replaces `spec.finalizers` (and removes the namespace once nothing holds it). */
  async finalize(info: KindInfo, key: ObjectKey, body: KubeObject, options: UpdateOptions): Promise<KubeObject> {
    const spec: UpdateSpec = {
      mutate: (current) => {
        checkIdentity(info, body, current);
        const finalizers = isObject(body.spec) && Array.isArray(body.spec.finalizers) ? cloneJson(body.spec.finalizers) : [];
        const next = cloneJson(current);
        next.spec = { ...(isObject(next.spec) ? next.spec : {}), finalizers };
        delete next.metadata.resourceVersion;
        return validatePrepared(info, next, current, options);
      },
    };
    if (body.metadata.resourceVersion) spec.resourceVersion = body.metadata.resourceVersion;
    if (options.dryRun) spec.dryRun = true;
    return this.reg.guaranteedUpdate(info, key, spec);
  }

  /** Stops the cache's watch. */
  close(): void {
    this.watch?.close();
    this.watch = undefined;
    this.cacheReady = false;
  }

  /** Forgets what it derived from the catalog (the Namespace kind may have come or gone). */
  catalogChanged(): void {
    this.nsInfo = undefined;
  }

  private namespaceInfo(): KindInfo | null {
    if (this.nsInfo === undefined) {
      const def: ResourceDefinition | undefined = this.reg.catalog.get({ group: '', version: 'v1', resource: 'namespaces' });
      this.nsInfo = def ? this.reg.layout.info(def) : null;
    }
    return this.nsInfo;
  }

  private async startCache(nsInfo: KindInfo): Promise<void> {
    const prefix = this.reg.layout.prefix(nsInfo);
    const cache = new Map<string, KubeObject>();
    const page = await this.reg.backend.list({ prefix });
    for (const s of page.items) cache.set(s.object.metadata.name!, s.object);
    this.cache = cache;
    this.watch = this.reg.backend.watch(
      { prefix, afterRevision: page.revision },
      {
        events: (batch) => {
          for (const e of batch) {
            if (e.type === 'delete') cache.delete(e.object.metadata.name!);
            else cache.set(e.object.metadata.name!, e.object);
          }
        },
        error: () => {
          this.cacheReady = false;
          this.starting = undefined;
        },
      },
    );
    this.cacheReady = true;
  }
}

function check(info: KindInfo, namespace: string, name: string, ns: KubeObject | undefined): void {
  if (!ns) throw notFound({ resource: 'namespaces' }, namespace);
  if (isTerminating(ns)) {
    const err = forbidden(info.qualified, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
    err.details!.causes = [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }];
    throw err;
  }
}

function isTerminating(ns: KubeObject): boolean {
  return !!ns.metadata.deletionTimestamp || (isObject(ns.status) && ns.status.phase === 'Terminating');
}

/** Whether an error is the Forbidden a terminating namespace answers. */
export function isNamespaceTerminating(err: unknown): boolean {
  return err instanceof StatusError && err.reason === 'Forbidden' && !!err.details?.causes?.some((c) => c.reason === 'NamespaceTerminating');
}
