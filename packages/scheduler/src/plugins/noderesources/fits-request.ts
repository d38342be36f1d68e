/**
 * NodeResourcesFit's check (kube-scheduler's `fitsRequest`): the pod's requests against the
 * node's allocatable minus what its pods already request, and one more pod against the
 * node's pod capacity.
 */
import type { Node } from '@converge/core';
import { NodeInfo } from '../../framework/node-info.js';
import type { Resource } from '../../framework/resource.js';

/** A resource a node lacks for the pod. */
export interface InsufficientResource {
  /** The resource (`cpu`, `memory`, `ephemeral-storage`, `pods`, an extended resource). */
  readonly resourceName: string;
  /** The reason shown to users: `Insufficient cpu`, `Too many pods`, ... */
  readonly reason: string;
  /** What the pod requests. */
  readonly requested: number;
  /** What the node's pods already request. */
  readonly used: number;
  /** The node's allocatable. */
  readonly capacity: number;
}

/** The extended resources the check skips. */
export interface IgnoredResources {
  /** Resource names skipped. */
  readonly names: ReadonlySet<string>;
  /** Resource groups (the part before `/`) skipped. */
  readonly groups: ReadonlySet<string>;
}

const NOTHING_IGNORED: IgnoredResources = { names: new Set(), groups: new Set() };
const NO_SHORTAGE: readonly InsufficientResource[] = Object.freeze([]);

/** True for an extended resource name: one with a `/` outside `kubernetes.io/` and not starting with `requests.`. */
export function isExtendedResourceName(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

/** True when the pod requests nothing at all. */
function requestsNothing(r: Resource): boolean {
  return r.milliCPU === 0 && r.memory === 0 && r.ephemeralStorage === 0 && r.scalar.size === 0;
}

/**
 * What `nodeInfo` lacks for a pod requesting `podRequest`, in Kubernetes' order (pods, cpu,
 * memory, ephemeral-storage, scalars); a shared empty list when it fits.
 */
export function fitsRequest(
  podRequest: Resource,
  nodeInfo: NodeInfo,
  ignored: IgnoredResources = NOTHING_IGNORED,
): readonly InsufficientResource[] {
  // Allocated only on a shortage: this runs for every node.
  let out: InsufficientResource[] | undefined;
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (nodeInfo.pods.length + 1 > alloc.allowedPodNumber) {
    (out ??= []).push({
      resourceName: 'pods',
      reason: 'Too many pods',
      requested: 1,
      used: nodeInfo.pods.length,
      capacity: alloc.allowedPodNumber,
    });
  }
  if (requestsNothing(podRequest)) return out ?? NO_SHORTAGE;
  if (podRequest.milliCPU > 0 && podRequest.milliCPU > alloc.milliCPU - used.milliCPU) {
    (out ??= []).push({
      resourceName: 'cpu',
      reason: 'Insufficient cpu',
      requested: podRequest.milliCPU,
      used: used.milliCPU,
      capacity: alloc.milliCPU,
    });
  }
  if (podRequest.memory > 0 && podRequest.memory > alloc.memory - used.memory) {
    (out ??= []).push({
      resourceName: 'memory',
      reason: 'Insufficient memory',
      requested: podRequest.memory,
      used: used.memory,
      capacity: alloc.memory,
    });
  }
  if (podRequest.ephemeralStorage > 0 && podRequest.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
    (out ??= []).push({
      resourceName: 'ephemeral-storage',
      reason: 'Insufficient ephemeral-storage',
      requested: podRequest.ephemeralStorage,
      used: used.ephemeralStorage,
      capacity: alloc.ephemeralStorage,
    });
  }
  for (const [name, quantity] of podRequest.scalar) {
    if (quantity === 0) continue;
    if (isExtendedResourceName(name)) {
      const group = name.split('/')[0]!;
      if (ignored.names.has(name) || ignored.groups.has(group)) continue;
    }
    const capacity = alloc.scalar.get(name) ?? 0;
    const inUse = used.scalar.get(name) ?? 0;
    if (quantity > capacity - inUse) {
      (out ??= []).push({ resourceName: name, reason: `Insufficient ${name}`, requested: quantity, used: inUse, capacity });
    }
  }
  return out ?? NO_SHORTAGE;
}

/** True when a pod requesting `podRequest` would fit `node` were it empty (the queueing hints' check). */
export function fitsEmptyNode(podRequest: Resource, node: Node): boolean {
  return fitsRequest(podRequest, new NodeInfo(node)).length === 0;
}
