/**
 * `@converge/core/informers`: the list/watch pipeline beneath `SharedInformer`, for code that
 * builds its own informers or watch clients: list-then-watch with relists, the reflector into
 * an indexed cache, backoff, the inactivity timeout and the watch-list protocol's marker.
 *
 * Shared informers, their factory and the index names are in `@converge/core`.
 *
 * @module informers
 */
export { INITIAL_EVENTS_END_ANNOTATION } from '../../api/meta.js';
export { IndexedCache, cacheKeyOf } from './indexed-cache.js';
export type { BackoffOptions, RetryNotice, RetryWithBackoffOptions } from './backoff.js';
export { DEFAULT_BACKOFF, backoffDelay, clockTimer, retryWithBackoff } from './backoff.js';
export { InactivityTimeoutError, inactivityTimeout } from './inactivity-timeout.js';
export type { ReflectorState, ReflectorSignal, ListWatchOptions } from './list-watch.js';
export { listWatch, WatchClosedError, DEFAULT_INACTIVITY_TIMEOUT_MS } from './list-watch.js';
export type { InformerTransform, Reflection, ReflectOptions } from './reflect.js';
export { reflect } from './reflect.js';
export { informerName } from './shared-informer.js';
