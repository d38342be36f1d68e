import { realClock, type Clock } from '../../util/clock.js';

/**
 * Decides how long an item waits before it is retried.
 *
 * A work queue asks `when(item)` on every rate-limited add; `forget(item)` is called when
 * the item was processed successfully, so its next failure starts over from the shortest delay.
 */
export interface RateLimiter<T> {
  /** Records one more retry of `item` and returns how many milliseconds it should wait. */
  when(item: T): number;
  /** Stops tracking `item`: its failure history is reset. */
  forget(item: T): void;
  /** How many times `item` has been retried since it was last forgotten. */
  numRequeues(item: T): number;
}

/** Options of the per-item exponential limiter. */
export interface ExponentialRateLimiterOptions {
  /** The delay after the first failure, in ms; default 5. */
  baseDelayMs?: number;
  /** The cap on the delay, in ms; default 1,000,000 (1000 s). */
  maxDelayMs?: number;
}

/**
 * Per-item exponential back-off: the n-th retry of an item (counting from 0) waits
 * `baseDelayMs * 2^n`, capped at `maxDelayMs`. Items back off independently.
 */
export class ItemExponentialRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  /** Makes a limiter with the given base and cap (defaults 5 ms and 1000 s). */
  constructor(options: ExponentialRateLimiterOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 5;
    this.maxDelayMs = options.maxDelayMs ?? 1_000_000;
  }

  when(item: T): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    if (n >= 64) return this.maxDelayMs;
    const delay = this.baseDelayMs * 2 ** n;
    return delay > this.maxDelayMs ? this.maxDelayMs : delay;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/** Options of the token bucket limiter. */
export interface BucketRateLimiterOptions {
  /** Tokens added per second; default 10. */
  qps?: number;
  /** The bucket size, i.e. how many retries may happen at once; default 100. */
  burst?: number;
  /** The clock the bucket refills by; default the wall clock. */
  clock?: Clock;
}

/**
 * An overall token bucket shared by all items: up to `burst` retries pass at once, then
 * `qps` per second. Each call reserves a token, so a caller that is told to wait has
 * already been counted, as with Go's `rate.Limiter.Reserve`. Tracks no items.
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;

  /** Makes a full bucket (defaults 10 qps, burst 100, wall clock). */
  constructor(options: BucketRateLimiterOptions = {}) {
    this.qps = options.qps ?? 10;
    this.burst = options.burst ?? 100;
    this.clock = options.clock ?? realClock;
    this.tokens = this.burst;
    this.last = this.clock.now();
  }

  when(_item: T): number {
    const now = this.clock.now();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.qps) / 1000);
      this.last = now;
    }
    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    return Math.ceil((-this.tokens / this.qps) * 1000);
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** Options of the fast-slow limiter. */
export interface FastSlowRateLimiterOptions {
  /** The delay of the first `maxFastAttempts` retries, in ms. */
  fastDelayMs: number;
  /** The delay of every later retry, in ms. */
  slowDelayMs: number;
  /** How many retries of an item use the fast delay. */
  maxFastAttempts: number;
}

/** Retries an item quickly a few times, then slowly: a fixed two-step back-off per item. */
export class ItemFastSlowRateLimiter<T> implements RateLimiter<T> {
  private readonly attempts = new Map<T, number>();

  /** Makes a limiter with the given delays and fast-attempt count. */
  constructor(private readonly options: FastSlowRateLimiterOptions) {}

  when(item: T): number {
    const n = (this.attempts.get(item) ?? 0) + 1;
    this.attempts.set(item, n);
    return n <= this.options.maxFastAttempts ? this.options.fastDelayMs : this.options.slowDelayMs;
  }

  forget(item: T): void {
    this.attempts.delete(item);
  }

  numRequeues(item: T): number {
    return this.attempts.get(item) ?? 0;
  }
}

/**
 * Combines limiters: the delay is the longest any of them asks for. Every limiter sees
 * every call, so each keeps its own accounting; `forget` forgets in all of them.
 */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: readonly RateLimiter<T>[];

  /** Makes a limiter from one or more limiters. */
  constructor(...limiters: RateLimiter<T>[]) {
    if (limiters.length === 0) throw new Error('MaxOfRateLimiter needs at least one limiter');
    this.limiters = limiters;
  }

  when(item: T): number {
    let max = 0;
    for (const l of this.limiters) {
      const d = l.when(item);
      if (d > max) max = d;
    }
    return max;
  }

  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.numRequeues(item));
    return max;
  }
}

/** Options of `defaultControllerRateLimiter`. */
export interface DefaultRateLimiterOptions {
  /** The clock of the token bucket; default the wall clock. */
  clock?: Clock;
}

/**
 * The rate limiter controllers use unless told otherwise, as in client-go:
 * max(per-item exponential 5 ms → 1000 s, token bucket 10 qps / burst 100).
 * A success (`forget`) resets the item's back-off.
 */
export function defaultControllerRateLimiter<T>(options: DefaultRateLimiterOptions = {}): RateLimiter<T> {
  const bucket: BucketRateLimiterOptions = { qps: 10, burst: 100 };
  if (options.clock) bucket.clock = options.clock;
  return new MaxOfRateLimiter<T>(
    new ItemExponentialRateLimiter<T>({ baseDelayMs: 5, maxDelayMs: 1_000_000 }),
    new BucketRateLimiter<T>(bucket),
  );
}
