import { repeat, Subject, type Observable, type Subscription } from 'rxjs';
import { isGone } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceType } from '../../api/resource-type.js';
import type { ObjectStore } from '../../store/object-store.js';
import { realClock, type Clock, type ClockTimer } from '../../util/clock.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { retryWithBackoff, type BackoffOptions, type RetryNotice } from './backoff.js';
import { IndexedCache } from './indexed-cache.js';
import { listWatch, type ReflectorState } from './list-watch.js';
import { reflect, type InformerTransform, type Reflection } from './reflect.js';
import type { IndexFunc, Informer, InformerEvent, InformerSelection } from './types.js';

/** Options of a SharedInformer. */
export interface SharedInformerOptions<T extends KubeObject> {
  store: ObjectStore;
  type: ResourceType<T>;
  /** Namespace, label and field selector; default every object of the kind. */
  selection?: InformerSelection;
  /** Time for backoff, timeouts and health; default the wall clock. */
  clock?: Clock;
  /** Where failures are logged; default `createLogger()`. */
  logger?: Logger;
  /** Applied to every object before caching (e.g. `dropManagedFields`); its result is frozen. */
  transform?: InformerTransform<T>;
  /** Indexes beyond the built-in `namespace` and `controller-owner`. */
  indexers?: Readonly<Record<string, IndexFunc<T>>>;
  /** Backoff between failed attempts; default 800 ms doubling to 30 s, jittered. */
  backoff?: BackoffOptions;
  /** A watch silent this long (ms) is dropped and resumed; default 120,000; 0 = never. */
  inactivityTimeoutMs?: number;
  /** Watches ask to be ended by the server after 1–2× this many seconds; default 300. */
  watchTimeoutSeconds?: number;
  /** List in pages of this many objects; default one request. */
  pageSize?: number;
  /** Relist after this many watches in a row failed without delivering anything; default 3. */
  relistAfterFailedResumes?: number;
  /** The informer reports itself unhealthy after this many failures in a row; default 5. */
  unhealthyAfterFailures?: number;
  /** Randomness for jitter; default `Math.random`. */
  random?: () => number;
}

/** A snapshot of an informer's state, for health checks, metrics and debugging. */
export interface InformerHealth {
  /** `v1/pods`, `apps/v1/deployments` ... plus the selection, if any. */
  name: string;
  started: boolean;
  synced: boolean;
  /** The resourceVersion the cache reflects. */
  resourceVersion?: string;
  /** Objects in the cache. */
  objects: number;
  /** Failures (list or watch errors, silent or short watches) since the informer was made. */
  errors: number;
  /** Failures since the last attempt that delivered something. */
  consecutiveFailures: number;
  /** The last failure's message and when it happened (clock ms). */
  lastError?: string;
  lastErrorAt?: number;
  /** Complete lists after the first (after 410 Gone or a failed apply). */
  relists: number;
  /** Clock ms of the last list or watch event applied. */
  lastActivityAt?: number;
  /** Whether the informer counts as healthy: started, and fewer failures in a row than the threshold. */
  healthy: boolean;
}

/** Formats the name of an informer from its kind and selection. */
export function informerName(type: ResourceType, selection: InformerSelection = {}): string {
  const gv = type.group ? `${type.group}/${type.version}` : type.version;
  const sel = [
    selection.namespace && `namespace=${selection.namespace}`,
    selection.labelSelector && `labels=${selection.labelSelector}`,
    selection.fieldSelector && `fields=${selection.fieldSelector}`,
  ].filter(Boolean);
  return `${gv}/${type.resource}${sel.length ? `{${sel.join(' ')}}` : ''}`;
}

