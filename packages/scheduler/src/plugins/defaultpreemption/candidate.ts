/**
 * A preemption candidate and how the best one is chosen (kube-scheduler's `Candidate` and
 * `pickOneNodeForPreemption`).
 */
import type { Pod } from '@converge/core';
import { podPriority } from '../../queue/queued-pod-info.js';
import { earliestStartOfHighestPriority } from './pod-importance.js';

/** A node on which the preemptor fits once `victims` are gone. */
export interface PreemptionCandidate {
  /** The node. */
  readonly nodeName: string;
  /** The pods to preempt, most important first. */
  readonly victims: readonly Pod[];
  /** How many victims violate a PodDisruptionBudget. */
  readonly numPdbViolations: number;
}

// Priorities are shifted by 2^31 so that every term of the sum is >= 0: several negative-priority
// victims then never sum below fewer of them.
const PRIORITY_SHIFT = 2 ** 31;

/**
 * Picks the best candidate, narrowing the tie at each step as Kubernetes does:
 * 1. the fewest PDB violations;
 * 2. the lowest priority of its most important victim;
 * 3. the smallest sum of victim priorities;
 * 4. the fewest victims;
 * 5. the latest start among its highest-priority victims (they ran the shortest);
 * 6. the first remaining, in the order given.
 * Undefined when there is no candidate. `now` is the start time of victims that have not started.
 */
export function pickBestCandidate(candidates: readonly PreemptionCandidate[], now: number): PreemptionCandidate | undefined {
  if (candidates.length <= 1) return candidates[0];
  const scores: ((c: PreemptionCandidate) => number)[] = [
    (c) => -c.numPdbViolations,
    (c) => -(c.victims[0] ? podPriority(c.victims[0]) : 0),
    (c) => -c.victims.reduce((sum, v) => sum + podPriority(v) + PRIORITY_SHIFT, 0),
    (c) => -c.victims.length,
    (c) => earliestStartOfHighestPriority(c.victims, now) ?? Number.MIN_SAFE_INTEGER,
  ];
  let remaining = [...candidates];
  for (const score of scores) {
    let best = -Infinity;
    let kept: PreemptionCandidate[] = [];
    for (const c of remaining) {
      const s = score(c);
      if (s > best) {
        best = s;
        kept = [c];
      } else if (s === best) kept.push(c);
    }
    if (kept.length === 1) return kept[0];
    remaining = kept;
  }
  return remaining[0];
}
