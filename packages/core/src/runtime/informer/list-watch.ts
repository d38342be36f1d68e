import { defer, Observable, type Subscription } from 'rxjs';
import { isGone } from '../../api/errors.js';
import type { KubeObject, WatchEvent } from '../../api/meta.js';
import type { ResourceType } from '../../api/resource-type.js';
import type { ObjectStore } from '../../store/object-store.js';
import type { Clock } from '../../util/clock.js';
import { inactivityTimeout, InactivityTimeoutError } from './inactivity-timeout.js';
import type { InformerSelection } from './types.js';

/**
 * Where a list/watch stands, shared by the `listWatch` and `reflect` stages of one informer
 * across every (re)subscription: `reflect` records the resourceVersion of what it applied,
 * `listWatch` resumes from it.
 */
export interface ReflectorState {
  /** The resourceVersion of the last list, event or bookmark applied; unset before the first list. */
  resourceVersion?: string;
  /** Set when the next attempt must list again (after a 410 Gone, or a failure to apply). */
  relist: boolean;
  /** Whether a list has been applied since the informer was made (its adds are then not `initial`). */
  listed: boolean;
  /** Watches in a row that failed without delivering anything (silence excepted); reset by any event or list. */
  failedResumes?: number;
}

/** What the `listWatch` stage emits: a complete list, then watch events. */
export type ReflectorSignal<T extends KubeObject> =
  { type: 'list'; items: readonly T[]; resourceVersion: string } | { type: 'event'; event: WatchEvent<T> };

/** The error `listWatch` raises when a watch ends at once with nothing delivered. */
export class WatchClosedError extends Error {
  /** Makes the error for a watch that lasted `ms`. */
  constructor(ms: number) {
    super(`watch closed after ${ms} ms without delivering anything`);
    this.name = 'WatchClosedError';
  }
}

/** Options of `listWatch`. */
export interface ListWatchOptions<T extends KubeObject> {
  store: ObjectStore;
  type: ResourceType<T>;
  selection: InformerSelection;
  state: ReflectorState;
  clock: Clock;
  /** List in pages of this many objects (limit/continue); default one request. */
  pageSize?: number;
  /** Each watch asks the server to end it after between this and twice this many seconds; default 300 (client-go). */
  watchTimeoutSeconds?: number;
  /** A watch silent for this long (ms) is dropped and resumed; default 120,000. 0 = never. */
  inactivityTimeoutMs?: number;
  /** A watch that ends sooner than this (ms) having delivered nothing counts as a failure; default 1,000. */
  minWatchMs?: number;
  /** Randomness for the watch timeout; default `Math.random`. */
  random?: () => number;
  /**
   * After this many watches in a row failed without delivering anything (other than by
   * going silent), list again instead of resuming: a backlog the server cannot send (it cuts
   * off the connection each time) is then skipped; default 3.
   */
  relistAfterFailedResumes?: number;
  /** The cached (deeply frozen) version of an object, passed to the store's watch (`WatchOptions.previous`). */
  previous?: (obj: KubeObject) => T | undefined;
}

/** The default inactivity timeout of a watch, in ms. */
export const DEFAULT_INACTIVITY_TIMEOUT_MS = 120_000;

/**
 * The network half of a reflector: lists (when there is no position to resume from, or a
 * relist is due) and then watches from the resulting resourceVersion, asking for bookmarks.
 *
 * Each subscription is one attempt. It completes when the watch ends normally (the caller
 * repeats it, resuming from `state.resourceVersion`), and errors on any failure: a 410 Gone
 * first marks `state.relist`; a watch that stays silent past the inactivity timeout, or ends
 * at once without delivering anything, errors too. Retrying is the caller's
 * (`retryWithBackoff`).
 */
export function listWatch<T extends KubeObject>(options: ListWatchOptions<T>): Observable<ReflectorSignal<T>> {
  const { state } = options;
  // One stage per attempt rather than concat + catchError: every watch event passes here.
  return new Observable<ReflectorSignal<T>>((subscriber) => {
    let inner: Subscription | undefined;
    const fail = (err: unknown): void => {
      if (isGone(err)) state.relist = true;
      subscriber.error(err);
    };
    const watch = (): void => {
      let signals: Observable<ReflectorSignal<T>>;
      try {
        signals = watchFrom(options);
      } catch (err) {
        fail(err);
        return;
      }
      inner = signals.subscribe({ next: (s) => subscriber.next(s), error: fail, complete: () => subscriber.complete() });
    };
    if (state.resourceVersion === undefined || state.relist) {
      inner = listAll(options).subscribe({
        next: (s) => subscriber.next(s),
        error: fail,
        complete: () => {
          if (!subscriber.closed) watch();
        },
      });
    } else {
      watch();
    }
    return () => inner?.unsubscribe();
  });
}

function listAll<T extends KubeObject>(options: ListWatchOptions<T>): Observable<ReflectorSignal<T>> {
  const { store, type, selection, pageSize } = options;
  return defer(async (): Promise<ReflectorSignal<T>> => {
    let page = await store.list(type, { ...selection, ...(pageSize ? { limit: pageSize } : {}) });
    if (!page.metadata.continue) return { type: 'list', items: page.items, resourceVersion: page.metadata.resourceVersion ?? '' };
    const items: T[] = page.items.slice();
    while (page.metadata.continue) {
      page = await store.list(type, { ...selection, limit: pageSize!, continue: page.metadata.continue });
      for (const item of page.items) items.push(item);
    }
    return { type: 'list', items, resourceVersion: page.metadata.resourceVersion ?? '' };
  });
}

function watchFrom<T extends KubeObject>(options: ListWatchOptions<T>): Observable<ReflectorSignal<T>> {
  const { store, type, selection, state, clock } = options;
  const random = options.random ?? Math.random;
  const minTimeout = options.watchTimeoutSeconds ?? 300;
  const inactivityMs = options.inactivityTimeoutMs ?? DEFAULT_INACTIVITY_TIMEOUT_MS;
  const minWatchMs = options.minWatchMs ?? 1_000;
  // One stage rather than map + concat + tap + catchError: every watch event passes here.
  return new Observable<ReflectorSignal<T>>((subscriber) => {
    const startedAt = clock.now();
    let received = 0;
    const fail = (err: unknown): void => {
      if (received === 0 && !(err instanceof InactivityTimeoutError)) {
        state.failedResumes = (state.failedResumes ?? 0) + 1;
        if (state.failedResumes >= (options.relistAfterFailedResumes ?? 3)) {
          state.failedResumes = 0;
          state.relist = true;
        }
      }
      subscriber.error(err);
    };
    const watchOptions = {
      ...selection,
      allowWatchBookmarks: true,
      timeoutSeconds: Math.round(minTimeout * (1 + random())),
      ...(state.resourceVersion ? { resourceVersion: state.resourceVersion } : {}),
      ...(options.previous ? { previous: options.previous } : {}),
    };
    let events: Observable<WatchEvent<T>>;
    try {
      events = store.watch(type, watchOptions);
      if (inactivityMs > 0) events = events.pipe(inactivityTimeout(clock, inactivityMs, `watch of ${type.resource}`));
    } catch (err) {
      fail(err);
      return undefined;
    }
    return events.subscribe({
      next: (event) => {
        received++;
        state.failedResumes = 0;
        subscriber.next({ type: 'event', event });
      },
      error: fail,
      complete: () => {
        const lasted = clock.now() - startedAt;
        if (received === 0 && lasted < minWatchMs) fail(new WatchClosedError(lasted));
        else subscriber.complete();
      },
    });
  });
}
