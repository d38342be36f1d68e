import { describe, expect, it } from 'vitest';
import { pickBestCandidate, type PreemptionCandidate } from './candidate.js';
import { testPod } from './default-preemption.fixture.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');

function victim(priority: number, startTime?: string) {
  return testPod({ name: `v${priority}`, priority, ...(startTime ? { startTime } : {}) });
}

function candidate(nodeName: string, victims: ReturnType<typeof victim>[], numPdbViolations = 0): PreemptionCandidate {
  return { nodeName, victims, numPdbViolations };
}

describe('pickBestCandidate', () => {
  const table: { name: string; candidates: PreemptionCandidate[]; best: string }[] = [
    {
      name: 'the fewest PDB violations wins over lower priorities',
      candidates: [candidate('a', [victim(1)], 1), candidate('b', [victim(50)], 0)],
      best: 'b',
    },
    {
      name: 'then the lowest highest-victim priority',
      candidates: [candidate('a', [victim(20), victim(1)]), candidate('b', [victim(10), victim(10)])],
      best: 'b',
    },
    {
      name: 'then the smallest sum of priorities',
      candidates: [candidate('a', [victim(10), victim(5)]), candidate('b', [victim(10), victim(1)])],
      best: 'b',
    },
    {
      name: 'then the fewest victims (negative priorities are shifted so fewer still sums less)',
      candidates: [candidate('a', [victim(-5), victim(-5)]), candidate('b', [victim(-5)])],
      best: 'b',
    },
    {
      name: 'then the latest start of the highest-priority victims',
      candidates: [
        candidate('a', [victim(10, '2026-05-01T00:00:00Z')]),
        candidate('b', [victim(10, '2026-05-20T00:00:00Z')]),
        candidate('c', [victim(10, '2026-04-01T00:00:00Z')]),
      ],
      best: 'b',
    },
    {
      name: 'a victim that has not started counts as starting now',
      candidates: [candidate('a', [victim(10, '2026-05-31T00:00:00Z')]), candidate('b', [victim(10)])],
      best: 'b',
    },
    {
      name: 'then the first in order',
      candidates: [candidate('a', [victim(10)]), candidate('b', [victim(10)])],
      best: 'a',
    },
  ];
  for (const t of table) {
    it(t.name, () => {
      expect(pickBestCandidate(t.candidates, NOW)?.nodeName).toBe(t.best);
    });
  }

  it('returns undefined without candidates and the only one when alone', () => {
    expect(pickBestCandidate([], NOW)).toBeUndefined();
    expect(pickBestCandidate([candidate('x', [victim(1)], 3)], NOW)?.nodeName).toBe('x');
  });
});
