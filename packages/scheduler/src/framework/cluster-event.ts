/**
 * Cluster events that can make an unschedulable pod schedulable, as kube-scheduler's
 * ClusterEvent and QueueingHint: each plugin says which events could change its verdict,
 * and the scheduling queue moves a pod rejected by that plugin back to the active queue
 * only when one of them happens.
 */
import type { Pod } from '@converge/core';

/** What happened to an object, as bit flags (combine with `|`). */
export const ActionType = {
  /** The object was created. */
  Add: 1,
  /** The object was deleted. */
  Delete: 2,
  /** A node's allocatable changed. */
  UpdateNodeAllocatable: 4,
  /** A node's labels changed. */
  UpdateNodeLabel: 8,
  /** A node's taints changed. */
  UpdateNodeTaint: 16,
  /** A node's conditions changed. */
  UpdateNodeCondition: 32,
  /** A node's annotations changed. */
  UpdateNodeAnnotation: 64,
  /** A node's `spec.unschedulable` changed. */
  UpdateNodeUnschedulable: 128,
  /** A pod's labels changed. */
  UpdatePodLabel: 256,
  /** A pod's requests went down (in-place resize). */
  UpdatePodScaleDown: 512,
  /** A pod's tolerations changed. */
  UpdatePodTolerations: 1024,
  /** A pod's last scheduling gate was removed. */
  UpdatePodSchedulingGatesEliminated: 2048,
  /** Any other update. */
  UpdateOther: 4096,
  /** Any update. */
  Update: 4 | 8 | 16 | 32 | 64 | 128 | 256 | 512 | 1024 | 2048 | 4096,
  /** Anything. */
  All: 1 | 2 | 4 | 8 | 16 | 32 | 64 | 128 | 256 | 512 | 1024 | 2048 | 4096,
} as const;

/** A combination of `ActionType` flags. */
export type ActionTypeFlags = number;

/** The kinds of object whose events the scheduler follows (`*` matches any). */
export type EventResource =
  'Pod' | 'AssignedPod' | 'UnscheduledPod' | 'Node' | 'PersistentVolume' | 'PersistentVolumeClaim' | 'StorageClass' | '*';

/** An event kind: a resource and the actions on it. */
export interface ClusterEvent {
  /** The kind of object. */
  readonly resource: EventResource;
  /** The actions, as `ActionType` flags. */
  readonly actionType: ActionTypeFlags;
  /** A name for logs and metrics, e.g. `NodeAdd`. */
  readonly label?: string;
}

/** A hint's answer: re-queue the pod, or leave it where it is. */
export type QueueingHint = 'Queue' | 'Skip';

/**
 * Decides whether an event makes a pod this plugin rejected worth retrying.
 * `oldObj` is undefined for an add, `newObj` for a delete.
 */
export type QueueingHintFn = (pod: Pod, oldObj: unknown, newObj: unknown) => QueueingHint;

/** An event a plugin registers, with an optional hint (without one, every such event re-queues). */
export interface ClusterEventWithHint {
  /** The event. */
  readonly event: ClusterEvent;
  /** The hint. */
  readonly hint?: QueueingHintFn;
}

/** True when the event `happened` is one that `registered` asks for. */
export function eventMatches(registered: ClusterEvent, happened: ClusterEvent): boolean {
  if ((registered.actionType & happened.actionType) === 0) return false;
  if (registered.resource === '*' || registered.resource === happened.resource) return true;
  // A registration for any pod covers assigned and unscheduled pods.
  return registered.resource === 'Pod' && (happened.resource === 'AssignedPod' || happened.resource === 'UnscheduledPod');
}
