/**
 * What the scheduler knows of one node: the Node, the pods on it (bound or assumed) and
 * what they request (kube-scheduler's framework.NodeInfo). Plugins read it; only the
 * scheduler cache and preemption's dry runs (on clones) change it.
 */
import type { Node, Pod } from '@converge/core';
import { addResource, cloneResource, emptyResource, podRequests, resourceFromList, type Resource } from './resource.js';

/** A pod as the scheduler keeps it: the object and what it requests, computed once. */
export interface PodInfo {
  /** The pod. */
  readonly pod: Pod;
  /** Its requests (`podRequests`). */
  readonly requests: Resource;
  /** Its requests with 100m CPU / 200 MiB memory counted for containers that request none. */
  readonly nonZeroRequests: Resource;
  /** True when it has pod affinity or anti-affinity terms (required or preferred). */
  readonly hasAffinity: boolean;
  /** True when it has required pod anti-affinity terms. */
  readonly hasRequiredAntiAffinity: boolean;
}

/** The PodInfo of a pod. */
export function podInfoOf(pod: Pod): PodInfo {
  const a = pod.spec?.affinity;
  const hasAffinity = !!(a?.podAffinity || a?.podAntiAffinity);
  const anti = a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return {
    pod,
    requests: podRequests(pod),
    nonZeroRequests: podRequests(pod, { nonZero: true }),
    hasAffinity,
    hasRequiredAntiAffinity: !!anti && anti.length > 0,
  };
}

function isPodInfo(x: Pod | PodInfo): x is PodInfo {
  return 'requests' in x && 'pod' in x;
}

