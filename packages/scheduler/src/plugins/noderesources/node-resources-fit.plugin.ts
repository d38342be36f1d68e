/**
 * NodeResourcesFit: a pod fits a node when the node's allocatable minus what its pods request
 * covers the pod's requests (cpu, memory, ephemeral storage, extended resources) and one more
 * pod; nodes are scored by a configurable strategy (LeastAllocated by default) over
 * non-zero requests (kube-scheduler's NodeResourcesFit plugin).
 */
import type { Node, Pod } from '@converge/core';
import { inject, optional } from 'inversify';
import { ActionType, type ClusterEventWithHint, type QueueingHint } from '../../framework/cluster-event.js';
import type { CycleState, StateData } from '../../framework/cycle-state.js';
import { FrameworkHandleToken, PluginArgsToken, type FrameworkHandle } from '../../framework/handle.js';
import type { NodeInfo } from '../../framework/node-info.js';
import type { EnqueueExtensions, FilterPlugin, PreFilterPlugin, PreScorePlugin, ScorePlugin } from '../../framework/plugin.js';
import { SchedulerPluginClass } from '../../framework/plugin.decorator.js';
import { podRequests, resourceFromList, type Resource } from '../../framework/resource.js';
import { Status } from '../../framework/status.js';
import { fitsEmptyNode, fitsRequest, type IgnoredResources } from './fits-request.js';
import { parseNodeResourcesFitArgs, type ResourceSpec, type ScoringStrategy } from './node-resources-args.js';
import { podRequestList, ResourceAllocationScorer, type ResourceScorer } from './resource-allocation.js';
import { leastAllocatedScorer, mostAllocatedScorer, requestedToCapacityRatioScorer } from './scoring-strategies.js';

/** The name NodeResourcesFit is configured by. */
export const NODE_RESOURCES_FIT_PLUGIN = 'NodeResourcesFit';

const PRE_FILTER_KEY = `PreFilter${NODE_RESOURCES_FIT_PLUGIN}`;
const PRE_SCORE_KEY = `PreScore${NODE_RESOURCES_FIT_PLUGIN}`;

class PreFilterState implements StateData {
  constructor(readonly request: Resource) {}
  clone(): StateData {
    return this;
  }
}

class PreScoreState implements StateData {
  constructor(readonly podRequests: readonly number[]) {}
  clone(): StateData {
    return this;
  }
}

function scorerOf(strategy: ScoringStrategy): ResourceScorer {
  switch (strategy.type) {
    case 'LeastAllocated':
      return leastAllocatedScorer(strategy.resources);
    case 'MostAllocated':
      return mostAllocatedScorer(strategy.resources);
    case 'RequestedToCapacityRatio':
      return requestedToCapacityRatioScorer(strategy.resources, strategy.requestedToCapacityRatio?.shape ?? []);
  }
}

/** True when `modified` requests less than `original` of a resource `target` requests (an in-place scale-down). */
function isScaleDown(target: Resource, original: Pod, modified: Pod): boolean {
  if (!modified.spec?.nodeName) return false;
  const before = podRequests(original);
  const after = podRequests(modified);
  if (target.milliCPU !== 0 && after.milliCPU < before.milliCPU) return true;
  if (target.memory !== 0 && after.memory < before.memory) return true;
  if (target.ephemeralStorage !== 0 && after.ephemeralStorage < before.ephemeralStorage) return true;
  for (const [name, q] of target.scalar) {
    if (q !== 0 && (after.scalar.get(name) ?? 0) < (before.scalar.get(name) ?? 0)) return true;
  }
  return false;
}

function allocatableOf(node: Node): Resource {
  return resourceFromList(node.status?.allocatable as Record<string, string | number> | undefined);
}

