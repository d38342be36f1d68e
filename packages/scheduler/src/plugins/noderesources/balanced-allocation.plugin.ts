/**
 * NodeResourcesBalancedAllocation: prefers nodes whose resources would be used evenly with
 * the pod on them: `(1 - std) * 100` of the requested fractions of cpu and memory (by
 * default), over actual requests (kube-scheduler's NodeResourcesBalancedAllocation plugin).
 */
import type { Pod } from '@converge/core';
import { inject, optional } from 'inversify';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { FrameworkHandleToken, PluginArgsToken, type FrameworkHandle } from '../../framework/handle.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { PreScorePlugin, ScorePlugin } from '../../framework/plugin.js';
import { SchedulerPluginClass } from '../../framework/plugin.decorator.js';
import { parseBalancedAllocationArgs, type ResourceSpec } from './node-resources-args.js';
import { podRequestList, ResourceAllocationScorer } from './resource-allocation.js';
import { balancedResourceScorer } from './scoring-strategies.js';

/** The name NodeResourcesBalancedAllocation is configured by. */
export const BALANCED_ALLOCATION_PLUGIN = 'NodeResourcesBalancedAllocation';

const PRE_SCORE_KEY = `PreScore${BALANCED_ALLOCATION_PLUGIN}`;

class PreScoreState implements StateData {
  constructor(readonly podRequests: readonly number[]) {}
  clone(): StateData {
    return this;
  }
}

/** kube-scheduler's NodeResourcesBalancedAllocation plugin. */
@SchedulerPluginClass({ name: BALANCED_ALLOCATION_PLUGIN })
export class BalancedAllocationPlugin implements PreScorePlugin, ScorePlugin {
  /** The plugin's name. */
  readonly name = BALANCED_ALLOCATION_PLUGIN;
  /** The resources balanced (defaults applied). */
  readonly resources: readonly ResourceSpec[];
  private readonly scorer: ResourceAllocationScorer;

  /**
   * Makes the plugin with its NodeResourcesBalancedAllocationArgs.
   * @throws Error when the arguments are invalid
   */
  constructor(
    @inject(FrameworkHandleToken) readonly handle: FrameworkHandle,
    @inject(PluginArgsToken) @optional() args?: unknown,
  ) {
    this.resources = parseBalancedAllocationArgs(args).resources;
    this.scorer = new ResourceAllocationScorer({ resources: this.resources, scorer: balancedResourceScorer, useRequested: true });
  }

  /** Computes the pod's requests of the balanced resources once. */
  preScore(state: CycleState, pod: Pod): void {
    state.write(PRE_SCORE_KEY, new PreScoreState(podRequestList(pod, this.resources, { nonZero: false })));
  }

  /** `(1 - std) * 100` of the fractions requested with the pod on the node. */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    const requests = s ? s.podRequests : podRequestList(pod, this.resources, { nonZero: false });
    return this.scorer.score(nodeInfo, requests);
  }
}
