import { VirtualClock } from '@converge/core/runtime';
import { describe, expect, it } from 'vitest';
import { eventually } from './eventually.js';

describe('eventually', () => {
  it('retries on virtual time until the check passes, and returns its value', async () => {
    const clock = new VirtualClock({ start: 0 });
    let ready = false;
    clock.setTimeout(() => (ready = true), 1_250);
    const value = await eventually(
      () => {
        expect(ready).toBe(true);
        return clock.now();
      },
      { clock, intervalMs: 500 },
    );
    expect(value).toBe(1_500);
  });

  it('fails with the last error after the timeout, without waiting on the wall clock', async () => {
    const clock = new VirtualClock({ start: 0 });
    const before = Date.now();
    let attempts = 0;
    const err = await eventually(
      async () => {
        attempts++;
        throw new Error(`not yet (${attempts})`);
      },
      { clock, timeoutMs: 10_000, intervalMs: 1_000 },
    ).catch((e: unknown) => e as Error);
    expect(err.message).toBe('eventually: still failing after 10s of virtual time (11 attempts): not yet (11)');
    expect(clock.now()).toBe(10_000);
    expect(Date.now() - before).toBeLessThan(5_000);
  });

  it('passes at once without moving time when the check already holds', async () => {
    const clock = new VirtualClock({ start: 0 });
    await eventually(() => undefined, { clock });
    expect(clock.now()).toBe(0);
  });
});