/** True when `modified`'s allocatable grew in pods or in a resource the pod requests. */
function requestedResourcesIncreased(target: Resource, original: Node, modified: Node): boolean {
  const before = allocatableOf(original);
  const after = allocatableOf(modified);
  if (after.allowedPodNumber > before.allowedPodNumber) return true;
  if (target.milliCPU > 0 && after.milliCPU > before.milliCPU) return true;
  if (target.memory > 0 && after.memory > before.memory) return true;
  if (target.ephemeralStorage > 0 && after.ephemeralStorage > before.ephemeralStorage) return true;
  for (const [name, q] of target.scalar) {
    if (q !== 0 && (after.scalar.get(name) ?? 0) > (before.scalar.get(name) ?? 0)) return true;
  }
  return false;
}

/** kube-scheduler's NodeResourcesFit plugin. */
@SchedulerPluginClass({ name: NODE_RESOURCES_FIT_PLUGIN })
export class NodeResourcesFitPlugin implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  /** The plugin's name. */
  readonly name = NODE_RESOURCES_FIT_PLUGIN;
  /** The scoring strategy in use (defaults applied). */
  readonly scoringStrategy: ScoringStrategy;
  private readonly ignored: IgnoredResources;
  private readonly resources: readonly ResourceSpec[];
  private readonly scorer: ResourceAllocationScorer;

  /**
   * Makes the plugin with its NodeResourcesFitArgs.
   * @throws Error when the arguments are invalid
   */
  constructor(
    @inject(FrameworkHandleToken) readonly handle: FrameworkHandle,
    @inject(PluginArgsToken) @optional() args?: unknown,
  ) {
    const parsed = parseNodeResourcesFitArgs(args);
    this.ignored = { names: new Set(parsed.ignoredResources), groups: new Set(parsed.ignoredResourceGroups) };
    this.scoringStrategy = parsed.scoringStrategy;
    this.resources = parsed.scoringStrategy.resources;
    this.scorer = new ResourceAllocationScorer({
      resources: this.resources,
      scorer: scorerOf(parsed.scoringStrategy),
      useRequested: false,
    });
  }

  /** Computes the pod's requests once (containers and sidecars, or the largest init step, plus overhead). */
  preFilter(state: CycleState, pod: Pod): void {
    state.write(PRE_FILTER_KEY, new PreFilterState(podRequests(pod)));
  }

  /** Rejects (Unschedulable, every shortage listed) a node without room for the pod. */
  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (!s) return Status.error(`error reading "${PRE_FILTER_KEY}" from cycleState: not found`);
    const insufficient = fitsRequest(s.request, nodeInfo, this.ignored);
    if (insufficient.length === 0) return Status.success;
    return Status.unschedulable(...insufficient.map((r) => r.reason));
  }

  /** Computes the pod's non-zero requests of the scored resources once. */
  preScore(state: CycleState, pod: Pod): void {
    state.write(PRE_SCORE_KEY, new PreScoreState(podRequestList(pod, this.resources, { nonZero: true })));
  }

  /** The strategy's score of the node with the pod on it, in 0..MAX_NODE_SCORE. */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    const requests = s ? s.podRequests : podRequestList(pod, this.resources, { nonZero: true });
    return this.scorer.score(nodeInfo, requests);
  }

  /** An assigned pod deleted (or scaled down), or a node added or with more allocatable the pod fits. */
  eventsToRegister(): readonly ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.Delete | ActionType.UpdatePodScaleDown, label: 'PodDeleteOrScaleDown' },
        hint: (pod, oldObj, newObj): QueueingHint => {
          const original = oldObj as Pod | undefined;
          const modified = newObj as Pod | undefined;
          if (!modified) return original?.spec?.nodeName ? 'Queue' : 'Skip';
          if (!original) return 'Skip';
          return isScaleDown(podRequests(pod), original, modified) ? 'Queue' : 'Skip';
        },
      },
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeAllocatable, label: 'NodeAddOrAllocatableChange' },
        hint: (pod, oldObj, newObj): QueueingHint => {
          const modified = newObj as Node | undefined;
          if (!modified) return 'Skip';
          const request = podRequests(pod);
          if (!fitsEmptyNode(request, modified)) return 'Skip';
          const original = oldObj as Node | undefined;
          if (!original) return 'Queue';
          return requestedResourcesIncreased(request, original, modified) ? 'Queue' : 'Skip';
        },
      },
    ];
  }
}
