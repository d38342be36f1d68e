/**
 * What NodeResourcesFit's scoring and NodeResourcesBalancedAllocation share
 * (kube-scheduler's resourceAllocationScorer): per configured resource, the node's
 * allocatable and what would be requested with the pod on it, then a scorer over both lists.
 */
import type { Pod } from '@converge/core';
import type { NodeInfo } from '../../framework/node-info.js';
import { podRequests, resourceAmount } from '../../framework/resource.js';
import type { ResourceSpec } from './node-resources-args.js';

/** Turns requested and allocatable amounts (one per resource, 0 allocatable = skip it) into a score. */
export type ResourceScorer = (requested: ArrayLike<number>, allocatable: ArrayLike<number>) => number;

/**
 * The pod's request of each resource. With `nonZero`, a container without a cpu or memory
 * request counts 100m / 200Mi (NodeResourcesFit's scoring); without, actual requests
 * (NodeResourcesBalancedAllocation).
 */
export function podRequestList(pod: Pod, resources: readonly ResourceSpec[], options: { readonly nonZero: boolean }): number[] {
  const r = podRequests(pod, { nonZero: options.nonZero });
  return resources.map((spec) => resourceAmount(r, spec.name));
}

const CPU = 0;
const MEMORY = 1;
const EPHEMERAL_STORAGE = 2;
const PODS = 3;
const SCALAR = 4;

function kindOf(name: string): number {
  switch (name) {
    case 'cpu':
      return CPU;
    case 'memory':
      return MEMORY;
    case 'ephemeral-storage':
      return EPHEMERAL_STORAGE;
    case 'pods':
      return PODS;
    default:
      return SCALAR;
  }
}

/** Options of a `ResourceAllocationScorer`. */
export interface ResourceAllocationScorerOptions {
  /** The resources scored, in order. */
  readonly resources: readonly ResourceSpec[];
  /** The scorer over (requested, allocatable). */
  readonly scorer: ResourceScorer;
  /** Take cpu and memory from the node's actual requests instead of its non-zero requests. */
  readonly useRequested: boolean;
}

/**
 * Scores nodes for a plugin: for each resource, the node's allocatable and the amount
 * requested with the pod on it (cpu and memory from the node's non-zero requests unless
 * `useRequested`, the rest from actual requests); an extended resource the pod does not
 * request, or a resource the node does not have, is left at (0, 0), out of the score.
 * Reuses its buffers: one instance per plugin, used synchronously.
 */
export class ResourceAllocationScorer {
  private readonly names: readonly string[];
  private readonly kinds: Uint8Array;
  private readonly scorer: ResourceScorer;
  private readonly useRequested: boolean;
  private readonly requested: Float64Array;
  private readonly allocatable: Float64Array;

  /** Makes the scorer. */
  constructor(options: ResourceAllocationScorerOptions) {
    this.names = options.resources.map((r) => r.name);
    this.kinds = Uint8Array.from(this.names, kindOf);
    this.scorer = options.scorer;
    this.useRequested = options.useRequested;
    this.requested = new Float64Array(this.names.length);
    this.allocatable = new Float64Array(this.names.length);
  }

  /**
   * The node's score for a pod requesting `podRequests` (one amount per resource).
   * @throws Error when the NodeInfo has no Node or no resources are configured
   */
  score(nodeInfo: NodeInfo, podRequests: readonly number[]): number {
    if (!nodeInfo.node) throw new Error('node not found');
    const n = this.names.length;
    if (n === 0) throw new Error('resources not found');
    const alloc = nodeInfo.allocatable;
    const used = this.useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
    const requested = this.requested;
    const allocatable = this.allocatable;
    for (let i = 0; i < n; i++) {
      const podRequest = podRequests[i] ?? 0;
      let a = 0;
      let r = 0;
      switch (this.kinds[i]) {
        case CPU:
          a = alloc.milliCPU;
          r = used.milliCPU + podRequest;
          break;
        case MEMORY:
          a = alloc.memory;
          r = used.memory + podRequest;
          break;
        case EPHEMERAL_STORAGE:
          a = alloc.ephemeralStorage;
          r = nodeInfo.requested.ephemeralStorage + podRequest;
          break;
        case SCALAR: {
          if (podRequest === 0) break;
          const name = this.names[i]!;
          a = alloc.scalar.get(name) ?? 0;
          r = (nodeInfo.requested.scalar.get(name) ?? 0) + podRequest;
          break;
        }
        default:
          // `pods` is not a resource a pod requests: never scored.
          break;
      }
      if (a === 0) r = 0;
      allocatable[i] = a;
      requested[i] = r;
    }
    return this.scorer(requested, allocatable);
  }
}
