import { Observable, type MonoTypeOperatorFunction, type Subscription } from 'rxjs';
import type { Clock, ClockTimer } from '../../util/clock.js';

/** How long to wait between attempts: capped exponential growth with jitter. */
export interface BackoffOptions {
  /** The delay before the first retry, in ms; default 800 (client-go's reflector). */
  initialMs?: number;
  /** The cap, in ms; no delay is longer; default 30,000. */
  maxMs?: number;
  /** The growth per failed attempt; default 2. */
  factor?: number;
  /** Up to this fraction of the delay is added at random (0 = none); default 0.5. The cap still holds. */
  jitter?: number;
  /**
   * An attempt that ran this long (ms) before failing resets the growth: the next delay is
   * `initialMs` again; default 120,000 (client-go's reflector).
   */
  resetAfterMs?: number;
}

/** The defaults of `BackoffOptions`. */
export const DEFAULT_BACKOFF: Required<BackoffOptions> = Object.freeze({
  initialMs: 800,
  maxMs: 30_000,
  factor: 2,
  jitter: 0.5,
  resetAfterMs: 120_000,
});

/**
 * The delay before retry number `attempt` (0-based): `min(maxMs, initialMs × factor^attempt
 * × (1 + jitter × random()))`.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const o = { ...DEFAULT_BACKOFF, ...options };
  const base = Math.min(o.maxMs, o.initialMs * Math.pow(o.factor, Math.max(0, attempt)));
  return Math.min(o.maxMs, Math.round(base * (1 + o.jitter * random())));
}

/** Emits once, then completes, after `ms` of the clock's time. */
export function clockTimer(clock: Clock, ms: number): Observable<void> {
  return new Observable<void>((subscriber) => {
    const t = clock.setTimeout(() => {
      subscriber.next();
      subscriber.complete();
    }, ms);
    return () => clock.clearTimeout(t);
  });
}

/** What `retryWithBackoff` tells its caller about each failure. */
export interface RetryNotice {
  error: unknown;
  /** Failures in a row so far (1 for the first). */
  attempt: number;
  /** The wait before the next attempt, in ms. */
  delayMs: number;
}

/** Options of `retryWithBackoff`. */
export interface RetryWithBackoffOptions {
  clock: Clock;
  backoff?: BackoffOptions;
  /** Randomness for the jitter; default `Math.random`. */
  random?: () => number;
  /** Called on every failure, before waiting (log and count it here). */
  onRetry?: (notice: RetryNotice) => void;
  /**
   * Errors for which the next attempt starts at once, without waiting, unless the previous
   * failure was immediate too (e.g. a 410 Gone that only needs a relist).
   */
  immediate?: (error: unknown) => boolean;
}

/**
 * Resubscribes to the source after every error, forever, waiting a capped, jittered,
 * exponentially growing delay (on the injected clock) between attempts. Completion passes
 * through. It never gives up: failures are reported through `onRetry`.
 */
export function retryWithBackoff<T>(options: RetryWithBackoffOptions): MonoTypeOperatorFunction<T> {
  const { clock } = options;
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const random = options.random ?? Math.random;
  return (source) =>
    new Observable<T>((subscriber) => {
      let failures = 0;
      let lastWasImmediate = false;
      let timer: ClockTimer | undefined;
      let inner: Subscription | undefined;
      let closed = false;
      const attempt = (): void => {
        timer = undefined;
        if (closed) return;
        const startedAt = clock.now();
        inner = source.subscribe({
          next: (v) => {
            lastWasImmediate = false;
            subscriber.next(v);
          },
          complete: () => subscriber.complete(),
          error: (error: unknown) => {
            if (clock.now() - startedAt >= backoff.resetAfterMs) failures = 0;
            const immediate = !lastWasImmediate && (options.immediate?.(error) ?? false);
            const delayMs = immediate ? 0 : backoffDelay(failures, backoff, random);
            if (!immediate) failures++;
            lastWasImmediate = immediate;
            options.onRetry?.({ error, attempt: Math.max(1, failures), delayMs });
            if (closed) return;
            if (immediate) queueMicrotask(attempt);
            else timer = clock.setTimeout(attempt, delayMs);
          },
        });
      };
      attempt();
      return () => {
        closed = true;
        inner?.unsubscribe();
        if (timer !== undefined) clock.clearTimeout(timer);
      };
    });
}