/**
 * An informer over any ObjectStore: lists, then watches from the list's resourceVersion,
 * keeps an indexed cache, and emits what changed.
 *
 * ```ts
 * listWatch({ store, type, state }).pipe(      // list once, then watch with bookmarks
 *   reflect({ cache, state }),                 // apply to the cache, compute the changes
 *   retryWithBackoff({ clock, onRetry }),      // any failure: log, count, wait, resume
 *   repeat(),                                  // a watch that ended normally: resume
 * )
 * ```
 *
 * It never stops by itself: after any failure (a list or watch error, a watch that went
 * silent past the inactivity timeout, a watch that closed at once) it waits a capped,
 * jittered backoff and resumes from the last resourceVersion it applied; after a 410 Gone
 * it relists at once and emits only the differences. Failures are logged, counted and
 * visible in `health()`. Bookmarks move the resourceVersion forward.
 *
 * Its watches are offered the cached version of each object (`WatchOptions.previous`): over
 * HTTP (the RemoteObjectStore) an event's object then shares its unchanged parts with the
 * cached one, so a MODIFIED event keeps only what changed in memory (both stay frozen).
 *
 * Share one per kind and selection through a `SharedInformerFactory`.
 */
export class SharedInformer<T extends KubeObject = KubeObject> implements Informer<T> {
  /** The kind watched. */
  readonly type: ResourceType<T>;
  /** The selection watched. */
  readonly selection: InformerSelection;
  /** The indexed cache (read-only to everyone but the informer). */
  readonly cache: IndexedCache<T>;
  /** Hot stream of cache changes; a late subscriber reads the cache for the current state. */
  readonly events: Observable<InformerEvent<T>>;
  /** The informer's name, as in logs and health. */
  readonly name: string;

  private readonly options: SharedInformerOptions<T>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly subject = new Subject<InformerEvent<T>>();
  private readonly state: ReflectorState = { relist: false, listed: false };
  private subscription: Subscription | undefined;
  private synced = false;
  private syncWaiters: { resolve: () => void; reject: (err: Error) => void; timer?: ClockTimer }[] = [];
  private errors = 0;
  private consecutiveFailures = 0;
  private relists = 0;
  private lastError: string | undefined;
  private lastErrorAt: number | undefined;
  private lastActivityAt: number | undefined;

  /** Makes a stopped informer; `start()` begins the list/watch. */
  constructor(options: SharedInformerOptions<T>) {
    this.options = options;
    this.type = options.type;
    this.selection = { ...(options.selection ?? {}) };
    this.clock = options.clock ?? realClock;
    this.name = informerName(options.type as ResourceType, this.selection);
    this.log = (options.logger ?? createLogger()).child({ informer: this.name });
    this.cache = new IndexedCache<T>(options.indexers);
    this.events = this.subject.asObservable();
  }

  /** Adds a named index; allowed before and after start (existing objects are indexed at once). */
  addIndex(name: string, fn: IndexFunc<T>): void {
    this.cache.addIndex(name, fn);
  }

  /** True once the first list has been put in the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Whether list/watch is running. */
  isStarted(): boolean {
    return this.subscription !== undefined;
  }

