import { describe, expect, it } from 'vitest';
import type { NodeScore } from '../../framework/plugin.js';
import { defaultNormalizeScore } from './normalize-score.js';

const scores = (...values: number[]): NodeScore[] => values.map((score, i) => ({ name: `n${i}`, score }));

describe('defaultNormalizeScore', () => {
  it('scales the highest score to maxPriority with integer division', () => {
    const s = scores(1, 2, 3, 0);
    defaultNormalizeScore({ maxPriority: 100, reverse: false }, s);
    expect(s.map((x) => x.score)).toEqual([33, 66, 100, 0]);
  });

  it('reverses after scaling when asked', () => {
    const s = scores(1, 2, 3, 0);
    defaultNormalizeScore({ maxPriority: 100, reverse: true }, s);
    expect(s.map((x) => x.score)).toEqual([67, 34, 0, 100]);
  });

  it('leaves all-zero scores at 0, or gives all maxPriority when reversed', () => {
    const a = scores(0, 0);
    defaultNormalizeScore({ maxPriority: 100, reverse: false }, a);
    expect(a.map((x) => x.score)).toEqual([0, 0]);
    const b = scores(0, 0);
    defaultNormalizeScore({ maxPriority: 100, reverse: true }, b);
    expect(b.map((x) => x.score)).toEqual([100, 100]);
  });
});
