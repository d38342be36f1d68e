/**
 * Synchronous reads of cluster objects a plugin needs besides nodes and pods (namespaces'
 * labels, Services' and workloads' selectors), as kube-scheduler's listers: one informer
 * per kind over `handle.store`, started the first time a plugin asks for the kind, so
 * Filter and Score (synchronous) read a cache instead of the store.
 */
import { SharedInformer, type KubeObject, type ResourceType } from '@converge/core';
import type { CacheReader } from '@converge/core';
import type { FrameworkHandle } from '../../framework/handle.js';

/** Lazily started informers over the handle's store, one per kind. */
export class ListerCache {
  private readonly informers = new Map<ResourceType, SharedInformer>();

  /** Makes a cache reading through `handle.store` with the handle's clock and logger. */
  constructor(private readonly handle: FrameworkHandle) {}

  /** The informer of `type`, started on first use. */
  informer<T extends KubeObject>(type: ResourceType<T>): SharedInformer<T> {
    let inf = this.informers.get(type as ResourceType) as SharedInformer<T> | undefined;
    if (!inf) {
      inf = new SharedInformer<T>({ store: this.handle.store, type, clock: this.handle.clock, logger: this.handle.logger });
      this.informers.set(type as ResourceType, inf as unknown as SharedInformer);
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

  /** Stops every informer (tests, shutdown). */
  stop(): void {
    for (const i of this.informers.values()) i.stop();
    this.informers.clear();
  }
}
