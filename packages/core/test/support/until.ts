/**
 * Waiting helpers for core's own tests (core sits below every other package, so it cannot use
 * `@converge/testing`'s `eventually` or the store's `waitFor`).
 */
import type { VirtualClock } from '../../src/util/virtual-clock.js';

/**
 * Settles a virtual clock one turn at a time (timers due now fire, promise chains run, no
 * virtual time passes) until `cond` holds; fails after `maxTurns` turns. No wall-clock time
 * is spent: this is how a test waits for a controller running on virtual time.
 */
export async function settleUntil(clock: VirtualClock, cond: () => boolean, what = 'condition', maxTurns = 300): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (cond()) return;
    await clock.settle(1);
  }
  if (!cond()) throw new Error(`timed out waiting for ${what} (${maxTurns} turns of the virtual clock)`);
}

/**
 * Polls `check` on the wall clock until it holds, failing after `timeoutMs` (default 10 s).
 * Only for waiting on a real server over real sockets, never for a controller on virtual time.
 */
export async function waitFor(
  what: string,
  check: () => boolean,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 5));
  }
}
