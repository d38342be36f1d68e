/**
 * Synchronous reads of cluster objects a plugin needs besides nodes and pods (namespaces'
 * labels, Services' and workloads' selectors), as kube-scheduler's listers: the scheduler's
 * shared informer of the kind (`handle.informers`, stopped with the scheduler), or without
 * one an informer of its own over `handle.store`, started the first time a plugin asks for
 * the kind, so Filter and Score (synchronous) read a cache instead of the store.
 */
import { SharedInformer, type Informer, type KubeObject, type ResourceType } from '@converge/core';
import type { CacheReader } from '@converge/core';
import type { FrameworkHandle } from '../../framework/handle.js';

/** Lazily started informers over the handle's store, one per kind. */
export class ListerCache {
  private readonly informers = new Map<ResourceType, Informer>();
  private readonly own = new Set<Informer>();

  /** Makes a cache reading through `handle.store` with the handle's clock and logger. */
  constructor(private readonly handle: FrameworkHandle) {}

  /** The informer of `type`, started on first use. */
  informer<T extends KubeObject>(type: ResourceType<T>): Informer<T> {
    let inf = this.informers.get(type as ResourceType) as Informer<T> | undefined;
    if (!inf) {
      if (this.handle.informers) inf = this.handle.informers.informerFor(type);
      else {
        inf = new SharedInformer<T>({ store: this.handle.store, type, clock: this.handle.clock, logger: this.handle.logger });
        this.own.add(inf as unknown as Informer);
      }
      this.informers.set(type as ResourceType, inf as unknown as Informer);
      inf.start();
    }
    return inf;
  }

  /** The cache of `type` when its first list is in, else undefined (the informer is started). */
  synced<T extends KubeObject>(type: ResourceType<T>): CacheReader<T> | undefined {
    const inf = this.informer(type);
    return inf.hasSynced() ? inf.cache : undefined;
  }

  /** Resolves once every informer started so far has synced. */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForCacheSync()));
  }

  /** Stops the informers it started itself (the shared ones stop with the scheduler). */
  stop(): void {
    for (const i of this.own) i.stop();
    this.own.clear();
    this.informers.clear();
  }
}
