/**
 * The scheduler cache (kube-scheduler's internal cache): what is on every node, from Node
 * and bound Pod events plus the pods the scheduler itself assumed onto nodes while their
 * binding is under way, so that back-to-back decisions see each other's reservations.
 *
 * An assumed pod's life: `assumePod` (the scheduling cycle chose its node) → `finishBinding`
 * (the binding request returned) → `addPod` when the bound pod comes back through the informer
 * (confirmed); or `forgetPod` when scheduling or binding failed. An assumed pod whose binding
 * finished but which never shows up is dropped after `assumedPodTtlMs`.
 */
import type { Clock, Node, Pod } from '@converge/core';
import { NodeInfo, podInfoOf, podKey, type PodInfo } from '../framework/node-info.js';
import { NodeSnapshot } from './node-snapshot.js';

/** A node's zone key as kube-scheduler forms it: `<region>:\x00:<zone>` from the topology labels ('' without either). */
export function zoneKey(node: Node): string {
  const l = node.metadata.labels ?? {};
  const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\x00:${zone}`;
}

/** Options of a SchedulerCache. */
export interface SchedulerCacheOptions {
  /** The clock of assumed pods' expiry. */
  clock: Clock;
  /**
   * How long an assumed pod whose binding finished may wait for its bound version before it
   * is dropped, in ms; default 900,000 (15 min); 0 never expires them (kube-scheduler's own
   * setting since 1.23, where a failed binding always forgets the pod).
   */
  assumedPodTtlMs?: number;
}

interface PodState {
  pod: Pod;
  nodeName: string;
  assumed: boolean;
  /** When an assumed pod whose binding finished expires; undefined while binding. */
  deadline: number | undefined;
}

/** The scheduler's view of the nodes and the pods on them; see the file comment. */
export class SchedulerCache {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  /** Every NodeInfo, by node name; one exists for a node with a Node object or with pods. */
  private readonly nodes = new Map<string, NodeInfo>();
  /** The names of the nodes with a Node object, in the order they were added. */
  private readonly nodeOrder = new Set<string>();
  private readonly podStates = new Map<string, PodState>();
  private readonly assumed = new Set<string>();
  /** Assumed pods whose binding finished, by key, in deadline order (the TTL is constant). */
  private readonly expiring = new Map<string, number>();
  /** Nodes changed since the last `updateSnapshot`. */
  private readonly dirty = new Set<string>();
  /** Whether the set of nodes with a Node object changed since the last `updateSnapshot`. */
  private nodeSetChanged = false;

  /** Makes an empty cache. */
  constructor(options: SchedulerCacheOptions) {
    this.clock = options.clock;
    this.ttlMs = options.assumedPodTtlMs ?? 15 * 60_000;
  }

  /** How many nodes have a Node object. */
  nodeCount(): number {
    return this.nodeOrder.size;
  }

  /** The cache's own NodeInfo of a node (read-only for callers). */
  nodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  /** True when the pod is assumed (its bound version not seen yet). */
  isAssumed(pod: Pod): boolean {
    return this.assumed.has(podKey(pod));
  }

  /** The node the cache has the pod on, if any. */
  nodeOfPod(pod: Pod): string | undefined {
    return this.podStates.get(podKey(pod))?.nodeName;
  }

  /** Adds or replaces a Node. */
  addNode(node: Node): void {
    const name = node.metadata.name!;
    let info = this.nodes.get(name);
    if (!info) this.nodes.set(name, (info = new NodeInfo()));
    if (info.node && zoneKey(info.node) !== zoneKey(node)) this.nodeSetChanged = true;
    info.setNode(node);
    if (!this.nodeOrder.has(name)) {
      this.nodeOrder.add(name);
      this.nodeSetChanged = true;
    }
    this.dirty.add(name);
  }

  /** Replaces a Node. */
  updateNode(_old: Node, node: Node): void {
    this.addNode(node);
  }

  /** Removes a Node; its NodeInfo stays while pods are known on it. */
  removeNode(node: Node): void {
    const name = node.metadata.name!;
    const info = this.nodes.get(name);
    if (!info) return;
    this.nodeOrder.delete(name);
    this.nodeSetChanged = true;
    this.dirty.add(name);
    if (info.pods.length === 0) this.nodes.delete(name);
    else info.node = undefined;
  }

  /** Puts `pod` (whose `spec.nodeName` is the chosen node) on its node before it is bound. */
  assumePod(pod: Pod | PodInfo): void {
    const info = 'nonZeroRequests' in pod && 'pod' in pod ? (pod as PodInfo) : podInfoOf(pod as Pod);
    const key = podKey(info.pod);
    if (this.podStates.has(key)) throw new Error(`pod ${key} is in the cache already, so it cannot be assumed`);
    const nodeName = info.pod.spec?.nodeName;
    if (!nodeName) throw new Error(`pod ${key} has no spec.nodeName, so it cannot be assumed`);
    this.infoFor(nodeName).addPod(info);
    this.dirty.add(nodeName);
    this.podStates.set(key, { pod: info.pod, nodeName, assumed: true, deadline: undefined });
    this.assumed.add(key);
  }

  /** The binding of an assumed pod returned: its expiry clock starts. */
  finishBinding(pod: Pod): void {
    const state = this.podStates.get(podKey(pod));
    if (!state?.assumed) return;
    state.deadline = this.ttlMs > 0 ? this.clock.now() + this.ttlMs : undefined;
    if (state.deadline !== undefined) this.expiring.set(podKey(pod), state.deadline);
  }

  /** Removes an assumed pod (its scheduling or binding failed). */
  forgetPod(pod: Pod): void {
    const key = podKey(pod);
    const state = this.podStates.get(key);
    if (!state?.assumed) return;
    this.removeFromNode(state);
    this.podStates.delete(key);
    this.assumed.delete(key);
    this.expiring.delete(key);
  }

  /** A bound pod appeared (or an assumed one was confirmed). */
  addPod(pod: Pod): void {
    const key = podKey(pod);
    const state = this.podStates.get(key);
    if (state) {
      this.assumed.delete(key);
      this.expiring.delete(key);
      this.replace(state, pod);
      return;
    }
    const nodeName = pod.spec!.nodeName!;
    this.infoFor(nodeName).addPod(pod);
    this.dirty.add(nodeName);
    this.podStates.set(key, { pod, nodeName, assumed: false, deadline: undefined });
  }

  /** A bound pod changed. */
  updatePod(_old: Pod, pod: Pod): void {
    this.addPod(pod);
  }

  /** A bound pod is gone (deleted, or terminated). */
  removePod(pod: Pod): void {
    const key = podKey(pod);
    const state = this.podStates.get(key);
    if (!state) return;
    this.removeFromNode(state);
    this.podStates.delete(key);
    this.assumed.delete(key);
    this.expiring.delete(key);
  }

  /** Drops assumed pods whose binding finished more than the TTL ago; returns them. */
  cleanupExpiredAssumedPods(): Pod[] {
    if (this.expiring.size === 0) return [];
    const now = this.clock.now();
    const expired: Pod[] = [];
    for (const [key, deadline] of this.expiring) {
      if (deadline > now) break;
      expired.push(this.podStates.get(key)!.pod);
    }
    for (const pod of expired) this.forgetPod(pod);
    return expired;
  }

  /**
   * Brings `snapshot` up to date: copies only the NodeInfos that changed since the last call,
   * and rebuilds the node list and the affinity lists only when nodes came or went (otherwise a
   * changed node's new copy takes the old one's place in them).
   */
  updateSnapshot(snapshot: NodeSnapshot): void {
    this.cleanupExpiredAssumedPods();
    let rebuild = this.nodeSetChanged;
    for (const name of this.dirty) {
      const info = this.nodes.get(name);
      if (!info) {
        snapshot.map.delete(name);
        rebuild = true;
        continue;
      }
      const copy = info.clone();
      snapshot.map.set(name, copy);
      if (rebuild) continue;
      snapshot.updateAffinityLists(copy);
      const pos = snapshot.positions.get(name);
      if (pos !== undefined && copy.node) snapshot.nodes[pos] = copy;
      else if (pos !== undefined || copy.node) rebuild = true;
    }
    snapshot.recordChanges(this.dirty);
    this.dirty.clear();
    this.nodeSetChanged = false;
    if (rebuild) {
      snapshot.nodes = [];
      snapshot.positions.clear();
      for (const name of this.zoneInterleavedOrder()) {
        const info = snapshot.map.get(name);
        if (!info?.node) continue;
        snapshot.positions.set(name, snapshot.nodes.length);
        snapshot.nodes.push(info);
      }
    }
    if (rebuild) snapshot.rebuildAffinityLists();
  }

  /**
   * The nodes in kube-scheduler's node-tree order: zones in the order they first appeared,
   * taking one node of each zone in turn (nodes of a zone in the order they were added), so a
   * search that stops early still sees every zone.
   */
  private zoneInterleavedOrder(): string[] {
    const zones = new Map<string, string[]>();
    for (const name of this.nodeOrder) {
      const key = zoneKey(this.nodes.get(name)!.node!);
      const list = zones.get(key);
      if (list) list.push(name);
      else zones.set(key, [name]);
    }
    if (zones.size <= 1) return [...this.nodeOrder];
    const lists = [...zones.values()];
    const out: string[] = [];
    for (let round = 0; out.length < this.nodeOrder.size; round++) for (const l of lists) if (round < l.length) out.push(l[round]!);
    return out;
  }

  private infoFor(nodeName: string): NodeInfo {
    let info = this.nodes.get(nodeName);
    if (!info) this.nodes.set(nodeName, (info = new NodeInfo()));
    return info;
  }

  private removeFromNode(state: PodState): void {
    const info = this.nodes.get(state.nodeName);
    if (!info) return;
    info.removePod(state.pod);
    this.dirty.add(state.nodeName);
    if (!info.node && info.pods.length === 0) this.nodes.delete(state.nodeName);
  }

  private replace(state: PodState, pod: Pod): void {
    this.removeFromNode(state);
    state.pod = pod;
    state.nodeName = pod.spec!.nodeName!;
    state.assumed = false;
    state.deadline = undefined;
    this.infoFor(state.nodeName).addPod(pod);
    this.dirty.add(state.nodeName);
  }
}
