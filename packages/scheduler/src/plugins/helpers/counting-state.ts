/**
 * PreFilter state that counts pods per topology value (InterPodAffinity, PodTopologySpread),
 * and the PreFilter extensions every such plugin shares: preemption's dry runs add or remove a
 * pod, and the counts follow.
 */
import type { Node } from '@converge/core';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import type { NodeInfo, PodInfo } from '../../framework/node-info.js';
import { Status } from '../../framework/status.js';

/** A PreFilter state whose counts follow a pod added to (`delta` 1) or removed from (-1) a node. */
export interface PodCountingState extends StateData {
  /** Counts `podInfo` on `node` `delta` more times. */
  updateWithPod(podInfo: PodInfo, node: Node | undefined, delta: number): void;
}

/** The Error status of a plugin whose PreFilter state is missing from the cycle. */
export function missingState(key: string): Status {
  return Status.error(`reading "${key}" from cycleState: not found`);
}

/** Updates the counting state under `key` for a pod added to or removed from `nodeInfo` in a dry run. */
export function updateCountingState(state: CycleState, key: string, podInfo: PodInfo, nodeInfo: NodeInfo, delta: 1 | -1): Status | void {
  const s = state.read<PodCountingState>(key);
  if (!s) return missingState(key);
  s.updateWithPod(podInfo, nodeInfo.node, delta);
}
