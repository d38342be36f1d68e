import type { Pod } from '@converge/core';
import { isPodReady, podReadySince, podRestarts } from './pod-status.js';

/** The annotation by which users say how costly deleting a pod is: lower costs go first (Kubernetes' `pod-deletion-cost`). */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: Pod): number {
  const raw = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (raw === undefined) return 0;
  const n = Number(raw);
  return Number.isInteger(n) ? n : 0;
}

function timeOf(ts: string | undefined): number | undefined {
  if (!ts) return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
}

/** Orders two optional times newest first, a missing time before any time. */
function newerFirst(a: number | undefined, b: number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return b - a;
}

/**
 * Compares two pods for deletion the way Kubernetes' ReplicaSet controller ranks them;
 * negative when `a` should be deleted before `b`:
 *
 * 1. not assigned to a node before assigned;
 * 2. Pending before Unknown before Running;
 * 3. not ready before ready;
 * 4. lower `controller.kubernetes.io/pod-deletion-cost` before higher;
 * 5. more related pods on the same node (`rank`) before fewer;
 * 6. both ready: ready for a shorter time before longer;
 * 7. more container restarts before fewer;
 * 8. created more recently before older (no creation time first).
 *
 * Ties end in name order so the choice is deterministic.
 */
export function compareForDeletion(a: Pod, b: Pod, rank: (pod: Pod) => number = () => 0): number {
  const assignedA = a.spec?.nodeName ? 1 : 0;
  const assignedB = b.spec?.nodeName ? 1 : 0;
  if (assignedA !== assignedB) return assignedA - assignedB;
  const phaseA = PHASE_ORDER[a.status?.phase ?? 'Pending'] ?? 0;
  const phaseB = PHASE_ORDER[b.status?.phase ?? 'Pending'] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  const readyA = isPodReady(a) ? 1 : 0;
  const readyB = isPodReady(b) ? 1 : 0;
  if (readyA !== readyB) return readyA - readyB;
  const costA = deletionCost(a);
  const costB = deletionCost(b);
  if (costA !== costB) return costA - costB;
  const rankA = rank(a);
  const rankB = rank(b);
  if (rankA !== rankB) return rankB - rankA;
  if (readyA && readyB) {
    const byReady = newerFirst(podReadySince(a), podReadySince(b));
    if (byReady !== 0) return byReady;
  }
  const restartsA = podRestarts(a);
  const restartsB = podRestarts(b);
  if (restartsA !== restartsB) return restartsB - restartsA;
  const byAge = newerFirst(timeOf(a.metadata.creationTimestamp), timeOf(b.metadata.creationTimestamp));
  if (byAge !== 0) return byAge;
  const nameA = a.metadata.name ?? '';
  const nameB = b.metadata.name ?? '';
  return nameA < nameB ? -1 : nameA > nameB ? 1 : 0;
}

/**
 * Picks the `count` pods to delete from `pods`, best candidates first (see `compareForDeletion`).
 * The rank of a pod is the number of `related` pods (e.g. every active pod of the same
 * Deployment) on its node, so scaling down spreads pods out again.
 */
export function podsToDelete(pods: readonly Pod[], count: number, related: readonly Pod[] = pods): Pod[] {
  if (count <= 0) return [];
  const perNode = new Map<string, number>();
  for (const p of related) {
    const node = p.spec?.nodeName;
    if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const rank = (p: Pod) => (p.spec?.nodeName ? (perNode.get(p.spec.nodeName) ?? 0) : 0);
  return [...pods].sort((a, b) => compareForDeletion(a, b, rank)).slice(0, count);
}
