import { forbidden, notFound, StatusError, type KubeObject, type ResourceDefinition } from '@converge/core';
import type { BackendWatch } from '../backend/backend.js';
import { isObject } from './json-values.js';
import type { KindInfo } from './kind-info.js';
import type { StoreOps } from './store-ops.js';

/**
 * Namespace lifecycle admission, as Kubernetes' NamespaceLifecycle admission plugin does it:
 * a namespaced object may only be created in an existing namespace that is not terminating.
 * (The Namespace kind's own storage, with `finalize`, is `kinds/namespaces.storage.ts`.)
 *
 * Over a backend that can `peek` (memory) the namespace is read on every create. Otherwise a
 * cache fed by a watch answers, and a namespace missing or terminating in the cache is read
 * live before the create is refused (a namespace created a moment ago may not be cached yet).
 */
export class NamespaceLifecycle {
  private cache?: Map<string, KubeObject>;
  private cacheReady = false;
  private starting: Promise<void> | undefined;
  private watch: BackendWatch | undefined;
  /** The Namespace kind's info; null when the catalog does not serve it, undefined until looked up. */
  private nsInfo: KindInfo | null | undefined;
  /** The storage key of the namespace last admitted into (`lastNamespace`, under `lastInfo`). */
  private lastNamespace = '';
  private lastInfo: KindInfo | undefined;
  private lastKey = '';

  constructor(private readonly reg: StoreOps) {}

  /**
   * Fails unless `namespace` exists and is not terminating: NotFound or Forbidden. Answers
   * synchronously (undefined) when it can, else with a promise.
   */
  admit(info: KindInfo, namespace: string, name: string): Promise<void> | undefined {
    const nsInfo = this.namespaceInfo();
    if (!nsInfo) return undefined;
    // Creates come in runs in one namespace: its key is built once per run.
    if (namespace !== this.lastNamespace || nsInfo !== this.lastInfo) {
      this.lastNamespace = namespace;
      this.lastInfo = nsInfo;
      this.lastKey = this.reg.layout.key(nsInfo, undefined, namespace);
    }
    const key = this.lastKey;
    const backend = this.reg.backend;
    if (backend.peek) {
      check(info, namespace, name, backend.peek(key)?.object);
      return undefined;
    }
    const cached = this.cacheReady ? this.cache!.get(namespace) : undefined;
    if (cached && !isTerminating(cached)) return undefined;
    if (!this.starting) {
      this.starting = this.startCache(nsInfo).catch((err: unknown) => {
        // Admission reads live until a later create starts the cache again.
        this.starting = undefined;
        this.reg.logger.warn({ err }, 'namespace cache: could not start; admission reads namespaces live');
      });
    }
    return backend.get(key).then((ns) => check(info, namespace, name, ns?.object));
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
        error: (err) => {
          this.reg.logger.warn({ err }, 'namespace cache: watch failed; admission reads namespaces live until it restarts');
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
    err.details!.causes = [
      { reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' },
    ];
    throw err;
  }
}

function isTerminating(ns: KubeObject): boolean {
  return !!ns.metadata.deletionTimestamp || (isObject(ns.status) && ns.status.phase === 'Terminating');
}

/** Whether an error is the Forbidden a terminating namespace answers. */
export function isNamespaceTerminating(err: unknown): boolean {
  return (
    err instanceof StatusError && err.reason === 'Forbidden' && !!err.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')
  );
}
