/**
 * NodeName: a pod that names a node in `spec.nodeName` fits that node only
 * (kube-scheduler's NodeName plugin).
 */
import type { Node, Pod } from '@converge/core';
import { inject } from 'inversify';
import { ActionType, type ClusterEventWithHint } from '../../framework/cluster-event.js';
import type { CycleState } from '../../framework/cycle-state.js';
import { FrameworkHandleToken, type FrameworkHandle } from '../../framework/handle.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { EnqueueExtensions, FilterPlugin } from '../../framework/plugin.js';
import { SchedulerPluginClass } from '../../framework/plugin.decorator.js';
import { Status } from '../../framework/status.js';

/** The name NodeName is configured by. */
export const NODE_NAME_PLUGIN = 'NodeName';

/** The reason NodeName rejects a node with. */
export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

/** True when the pod names no node or names `node`. */
export function fitsNodeName(pod: Pod, node: Node | undefined): boolean {
  const want = pod.spec?.nodeName ?? '';
  return want === '' || want === node?.metadata.name;
}

/**
 * kube-scheduler's NodeName plugin. Like Kubernetes 1.32 it has no PreFilter narrowing the
 * nodes, so every other node reports the reason in the FailedScheduling message.
 */
@SchedulerPluginClass({ name: NODE_NAME_PLUGIN })
export class NodeNamePlugin implements FilterPlugin, EnqueueExtensions {
  /** The plugin's name. */
  readonly name = NODE_NAME_PLUGIN;

  /** Makes the plugin (it keeps the handle only for symmetry with the others). */
  constructor(@inject(FrameworkHandleToken) readonly handle: FrameworkHandle) {}

  /** Rejects (UnschedulableAndUnresolvable) every node but the one the pod names. */
  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    return fitsNodeName(pod, nodeInfo.node) ? Status.success : Status.unresolvable(ERR_REASON_NODE_NAME);
  }

  /** A node added may be the one named. */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' },
        hint: (pod, _old, newObj) => (fitsNodeName(pod, newObj as Node | undefined) ? 'Queue' : 'Skip'),
      },
    ];
  }
}
