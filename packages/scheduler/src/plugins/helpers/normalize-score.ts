/**
 * kube-scheduler's `helper.DefaultNormalizeScore`: scales raw scores so that the highest
 * becomes `maxPriority`, optionally reversed (the highest raw score gets 0).
 */
import type { NodeScore } from '../../framework/plugin.js';

/** Options of `defaultNormalizeScore`. */
export interface NormalizeScoreOptions {
  /** The score the highest raw score maps to (MAX_NODE_SCORE). */
  readonly maxPriority: number;
  /** Give `maxPriority - scaled` instead of `scaled` (fewer is better). */
  readonly reverse: boolean;
}

/**
 * Scales `scores` in place: each becomes `trunc(maxPriority * score / max)` (integer
 * division, as Go's int64), reversed when asked. When every raw score is 0 they all stay 0,
 * or all become `maxPriority` when reversed.
 */
export function defaultNormalizeScore(options: NormalizeScoreOptions, scores: NodeScore[]): void {
  const { maxPriority, reverse } = options;
  let max = 0;
  for (const s of scores) if (s.score > max) max = s.score;
  if (max === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return;
  }
  for (const s of scores) {
    let score = Math.trunc((maxPriority * s.score) / max);
    if (reverse) score = maxPriority - score;
    s.score = score;
  }
}
