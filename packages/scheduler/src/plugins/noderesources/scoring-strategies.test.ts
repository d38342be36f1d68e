import { describe, expect, it } from 'vitest';
import { isExtendedResourceName } from './fits-request.js';
import {
  balancedResourceScorer,
  brokenLinearFunction,
  leastRequestedScore,
  mostRequestedScore,
  requestedToCapacityRatioScorer,
} from './scoring-strategies.js';

describe('per-resource scores', () => {
  it('leastRequestedScore is (capacity - requested) * 100 / capacity, truncated, 0 over capacity', () => {
    expect(leastRequestedScore(1, 3)).toBe(66);
    expect(leastRequestedScore(0, 3)).toBe(100);
    expect(leastRequestedScore(4, 3)).toBe(0);
    expect(leastRequestedScore(0, 0)).toBe(0);
  });

  it('mostRequestedScore is requested * 100 / capacity, truncated, capped at 100', () => {
    expect(mostRequestedScore(2, 3)).toBe(66);
    expect(mostRequestedScore(4, 3)).toBe(100);
    expect(mostRequestedScore(1, 0)).toBe(0);
  });
});

describe('brokenLinearFunction', () => {
  const f = brokenLinearFunction([
    { utilization: 10, score: 20 },
    { utilization: 40, score: 80 },
    { utilization: 70, score: 50 },
  ]);

  it('is flat before the first point and after the last', () => {
    expect(f(0)).toBe(20);
    expect(f(10)).toBe(20);
    expect(f(100)).toBe(50);
  });

  it('interpolates with integer division truncating toward zero, as Go', () => {
    // 20 + 60 * 15 / 30 = 50
    expect(f(25)).toBe(50);
    // 80 + (-30 * 10) / 30 = 70
    expect(f(50)).toBe(70);
    // 80 + trunc(-30 * 1 / 30) = 79; 80 + trunc(-30 * 2 / 30) = 78; 80 + trunc(-30 * 29 / 30) = 51
    expect(f(41)).toBe(79);
    expect(f(69)).toBe(51);
    const steep = brokenLinearFunction([
      { utilization: 0, score: 100 },
      { utilization: 30, score: 0 },
    ]);
    // 100 + trunc(-100 * 10 / 30) = 100 - 33 (floor would give 66)
    expect(steep(10)).toBe(67);
  });
});

describe('requestedToCapacityRatioScorer', () => {
  it('scales shape scores by 10 and treats no capacity as full utilisation', () => {
    const scorer = requestedToCapacityRatioScorer(
      [
        { name: 'cpu', weight: 1 },
        { name: 'memory', weight: 1 },
      ],
      [
        { utilization: 0, score: 0 },
        { utilization: 100, score: 10 },
      ],
    );
    // utilisations 30 and 61 -> 30 and 61: round(91 / 2) = 46
    expect(scorer([30, 61], [100, 100])).toBe(46);
    // a resource with 0 allocatable is skipped
    expect(scorer([30, 5], [100, 0])).toBe(30);
  });
});

describe('balancedResourceScorer', () => {
  it('is 100 * (1 - std) over the resources with allocatable, truncated', () => {
    expect(balancedResourceScorer([1, 1], [4, 2])).toBe(87);
    expect(balancedResourceScorer([5, 1], [4, 4])).toBe(62);
    expect(balancedResourceScorer([1], [4])).toBe(100);
    expect(balancedResourceScorer([1, 7], [4, 0])).toBe(100);
  });
});

describe('isExtendedResourceName', () => {
  it.each([
    ['example.com/gpu', true],
    ['nvidia.com/gpu', true],
    ['cpu', false],
    ['hugepages-2Mi', false],
    ['kubernetes.io/something', false],
    ['requests.example.com/gpu', false],
  ])('%s -> %s', (name, want) => {
    expect(isExtendedResourceName(name)).toBe(want);
  });
});
