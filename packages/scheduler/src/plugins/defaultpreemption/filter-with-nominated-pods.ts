/**
 * Filters a pod on a node with the pods nominated there counted in (kube-scheduler's
 * `RunFilterPluginsWithNominatedPods`), built on the handle's `runFilterPlugins`.
 */
import type { Pod } from '@converge/core';
import type { CycleState } from '../../framework/cycle-state.js';
import type { FrameworkHandle } from '../../framework/handle.js';
import { podKey, type NodeInfo } from '../../framework/node-info.js';
import { Status } from '../../framework/status.js';
import { podPriority } from '../../queue/queued-pod-info.js';

/**
 * Runs the profile's filters for `pod` on `nodeInfo` as Kubernetes does when pods are
 * nominated to the node: first with every nominated pod of equal or higher priority (other
 * than `pod` itself) added to copies of the node and the state, so the pod does not take
 * room they were promised; then, when that passed and such pods were added, once more
 * without them, since they may not land and pod affinity may need them absent.
 * Neither `state` nor `nodeInfo` is changed.
 */
export function runFilterPluginsWithNominatedPods(handle: FrameworkHandle, state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
  const nominated = nodeInfo.name ? handle.nominator.nominatedPodsForNode(nodeInfo.name) : [];
  const priority = podPriority(pod);
  const key = podKey(pod);
  const toAdd = nominated.filter((pi) => podPriority(pi.pod) >= priority && podKey(pi.pod) !== key);
  if (toAdd.length === 0) return handle.runFilterPlugins(state, pod, nodeInfo);
  const nodeWith = nodeInfo.clone();
  const stateWith = state.clone();
  for (const pi of toAdd) {
    nodeWith.addPod(pi);
    const s = handle.runPreFilterExtensionAddPod(stateWith, pod, pi, nodeWith);
    if (!s.isSuccess()) return Status.error(s.message());
  }
  const first = handle.runFilterPlugins(stateWith, pod, nodeWith);
  if (!first.isSuccess()) return first;
  return handle.runFilterPlugins(state, pod, nodeInfo);
}
