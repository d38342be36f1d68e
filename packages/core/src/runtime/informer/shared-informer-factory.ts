import type { KubeObject } from '../../api/meta.js';
import { gvrKey, type ResourceType } from '../../api/resource-type.js';
import type { ObjectStore } from '../../store/object-store.js';
import { realClock, type Clock, type ClockTimer } from '../../util/clock.js';
import { createLogger, type Logger } from '../logging/logger.js';
import type { InformerProvider } from '../controller/informer-provider.js';
import type { InformerTransform } from './reflect.js';
import { SharedInformer, type InformerHealth, type SharedInformerOptions } from './shared-informer.js';
import type { InformerSelection } from './types.js';

/** Informer settings a factory applies to every informer it makes. */
export type InformerDefaults = Omit<
  SharedInformerOptions<KubeObject>,
  'store' | 'type' | 'selection' | 'clock' | 'logger' | 'transform' | 'indexers'
>;

/** Options of a SharedInformerFactory. */
export interface SharedInformerFactoryOptions {
  /** The store every informer lists and watches. */
  store: ObjectStore;
  /** Time for every informer; default the wall clock. */
  clock?: Clock;
  /** The logger informers log through; default `createLogger()`. */
  logger?: Logger;
  /**
   * A transform for the objects of a kind (e.g. `() => dropManagedFields`), asked once per
   * informer; return undefined to cache objects as they are.
   */
  transform?: (type: ResourceType) => InformerTransform | undefined;
  /** Backoff, timeouts, page size ... for every informer. */
  defaults?: InformerDefaults;
}

function normalize(selection: InformerSelection = {}): InformerSelection {
  const out: InformerSelection = {};
  if (selection.namespace) out.namespace = selection.namespace;
  if (selection.labelSelector) out.labelSelector = selection.labelSelector;
  if (selection.fieldSelector) out.fieldSelector = selection.fieldSelector;
  return out;
}

function selectionKey(type: ResourceType, s: InformerSelection): string {
  return `${gvrKey(type)}?ns=${s.namespace ?? ''}&l=${s.labelSelector ?? ''}&f=${s.fieldSelector ?? ''}`;
}

/**
 * Hands out one shared informer per kind and selection, so every controller watching Pods
 * in a manager shares one list/watch and one cache; starts, stops and waits for them together.
 *
 * ```ts
 * const informers = new SharedInformerFactory({ store });
 * const pods = informers.informerFor(Pods);
 * pods.addIndex('node', (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
 * informers.start();
 * await informers.waitForCacheSync(30_000);
 * pods.cache.byIndex('node', 'n1');
 * ```
 *
 * Once the factory is started, informers asked for later start at once.
 */
export class SharedInformerFactory implements InformerProvider {
  private readonly options: SharedInformerFactoryOptions;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private started = false;

  /** Makes a factory over `options.store`; nothing runs until `start()` (or an informer's own `start()`). */
  constructor(options: SharedInformerFactoryOptions) {
    this.options = options;
    this.clock = options.clock ?? realClock;
    this.log = options.logger ?? createLogger();
  }

  /** The shared informer of a kind and selection, made on first request. */
  informerFor<T extends KubeObject>(type: ResourceType<T>, selection?: InformerSelection): SharedInformer<T> {
    const sel = normalize(selection);
    const key = selectionKey(type as ResourceType, sel);
    let informer = this.informers.get(key) as SharedInformer<T> | undefined;
    if (!informer) {
      const transform = this.options.transform?.(type as ResourceType) as InformerTransform<T> | undefined;
      informer = new SharedInformer<T>({
        ...this.options.defaults,
        store: this.options.store,
        type,
        selection: sel,
        clock: this.clock,
        logger: this.log,
        ...(transform ? { transform } : {}),
      });
      this.informers.set(key, informer as unknown as SharedInformer<KubeObject>);
      if (this.started) informer.start();
    }
    return informer;
  }

  /** Every informer made so far. */
  all(): SharedInformer<KubeObject>[] {
    return [...this.informers.values()];
  }

  /** Starts every informer (idempotent); informers asked for afterwards start at once. */
  start(): void {
    this.started = true;
    for (const i of this.informers.values()) i.start();
  }

  /** Stops every informer; their caches stay readable. */
  stop(): void {
    this.started = false;
    for (const i of this.informers.values()) i.stop();
  }

  /** True when every started informer has synced. */
  hasSynced(): boolean {
    return this.all().every((i) => !i.isStarted() || i.hasSynced());
  }

  /**
   * Resolves when every started informer has synced; rejects after `timeoutMs` of the
   * clock's time naming the informers still waiting (no timeout when unset).
   */
  async waitForCacheSync(timeoutMs?: number): Promise<void> {
    const waiting = this.all().filter((i) => i.isStarted() && !i.hasSynced());
    if (waiting.length === 0) return;
    let timer: ClockTimer | undefined;
    const all = Promise.all(waiting.map((i) => i.waitForCacheSync()));
    all.catch(() => undefined); // a rejection after the timeout won is not unhandled
    if (timeoutMs === undefined) {
      await all;
      return;
    }
    const timeout = new Promise<never>((_, reject) => {
      timer = this.clock.setTimeout(() => {
        const names = waiting.filter((i) => !i.hasSynced()).map((i) => i.name);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for informers to sync: ${names.join(', ')}`));
      }, timeoutMs);
    });
    try {
      await Promise.race([all, timeout]);
    } finally {
      if (timer !== undefined) this.clock.clearTimeout(timer);
    }
  }

  /** The health of every informer. */
  health(): InformerHealth[] {
    return this.all().map((i) => i.health());
  }

  /** A health check for `/healthz` or `/readyz`: throws naming every started informer that is failing. */
  check(): void {
    const bad = this.all().filter((i) => i.isStarted() && !i.health().healthy);
    if (bad.length === 0) return;
    throw new Error(
      bad
        .map((i) => {
          const h = i.health();
          return `${h.name}: ${h.consecutiveFailures} failures in a row (${h.lastError ?? 'unknown error'})`;
        })
        .join('; '),
    );
  }
}
