/** What `slowStartBatch` did: how many calls succeeded, and the first error, if any. */
export interface SlowStartResult {
  /** Calls that resolved. */
  successes: number;
  /** Calls never made because a batch failed. */
  skipped: number;
  /** The first error of the batch that failed. */
  error?: unknown;
}

/**
 * Calls `fn` `count` times in batches that double in size (1, 2, 4, ... from
 * `initialBatchSize`), each batch in parallel, and stops after the first batch in which a
 * call failed, as Kubernetes' controllers create pods: a template that cannot be created
 * (a quota, an admission or validation error) fails one call, not thousands.
 */
export async function slowStartBatch(
  count: number,
  initialBatchSize: number,
  fn: (index: number) => Promise<void>,
): Promise<SlowStartResult> {
  let remaining = count;
  let successes = 0;
  let index = 0;
  for (let size = Math.min(remaining, Math.max(1, initialBatchSize)); size > 0; size = Math.min(2 * size, remaining)) {
    const settled = await Promise.allSettled(Array.from({ length: size }, () => fn(index++)));
    let error: unknown;
    let failed = false;
    for (const s of settled) {
      if (s.status === 'fulfilled') successes++;
      else if (!failed) {
        failed = true;
        error = s.reason;
      }
    }
    remaining -= size;
    if (failed) return { successes, skipped: remaining, error };
  }
  return { successes, skipped: 0 };
}
