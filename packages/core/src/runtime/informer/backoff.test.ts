import { Observable, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../util/virtual-clock.js';
import { backoffDelay, retryWithBackoff, type RetryNotice } from './backoff.js';
import { inactivityTimeout, InactivityTimeoutError } from './inactivity-timeout.js';

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, { jitter: 0 }));
    expect(delays).toEqual([800, 1600, 3200, 6400, 12800, 25600, 30000]);
  });

  it('adds up to the jitter fraction at random and never exceeds the cap', () => {
    expect(backoffDelay(0, { jitter: 0.5 }, () => 0.5)).toBe(1000);
    expect(backoffDelay(0, { jitter: 0.5 }, () => 0.999)).toBeLessThanOrEqual(1200);
    expect(backoffDelay(10, { jitter: 1 }, () => 0.999)).toBe(30000);
  });
});

describe('retryWithBackoff', () => {
  function flaky(clock: VirtualClock, failures: number) {
    let subscriptions = 0;
    const source = new Observable<number>((s) => {
      subscriptions++;
      if (subscriptions <= failures) s.error(new Error(`failure ${subscriptions}`));
      else s.next(subscriptions);
    });
    const notices: RetryNotice[] = [];
    const values: number[] = [];
    source
      .pipe(retryWithBackoff({ clock, backoff: { initialMs: 100, jitter: 0 }, onRetry: (n) => notices.push(n) }))
      .subscribe((v) => values.push(v));
    return { notices, values, subscriptions: () => subscriptions };
  }

  it('resubscribes after each error with growing delays on the clock, and reports every failure', async () => {
    const clock = new VirtualClock();
    const { notices, values, subscriptions } = flaky(clock, 3);
    expect(subscriptions()).toBe(1);
    await clock.advance(99);
    expect(subscriptions()).toBe(1);
    await clock.advance(1);
    expect(subscriptions()).toBe(2);
    await clock.advance(200);
    expect(subscriptions()).toBe(3);
    await clock.advance(400);
    expect(values).toEqual([4]);
    expect(notices.map((n) => [n.attempt, n.delayMs, (n.error as Error).message])).toEqual([
      [1, 100, 'failure 1'],
      [2, 200, 'failure 2'],
      [3, 400, 'failure 3'],
    ]);
  });

  it('retries at once for errors it is told are immediate, but not twice in a row', async () => {
    const clock = new VirtualClock();
    let n = 0;
    const source = new Observable<number>((s) => {
      n++;
      s.error(new Error('gone'));
    });
    const delays: number[] = [];
    const sub = source
      .pipe(retryWithBackoff({ clock, backoff: { jitter: 0 }, immediate: () => true, onRetry: (x) => delays.push(x.delayMs) }))
      .subscribe();
    await clock.settle();
    expect(delays).toEqual([0, 800]);
    sub.unsubscribe();
    await clock.runAll();
    expect(n).toBe(2);
  });

  it('starts growth over after an attempt that ran for the reset period', async () => {
    const clock = new VirtualClock();
    const subject = new Subject<void>();
    const delays: number[] = [];
    let attempts = 0;
    const source = new Observable<void>((s) => {
      attempts++;
      return subject.subscribe({ error: (e) => s.error(e) });
    });
    source
      .pipe(retryWithBackoff({ clock, backoff: { initialMs: 10, jitter: 0, resetAfterMs: 1_000 }, onRetry: (x) => delays.push(x.delayMs) }))
      .subscribe();
    const fail = () => {
      const s = subject.observers.slice();
      for (const o of s) o.error(new Error('x'));
    };
    fail();
    await clock.advance(10);
    fail();
    await clock.advance(20);
    await clock.advance(5_000);
    fail();
    expect(delays).toEqual([10, 20, 10]);
    expect(attempts).toBe(3);
  });
});

describe('inactivityTimeout', () => {
  it('errors when the source is silent for the timeout, counting from the last value', async () => {
    const clock = new VirtualClock();
    const subject = new Subject<number>();
    let error: unknown;
    subject.pipe(inactivityTimeout(clock, 1_000)).subscribe({ error: (e) => (error = e) });
    await clock.advance(900);
    subject.next(1);
    await clock.advance(900);
    expect(error).toBeUndefined();
    await clock.advance(100);
    expect(error).toBeInstanceOf(InactivityTimeoutError);
    expect(subject.observed).toBe(false);
  });
});
