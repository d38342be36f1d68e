import { VirtualClock } from '@converge/core/runtime';
import { describe, expect, it } from 'vitest';
import { PodExpectations } from './expectations.js';
import { slowStartBatch } from './slow-start.js';

describe('PodExpectations', () => {
  it('is met for a key nothing was expected of', () => {
    expect(new PodExpectations({ clock: new VirtualClock() }).satisfied('ns/a')).toBe(true);
  });

  it('is met once every creation and deletion has been observed', () => {
    const e = new PodExpectations({ clock: new VirtualClock() });
    e.expectCreations('ns/a', 2);
    e.creationObserved('ns/a');
    expect(e.satisfied('ns/a')).toBe(false);
    e.creationObserved('ns/a');
    e.creationObserved('ns/a'); // an extra observation never goes below zero
    expect(e.satisfied('ns/a')).toBe(true);
    e.expectDeletions('ns/a', ['u1', 'u2']);
    e.deletionObserved('ns/a', 'u1');
    e.deletionObserved('ns/a', 'u1');
    expect(e.pending('ns/a')).toEqual({ adds: 0, deletes: 1 });
    e.deletionObserved('ns/a', 'u2');
    expect(e.satisfied('ns/a')).toBe(true);
  });

  it('gives up after its time-to-live', async () => {
    const clock = new VirtualClock();
    const e = new PodExpectations({ clock, ttlMs: 1000 });
    e.expectCreations('ns/a', 1);
    await clock.advance(999);
    expect(e.satisfied('ns/a')).toBe(false);
    await clock.advance(1);
    expect(e.satisfied('ns/a')).toBe(true);
  });
});

describe('slowStartBatch', () => {
  it('runs batches of 1, 2, 4, ... until the count is reached', async () => {
    // calls of one batch all start before any of them completes: group them by completions seen at their start
    let completed = 0;
    const seenAtStart: number[] = [];
    const result = await slowStartBatch(10, 1, async () => {
      seenAtStart.push(completed);
      await Promise.resolve();
      completed++;
    });
    expect(result).toEqual({ successes: 10, skipped: 0 });
    const sizes = [...new Set(seenAtStart)].map((c) => seenAtStart.filter((x) => x === c).length);
    expect(sizes).toEqual([1, 2, 4, 3]);
  });

  it('stops after the first batch with a failure and says how many calls it skipped', async () => {
    let calls = 0;
    const result = await slowStartBatch(20, 1, async (i) => {
      calls++;
      if (i === 4) throw new Error('no');
    });
    // batches: [0], [1,2], [3,4,5,6] (4 fails) -> 7 calls, 13 skipped
    expect(calls).toBe(7);
    expect(result.successes).toBe(6);
    expect(result.skipped).toBe(13);
    expect((result.error as Error).message).toBe('no');
  });
});
