/**
 * A source of time. Everything in Converge that waits or timestamps takes a Clock, so
 * tests can run on virtual time: `VirtualClock` (in `util/virtual-clock.ts`, exported by
 * `@converge/core/runtime` and re-exported by `@converge/testing`).
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `fn` after `ms` milliseconds of this clock's time; returns a handle for `clearTimeout`. */
  setTimeout(fn: () => void, ms: number): ClockTimer;
  /** Cancels a timer made by `setTimeout`. */
  clearTimeout(timer: ClockTimer): void;
}

/** An opaque timer handle. */
export type ClockTimer = { readonly __timer: unique symbol } | object;

/** The wall clock, backed by `Date.now` and Node's timers. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms) as unknown as ClockTimer,
  clearTimeout: (t) => clearTimeout(t as unknown as NodeJS.Timeout),
};

/** Resolves after `ms` of the given clock's time. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clock.clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Formats a clock time as the RFC 3339 timestamp (second precision) Kubernetes uses in metadata. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