  /**
   * Resolves once the first list is in the cache; rejects after `timeoutMs` of the clock's
   * time (no timeout when unset), or when the informer is stopped first.
   */
  waitForCacheSync(timeoutMs?: number): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: (typeof this.syncWaiters)[number] = { resolve, reject };
      if (timeoutMs !== undefined) {
        waiter.timer = this.clock.setTimeout(() => {
          this.syncWaiters = this.syncWaiters.filter((w) => w !== waiter);
          const why = this.lastError ? `; last error: ${this.lastError}` : '';
          reject(new Error(`timed out after ${timeoutMs} ms waiting for the ${this.name} informer to sync${why}`));
        }, timeoutMs);
      }
      this.syncWaiters.push(waiter);
    });
  }

  /** Starts list/watch (idempotent). After a stop it resumes from the last resourceVersion. */
  start(): void {
    if (this.subscription) return;
    const { store, type, clock } = { store: this.options.store, type: this.type, clock: this.clock };
    this.log.debug('starting');
    const pipeline = listWatch({
      store,
      type,
      selection: this.selection,
      state: this.state,
      clock,
      previous: (obj) => this.cache.getLike(obj),
      ...pick(this.options, ['pageSize', 'watchTimeoutSeconds', 'inactivityTimeoutMs', 'random', 'relistAfterFailedResumes']),
    }).pipe(
      reflect({
        cache: this.cache,
        state: this.state,
        observed: () => this.subject.observed,
        ...(this.options.transform ? { transform: this.options.transform } : {}),
      }),
      retryWithBackoff({
        clock,
        ...pick(this.options, ['backoff', 'random']),
        immediate: isGone,
        onRetry: (notice) => this.onFailure(notice),
      }),
      repeat(),
    );
    const subscription: Subscription = pipeline.subscribe({
      next: (r) => this.deliver(r),
      // Unreachable by design (every error is retried); kept so nothing can end silently.
      error: (err: unknown) => {
        this.log.error({ err }, 'informer pipeline ended with an error; restarting');
        this.onFailure({ error: err, attempt: this.consecutiveFailures + 1, delayMs: 1_000 });
        this.clock.setTimeout(() => {
          if (this.subscription !== subscription) return;
          this.subscription = undefined;
          this.start();
        }, 1_000);
      },
    });
    this.subscription = subscription;
  }

  /** Stops list/watch; the cache stays readable, and pending `waitForCacheSync` calls reject. */
  stop(): void {
    const sub = this.subscription;
    this.subscription = undefined;
    sub?.unsubscribe();
    for (const w of this.syncWaiters.splice(0)) {
      if (w.timer !== undefined) this.clock.clearTimeout(w.timer);
      w.reject(new Error(`the ${this.name} informer was stopped before it synced`));
    }
  }

  /** A snapshot of the informer's state. */
  health(): InformerHealth {
    const h: InformerHealth = {
      name: this.name,
      started: this.subscription !== undefined,
      synced: this.synced,
      objects: this.cache.size(),
      errors: this.errors,
      consecutiveFailures: this.consecutiveFailures,
      relists: this.relists,
      healthy: this.subscription !== undefined && this.consecutiveFailures < (this.options.unhealthyAfterFailures ?? 5),
    };
    if (this.state.resourceVersion !== undefined) h.resourceVersion = this.state.resourceVersion;
    if (this.lastError !== undefined) h.lastError = this.lastError;
    if (this.lastErrorAt !== undefined) h.lastErrorAt = this.lastErrorAt;
    if (this.lastActivityAt !== undefined) h.lastActivityAt = this.lastActivityAt;
    return h;
  }

  /** A health check: throws with the last error when the informer is not healthy. */
  check(): void {
    const h = this.health();
    if (h.healthy) return;
    throw new Error(
      h.started
        ? `informer ${this.name} failing (${h.consecutiveFailures} failures in a row): ${h.lastError ?? 'unknown error'}`
        : `informer ${this.name} is not running`,
    );
  }

  private deliver(r: Reflection<T>): void {
    this.consecutiveFailures = 0;
    this.lastActivityAt = this.clock.now();
    if (r.listed && this.synced) this.relists++;
    for (const e of r.events) this.subject.next(e);
    if (r.listed && !this.synced) {
      this.synced = true;
      this.log.debug({ objects: this.cache.size(), resourceVersion: this.state.resourceVersion }, 'cache synced');
      for (const w of this.syncWaiters.splice(0)) {
        if (w.timer !== undefined) this.clock.clearTimeout(w.timer);
        w.resolve();
      }
    }
  }

  private onFailure(notice: RetryNotice): void {
    const { error, delayMs } = notice;
    const message = error instanceof Error ? error.message : String(error);
    if (isGone(error)) {
      this.log.info({ resourceVersion: this.state.resourceVersion, delayMs }, `resourceVersion expired (${message}); relisting`);
      return;
    }
    this.errors++;
    this.consecutiveFailures++;
    this.lastError = message;
    this.lastErrorAt = this.clock.now();
    const level = this.consecutiveFailures >= 3 ? 'error' : 'warn';
    this.log[level](
      { err: error, attempt: this.consecutiveFailures, delayMs, resourceVersion: this.state.resourceVersion },
      `list/watch failed; retrying in ${delayMs} ms`,
    );
  }
}

function pick<O extends object, K extends keyof O>(o: O, keys: readonly K[]): { [P in K]?: Exclude<O[P], undefined> } {
  const out: { [P in K]?: Exclude<O[P], undefined> } = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k] as Exclude<O[K], undefined>;
  return out;
}
