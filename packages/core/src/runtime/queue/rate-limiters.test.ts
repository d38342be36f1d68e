import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../util/virtual-clock.js';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialRateLimiter,
  ItemFastSlowRateLimiter,
  MaxOfRateLimiter,
} from './rate-limiters.js';

describe('ItemExponentialRateLimiter', () => {
  it('doubles the delay per failure of an item, up to the cap', () => {
    const l = new ItemExponentialRateLimiter<string>({ baseDelayMs: 1, maxDelayMs: 1000 });
    const delays = Array.from({ length: 12 }, () => l.when('a'));
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000, 1000]);
    expect(l.numRequeues('a')).toBe(12);
  });

  it('backs items off independently and starts over after forget', () => {
    const l = new ItemExponentialRateLimiter<string>();
    expect([l.when('a'), l.when('a'), l.when('b')]).toEqual([5, 10, 5]);
    l.forget('a');
    expect(l.numRequeues('a')).toBe(0);
    expect(l.when('a')).toBe(5);
  });

  it('caps very long failure histories without overflowing', () => {
    const l = new ItemExponentialRateLimiter<string>({ baseDelayMs: 5, maxDelayMs: 1_000_000 });
    let d = 0;
    for (let i = 0; i < 2000; i++) d = l.when('x');
    expect(d).toBe(1_000_000);
  });
});

describe('BucketRateLimiter', () => {
  it('lets a burst through, then spaces calls at qps', () => {
    const clock = new VirtualClock();
    const l = new BucketRateLimiter<string>({ qps: 10, burst: 3, clock });
    expect([l.when('a'), l.when('b'), l.when('c')]).toEqual([0, 0, 0]);
    expect(l.when('d')).toBe(100);
    expect(l.when('e')).toBe(200);
    expect(l.numRequeues('d')).toBe(0);
  });

  it('refills with time but never beyond the burst', async () => {
    const clock = new VirtualClock();
    const l = new BucketRateLimiter<string>({ qps: 10, burst: 2, clock });
    l.when('a');
    l.when('a');
    await clock.advance(100);
    expect(l.when('a')).toBe(0);
    await clock.advance(60_000);
    expect([l.when('a'), l.when('a'), l.when('a')]).toEqual([0, 0, 100]);
  });
});

describe('ItemFastSlowRateLimiter', () => {
  it('uses the fast delay for the first attempts, then the slow one', () => {
    const l = new ItemFastSlowRateLimiter<string>({ fastDelayMs: 10, slowDelayMs: 1000, maxFastAttempts: 2 });
    expect([l.when('a'), l.when('a'), l.when('a'), l.when('b')]).toEqual([10, 10, 1000, 10]);
    expect(l.numRequeues('a')).toBe(3);
    l.forget('a');
    expect(l.when('a')).toBe(10);
  });
});

describe('MaxOfRateLimiter', () => {
  it('returns the longest delay and forgets in every limiter', () => {
    const a = new ItemFastSlowRateLimiter<string>({ fastDelayMs: 50, slowDelayMs: 50, maxFastAttempts: 1 });
    const b = new ItemExponentialRateLimiter<string>({ baseDelayMs: 20, maxDelayMs: 10_000 });
    const l = new MaxOfRateLimiter(a, b);
    expect([l.when('x'), l.when('x'), l.when('x')]).toEqual([50, 50, 80]);
    expect(l.numRequeues('x')).toBe(3);
    l.forget('x');
    expect(a.numRequeues('x')).toBe(0);
    expect(b.numRequeues('x')).toBe(0);
  });
});

describe('defaultControllerRateLimiter', () => {
  it('is per-item exponential from 5 ms to 1000 s, and the 10 qps bucket after a burst of 100', () => {
    const clock = new VirtualClock();
    const l = defaultControllerRateLimiter<string>({ clock });
    expect([l.when('a'), l.when('a'), l.when('a')]).toEqual([5, 10, 20]);
    for (let i = 0; i < 97; i++) l.when(`item-${i}`);
    // the bucket is now empty: the next new item waits for a token although its own back-off is 5 ms
    expect(l.when('fresh')).toBe(100);
    let d = 0;
    for (let i = 0; i < 40; i++) d = l.when('slow');
    expect(d).toBe(1_000_000);
    l.forget('slow');
    expect(l.numRequeues('slow')).toBe(0);
  });
});
