/**
 * A tiny benchmark kit: `benchmark(id, fn)` runs `fn` when its id matches the prefix given to
 * `pnpm run bench`, and `report` prints each figure as `bench: <id> = <number> <unit>`.
 */
import { test } from 'vitest';

const prefix = process.env.BENCH_PREFIX ?? '';

/** Whether any of the ids starts with the requested prefix (or the prefix with any id). */
export function selected(...ids: string[]): boolean {
  return ids.some((id) => id.startsWith(prefix) || prefix.startsWith(id));
}

/** Prints one figure on its own line. */
export function report(id: string, value: number, unit: string): void {
  const v = Number.isInteger(value) ? String(value) : value.toFixed(value >= 100 ? 0 : 3);
  process.stdout.write(`bench: ${id} = ${v} ${unit}\n`);
}

/** Declares a benchmark group producing the figures `ids`; it runs only when selected. */
export function benchmark(ids: string | string[], fn: () => Promise<void> | void): void {
  const list = Array.isArray(ids) ? ids : [ids];
  (selected(...list) ? test : test.skip)(list.join(', '), fn);
}

/** Runs `fn` repeatedly for about `ms` milliseconds; returns operations per second. */
export async function opsPerSecond(fn: (i: number) => unknown, ms = 1000): Promise<number> {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let j = 0; j < 100; j++) await fn(n++);
  }
  return n / ((performance.now() - start) / 1000);
}

/** The p-th percentile (0..100) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
