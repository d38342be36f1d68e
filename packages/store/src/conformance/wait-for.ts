/**
 * Waiting on the wall clock, for tests that talk to real servers and processes (etcd, an API
 * server over HTTP, `converge up`): the one polling helper of the packages above core and of
 * the end-to-end tests. Never for a controller on virtual time: advance its clock instead
 * (`@converge/testing`'s `eventually`).
 */

/** Options of `waitFor`. */
export interface WaitForOptions {
  /** Give up after this long; default 10 s. */
  timeoutMs?: number;
  /** Wall-clock time between checks; default 10 ms. */
  intervalMs?: number;
}

/**
 * Polls `check` until it returns something other than `undefined`, `null` or `false`, and
 * resolves with that value; rejects with `timed out waiting for <what>` after `timeoutMs`.
 *
 * ```ts
 * await waitFor('the DELETED event', () => events.some((e) => e.type === 'DELETED'));
 * const cm = await waitFor('the cached ConfigMap', () => informer.get('cfg', 'default'));
 * ```
 */
export async function waitFor<T>(what: string, check: () => T | undefined | null | false, options: WaitForOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 10));
  }
}
