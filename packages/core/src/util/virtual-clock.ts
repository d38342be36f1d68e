import { MinHeap } from '../runtime/queue/min-heap.js';
import type { Clock, ClockTimer } from './clock.js';

/** Options of a VirtualClock. */
export interface VirtualClockOptions {
  /** The starting time in milliseconds since the epoch; default 2024-01-01T00:00:00Z. */
  start?: number;
}

/** Options of `VirtualClock.runAll`. */
export interface RunAllOptions {
  /** Stop with an error after firing this many timers (a periodic timer never runs out); default 10,000. */
  maxTimers?: number;
  /** Do not advance past this many milliseconds from now; default unlimited. */
  maxMs?: number;
}

interface VirtualTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/** The default start of virtual time: 2024-01-01T00:00:00Z. */
export const VIRTUAL_EPOCH = Date.UTC(2024, 0, 1);

/**
 * A Clock whose time moves only when a test says so.
 *
 * Timers fire in due order (ties in the order they were set) when time is advanced with
 * `advance`, `advanceTo`, `runNext` or `runAll`. These are async: after each timer they let
 * pending promise chains settle, so work a timer starts (a reconcile, a store call) can set
 * its own timers, which then fire in the same advance when due. A timer set for 0 ms fires on
 * the next advance (even `advance(0)`), never by itself.
 *
 * ```ts
 * const clock = new VirtualClock();
 * queue.addAfter('a', 5_000);
 * await clock.advance(5_000);   // 'a' is now in the queue
 * ```
 */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private live = 0;
  private readonly timers = new MinHeap<VirtualTimer>((a, b) => a.at < b.at || (a.at === b.at && a.seq < b.seq));
  private waiters: { count: number; resolve: () => void }[] = [];

  /** Makes a clock standing at `options.start`. */
  constructor(options: VirtualClockOptions = {}) {
    this.time = options.start ?? VIRTUAL_EPOCH;
  }

  /** The current virtual time in milliseconds since the epoch. */
  now(): number {
    return this.time;
  }

  /** Schedules `fn` at now + `ms` of virtual time. */
  setTimeout(fn: () => void, ms: number): ClockTimer {
    const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
    const timer: VirtualTimer = { at: this.time + delay, seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    this.live++;
    if (this.waiters.length > 0) this.wakeWaiters();
    return timer as unknown as ClockTimer;
  }

  /** Cancels a timer; cancelling a fired or cancelled timer does nothing. */
  clearTimeout(handle: ClockTimer): void {
    const timer = handle as unknown as VirtualTimer;
    if (timer && !timer.cancelled) {
      timer.cancelled = true;
      this.live--;
    }
  }

  /** The number of timers set and not yet fired or cancelled. */
  pending(): number {
    return this.live;
  }

  /** The due time of the earliest pending timer, or undefined when none is pending. */
  nextTimer(): number | undefined {
    return this.head()?.at;
  }

  /** Resolves once at least `count` timers are pending (at once if they already are). */
  whenPending(count = 1): Promise<void> {
    if (this.live >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Lets pending promise chains run (a few macrotask turns) without moving time. */
  async settle(turns = 3): Promise<void> {
    for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.time + Math.max(0, ms));
  }

  /** Moves time forward to `target` (ms since the epoch), firing due timers in order. */
  async advanceTo(target: number): Promise<void> {
    await this.settle();
    for (;;) {
      const next = this.head();
      if (!next || next.at > target) break;
      this.fire(next);
      await this.settle();
    }
    if (target > this.time) this.time = target;
  }

  /** Jumps to the earliest pending timer and fires it (with any due at the same instant); false if none. */
  async runNext(): Promise<boolean> {
    await this.settle();
    const next = this.head();
    if (!next) return false;
    await this.advanceTo(next.at);
    return true;
  }

  /**
   * Fires timers, jumping from one to the next, until none is pending. Throws when
   * `maxTimers` fire first (something keeps re-arming a timer); stops at `maxMs` from now.
   */
  async runAll(options: RunAllOptions = {}): Promise<void> {
    const maxTimers = options.maxTimers ?? 10_000;
    const limit = options.maxMs === undefined ? Infinity : this.time + options.maxMs;
    let fired = 0;
    await this.settle();
    for (;;) {
      const next = this.head();
      if (!next || next.at > limit) break;
      if (fired++ >= maxTimers) throw new Error(`VirtualClock.runAll: still ${this.live} timers pending after firing ${maxTimers}`);
      this.fire(next);
      await this.settle();
    }
    if (limit !== Infinity && limit > this.time) this.time = limit;
  }

  private head(): VirtualTimer | undefined {
    let t = this.timers.peek();
    while (t && t.cancelled) {
      this.timers.pop();
      t = this.timers.peek();
    }
    return t;
  }

  private fire(timer: VirtualTimer): void {
    this.timers.pop();
    if (timer.at > this.time) this.time = timer.at;
    timer.cancelled = true;
    this.live--;
    timer.fn();
  }

  private wakeWaiters(): void {
    const still: { count: number; resolve: () => void }[] = [];
    for (const w of this.waiters) {
      if (this.live >= w.count) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }
}
