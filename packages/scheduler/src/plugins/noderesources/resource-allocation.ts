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
export type ResourceScorer = (requested: readonly number[], allocatable: readonly number[]) => number;

/** Whether a resource is scalar (neither cpu, memory, ephemeral-storage nor pods): extended resources, hugepages. */
function isScalarResourceName(name: string): boolean {
  return name !== 'cpu' && name !== 'memory' && name !== 'ephemeral-storage' && name !== 'pods';
}

/**
 * The pod's request of each resource. With `nonZero`, a container without a cpu or memory
 * request counts 100m / 200Mi (NodeResourcesFit's scoring); without, actual requests
 * (NodeResourcesBalancedAllocation).
 */
export function podRequestList(pod: Pod, resources: readonly ResourceSpec[], options: { readonly nonZero: boolean }): number[] {
  const r = podRequests(pod, { nonZero: options.nonZero });
  return resources.map((spec) => resourceAmount(r, spec.name));
}

/**
 * The node's allocatable of `name` and the amount requested with the pod on the node:
 * cpu and memory from the node's non-zero requests (or actual requests with
 * `useRequested`), the rest from actual requests. An extended resource the pod does not
 * request, or one the node does not have, gives (0, 0): it is left out of the score.
 */
export function allocatableAndRequested(nodeInfo: NodeInfo, name: string, podRequest: number, useRequested: boolean): [number, number] {
  const requested = useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
  if (podRequest === 0 && isScalarResourceName(name)) return [0, 0];
  switch (name) {
    case 'cpu':
      return [nodeInfo.allocatable.milliCPU, requested.milliCPU + podRequest];
    case 'memory':
      return [nodeInfo.allocatable.memory, requested.memory + podRequest];
    case 'ephemeral-storage':
      return [nodeInfo.allocatable.ephemeralStorage, nodeInfo.requested.ephemeralStorage + podRequest];
    default: {
      const alloc = nodeInfo.allocatable.scalar.get(name);
      if (alloc === undefined) return [0, 0];
      return [alloc, (nodeInfo.requested.scalar.get(name) ?? 0) + podRequest];
    }
  }
}

/** Scores a node: the scorer over the (requested, allocatable) of each resource, resources with 0 allocatable left at (0, 0). */
export function scoreNode(
  nodeInfo: NodeInfo,
  resources: readonly ResourceSpec[],
  podRequestsList: readonly number[],
  scorer: ResourceScorer,
  useRequested: boolean,
): number {
  if (!nodeInfo.node) throw new Error('node not found');
  if (resources.length === 0) throw new Error('resources not found');
  const requested = new Array<number>(resources.length).fill(0);
  const allocatable = new Array<number>(resources.length).fill(0);
  for (let i = 0; i < resources.length; i++) {
    const [alloc, req] = allocatableAndRequested(nodeInfo, resources[i]!.name, podRequestsList[i] ?? 0, useRequested);
    if (alloc === 0) continue;
    allocatable[i] = alloc;
    requested[i] = req;
  }
  return scorer(requested, allocatable);
}
