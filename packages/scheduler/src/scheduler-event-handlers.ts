/**
 * What the scheduler does with Pod and Node events from the shared informers (kube-scheduler's
 * eventhandlers.go): bound pods go to the cache, pending pods of its profiles to the queue, and
 * every change that may let an unschedulable pod fit is passed to the queue as a ClusterEvent.
 */
import type { InformerEvent, Node, Pod } from '@converge/core';
import type { SchedulerCache } from './cache/scheduler-cache.js';
import { ActionType, type ClusterEvent } from './framework/cluster-event.js';
import type { SchedulingQueue } from './queue/scheduling-queue.js';

/** A bound pod appeared. */
export const ASSIGNED_POD_ADD: ClusterEvent = { resource: 'AssignedPod', actionType: ActionType.Add, label: 'AssignedPodAdd' };
/** A bound pod went away (deleted or terminated), or an assumed pod was forgotten. */
export const ASSIGNED_POD_DELETE: ClusterEvent = { resource: 'AssignedPod', actionType: ActionType.Delete, label: 'AssignedPodDelete' };
/** A node appeared. */
export const NODE_ADD: ClusterEvent = { resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' };
/** A node went away. */
export const NODE_DELETE: ClusterEvent = { resource: 'Node', actionType: ActionType.Delete, label: 'NodeDelete' };

/** What the handlers act on. */
export interface EventHandlerTargets {
  /** The scheduler cache. */
  readonly cache: SchedulerCache;
  /** The scheduling queue. */
  readonly queue: SchedulingQueue;
  /** True when one of the scheduler's profiles schedules the pod (by `spec.schedulerName`). */
  responsible(pod: Pod): boolean;
  /** A pending pod was deleted (to reject it if it waits at Permit). */
  pendingPodDeleted(pod: Pod): void;
}

/** True when the pod is bound to a node. */
export function isAssigned(pod: Pod): boolean {
  return !!pod.spec?.nodeName;
}

/** True when the pod has finished (Succeeded or Failed): it no longer uses its node. */
export function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Handles one Pod informer event. */
export function handlePodEvent(t: EventHandlerTargets, e: InformerEvent<Pod>): void {
  const pod = e.object;
  if (e.type === 'delete') {
    if (isAssigned(pod)) {
      t.cache.removePod(pod);
      t.queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE, pod, undefined);
    } else {
      t.queue.delete(pod);
      t.pendingPodDeleted(pod);
    }
    return;
  }
  const old = e.type === 'update' ? e.old : undefined;
  if (isAssigned(pod)) {
    if (old && !isAssigned(old)) t.queue.delete(pod);
    if (isTerminal(pod)) {
      if (t.cache.nodeOfPod(pod) !== undefined) {
        t.cache.removePod(pod);
        t.queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_DELETE, pod, undefined);
      }
      return;
    }
    const known = t.cache.nodeOfPod(pod) !== undefined && !t.cache.isAssumed(pod);
    t.cache.addPod(pod);
    if (!old || !known) t.queue.moveAllToActiveOrBackoffQueue(ASSIGNED_POD_ADD, undefined, pod);
    else t.queue.moveAllToActiveOrBackoffQueue({ resource: 'AssignedPod', actionType: assignedPodUpdateAction(old, pod) }, old, pod);
    return;
  }
  if (!t.responsible(pod)) return;
  if (pod.metadata.deletionTimestamp || (pod.spec?.schedulingGates?.length ?? 0) > 0) {
    t.queue.delete(pod);
    return;
  }
  if (old) t.queue.update(old, pod);
  else t.queue.add(pod);
}

/** Handles one Node informer event. */
export function handleNodeEvent(t: EventHandlerTargets, e: InformerEvent<Node>): void {
  const node = e.object;
  if (e.type === 'add') {
    t.cache.addNode(node);
    t.queue.moveAllToActiveOrBackoffQueue(NODE_ADD, undefined, node);
  } else if (e.type === 'update') {
    t.cache.updateNode(e.old, node);
    const flags = nodeUpdateAction(e.old, node);
    if (flags !== 0) t.queue.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: flags }, e.old, node);
  } else {
    t.cache.removeNode(node);
    t.queue.moveAllToActiveOrBackoffQueue(NODE_DELETE, node, undefined);
  }
}

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The ActionType flags of a node update; 0 when nothing the scheduler looks at changed (e.g. a heartbeat). */
export function nodeUpdateAction(old: Node, node: Node): number {
  let flags = 0;
  if (!same(old.status?.allocatable, node.status?.allocatable)) flags |= ActionType.UpdateNodeAllocatable;
  if (!same(old.metadata.labels, node.metadata.labels)) flags |= ActionType.UpdateNodeLabel;
  if (!same(old.spec?.taints, node.spec?.taints)) flags |= ActionType.UpdateNodeTaint;
  const conditions = (n: Node) => (n.status?.conditions ?? []).map((c) => `${c.type}=${c.status}`).join(',');
  if (conditions(old) !== conditions(node)) flags |= ActionType.UpdateNodeCondition;
  if (!same(old.metadata.annotations, node.metadata.annotations)) flags |= ActionType.UpdateNodeAnnotation;
  if (!!old.spec?.unschedulable !== !!node.spec?.unschedulable) flags |= ActionType.UpdateNodeUnschedulable;
  return flags;
}

/** The ActionType flags of a bound pod's update: labels, a request scale-down, or other. */
export function assignedPodUpdateAction(old: Pod, pod: Pod): number {
  let flags = 0;
  if (!same(old.metadata.labels, pod.metadata.labels)) flags |= ActionType.UpdatePodLabel;
  const requests = (p: Pod) => (p.spec?.containers ?? []).map((c) => c.resources?.requests);
  if (!same(requests(old), requests(pod))) flags |= ActionType.UpdatePodScaleDown;
  return flags === 0 ? ActionType.UpdateOther : flags;
}
