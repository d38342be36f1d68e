/**
 * The pods nominated to nodes (kube-scheduler's nominator): a pod that preemption made room
 * for keeps its node in `status.nominatedNodeName` until it is bound, and while it waits the
 * scheduler counts it on that node when filtering pods of lower or equal priority.
 */
import type { Pod } from '@converge/core';
import type { Nominator } from '../framework/handle.js';
import { podInfoOf, podKey, type PodInfo } from '../framework/node-info.js';

/**
 * Tracks nominated pods by node and by pod key.
 *
 * Invariant: a pod key is in `nodeOf` exactly when its PodInfo is in `byNode.get(nodeOf(key))`.
 */
export class PodNominator implements Nominator {
  private readonly byNode = new Map<string, PodInfo[]>();
  private readonly nodeOf = new Map<string, string>();

  /** The pods nominated to `nodeName`. */
  nominatedPodsForNode(nodeName: string): readonly PodInfo[] {
    return this.byNode.get(nodeName) ?? EMPTY;
  }

  /** The node `pod` is nominated to, if any. */
  nominatedNodeOf(pod: Pod): string | undefined {
    return this.nodeOf.get(podKey(pod));
  }

  /** How many pods are nominated. */
  get size(): number {
    return this.nodeOf.size;
  }

  /**
   * Nominates the pod to `nodeName`, or to its `status.nominatedNodeName` when no node is
   * given; a pod already bound (`spec.nodeName`) or with neither is only un-nominated.
   */
  add(pod: Pod | PodInfo, nodeName?: string): void {
    const info = asPodInfo(pod);
    this.delete(info.pod);
    if (info.pod.spec?.nodeName) return;
    const node = nodeName ?? info.pod.status?.nominatedNodeName;
    if (!node) return;
    const key = podKey(info.pod);
    this.nodeOf.set(key, node);
    const list = this.byNode.get(node);
    if (list) list.push(info);
    else this.byNode.set(node, [info]);
  }

  /**
   * Follows an update of a pending pod: the new `status.nominatedNodeName` wins; an update that
   * removes it clears the nomination; otherwise a nomination the scheduler made in memory (not
   * yet written) is kept.
   */
  update(oldPod: Pod, newPod: Pod | PodInfo): void {
    const info = asPodInfo(newPod);
    const cleared = !!oldPod.status?.nominatedNodeName && !info.pod.status?.nominatedNodeName;
    const kept = info.pod.status?.nominatedNodeName || cleared ? undefined : this.nodeOf.get(podKey(oldPod));
    this.delete(oldPod);
    this.add(info, kept);
  }

  /** Forgets the pod's nomination; false when it had none. */
  delete(pod: Pod): boolean {
    const key = podKey(pod);
    const node = this.nodeOf.get(key);
    if (node === undefined) return false;
    this.nodeOf.delete(key);
    const list = this.byNode.get(node);
    if (list) {
      const i = list.findIndex((p) => podKey(p.pod) === key);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.byNode.delete(node);
    }
    return true;
  }
}

const EMPTY: readonly PodInfo[] = [];

function asPodInfo(x: Pod | PodInfo): PodInfo {
  return 'nonZeroRequests' in x && 'pod' in x ? (x as PodInfo) : podInfoOf(x as Pod);
}
