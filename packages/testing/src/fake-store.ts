/**
 * The FakeStore: the real registry of `@converge/store` over its memory backend, on a
 * virtual clock, with recorded actions and interceptors, for unit tests of controllers.
 *
 * Every read and write goes through the same `Registry` the in-process cluster uses, so
 * validation, defaulting, resourceVersion and Conflict, generation, the status split,
 * finalizers and deletionTimestamp, selectors, pagination and watches behave exactly as
 * they do in a cluster; the ObjectStore conformance suite runs against this class.
 * Patches are the registry's own: JSON patch, JSON merge patch, strategic merge patch (lists
 * merged by the keys the kind's schema names) and server-side apply with managedFields and
 * field-manager conflicts all behave as they do in the cluster.
 *
 * What it does NOT model (write an integration test on the test environment or a real
 * cluster for these):
 * - **No controllers run.** Nothing reacts to writes: a Deployment gets no ReplicaSet or
 *   Pods, status is only what someone writes, the garbage collector does not delete
 *   dependents through ownerReferences (`propagationPolicy` only records its finalizer),
 *   and a deleted Namespace stays Terminating because nothing empties it.
 * - **No HTTP.** No serialization round trip (objects are handed over in-process, deeply
 *   frozen), no protobuf, no content negotiation, no request timeouts or retries.
 * - **No authentication, authorization, admission webhooks or API priority and fairness**:
 *   every call is allowed and never throttled (inject 403 or 429 with an interceptor).
 * - **No CustomResourceDefinition registration**: creating a CRD object does not serve its
 *   kind; pass custom kinds as definitions (`kinds: [Apps]`).
 * - **No watch cache lag.** Watch events arrive in a microtask after the write, in order;
 *   a real API server may deliver them later (inject latency with an interceptor).
 * - **Time stands still** unless the test advances the virtual clock: creation and deletion
 *   timestamps, watch timeouts and bookmarks all follow it.
 * - Seeding is not a client call: seeded objects get a fresh creationTimestamp and
 *   resourceVersion and generation 1; their uid is kept when given.
 */
