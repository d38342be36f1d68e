/**
 * Taints and tolerations as Kubernetes matches them (`Toleration.ToleratesTaint`,
 * `TolerationsTolerateTaint`, `FindMatchingUntoleratedTaint`).
 */
import type { Node, Pod, Toleration } from '@converge/core';

/** A taint of a node (`spec.taints[]`). */
export type Taint = NonNullable<NonNullable<Node['spec']>['taints']>[number];

/** The effects a taint or toleration can name. */
export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

/** The taint kube-scheduler treats `spec.unschedulable` as (`node.kubernetes.io/unschedulable:NoSchedule`). */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/**
 * True when `toleration` tolerates `taint`: the effects match (or the toleration names
 * none), the keys match (or the toleration names none), and with operator `Exists` any
 * value matches while with `Equal` (the default) the values must be equal. Any other
 * operator tolerates nothing.
 */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  const operator: string = toleration.operator ?? '';
  switch (operator) {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** True when at least one of `tolerations` tolerates `taint`. */
export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  if (!tolerations) return false;
  for (const t of tolerations) if (tolerates(t, taint)) return true;
  return false;
}

/**
 * The first taint (in the node's order) that `include` keeps and no toleration tolerates,
 * or undefined when every such taint is tolerated.
 */
export function findUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  include: (taint: Taint) => boolean,
): Taint | undefined {
  if (!taints) return undefined;
  for (const taint of taints) {
    if (!include(taint)) continue;
    if (!tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}

/** The taint filter of scheduling: taints whose effect is NoSchedule or NoExecute. */
export function isDoNotScheduleTaint(taint: Taint): boolean {
  return taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';
}

/** True when the node has a NoSchedule or NoExecute taint the pod does not tolerate (nodeTaintsPolicy `Honor`). */
export function hasUntoleratedTaint(pod: Pod, node: Node): boolean {
  return findUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, isDoNotScheduleTaint) !== undefined;
}
