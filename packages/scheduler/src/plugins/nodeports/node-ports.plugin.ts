/**
 * NodePorts: a pod asking for host ports fits a node only when none of them is in use there
 * by another pod (same protocol and port, and the same host IP or either one 0.0.0.0),
 * as kube-scheduler's NodePorts plugin.
 */
import type { Pod } from '@converge/core';
import { inject } from 'inversify';
import { ActionType, type ClusterEventWithHint } from '../../framework/cluster-event.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { FrameworkHandleToken, type FrameworkHandle } from '../../framework/handle.js';
import { HostPortInfo, hostPortsOf, type HostPort, type NodeInfo } from '../../framework/node-info.js';
import type { EnqueueExtensions, FilterPlugin, PreFilterPlugin } from '../../framework/plugin.js';
import { SchedulerPluginClass } from '../../framework/plugin.decorator.js';
import { Status } from '../../framework/status.js';

/** The name NodePorts is configured by. */
export const NODE_PORTS_PLUGIN = 'NodePorts';

/** The reason NodePorts rejects a node with. */
export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

const STATE_KEY = `PreFilter${NODE_PORTS_PLUGIN}`;

class PortsState implements StateData {
  constructor(readonly ports: readonly HostPort[]) {}
  clone(): StateData {
    // Never changed after PreFilter: sharing is safe.
    return this;
  }
}

/** True when none of `wanted` conflicts with `used`. */
export function fitsPorts(wanted: readonly HostPort[], used: HostPortInfo): boolean {
  for (const p of wanted) if (used.conflicts(p)) return false;
  return true;
}

/** kube-scheduler's NodePorts plugin. */
@SchedulerPluginClass({ name: NODE_PORTS_PLUGIN })
export class NodePortsPlugin implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  /** The plugin's name. */
  readonly name = NODE_PORTS_PLUGIN;

  /** Makes the plugin. */
  constructor(@inject(FrameworkHandleToken) readonly handle: FrameworkHandle) {}

  /** Collects the pod's host ports once; Skip (no Filter) when it asks for none. */
  preFilter(state: CycleState, pod: Pod): Status | void {
    const ports = hostPortsOf(pod);
    if (ports.length === 0) return Status.skip();
    state.write(STATE_KEY, new PortsState(ports));
  }

  /** Rejects (Unschedulable) a node where one of the pod's host ports is taken. */
  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<PortsState>(STATE_KEY);
    if (!s) return Status.error(`error reading "${STATE_KEY}" from cycleState: not found`);
    return fitsPorts(s.ports, nodeInfo.usedPorts) ? Status.success : Status.unschedulable(ERR_REASON_NODE_PORTS);
  }

  /** An assigned pod deleted that held one of the ports, or a node added, may free a port. */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.Delete, label: 'PodDelete' },
        hint: (pod, oldObj) => {
          const deleted = oldObj as Pod | undefined;
          if (!deleted || (!deleted.spec?.nodeName && !deleted.status?.nominatedNodeName)) return 'Skip';
          const ports = hostPortsOf(deleted);
          if (ports.length === 0) return 'Skip';
          const inUse = new HostPortInfo();
          for (const p of ports) inUse.add(p);
          return fitsPorts(hostPortsOf(pod), inUse) ? 'Skip' : 'Queue';
        },
      },
      { event: { resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' } },
    ];
  }
}
