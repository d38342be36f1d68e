/**
 * Which preemption victims would violate a PodDisruptionBudget (kube-scheduler's
 * `filterPodsWithPDBViolation`).
 */
import { labelSelectorFromObject, type PodDisruptionBudget } from '@converge/core';
import type { PodInfo } from '../../framework/node-info.js';

/** The victims split in two, each keeping the order it was given in. */
export interface PdbSplit {
  /** Victims whose eviction would take a budget they match below zero disruptions allowed. */
  readonly violating: PodInfo[];
  /** The others. */
  readonly nonViolating: PodInfo[];
}

/**
 * Splits `podInfos` into those whose preemption would violate a PDB and the others, as
 * Kubernetes does: each budget starts from `status.disruptionsAllowed`; every pod (in order)
 * that the budget's selector matches in the budget's namespace uses one disruption, unless it
 * is already in `status.disruptedPods`; a pod is violating once any budget it uses goes below
 * zero. A pod without labels matches no budget, and a budget with a missing, empty or invalid
 * selector matches no pod.
 */
export function splitByPdbViolation(podInfos: readonly PodInfo[], pdbs: readonly PodDisruptionBudget[]): PdbSplit {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const matchers = pdbs.map((pdb) => {
    try {
      const m = labelSelectorFromObject(pdb.spec?.selector);
      return m.matchesNothing || m.requirements.length === 0 ? undefined : m;
    } catch {
      return undefined;
    }
  });
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const info of podInfos) {
    const pod = info.pod;
    const labels = pod.metadata.labels;
    let violated = false;
    if (labels && Object.keys(labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        if (pdb.metadata.namespace !== pod.metadata.namespace) return;
        const m = matchers[i];
        if (!m || !m.matches(labels)) return;
        if (pod.metadata.name !== undefined && pdb.status?.disruptedPods?.[pod.metadata.name] !== undefined) return;
        allowed[i] = allowed[i]! - 1;
        if (allowed[i]! < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(info);
  }
  return { violating, nonViolating };
}
