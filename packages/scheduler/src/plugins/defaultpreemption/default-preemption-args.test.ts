import { describe, expect, it } from 'vitest';
import { numCandidates, parseDefaultPreemptionArgs } from './default-preemption-args.js';

describe('DefaultPreemption args', () => {
  it('default to 10% and 100 nodes', () => {
    expect(parseDefaultPreemptionArgs(undefined)).toEqual({ minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 });
    expect(parseDefaultPreemptionArgs({ minCandidateNodesAbsolute: 5 })).toEqual({
      minCandidateNodesPercentage: 10,
      minCandidateNodesAbsolute: 5,
    });
  });

  it('reject values out of range, and both zero', () => {
    expect(() => parseDefaultPreemptionArgs({ minCandidateNodesAbsolute: -1 })).toThrow(
      'minCandidateNodesAbsolute: Invalid value: -1: not in valid range [0, inf)',
    );
    expect(() => parseDefaultPreemptionArgs({ minCandidateNodesPercentage: -3 })).toThrow('not in valid range [0, 100]');
    expect(() => parseDefaultPreemptionArgs({ minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 0 })).toThrow(
      'minCandidateNodesAbsolute: Invalid value: 0: cannot be zero at the same time as minCandidateNodesPercentage',
    );
    expect(() => parseDefaultPreemptionArgs({ minCandidateNodesPercentage: 'ten' })).toThrow('invalid DefaultPreemption args');
  });

  it('ask for max(absolute, nodes x percentage / 100) candidates, never more than the nodes', () => {
    const args = { minCandidateNodesPercentage: 10, minCandidateNodesAbsolute: 100 };
    expect(numCandidates(args, 50)).toBe(50);
    expect(numCandidates(args, 5000)).toBe(500);
    expect(numCandidates(args, 1009)).toBe(100);
    expect(numCandidates({ minCandidateNodesPercentage: 0, minCandidateNodesAbsolute: 3 }, 10)).toBe(3);
    expect(numCandidates({ minCandidateNodesPercentage: 25, minCandidateNodesAbsolute: 0 }, 10)).toBe(2);
  });
});
