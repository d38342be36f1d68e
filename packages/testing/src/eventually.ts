import type { VirtualClock } from '@converge/core/runtime';
import { formatMs } from './reconcile-log.js';

/** Options of `eventually`. */
export interface EventuallyOptions {
  /** The virtual clock to advance between attempts (a FakeStore's or test environment's `clock`). */
  clock: VirtualClock;
  /** Give up after this much virtual time; default 30 s. */
  timeoutMs?: number;
  /** Virtual time to advance between attempts; default 100 ms. */
  intervalMs?: number;
}

/**
 * Retries an assertion on virtual time until it passes: runs `check`; if it throws (or
 * rejects), advances the clock by `intervalMs` (firing the timers that fall due and letting
 * the work they start settle) and tries again, until `timeoutMs` of virtual time have
 * passed. Resolves with what `check` returned; rejects with its last error otherwise.
 * No wall-clock time is spent waiting.
 *
 * ```ts
 * await eventually(() => expect(env.store).toHaveObject(ConfigMaps, 'team-a/shared'), { clock: env.clock });
 * ```
 */
export async function eventually<T>(check: () => T | Promise<T>, options: EventuallyOptions): Promise<T> {
  const { clock } = options;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = Math.max(1, options.intervalMs ?? 100);
  const deadline = clock.now() + timeoutMs;
  let attempts = 0;
  for (;;) {
    attempts++;
    try {
      return await check();
    } catch (err) {
      if (clock.now() >= deadline) {
        const message = err instanceof Error ? err.message : String(err);
        const error = new Error(
          `eventually: still failing after ${formatMs(timeoutMs)} of virtual time (${attempts} attempts): ${message}`,
          { cause: err },
        );
        if (err instanceof Error && err.stack) error.stack = `${error.message}\n${err.stack.split('\n').slice(1).join('\n')}`;
        throw error;
      }
      await clock.advance(Math.min(intervalMs, deadline - clock.now()));
    }
  }
}
