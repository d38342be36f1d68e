/**
 * Small builders and test plugins for the scheduler's own tests (never in dist): nodes and
 * pods with CPU amounts, a filter that checks CPU (`FakeFit`), a filter that rejects nodes by
 * label (`RejectByLabel`) and a scorer that reads a node label (`ScoreByLabel`).
 */
import 'reflect-metadata';
import type { Node, Pod } from '@converge/core';
import { ActionType, type ClusterEventWithHint } from './framework/cluster-event.js';
import type { CycleState } from './framework/cycle-state.js';
import type { NodeInfo } from './framework/node-info.js';
import type { EnqueueExtensions, FilterPlugin, ScorePlugin } from './framework/plugin.js';
import { SchedulerPluginClass } from './framework/plugin.decorator.js';
import { Status } from './framework/status.js';
import { podRequests } from './framework/resource.js';

/** A Ready node with `cpu` cores (and 110 pods) allocatable. */
export function node(name: string, options: { cpu?: number; labels?: Record<string, string> } = {}): Node {
  const cpu = String(options.cpu ?? 4);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...options.labels } },
    spec: {},
    status: {
      capacity: { cpu, memory: '8Gi', pods: '110' },
      allocatable: { cpu, memory: '8Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  } as Node;
}

/** A pending pod requesting `cpu` (e.g. `500m`). */
export function pod(
  name: string,
  options: { cpu?: string; priority?: number; schedulerName?: string; nodeName?: string; labels?: Record<string, string> } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(options.labels ? { labels: options.labels } : {}) },
    spec: {
      containers: [{ name: 'c', image: 'img', ...(options.cpu ? { resources: { requests: { cpu: options.cpu } } } : {}) }],
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(options.schedulerName ? { schedulerName: options.schedulerName } : {}),
      ...(options.nodeName ? { nodeName: options.nodeName } : {}),
    },
  } as Pod;
}

/** Rejects nodes without enough CPU left ("Insufficient cpu"); re-queues on node adds, allocatable changes and pod deletions. */
@SchedulerPluginClass({ name: 'FakeFit' })
export class FakeFit implements FilterPlugin, EnqueueExtensions {
  readonly name = 'FakeFit';
  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const want = podRequests(pod).milliCPU;
    if (nodeInfo.requested.milliCPU + want > nodeInfo.allocatable.milliCPU) return Status.unschedulable('Insufficient cpu');
    return Status.success;
  }
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeAllocatable } },
      { event: { resource: 'AssignedPod', actionType: ActionType.Delete } },
    ];
  }
}

/** Rejects nodes labelled `reject=true` ("node(s) had label reject=true"); re-queues on node adds and label changes only. */
@SchedulerPluginClass({ name: 'RejectByLabel' })
export class RejectByLabel implements FilterPlugin, EnqueueExtensions {
  readonly name = 'RejectByLabel';
  filter(_state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    return nodeInfo.node?.metadata.labels?.['reject'] === 'true' ? Status.unresolvable('node(s) had label reject=true') : Status.success;
  }
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [{ event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel } }];
  }
}

/** Scores a node by its `score` label (0..100), so tests choose the winner. */
@SchedulerPluginClass({ name: 'ScoreByLabel' })
export class ScoreByLabel implements ScorePlugin {
  readonly name = 'ScoreByLabel';
  score(_state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
    return Number(nodeInfo.node?.metadata.labels?.['score'] ?? 0);
  }
}
