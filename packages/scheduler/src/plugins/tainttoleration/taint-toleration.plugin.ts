/**
 * TaintToleration: a pod fits a node only when it tolerates every NoSchedule and NoExecute
 * taint of the node; among the nodes that fit, fewer untolerated PreferNoSchedule taints
 * score higher (kube-scheduler's TaintToleration plugin).
 */
import type { Node, Pod, Toleration } from '@converge/core';
import { inject } from 'inversify';
import { ActionType, type ClusterEventWithHint } from '../../framework/cluster-event.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { FrameworkHandleToken, type FrameworkHandle } from '../../framework/handle.js';
import type { NodeInfo } from '../../framework/node-info.js';
import {
  MAX_NODE_SCORE,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeScore,
  type PreScorePlugin,
  type ScorePlugin,
} from '../../framework/plugin.js';
import { SchedulerPluginClass } from '../../framework/plugin.decorator.js';
import { Status } from '../../framework/status.js';
import { defaultNormalizeScore } from '../helpers/normalize-score.js';
import { findUntoleratedTaint, isDoNotScheduleTaint, tolerationsTolerateTaint, type Taint } from '../helpers/tolerations.js';

/** The name TaintToleration is configured by. */
export const TAINT_TOLERATION_PLUGIN = 'TaintToleration';

const PRE_SCORE_KEY = `PreScore${TAINT_TOLERATION_PLUGIN}`;

/** The reason TaintToleration rejects a node with, naming the first untolerated taint as Kubernetes does. */
export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

class PreScoreState implements StateData {
  constructor(readonly tolerationsPreferNoSchedule: readonly Toleration[]) {}
  clone(): StateData {
    return this;
  }
}

function untolerated(pod: Pod, node: Node | undefined): Taint | undefined {
  return findUntoleratedTaint(node?.spec?.taints, pod.spec?.tolerations, isDoNotScheduleTaint);
}

/** The pod's tolerations that can tolerate PreferNoSchedule taints (effect empty or PreferNoSchedule). */
function preferNoScheduleTolerations(pod: Pod): Toleration[] {
  return (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
}

/** kube-scheduler's TaintToleration plugin. */
@SchedulerPluginClass({ name: TAINT_TOLERATION_PLUGIN })
export class TaintTolerationPlugin implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  /** The plugin's name. */
  readonly name = TAINT_TOLERATION_PLUGIN;

  /** Makes the plugin. */
  constructor(@inject(FrameworkHandleToken) readonly handle: FrameworkHandle) {}

  /** Rejects (UnschedulableAndUnresolvable) a node with a NoSchedule or NoExecute taint the pod does not tolerate. */
  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const taint = untolerated(pod, nodeInfo.node);
    return taint ? Status.unresolvable(untoleratedTaintReason(taint)) : Status.success;
  }

  /** Keeps the pod's tolerations that matter for PreferNoSchedule taints. */
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status | void {
    if (nodes.length === 0) return;
    state.write(PRE_SCORE_KEY, new PreScoreState(preferNoScheduleTolerations(pod)));
  }

  /** The number of the node's PreferNoSchedule taints the pod does not tolerate (reversed by normalizeScore). */
  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (!s) throw new Error(`error reading "${PRE_SCORE_KEY}" from cycleState: not found`);
    let count = 0;
    for (const taint of nodeInfo.node?.spec?.taints ?? []) {
      if (taint.effect !== 'PreferNoSchedule') continue;
      if (!tolerationsTolerateTaint(s.tolerationsPreferNoSchedule, taint)) count++;
    }
    return count;
  }

  /** Kubernetes' DefaultNormalizeScore, reversed: the node with the most untolerated taints gets 0. */
  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): void {
    defaultNormalizeScore({ maxPriority: MAX_NODE_SCORE, reverse: true }, scores);
  }

  /** A node added or with changed taints that the pod now tolerates, or the pod's tolerations changed. */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint, label: 'NodeTaintChange' },
        hint: (pod, oldObj, newObj) => {
          if (untolerated(pod, newObj as Node | undefined)) return 'Skip';
          const original = oldObj as Node | undefined;
          return !original || untolerated(pod, original) ? 'Queue' : 'Skip';
        },
      },
      {
        event: { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodTolerations, label: 'PodTolerationsUpdate' },
        hint: (pod, _old, newObj) => ((newObj as Pod | undefined)?.metadata.uid === pod.metadata.uid ? 'Queue' : 'Skip'),
      },
    ];
  }
}
