/**
 * The dry run on one node (kube-scheduler's `SelectVictimsOnNode`): the fewest, least
 * important lower-priority pods whose removal lets the preemptor fit.
 */
import type { Pod, PodDisruptionBudget } from '@converge/core';
import type { CycleState } from '../../framework/cycle-state.js';
import type { FrameworkHandle } from '../../framework/handle.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { Status } from '../../framework/status.js';
import { runFilterPluginsWithNominatedPods } from './filter-with-nominated-pods.js';
import { splitByPdbViolation } from './pdb-violation.js';
import { podPriority } from '../../queue/queued-pod-info.js';
import { moreImportantPod } from './pod-importance.js';

/** The reason a node with no lower-priority pod gets in the dry run. */
export const NO_VICTIMS_REASON = 'No preemption victims found for incoming pod';

/** The inputs of one node's dry run. */
export interface SelectVictimsOptions {
  /** Gives the profile's filters and PreFilter extensions. */
  readonly handle: FrameworkHandle;
  /** A copy of the cycle's state: it is changed as pods are removed and added back. */
  readonly state: CycleState;
  /** The preemptor. */
  readonly pod: Pod;
  /** A copy of the node: it is changed as pods are removed and added back. */
  readonly nodeInfo: NodeInfo;
  /** Every PodDisruptionBudget of the cluster. */
  readonly pdbs: readonly PodDisruptionBudget[];
  /** The time unstarted pods count as their start (ms since the epoch). */
  readonly now: number;
}

/** The outcome of one node's dry run. */
export interface VictimSelection {
  /** Success when the pod fits once `victims` are gone; the filter's or the dry run's failure otherwise. */
  readonly status: Status;
  /** The pods to preempt, most important first (empty unless Success). */
  readonly victims: Pod[];
  /** How many of them violate a PodDisruptionBudget. */
  readonly numPdbViolations: number;
}

/**
 * Finds the victims on one node: removes every pod of lower priority than the preemptor
 * (telling the PreFilter extensions), checks that the preemptor then fits, and adds back
 * ("reprieves") as many as possible while it still fits: first the ones whose preemption
 * would violate a PDB, then the others, each group from the most important down. The pods
 * that cannot come back are the victims. Status UnschedulableAndUnresolvable with
 * `No preemption victims found for incoming pod` when the node has no lower-priority pod.
 */
export function selectVictimsOnNode(options: SelectVictimsOptions): VictimSelection {
  const { handle, state, pod, nodeInfo, pdbs, now } = options;
  const fail = (status: Status): VictimSelection => ({ status, victims: [], numPdbViolations: 0 });
  const removePod = (pi: PodInfo): Status => {
    if (!nodeInfo.removePod(pi.pod)) {
      return Status.error(`no corresponding pod ${pi.pod.metadata.name ?? ''} in pods of node ${nodeInfo.name}`);
    }
    const s = handle.runPreFilterExtensionRemovePod(state, pod, pi, nodeInfo);
    return s.isSuccess() ? s : Status.error(s.message());
  };
  const addPod = (pi: PodInfo): Status => {
    nodeInfo.addPod(pi);
    const s = handle.runPreFilterExtensionAddPod(state, pod, pi, nodeInfo);
    return s.isSuccess() ? s : Status.error(s.message());
  };

  const priority = podPriority(pod);
  const potential = nodeInfo.pods.filter((pi) => podPriority(pi.pod) < priority);
  for (const pi of potential) {
    const s = removePod(pi);
    if (!s.isSuccess()) return fail(s);
  }
  if (potential.length === 0) return fail(Status.unresolvable(NO_VICTIMS_REASON));

  const fits = runFilterPluginsWithNominatedPods(handle, state, pod, nodeInfo);
  if (!fits.isSuccess()) return fail(fits);

  const byImportance = (a: PodInfo, b: PodInfo): number =>
    moreImportantPod(a.pod, b.pod, now) ? -1 : moreImportantPod(b.pod, a.pod, now) ? 1 : 0;
  potential.sort(byImportance);
  const { violating, nonViolating } = splitByPdbViolation(potential, pdbs);
  const victims: PodInfo[] = [];
  let numPdbViolations = 0;
  // Adds the pod back; keeps it when the preemptor still fits, otherwise takes it out again as a victim.
  const reprieve = (pi: PodInfo): { fits: boolean; error?: Status } => {
    const added = addPod(pi);
    if (!added.isSuccess()) return { fits: false, error: added };
    if (runFilterPluginsWithNominatedPods(handle, state, pod, nodeInfo).isSuccess()) return { fits: true };
    const removed = removePod(pi);
    if (!removed.isSuccess()) return { fits: false, error: removed };
    victims.push(pi);
    return { fits: false };
  };
  for (const pi of violating) {
    const r = reprieve(pi);
    if (r.error) return fail(r.error);
    if (!r.fits) numPdbViolations++;
  }
  for (const pi of nonViolating) {
    const r = reprieve(pi);
    if (r.error) return fail(r.error);
  }
  if (violating.length > 0 && nonViolating.length > 0) victims.sort(byImportance);
  return { status: Status.success, victims: victims.map((v) => v.pod), numPdbViolations };
}