import {
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
import { createBuiltinCatalog, type ResourceCatalog } from '@converge/core/kinds';
import { VirtualClock } from '@converge/core/runtime';
import { MemoryBackend, Registry } from '@converge/store';
import { Observable, type Subscriber, type Subscription } from 'rxjs';
import { ActionRecorder, actionTarget, freezeOptions, snapshot, type ActionInput } from './action-recorder.js';
import { matchesAction, type Action, type ActionMatch } from './actions.js';
import { FakeStoreSeeder, isNamespaceObject } from './fake-store-seeder.js';
import { InterceptorChain } from './interceptor-chain.js';
import type { InterceptHandler, Interception, InterceptOptions } from './interceptors.js';

/** Options of a FakeStore. */
export interface FakeStoreOptions {
  /** Objects to seed, in order (each must carry `apiVersion` and `kind`); see `seed`. */
  objects?: readonly KubeObject[];
  /** The virtual clock; share it with the runtime under test. Default: a new `VirtualClock`. */
  clock?: VirtualClock;
  /** Custom kinds to serve beside the built-in ones (e.g. from `defineCustomResource`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any object type: a definition's type parameter is invariant
  kinds?: readonly ResourceDefinition<any>[];
  /** The catalog of kinds to serve instead of the built-in catalog (`kinds` are added to it). */
  catalog?: ResourceCatalog;
  /** Namespaces created before anything else; default `['default']`. Pass `[]` for an empty store. */
  namespaces?: readonly string[];
  /** Whether seeding creates the namespaces seeded objects live in when they do not exist; default true. */
  autoCreateNamespaces?: boolean;
  /** Generates uids; default a deterministic sequence (`00000000-0000-4000-8000-000000000001`, ...). */
  newUid?: () => string;
  /** Random numbers in [0, 1) for generateName; default a deterministic sequence. */
  random?: () => number;
  /** How often watches with `allowWatchBookmarks` get a BOOKMARK, in virtual ms; default 60 s. */
  bookmarkIntervalMs?: number;
  /** How many events the memory backend keeps for resuming watches; default 100,000. */
  historySize?: number;
}

interface LiveWatch {
  action: Action;
  subscriber: Subscriber<WatchEvent>;
  inner?: Subscription;
}

/** A deterministic generator of RFC 4122-shaped uids: `00000000-0000-4000-8000-000000000001`, ... */
export function sequentialUids(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${(++n).toString(16).padStart(12, '0')}`;
}

/** A deterministic source of numbers in [0, 1) (a 32-bit linear congruential generator). */
export function seededRandom(seed = 1): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * An ObjectStore for tests: the real registry over the memory backend, a virtual clock,
 * seeded objects, recorded actions and interceptors. See the top of this file for what it
 * does not model.
 *
 * ```ts
 * const store = new FakeStore({ objects: [app], kinds: [Apps] });
 * store.intercept({ verb: 'update', resource: 'deployments' }, fail(conflict({ group: 'apps', resource: 'deployments' }, 'web')), { times: 1 });
 * await reconciler.reconcile({ namespace: 'default', name: 'web' }, ctx);
 * expect(store.actions({ verb: 'create' }).map((a) => a.kind)).toEqual(['ConfigMap', 'Deployment']);
 * ```
 */
export class FakeStore implements ObjectStore {
  /** The virtual clock of the store (timestamps, latency, watch timers); share it with the runtime. */
  readonly clock: VirtualClock;
  /** The registry every call goes through (calls made on it directly are neither recorded nor intercepted). */
  readonly registry: Registry;
  /** The memory backend under the registry. */
  readonly backend: MemoryBackend;
  /** The kinds served. */
  readonly catalog: ResourceCatalog;
  private readonly recorder: ActionRecorder;
  private readonly interceptors: InterceptorChain;
  private readonly liveWatches = new Set<LiveWatch>();
  private readonly generateUid: () => string;
  private readonly seeder: FakeStoreSeeder;
  private seeding: Promise<unknown>;

  /** Makes a store; seeding (of `namespaces` and `objects`) finishes before the first call is answered. */
  constructor(options: FakeStoreOptions = {}) {
    this.clock = options.clock ?? new VirtualClock();
    this.recorder = new ActionRecorder(this.clock);
    this.interceptors = new InterceptorChain(this.clock);
    this.catalog = options.catalog ?? createBuiltinCatalog();
    for (const def of options.kinds ?? []) this.catalog.add(def);
    this.backend = new MemoryBackend(options.historySize === undefined ? {} : { historySize: options.historySize });
    this.generateUid = options.newUid ?? sequentialUids();
    this.registry = new Registry({
      backend: this.backend,
      catalog: this.catalog,
      clock: this.clock,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
      random: options.random ?? seededRandom(),
      newUid: () => this.seeder.takePendingUid() ?? this.generateUid(),
    });
    this.seeder = new FakeStoreSeeder({
      registry: this.registry,
      catalog: this.catalog,
      autoCreateNamespaces: options.autoCreateNamespaces ?? true,
    });
    const objects = options.objects ?? [];
    const seededNamespaces = new Set(objects.filter(isNamespaceObject).map((o) => o.metadata.name));
    const namespaces = (options.namespaces ?? ['default']).filter((n) => !seededNamespaces.has(n));
    this.seeding = this.seeder.seedAll([
      ...namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
      ...objects,
    ]);
    this.seeding.catch(() => {}); // reported by every call (and by ready())
  }

  /** Resolves once the objects given to the constructor (and earlier `seed` calls) are stored; rejects if one was refused. */
  async ready(): Promise<void> {
    await this.seeding;
  }

  /**
   * Puts objects in the store as they would stand in a cluster, without recording actions
   * or running interceptors. Each object must carry `apiVersion` and `kind` of a served kind.
   * It is created through the registry (validated and defaulted; a given uid is kept);
   * its status, when the kind has a status subresource, is then written through it; an
   * object with `metadata.deletionTimestamp` is then deleted, so it stays (being deleted)
   * only while finalizers hold it. The namespaces objects live in are created when missing
   * (unless `autoCreateNamespaces: false`). Returns the stored objects.
   */
  seed(...objects: KubeObject[]): Promise<KubeObject[]> {
    const run = this.seeding.then(() => this.seeder.seedAll(objects));
    this.seeding = run;
    return run;
  }

  // ---- the ObjectStore contract, recorded and intercepted ----

  get<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options: GetOptions = {}): Promise<T> {
    return this.call(
      { ...actionTarget('get', type, key?.namespace, key?.name, options?.subresource), options: freezeOptions(options) },
      () => this.registry.get(type, key, options),
    );
  }

  list<T extends KubeObject>(type: ResourceType<T>, options: ListOptions = {}): Promise<ObjectList<T>> {
    return this.call({ ...actionTarget('list', type, options?.namespace), options: freezeOptions(options) }, () =>
      this.registry.list(type, options),
    );
  }

  watch<T extends KubeObject>(type: ResourceType<T>, options: WatchOptions = {}): Observable<WatchEvent<T>> {
    return new Observable<WatchEvent<T>>((subscriber) => {
      let closed = false;
      let live: LiveWatch | undefined;
      this.seeding
        .then(() => {
          if (closed) return undefined;
          const action = this.recorder.record({ ...actionTarget('watch', type, options?.namespace), options: freezeOptions(options) });
          live = { action, subscriber: subscriber as Subscriber<WatchEvent> };
          this.liveWatches.add(live);
          return this.interceptors
            .run(action, async () => this.registry.watch(type, options))
            .then(
              (obs) => {
                this.recorder.finish(action, undefined, undefined);
                if (closed) return;
                if (!(obs instanceof Observable)) throw new TypeError('a watch interceptor must answer with an Observable');
                live!.inner = (obs as Observable<WatchEvent<T>>).subscribe({
                  next: (e) => subscriber.next(e),
                  error: (e: unknown) => subscriber.error(e),
                  complete: () => subscriber.complete(),
                });
              },
              (err: unknown) => {
                this.recorder.finish(action, undefined, err);
                throw err;
              },
            );
        })
        .catch((err: unknown) => {
          if (!closed) subscriber.error(err);
        });
      return () => {
        closed = true;
        live?.inner?.unsubscribe();
        if (live) this.liveWatches.delete(live);
      };
    });
  }

  create<T extends KubeObject>(type: ResourceType<T>, obj: T, options: CreateOptions = {}): Promise<T> {
    const name = options?.subresource ? options.name : obj?.metadata?.name;
    const input: ActionInput = {
      ...actionTarget('create', type, obj?.metadata?.namespace, name || undefined, options?.subresource),
      object: snapshot(obj),
      options: freezeOptions(options),
    };
    return this.call(input, () => this.registry.create(type, obj, options));
  }

  update<T extends KubeObject>(type: ResourceType<T>, obj: T, options: UpdateOptions = {}): Promise<T> {
    const input: ActionInput = {
      ...actionTarget('update', type, obj?.metadata?.namespace, obj?.metadata?.name, options?.subresource),
      object: snapshot(obj),
      options: freezeOptions(options),
    };
    return this.call(input, () => this.registry.update(type, obj, options));
  }

  patch<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, patch: Patch, options: PatchOptions = {}): Promise<T> {
    const input: ActionInput = {
      ...actionTarget('patch', type, key?.namespace, key?.name, options?.subresource),
      patch: snapshot(patch),
      options: freezeOptions(options),
    };
    return this.call(input, () => this.registry.patch(type, key, patch, options));
  }

  delete<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options: DeleteOptions = {}): Promise<T> {
    return this.call({ ...actionTarget('delete', type, key?.namespace, key?.name), options: freezeOptions(options) }, () =>
      this.registry.delete(type, key, options),
    );
  }

  deleteCollection<T extends KubeObject>(type: ResourceType<T>, options: SelectOptions & DeleteOptions = {}): Promise<ObjectList<T>> {
    return this.call({ ...actionTarget('deletecollection', type, options?.namespace), options: freezeOptions(options) }, () =>
      this.registry.deleteCollection(type, options),
    );
  }

  // ---- recorded actions ----

  /** The calls made so far (oldest first), or those `match` selects. */
  actions(match?: ActionMatch): Action[] {
    return this.recorder.actions(match);
  }

  /** The writes made so far (create, update, patch, delete, deletecollection), or those `match` also selects. */
  writes(match: ActionMatch = {}): Action[] {
    return this.recorder.writes(match);
  }

  /** The most recent call `match` selects (any call without it). */
  lastAction(match: ActionMatch = {}): Action | undefined {
    return this.recorder.last(match);
  }

  /** Forgets the recorded calls (e.g. after arranging a test's starting state). */
  clearActions(): void {
    this.recorder.clear();
  }

  /** How many calls have started and not finished (e.g. held up by injected latency). */
  inFlight(): number {
    return this.recorder.inFlight();
  }

  // ---- interceptors ----

  /**
   * Intercepts the calls `match` selects (any verb and kind; see `InterceptContext` for
   * what a handler can do). Interceptors run in the order they were added, each deciding
   * whether the call reaches the next. Returns a handle to count and remove it.
   *
   * ```ts
   * store.intercept({ verb: 'update', resource: 'deployments' }, () => { throw conflict({ group: 'apps', resource: 'deployments' }, 'web'); }, { times: 1 });
   * store.intercept({ verb: 'get', kind: 'Secret' }, latency(2_000));
   * ```
   */
  intercept(match: ActionMatch, handler: InterceptHandler, options: InterceptOptions = {}): Interception {
    return this.interceptors.add(match, handler, options);
  }

  /** Intercepts only the next call `match` selects: `intercept(match, handler, { times: 1 })`. */
  interceptOnce(match: ActionMatch, handler: InterceptHandler): Interception {
    return this.intercept(match, handler, { times: 1 });
  }

  /** Removes every interceptor. */
  clearInterceptors(): void {
    this.interceptors.clear();
  }

  /**
   * Ends the open watches `match` selects (all by default), as a dropped connection or an
   * API server restart would: with `error` (e.g. `expired()` for a 410) or, without it, by
   * completing. Returns how many watches were ended.
   */
  closeWatches(match: ActionMatch = {}, error?: unknown): number {
    let n = 0;
    for (const w of [...this.liveWatches]) {
      if (!matchesAction(w.action, match)) continue;
      n++;
      this.liveWatches.delete(w);
      if (error !== undefined) w.subscriber.error(error);
      else w.subscriber.complete();
    }
    return n;
  }

  /** How many watches are open (subscribed and not ended). */
  openWatches(match: ActionMatch = {}): number {
    let n = 0;
    for (const w of this.liveWatches) if (matchesAction(w.action, match)) n++;
    return n;
  }

  // ---- synchronous reads for assertions ----

  /**
   * The stored object of `type` at `key`, read synchronously (no action recorded), or
   * undefined; in `type`'s version, as `get` would return it, when that version is stored as
   * another. Meant for assertions after the code under test has been awaited.
   */
  peek<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey): T | undefined {
    const def = this.catalog.get(type);
    if (!def) throw new Error(`FakeStore.peek: ${type.resource}${type.group ? `.${type.group}` : ''} is not served by this store`);
    const info = this.registry.layout.info(def);
    const stored = this.backend.peek(this.registry.layout.key(info, def.namespaced ? key.namespace : undefined, key.name))?.object;
    // A version stored as another (events.k8s.io/v1, autoscaling/v1) is viewed through the registry's own conversion.
    if (stored === undefined) return undefined;
    return (info.conversion ? info.conversion.view(stored) : stored) as T;
  }

  /** Ends every watch and closes the registry. */
  async close(): Promise<void> {
    for (const w of [...this.liveWatches]) {
      w.inner?.unsubscribe();
      w.subscriber.complete();
    }
    this.liveWatches.clear();
    await this.seeding.catch(() => {});
    await this.registry.close();
  }

  // ---- internals ----

  private async call<R>(input: ActionInput, real: () => Promise<R>): Promise<R> {
    await this.seeding;
    const action = this.recorder.record(input);
    try {
      const result = (await this.interceptors.run(action, real)) as R;
      this.recorder.finish(action, result, undefined);
      return result;
    } catch (err) {
      this.recorder.finish(action, undefined, err);
      throw err;
    }
  }
}
