/**
 * Resource amounts as the scheduler counts them (kube-scheduler's framework.Resource):
 * CPU in millicores, memory and ephemeral storage in bytes, a pod count, and any other
 * (extended, hugepages) resource by name.
 */
import type { Container, Pod } from '@converge/core';
import { parseQuantity } from '@converge/core/validation';

/** The CPU request counted for a container without one when scoring (kube-scheduler: 100m). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** The memory request counted for a container without one when scoring (kube-scheduler: 200 MiB). */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** An amount of every resource the scheduler counts. */
export interface Resource {
  /** CPU, in millicores. */
  milliCPU: number;
  /** Memory, in bytes. */
  memory: number;
  /** Local ephemeral storage, in bytes. */
  ephemeralStorage: number;
  /** Pods (only meaningful for a node's allocatable). */
  allowedPodNumber: number;
  /** Every other resource by name (extended resources such as `example.com/gpu`, `hugepages-2Mi`), in its base unit. */
  scalar: Map<string, number>;
}

/** An empty amount. */
export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: new Map() };
}

/** A copy of `r`. */
export function cloneResource(r: Resource): Resource {
  return { ...r, scalar: new Map(r.scalar) };
}

/** Adds `b` into `a` (times `sign`: -1 subtracts). */
export function addResource(a: Resource, b: Resource, sign = 1): void {
  a.milliCPU += sign * b.milliCPU;
  a.memory += sign * b.memory;
  a.ephemeralStorage += sign * b.ephemeralStorage;
  a.allowedPodNumber += sign * b.allowedPodNumber;
  for (const [k, v] of b.scalar) a.scalar.set(k, (a.scalar.get(k) ?? 0) + sign * v);
}

/** Raises every amount of `a` to at least `b`'s. */
function maxResource(a: Resource, b: Resource): void {
  a.milliCPU = Math.max(a.milliCPU, b.milliCPU);
  a.memory = Math.max(a.memory, b.memory);
  a.ephemeralStorage = Math.max(a.ephemeralStorage, b.ephemeralStorage);
  for (const [k, v] of b.scalar) a.scalar.set(k, Math.max(a.scalar.get(k) ?? 0, v));
}

/** The amount of `name` in `r` (`cpu` in millicores, `pods`, `memory`, `ephemeral-storage`, or a scalar resource). */
export function resourceAmount(r: Resource, name: string): number {
  switch (name) {
    case 'cpu':
      return r.milliCPU;
    case 'memory':
      return r.memory;
    case 'ephemeral-storage':
      return r.ephemeralStorage;
    case 'pods':
      return r.allowedPodNumber;
    default:
      return r.scalar.get(name) ?? 0;
  }
}

/** A resource list (`{ cpu: '500m', memory: '1Gi' }`) as an amount; malformed quantities count as 0. */
export function resourceFromList(list: Readonly<Record<string, string | number>> | undefined): Resource {
  const r = emptyResource();
  if (!list) return r;
  for (const [name, q] of Object.entries(list)) {
    const v = parseQuantity(q) ?? 0;
    switch (name) {
      case 'cpu':
        r.milliCPU = Math.ceil(v * 1000 - 1e-9);
        break;
      case 'memory':
        r.memory = v;
        break;
      case 'ephemeral-storage':
        r.ephemeralStorage = v;
        break;
      case 'pods':
        r.allowedPodNumber = v;
        break;
      default:
        r.scalar.set(name, v);
    }
  }
  return r;
}

/** Options of `podRequests`. */
export interface PodRequestsOptions {
  /** Count 100m CPU and 200 MiB memory for a container that requests none (as scoring does); default false. */
  nonZero?: boolean;
}

function containerRequests(c: Container, nonZero: boolean): Resource {
  const requests = c.resources?.requests as Record<string, string | number> | undefined;
  const r = resourceFromList(requests);
  if (nonZero) {
    if (requests?.['cpu'] === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (requests?.['memory'] === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * What a pod requests of a node, as Kubernetes counts it: the sum of its containers and of
 * its sidecars (init containers with `restartPolicy: Always`), or the most any one init
 * container needs (with the sidecars started before it) when that is more, plus the pod's
 * `spec.overhead`.
 */
export function podRequests(pod: Pod, options: PodRequestsOptions = {}): Resource {
  const nonZero = options.nonZero ?? false;
  const total = emptyResource();
  for (const c of pod.spec?.containers ?? []) addResource(total, containerRequests(c, nonZero));
  const sidecars = emptyResource();
  const initMax = emptyResource();
  for (const c of pod.spec?.initContainers ?? []) {
    const req = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addResource(sidecars, req);
      maxResource(initMax, sidecars);
    } else {
      const during = cloneResource(sidecars);
      addResource(during, req);
      maxResource(initMax, during);
    }
  }
  addResource(total, sidecars);
  maxResource(total, initMax);
  const overhead = pod.spec?.overhead as Record<string, string | number> | undefined;
  if (overhead) addResource(total, resourceFromList(overhead));
  return total;
}
