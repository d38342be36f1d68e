/**
 * How preemption ranks pods (kube-scheduler's `corev1helpers.PodPriority`,
 * `util.MoreImportantPod`, `util.GetPodStartTime`): by priority, then by how long they ran.
 */
import type { Pod } from '@converge/core';
import { podPriority } from '../../queue/queued-pod-info.js';

/**
 * When the pod started, in ms since the epoch: `status.startTime`, or `now` for pods that
 * have not started (assumed or just bound), as Kubernetes counts them.
 */
export function podStartTime(pod: Pod, now: number): number {
  const t = pod.status?.startTime;
  if (!t) return now;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? now : ms;
}

/**
 * True when `a` is more important than `b`: higher priority, or the same priority and an
 * earlier start (a pod that ran longer is kept in preference).
 */
export function moreImportantPod(a: Pod, b: Pod, now: number): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return podStartTime(a, now) < podStartTime(b, now);
}

/**
 * The earliest start time among the highest-priority pods of `victims`
 * (`util.GetEarliestPodStartTime`); undefined when there are none.
 */
export function earliestStartOfHighestPriority(victims: readonly Pod[], now: number): number | undefined {
  const first = victims[0];
  if (!first) return undefined;
  let maxPriority = podPriority(first);
  let earliest = podStartTime(first, now);
  for (const v of victims) {
    const p = podPriority(v);
    if (p === maxPriority) earliest = Math.min(earliest, podStartTime(v, now));
    else if (p > maxPriority) {
      maxPriority = p;
      earliest = podStartTime(v, now);
    }
  }
  return earliest;
}
