/**
 * A scripted Informer for the runtime's own tests: the test puts objects in and the fake
 * emits the matching events. It does not model: listing or watching a store, resource
 * versions, relists, selectors (the selection is only recorded), custom indexers (only
 * the built-in `namespace` index answers), or errors.
 */
import { Subject } from 'rxjs';
import { keyString, objectKey, type KubeObject, type ObjectKey } from '../../src/api/meta.js';
import type { ResourceType } from '../../src/api/resource-type.js';
import { realClock, type Clock } from '../../src/util/clock.js';
import { deepFreeze } from '../../src/util/mutable.js';
import type { CacheReader, IndexFunc, Informer, InformerEvent, InformerSelection } from '../../src/runtime/informer/types.js';
import type { InformerProvider } from '../../src/runtime/controller/informer-provider.js';

class MapCache<T extends KubeObject> implements CacheReader<T> {
  readonly objects = new Map<string, T>();
  get(key: ObjectKey): T | undefined {
    return this.objects.get(keyString(key));
  }
  list(namespace?: string): T[] {
    const all = [...this.objects.values()];
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }
  byIndex(index: string, value: string): T[] {
    if (index !== 'namespace') return [];
    return this.list(value);
  }
  keysByIndex(index: string, value: string): string[] {
    return this.byIndex(index, value).map((o) => keyString(objectKey(o)));
  }
  size(): number {
    return this.objects.size;
  }
}

/** A hand-driven Informer. */
export class ScriptedInformer<T extends KubeObject = KubeObject> implements Informer<T> {
  readonly cache: MapCache<T> = new MapCache<T>();
  private readonly subject = new Subject<InformerEvent<T>>();
  readonly events = this.subject.asObservable();
  starts = 0;
  stops = 0;
  private synced = false;
  private syncWaiters: (() => void)[] = [];

  constructor(
    readonly type: ResourceType<T>,
    readonly selection: InformerSelection = {},
    private readonly options: { autoSync?: boolean; clock?: Clock } = {},
  ) {}

  addIndex(_name: string, _fn: IndexFunc<T>): void {}
  hasSynced(): boolean {
    return this.synced;
  }
  waitForCacheSync(timeoutMs = 60_000): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const clock = this.options.clock ?? realClock;
      const t = clock.setTimeout(() => reject(new Error(`timed out waiting for ${this.type.kind} cache to sync`)), timeoutMs);
      this.syncWaiters.push(() => {
        clock.clearTimeout(t);
        resolve();
      });
    });
  }
  start(): void {
    this.starts++;
    if (this.options.autoSync ?? true) this.markSynced();
  }
  stop(): void {
    this.stops++;
  }
  /** Marks the cache synced (as after the first list). */
  markSynced(): void {
    if (this.synced) return;
    this.synced = true;
    for (const w of this.syncWaiters.splice(0)) w();
  }
  /** Adds or updates an object and emits the event. */
  put(obj: T, initial = false): void {
    const frozen = deepFreeze(obj);
    const key = keyString(objectKey(frozen));
    const old = this.cache.objects.get(key);
    this.cache.objects.set(key, frozen);
    this.subject.next(old ? { type: 'update', object: frozen, old } : { type: 'add', object: frozen, ...(initial ? { initial } : {}) });
  }
  /** Removes an object and emits the delete. */
  remove(key: ObjectKey): void {
    const k = keyString(key);
    const old = this.cache.objects.get(k);
    if (!old) return;
    this.cache.objects.delete(k);
    this.subject.next({ type: 'delete', object: old });
  }
}

/** Hands out one ScriptedInformer per kind and selection, and records the requests. */
export class ScriptedInformerProvider implements InformerProvider {
  readonly informers = new Map<string, ScriptedInformer<KubeObject>>();
  constructor(private readonly options: { autoSync?: boolean; clock?: Clock } = {}) {}
  informerFor<T extends KubeObject>(type: ResourceType<T>, selection: InformerSelection = {}): ScriptedInformer<T> {
    const key = `${type.group}/${type.version}/${type.resource}?${selection.namespace ?? ''}&${selection.labelSelector ?? ''}&${selection.fieldSelector ?? ''}`;
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new ScriptedInformer<KubeObject>(type as ResourceType, selection, this.options);
      this.informers.set(key, inf);
    }
    return inf as unknown as ScriptedInformer<T>;
  }
  /** The informer of a kind (any selection), for the test to script. */
  of<T extends KubeObject>(type: ResourceType<T>, selection: InformerSelection = {}): ScriptedInformer<T> {
    return this.informerFor(type, selection);
  }
}
