/**
 * NodeUnschedulable: a cordoned node (`spec.unschedulable`) takes only pods that tolerate
 * `node.kubernetes.io/unschedulable:NoSchedule` (kube-scheduler's NodeUnschedulable plugin).
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
import { TAINT_NODE_UNSCHEDULABLE, tolerationsTolerateTaint } from '../helpers/tolerations.js';

/** The name NodeUnschedulable is configured by. */
export const NODE_UNSCHEDULABLE_PLUGIN = 'NodeUnschedulable';

/** The reason NodeUnschedulable rejects a node with. */
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

/** True when `pod` tolerates the unschedulable taint and so may go to cordoned nodes. */
export function toleratesUnschedulable(pod: Pod): boolean {
  return tolerationsTolerateTaint(pod.spec?.tolerations, { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
}

function admits(pod: Pod, node: Node | undefined): boolean {
  return !node?.spec?.unschedulable || toleratesUnschedulable(pod);
}

/** kube-scheduler's NodeUnschedulable plugin. */
@SchedulerPluginClass({ name: NODE_UNSCHEDULABLE_PLUGIN })
export class NodeUnschedulablePlugin implements FilterPlugin, EnqueueExtensions {
  /** The plugin's name. */
  readonly name = NODE_UNSCHEDULABLE_PLUGIN;

  /** Makes the plugin. */
  constructor(@inject(FrameworkHandleToken) readonly handle: FrameworkHandle) {}

  /** Rejects (UnschedulableAndUnresolvable) an unschedulable node unless the pod tolerates the unschedulable taint. */
  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    return admits(pod, nodeInfo.node) ? Status.success : Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
  }

  /** A node added or uncordoned, or the pod given the toleration, may make the pod fit. */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      {
        event: {
          resource: 'Node',
          actionType: ActionType.Add | ActionType.UpdateNodeUnschedulable | ActionType.UpdateNodeTaint,
          label: 'NodeChange',
        },
        hint: (pod, oldObj, newObj) => {
          const modified = newObj as Node | undefined;
          if (!admits(pod, modified)) return 'Skip';
          const original = oldObj as Node | undefined;
          return !original || !admits(pod, original) ? 'Queue' : 'Skip';
        },
      },
      {
        event: { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodTolerations, label: 'PodTolerationsUpdate' },
        hint: (pod, _old, newObj) => {
          const modified = newObj as Pod | undefined;
          if (!modified || modified.metadata.uid !== pod.metadata.uid) return 'Skip';
          return toleratesUnschedulable(modified) ? 'Queue' : 'Skip';
        },
      },
    ];
  }
}
