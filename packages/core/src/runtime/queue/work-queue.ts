import { realClock, type Clock, type ClockTimer } from '../../util/clock.js';
import { MinHeap } from './min-heap.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiters.js';
import { RingBuffer } from './ring-buffer.js';

/**
 * What a work queue reports to a metrics backend (see `RuntimeMetrics.queueMetrics`).
 * Depth, unfinished work and the longest running processor are read on demand through
 * `WorkQueue.len()` and `WorkQueue.inFlight()`, so the hot path only counts and observes.
 */
export interface WorkQueueMetricsSink {
  /** An item became dirty (adds that were deduplicated are not counted). */
  added(): void;
  /** An item was handed to a worker after waiting `seconds` in the queue. */
  queued(seconds: number): void;
  /** A worker called `done` `seconds` after it got the item. */
  worked(seconds: number): void;
  /** A delayed or rate-limited add. */
  retried(): void;
}

/** Options of a WorkQueue. */
export interface WorkQueueOptions<T> {
  /** The name the queue's metrics and logs carry. */
  name?: string;
  /** The clock of delayed adds, rate limiting and metrics; default the wall clock. */
  clock?: Clock;
  /** The limiter of `addRateLimited`; default `defaultControllerRateLimiter` on `clock`. */
  rateLimiter?: RateLimiter<T>;
  /** Where to report metrics; none by default (then no clock reads happen on add/get/done). */
  metrics?: WorkQueueMetricsSink;
}

/** How much work is in progress, for the `unfinished_work` and `longest_running_processor` gauges. */
export interface InFlightWork {
  /** The number of items handed out and not yet done. */
  count: number;
  /** The sum of how long each of them has been processing, in seconds (0 without a metrics sink). */
  unfinishedSeconds: number;
  /** How long the oldest of them has been processing, in seconds (0 without a metrics sink). */
  longestRunningSeconds: number;
}

interface DelayedEntry<T> {
  readonly item: T;
  readonly at: number;
  readonly seq: number;
  /** Superseded by an earlier `addAfter` of the same item; skipped when it reaches the top. */
  stale: boolean;
}

/**
 * A work queue with client-go's guarantees, plus delayed and rate-limited adds.
 *
 * - **Fair**: items are handed out in the order they were added.
 * - **Stingy**: an item added many times before it is processed is processed once.
 * - **Exclusive**: an item is never handed to two workers at once; an item added while it is
 *   being processed is handed out again after `done` (so no change is missed).
 * - **Delayed adds**: `addAfter` adds an item later (the earliest of several delays wins);
 *   `addRateLimited` asks the rate limiter how long; `forget` resets the item's back-off.
 * - **Shutdown**: after `shutDown` adds are ignored and `get` resolves `undefined` once the
 *   queue is empty; `shutDownWithDrain` also waits until every handed-out item is done.
 *
 * Workers loop as `item = queue.tryGet() ?? await queue.get()`, then call `done(item)` when
 * finished (also on failure). `tryGet` hands out an available item without a Promise, which
 * is what keeps a busy queue fast. Items are compared with `===` (SameValueZero), so use
 * strings or other values with identity, such as `namespace/name` keys.
 */
export class WorkQueue<T extends NonNullable<unknown>> {
  /** The name the queue's metrics and logs carry. */
  readonly name: string;
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<T>;
  private readonly metrics: WorkQueueMetricsSink | undefined;

  /**
   * Items ready to be handed out, in order. Invariants: every item in `queue` is in
   * `dirty`; no item is in `queue` twice; no item is in both `queue` and `processing`.
   */
  private readonly queue = new RingBuffer<T>();
  /**
   * Every item that needs processing: the items in `queue`, plus items in `processing` that
   * were added again while being processed (they go back to `queue` on `done`). The value is
   * when the item became dirty (0 without metrics), for queue-duration.
   */
  private readonly dirty = new Map<T, number>();
  /**
   * Items handed out and not yet done, each with the time it was handed out (0 without
   * metrics). An item in `processing` is never in `queue`, so no two workers hold it.
   */
  private readonly processing = new Map<T, number>();
  /** Pending `get` calls, oldest first. Non-empty only while `queue` is empty. */
  private readonly waiters = new RingBuffer<(item: T | undefined) => void>();
  /** The live delayed entry per item: at most one, the earliest. */
  private readonly delayed = new Map<T, DelayedEntry<T>>();
  /** Delayed entries by due time; may also hold stale entries (not in `delayed`). */
  private readonly delayHeap = new MinHeap<DelayedEntry<T>>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  private delaySeq = 0;
  /** The one clock timer, set for the earliest delayed entry. */
  private delayTimer: ClockTimer | undefined;
  private delayTimerAt = Infinity;
  private shuttingDown = false;
  private draining = false;
  private drainWaiters: (() => void)[] = [];

  /** Makes an empty queue. */
  constructor(options: WorkQueueOptions<T> = {}) {
    this.name = options.name ?? '';
    this.clock = options.clock ?? realClock;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<T>({ clock: this.clock });
    this.metrics = options.metrics;
  }

  /** Marks `item` as needing processing. Ignored after shutdown or when it is already pending. */
  add(item: T): void {
    if (this.shuttingDown || this.dirty.has(item)) return;
    if (this.metrics) {
      this.dirty.set(item, this.clock.now());
      this.metrics.added();
    } else {
      this.dirty.set(item, 0);
    }
    if (this.processing.has(item)) return; // handed out again by `done`
    if (this.waiters.length > 0) this.handOut(item, this.waiters.shift()!);
    else this.queue.push(item);
  }

