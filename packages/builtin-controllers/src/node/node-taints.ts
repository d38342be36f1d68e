/**
 * The taints the node controllers put on nodes, and how a pod's tolerations match a taint
 * (Kubernetes' `Toleration.ToleratesTaint`).
 */
import type { Node, Pod, Toleration } from '@converge/core';

/** A taint of a node, as `spec.taints` holds it. */
export type NodeTaint = NonNullable<NonNullable<Node['spec']>['taints']>[number];

/** The taint of a node whose kubelet reports Ready=False. */
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
/** The taint of a node whose kubelet stopped posting status (Ready=Unknown). */
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** The taint of a cordoned node (`spec.unschedulable: true`). */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
/** The taint of a node reporting MemoryPressure=True. */
export const TAINT_NODE_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
/** The taint of a node reporting DiskPressure=True. */
export const TAINT_NODE_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
/** The taint of a node reporting PIDPressure=True. */
export const TAINT_NODE_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
/** The taint of a node reporting NetworkUnavailable=True. */
export const TAINT_NODE_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

/**
 * The NoSchedule taint each node condition maps to, by condition type and status, as the
 * node lifecycle controller's tainting pass maps them (Kubernetes' `nodeConditionToTaintKeyStatusMap`).
 */
export const CONDITION_TAINTS: readonly { type: string; status: string; key: string }[] = [
  { type: 'Ready', status: 'False', key: TAINT_NODE_NOT_READY },
  { type: 'Ready', status: 'Unknown', key: TAINT_NODE_UNREACHABLE },
  { type: 'MemoryPressure', status: 'True', key: TAINT_NODE_MEMORY_PRESSURE },
  { type: 'DiskPressure', status: 'True', key: TAINT_NODE_DISK_PRESSURE },
  { type: 'NetworkUnavailable', status: 'True', key: TAINT_NODE_NETWORK_UNAVAILABLE },
  { type: 'PIDPressure', status: 'True', key: TAINT_NODE_PID_PRESSURE },
];

/** The NoSchedule taint keys the node lifecycle controller owns: it adds and removes only these. */
export const CONTROLLER_NO_SCHEDULE_KEYS: ReadonlySet<string> = new Set([...CONDITION_TAINTS.map((c) => c.key), TAINT_NODE_UNSCHEDULABLE]);

/** Whether a taint has the given key and effect (Kubernetes' `Taint.MatchTaint`: the value is not compared). */
export function sameTaint(a: NodeTaint, b: { key: string; effect: string }): boolean {
  return a.key === b.key && a.effect === b.effect;
}

/**
 * Whether a toleration tolerates a taint, as Kubernetes decides: the effect must match
 * unless the toleration's is empty, the key must match unless the toleration's is empty
 * (which needs operator `Exists`), and with operator `Exists` any value matches, while
 * `Equal` (the default) needs the same value.
 */
export function toleratesTaint(toleration: Toleration, taint: NodeTaint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (toleration.operator === 'Exists') return true;
  if (!toleration.key) return false; // an empty key only goes with Exists
  return (toleration.value ?? '') === (taint.value ?? '');
}

/** The first of the pod's tolerations that tolerates the taint, or undefined when none does. */
export function matchingToleration(pod: Pod, taint: NodeTaint): Toleration | undefined {
  return (pod.spec?.tolerations ?? []).find((t) => toleratesTaint(t, taint));
}

/** The node's taints with the given effect. */
export function taintsWithEffect(node: Node, effect: string): NodeTaint[] {
  return (node.spec?.taints ?? []).filter((t) => t.effect === effect);
}
