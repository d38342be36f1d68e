/**
 * Why a pod fits no node (kube-scheduler's Diagnosis and FitError), and the message users
 * read in the PodScheduled condition and the FailedScheduling event.
 */
import type { Status } from '../framework/status.js';

/** The message kube-scheduler gives when the cluster has no nodes at all. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/** What the scheduling cycle learned about the nodes that did not fit. */
export interface Diagnosis {
  /** The status of each node that was filtered and failed. */
  readonly nodeToStatus: Map<string, Status>;
  /** The status of every node absent from `nodeToStatus` (a PreFilter rejection, or nodes a PreFilterResult excluded). */
  absentNodesStatus: Status | undefined;
  /** The plugins that rejected the pod (for the queue's event matching). */
  readonly unschedulablePlugins: Set<string>;
  /** The plugins that answered Pending. */
  readonly pendingPlugins: Set<string>;
  /** PreFilter's rejection message, when PreFilter rejected the pod. */
  preFilterMsg: string | undefined;
  /** PostFilter's message (e.g. preemption's), when it ran and failed. */
  postFilterMsg: string | undefined;
}

/** An empty Diagnosis. */
export function newDiagnosis(): Diagnosis {
  return {
    nodeToStatus: new Map(),
    absentNodesStatus: undefined,
    unschedulablePlugins: new Set(),
    pendingPlugins: new Set(),
    preFilterMsg: undefined,
    postFilterMsg: undefined,
  };
}

/** Records a plugin's rejection (or Pending) in the diagnosis' plugin sets. */
export function recordRejector(d: Diagnosis, status: Status): void {
  if (!status.plugin) return;
  if (status.code === 'Pending') d.pendingPlugins.add(status.plugin);
  else if (status.code === 'Unschedulable' || status.code === 'UnschedulableAndUnresolvable') d.unschedulablePlugins.add(status.plugin);
}

/** The pod fits no node: the error a scheduling cycle ends with, carrying its diagnosis. */
export class FitError extends Error {
  /** Makes the error for a pod, with the number of nodes considered. */
  constructor(
    readonly podName: string,
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {
    super('');
    this.name = 'FitError';
    this.message = fitErrorMessage(numAllNodes, diagnosis);
  }
}

/**
 * The message in Kubernetes' form: `0/5 nodes are available: 3 Insufficient cpu, 2 node(s)
 * had untolerated taint {key: value}.` — each reason counted over the nodes, `<count>
 * <reason>` sorted as strings — or PreFilter's message when PreFilter rejected the pod, then
 * PostFilter's message (` preemption: ...`) when there is one. With no nodes at all: `no nodes
 * available to schedule pods`.
 */
export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  if (numAllNodes === 0) return NO_NODES_AVAILABLE;
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const counts = new Map<string, number>();
    for (const s of d.nodeToStatus.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    const absent = numAllNodes - d.nodeToStatus.size;
    if (absent > 0 && d.absentNodesStatus) for (const r of d.absentNodesStatus.reasons) counts.set(r, (counts.get(r) ?? 0) + absent);
    const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort();
    if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  }
  // PostFilter's message is a sentence of its own (preemption's ends with its own period).
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}`;
  return msg;
}