  /** Adds `item` after `ms` milliseconds of the queue's clock (at once when `ms` ≤ 0). */
  addAfter(item: T, ms: number): void {
    if (this.shuttingDown) return;
    this.metrics?.retried();
    if (!(ms > 0)) {
      this.add(item);
      return;
    }
    const at = this.clock.now() + ms;
    const existing = this.delayed.get(item);
    if (existing) {
      if (existing.at <= at) return;
      existing.stale = true;
    }
    const entry: DelayedEntry<T> = { item, at, seq: this.delaySeq++, stale: false };
    this.delayed.set(item, entry);
    this.delayHeap.push(entry);
    if (at < this.delayTimerAt) this.armDelayTimer();
  }

  /** Adds `item` after the delay the rate limiter gives for its next retry. */
  addRateLimited(item: T): void {
    if (this.shuttingDown) return;
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** Resets the rate limiter's history of `item` (call after it was processed successfully). */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  /** How many times `item` was rate-limited since it was last forgotten. */
  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }

  /**
   * Hands out the next item without waiting, or returns `undefined` when none is ready
   * (whether or not the queue is shut down). The caller must call `done(item)`.
   */
  tryGet(): T | undefined {
    const item = this.queue.shift();
    if (item === undefined) return undefined;
    this.processing.set(item, this.metrics ? this.started(item) : 0);
    this.dirty.delete(item);
    return item;
  }

  /**
   * Resolves with the next item as soon as one is ready, or with `undefined` once the queue
   * is shut down and empty. The caller must call `done(item)`.
   */
  get(): Promise<T | undefined> {
    const item = this.tryGet();
    if (item !== undefined) return Promise.resolve(item);
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `item` as processed; if it was added again meanwhile, it goes back in the queue. */
  done(item: T): void {
    const start = this.processing.get(item);
    if (start === undefined) return;
    this.processing.delete(item);
    if (this.metrics) this.metrics.worked((this.clock.now() - start) / 1000);
    if (this.dirty.has(item)) {
      if (this.waiters.length > 0) this.handOut(item, this.waiters.shift()!);
      else this.queue.push(item);
    } else if (this.draining && this.processing.size === 0) {
      this.resolveDrain();
    }
  }

  /** The number of items ready to be handed out (not counting delayed or in-process ones). */
  len(): number {
    return this.queue.length;
  }

  /** The number of items waiting for their delay (from `addAfter` / `addRateLimited`). */
  delayedLen(): number {
    return this.delayed.size;
  }

  /** The due time of the earliest delayed item, or undefined when none is delayed. */
  nextDelayedAt(): number | undefined {
    return this.liveDelayHead()?.at;
  }

  /** True when nothing is queued, delayed or being processed. */
  isIdle(): boolean {
    return this.queue.length === 0 && this.processing.size === 0 && this.delayed.size === 0;
  }

  /** The items handed out and not yet done, with their timings. */
  inFlight(): InFlightWork {
    const now = this.metrics ? this.clock.now() : 0;
    let total = 0;
    let longest = 0;
    if (this.metrics) {
      for (const start of this.processing.values()) {
        const d = (now - start) / 1000;
        total += d;
        if (d > longest) longest = d;
      }
    }
    return { count: this.processing.size, unfinishedSeconds: total, longestRunningSeconds: longest };
  }

  /** True once `shutDown` or `shutDownWithDrain` was called. */
  isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  /**
   * Stops the queue: later adds are ignored, delayed items are dropped, and pending and
   * later `get` calls resolve `undefined` once the items already queued have been handed out.
   */
  shutDown(): void {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    if (this.delayTimer !== undefined) this.clock.clearTimeout(this.delayTimer);
    this.delayTimer = undefined;
    this.delayTimerAt = Infinity;
    this.delayed.clear();
    this.delayHeap.clear();
    while (this.waiters.length > 0) this.waiters.shift()!(undefined);
  }

  /**
   * Shuts down like `shutDown`, then resolves once every handed-out item is done. Workers
   * keep getting the items still queued, so the queue drains; bound the wait with a timeout
   * of your own if a worker may hang.
   */
  shutDownWithDrain(): Promise<void> {
    this.draining = true;
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private handOut(item: T, waiter: (item: T | undefined) => void): void {
    this.processing.set(item, this.metrics ? this.started(item) : 0);
    this.dirty.delete(item);
    waiter(item);
  }

  /** Records queue-duration for a dirty item leaving the queue and returns the processing start. */
  private started(item: T): number {
    const now = this.clock.now();
    this.metrics!.queued((now - this.dirty.get(item)!) / 1000);
    return now;
  }

  private resolveDrain(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  private liveDelayHead(): DelayedEntry<T> | undefined {
    let e = this.delayHeap.peek();
    while (e && e.stale) {
      this.delayHeap.pop();
      e = this.delayHeap.peek();
    }
    return e;
  }

  private armDelayTimer(): void {
    if (this.delayTimer !== undefined) this.clock.clearTimeout(this.delayTimer);
    this.delayTimer = undefined;
    this.delayTimerAt = Infinity;
    const head = this.liveDelayHead();
    if (!head || this.shuttingDown) return;
    this.delayTimerAt = head.at;
    this.delayTimer = this.clock.setTimeout(() => this.onDelayTimer(), Math.max(0, head.at - this.clock.now()));
  }

  private onDelayTimer(): void {
    this.delayTimer = undefined;
    this.delayTimerAt = Infinity;
    const now = this.clock.now();
    for (let e = this.liveDelayHead(); e && e.at <= now; e = this.liveDelayHead()) {
      this.delayHeap.pop();
      this.delayed.delete(e.item);
      this.add(e.item);
    }
    this.armDelayTimer();
  }
}