/** The key a pod is known by in the scheduler: its uid (namespace/name when it has none). */
export function podKey(pod: Pod): string {
  return pod.metadata.uid || `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** One host port in use: protocol, port and the host IP it is bound to (`0.0.0.0` for all). */
export interface HostPort {
  /** TCP, UDP or SCTP. */
  readonly protocol: string;
  /** The port. */
  readonly port: number;
  /** The host IP; `0.0.0.0` means every address. */
  readonly ip: string;
}

/** The host ports a pod asks for (its containers' and sidecars' ports with a hostPort, defaulting protocol TCP and IP 0.0.0.0). */
export function hostPortsOf(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  // Init containers hold their ports only while they run: only sidecars (restartPolicy Always) count, as in Kubernetes.
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const c of [...sidecars, ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      out.push({ protocol: p.protocol ?? 'TCP', port: p.hostPort, ip: p.hostIP || '0.0.0.0' });
    }
  }
  return out;
}

/** The host ports in use on a node, counted so that two pods on one port release it one at a time. */
export class HostPortInfo {
  private readonly used = new Map<string, number>();

  private static key(p: HostPort): string {
    return `${p.ip}|${p.protocol}|${p.port}`;
  }

  /** Marks a port used (once more). */
  add(p: HostPort): void {
    const k = HostPortInfo.key(p);
    this.used.set(k, (this.used.get(k) ?? 0) + 1);
  }

  /** Releases one use of a port. */
  remove(p: HostPort): void {
    const k = HostPortInfo.key(p);
    const n = (this.used.get(k) ?? 0) - 1;
    if (n > 0) this.used.set(k, n);
    else this.used.delete(k);
  }

  /** True when `p` conflicts with a port in use: same protocol and port, and the same IP or either is 0.0.0.0. */
  conflicts(p: HostPort): boolean {
    if (this.used.size === 0) return false;
    if (p.ip === '0.0.0.0') {
      const suffix = `|${p.protocol}|${p.port}`;
      for (const k of this.used.keys()) if (k.endsWith(suffix)) return true;
      return false;
    }
    return this.used.has(HostPortInfo.key(p)) || this.used.has(HostPortInfo.key({ ...p, ip: '0.0.0.0' }));
  }

  /** How many distinct ports are in use. */
  get size(): number {
    return this.used.size;
  }

  /** A copy. */
  clone(): HostPortInfo {
    const copy = new HostPortInfo();
    for (const [k, v] of this.used) copy.used.set(k, v);
    return copy;
  }
}

let nextGeneration = 1;

/** What the scheduler knows of one node. */
export class NodeInfo {
  /** The Node; undefined while pods are known on a node whose object was not seen (yet, or any more). */
  node: Node | undefined;
  /** The pods on it, bound or assumed. */
  pods: PodInfo[] = [];
  /** Of those, the ones with pod affinity or anti-affinity terms. */
  podsWithAffinity: PodInfo[] = [];
  /** Of those, the ones with required pod anti-affinity terms. */
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  /** The host ports its pods use. */
  usedPorts = new HostPortInfo();
  /** The sum of its pods' requests. */
  requested: Resource = emptyResource();
  /** The sum of its pods' requests, with defaults for containers that request no CPU or memory (for scoring). */
  nonZeroRequested: Resource = emptyResource();
  /** The node's `status.allocatable`. */
  allocatable: Resource = emptyResource();
  /** Changes on every update; the cache's snapshot copies nodes whose generation moved. */
  generation = nextGeneration++;

  /** Makes the NodeInfo of a node (or of no node yet) with the pods given. */
  constructor(node?: Node, pods: readonly Pod[] = []) {
    if (node) this.setNode(node);
    for (const p of pods) this.addPod(p);
  }

  /** The node's name ('' when the Node is unknown). */
  get name(): string {
    return this.node?.metadata.name ?? '';
  }

  /** Sets (or replaces) the Node, taking its allocatable. */
  setNode(node: Node): void {
    this.node = node;
    this.allocatable = resourceFromList(node.status?.allocatable as Record<string, string | number> | undefined);
    this.generation = nextGeneration++;
  }

  /** Adds a pod (a PodInfo is made when a Pod is given). */
  addPod(pod: Pod | PodInfo): void {
    const info: PodInfo = isPodInfo(pod) ? pod : podInfoOf(pod);
    this.pods.push(info);
    if (info.hasAffinity) this.podsWithAffinity.push(info);
    if (info.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity.push(info);
    addResource(this.requested, info.requests);
    addResource(this.nonZeroRequested, info.nonZeroRequests);
    for (const p of hostPortsOf(info.pod)) this.usedPorts.add(p);
    this.generation = nextGeneration++;
  }

  /** Removes the pod with the same key (uid); false when it was not there. */
  removePod(pod: Pod): boolean {
    const key = podKey(pod);
    const i = this.pods.findIndex((p) => podKey(p.pod) === key);
    if (i < 0) return false;
    const info = this.pods[i]!;
    this.pods.splice(i, 1);
    if (info.hasAffinity) this.podsWithAffinity = this.podsWithAffinity.filter((p) => p !== info);
    if (info.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.filter((p) => p !== info);
    addResource(this.requested, info.requests, -1);
    addResource(this.nonZeroRequested, info.nonZeroRequests, -1);
    for (const p of hostPortsOf(info.pod)) this.usedPorts.remove(p);
    this.generation = nextGeneration++;
    return true;
  }

  /** A copy whose pods and amounts can change without touching this one (the Node and pods are shared, read-only). */
  clone(): NodeInfo {
    const copy = new NodeInfo();
    copy.node = this.node;
    copy.pods = [...this.pods];
    copy.podsWithAffinity = [...this.podsWithAffinity];
    copy.podsWithRequiredAntiAffinity = [...this.podsWithRequiredAntiAffinity];
    copy.usedPorts = this.usedPorts.clone();
    copy.requested = cloneResource(this.requested);
    copy.nonZeroRequested = cloneResource(this.nonZeroRequested);
    copy.allocatable = cloneResource(this.allocatable);
    copy.generation = this.generation;
    return copy;
  }
}
