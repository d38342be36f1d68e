import { Observable, type OperatorFunction } from 'rxjs';
import type { KubeObject, WatchEvent } from '../../api/meta.js';
import { deepFreeze } from '../../util/mutable.js';
import { cacheKeyOf, type IndexedCache } from './indexed-cache.js';
import type { ReflectorSignal, ReflectorState } from './list-watch.js';
import type { InformerEvent } from './types.js';

/** A function applied to every object before it is cached, e.g. `dropManagedFields`. */
export type InformerTransform<T extends KubeObject = KubeObject> = (obj: T) => T;

/** What `reflect` emits per signal applied: the cache changes it made, in order. */
export interface Reflection<T extends KubeObject> {
  events: readonly InformerEvent<T>[];
  /** True when the signal was a complete list (the cache now mirrors the server's state). */
  listed: boolean;
}

/** Options of `reflect`. */
export interface ReflectOptions<T extends KubeObject> {
  cache: IndexedCache<T>;
  state: ReflectorState;
  transform?: InformerTransform<T>;
  /** Whether anyone listens to the events; when not, the changes are applied without building them. Default: always. */
  observed?: () => boolean;
}

/**
 * The cache half of a reflector: applies each list or watch event to the cache and emits
 * what changed, recording in `state` the resourceVersion it has applied up to.
 *
 * - A first list fills the cache and emits `add` events marked `initial`.
 * - A later list (a relist after 410 Gone) emits only the differences: `add` for new
 *   objects, `update` for objects whose resourceVersion changed, `delete` for cached
 *   objects the list no longer has.
 * - ADDED and MODIFIED put the object (an `add` if it was not cached, else an `update`;
 *   nothing when the cached copy already has that resourceVersion, as after a resumed
 *   watch); DELETED removes it (a `delete` when it was cached); BOOKMARK only moves the
 *   resourceVersion forward.
 *
 * Objects are transformed (if asked) and frozen before caching. If applying fails (a
 * transform or index function throws), the error passes on and `state.relist` is set, so
 * the next attempt starts from a complete list.
 */
export function reflect<T extends KubeObject>(options: ReflectOptions<T>): OperatorFunction<ReflectorSignal<T>, Reflection<T>> {
  const { cache, state, transform } = options;
  const observed = options.observed ?? (() => true);
  const prepare = (obj: T): T => deepFreeze(transform ? transform(obj) : obj);
  return (source) =>
    new Observable<Reflection<T>>((subscriber) =>
      source.subscribe({
        next: (signal) => {
          let out: Reflection<T>;
          try {
            const emit = observed();
            out =
              signal.type === 'list'
                ? applyList(cache, state, signal.items, prepare, emit)
                : applyEvent(cache, signal.event, prepare, emit);
            const rv = signal.type === 'list' ? signal.resourceVersion : signal.event.object.metadata?.resourceVersion;
            if (rv !== undefined) state.resourceVersion = rv;
            if (signal.type === 'list') {
              state.relist = false;
              state.listed = true;
            }
          } catch (err) {
            state.relist = true;
            subscriber.error(err);
            return;
          }
          subscriber.next(out);
        },
        error: (err: unknown) => subscriber.error(err),
        complete: () => subscriber.complete(),
      }),
    );
}

const NO_EVENTS: readonly InformerEvent<never>[] = Object.freeze([]);

function applyList<T extends KubeObject>(
  cache: IndexedCache<T>,
  state: ReflectorState,
  items: readonly T[],
  prepare: (o: T) => T,
  emit: boolean,
): Reflection<T> {
  const events: InformerEvent<T>[] = [];
  if (!state.listed && cache.size() === 0) {
    if (!emit) {
      for (const item of items) cache.upsert(prepare(item));
      return { events, listed: true };
    }
    for (const item of items) {
      const obj = prepare(item);
      cache.upsert(obj);
      events.push({ type: 'add', object: obj, initial: true });
    }
    return { events, listed: true };
  }
  const seen = new Set<string>();
  for (const item of items) {
    seen.add(cacheKeyOf(item));
    const old = cache.getLike(item);
    if (old !== undefined && old.metadata.resourceVersion === item.metadata.resourceVersion && old.metadata.uid === item.metadata.uid)
      continue;
    const obj = prepare(item);
    cache.upsert(obj);
    if (emit) events.push(old === undefined ? { type: 'add', object: obj } : { type: 'update', object: obj, old });
  }
  for (const key of cache.keys()) {
    if (seen.has(key)) continue;
    const old = cache.delete(key);
    if (old !== undefined && emit) events.push({ type: 'delete', object: old });
  }
  return { events, listed: true };
}

function applyEvent<T extends KubeObject>(
  cache: IndexedCache<T>,
  event: WatchEvent<T>,
  prepare: (o: T) => T,
  emit: boolean,
): Reflection<T> {
  switch (event.type) {
    case 'ADDED':
    case 'MODIFIED': {
      const old = cache.getLike(event.object);
      if (
        old !== undefined &&
        old.metadata.resourceVersion === event.object.metadata.resourceVersion &&
        old.metadata.uid === event.object.metadata.uid
      ) {
        return { events: NO_EVENTS, listed: false };
      }
      const obj = prepare(event.object);
      cache.upsert(obj);
      return {
        events: emit ? [old === undefined ? { type: 'add', object: obj } : { type: 'update', object: obj, old }] : NO_EVENTS,
        listed: false,
      };
    }
    case 'DELETED': {
      const old = cache.deleteLike(event.object);
      return { events: old === undefined || !emit ? NO_EVENTS : [{ type: 'delete', object: prepare(event.object) }], listed: false };
    }
    default:
      return { events: NO_EVENTS, listed: false };
  }
}
