import { CachedObjectStore, SharedInformerFactory, silentLogger, type Logger } from '@converge/core';
import { seededRandom, type FakeStore } from './fake-store.js';

/** Options of `cachedClient`. */
export interface CachedClientOptions {
  /** The shared informers to read from; default a new SharedInformerFactory over the store, on its virtual clock. */
  informers?: SharedInformerFactory;
  /** The informers' logger (when a new factory is made); default silent. */
  logger?: Logger;
}

/**
 * Makes the cached client a Manager would inject (`ObjectStoreToken`) over a FakeStore: reads
 * from shared informers on the store's virtual clock, writes to the store. Hand it to the
 * controller under test, and its `informers` to a `ControllerHarness`, so the controller's
 * watches and reads share one cache as they do in a manager:
 *
 * ```ts
 * const store = new FakeStore({ objects: [app], kinds: [Apps] });
 * const client = cachedClient(store);
 * const harness = await startController({ store, informers: client.informers, controller: new AppController(client, store.clock) });
 * ```
 *
 * With a `ReconcilerHarness` the cache is caught up before each reconcile (the harness lets
 * pending watch events be delivered first), as it is when a watch event triggers a real one.
 * Inside a reconcile, a read right after a write may still be stale, as in a real cluster.
 * Stop the informers with `client.informers.stop()` when the test is done with them.
 */
export function cachedClient(store: FakeStore, options: CachedClientOptions = {}): CachedObjectStore<SharedInformerFactory> {
  const informers =
    options.informers ??
    new SharedInformerFactory({
      store,
      clock: store.clock,
      logger: options.logger ?? silentLogger(),
      defaults: { random: seededRandom(7) },
    });
  return new CachedObjectStore({ store, informers });
}
