/**
 * A simulated node agent: kwok-style nodes for a cluster without a kubelet. It registers
 * Node objects and drives the pods on them through the lifecycle a kubelet reports, without
 * running any container. It stands in until Converge has a real kubelet.
 */
import 'reflect-metadata';
import {
  ClockToken,
  Controller,
  isAlreadyExists,
  isConflict,
  isNotFound,
  Leases,
  Nodes,
  objectKey,
  ObjectStoreToken,
  Pods,
  rfc3339,
  runnableFn,
  sleep,
  type Clock,
  type ControllerBlueprint,
  type Lease,
  type Node,
  type ObjectStore,
  type Pod,
  type Reconciler,
  type Request,
  type Result,
  type Runnable,
} from '@converge/core';
import { controllerBlueprintOf, microTime } from '@converge/core/runtime';
import { inject, optional } from 'inversify';
import { NODE_LEASE_NAMESPACE } from '../node/node-lifecycle-options.js';
import { simulatedNode, simulatedNodeAddress, simulatedNodeName } from './simulated-node.js';

/** Options of the simulated node agent. */
export interface SimulatedNodeAgentOptions {
  /** How many nodes to simulate (1..253); default 1. */
  nodes?: number;
  /** Ms between a pod's creation and its being reported Running and Ready; default 1,000. */
  startDelayMs?: number;
  /** Ms between re-posts of each node's status (its Ready heartbeat); default 60,000. */
  heartbeatMs?: number;
  /** Ms between renewals of each node's Lease in `kube-node-lease` (the kubelet's heartbeat); default 10,000. */
  leaseRenewMs?: number;
  /** Bind pods that have no node (and want the default scheduler) to the nodes, round-robin; default true. */
  bindUnscheduled?: boolean;
}

/** The inversify token of the agent's options (optional; defaults apply without it). */
export const SimulatedNodeAgentOptionsToken = Symbol.for('converge.builtin-controllers.SimulatedNodeAgentOptions');

/**
 * Plays the kubelet of N simulated nodes (kwok's model). For each pod, by its state:
 *
 * - no node yet, scheduler `default-scheduler`: bound to the next node round-robin through
 *   the `pods/binding` subresource (a stand-in for the scheduler);
 * - on one of its nodes, not started, `startDelayMs` after creation: reported as a kubelet
 *   reports a started pod (`phase: Running`, PodScheduled/Initialized/ContainersReady/Ready
 *   True, a running ready status per container, `hostIP` the node's, a `podIP` from the
 *   node's 10.244.<i>.0/24 range);
 * - on one of its nodes (or unbound) with `deletionTimestamp` set: removed from the store
 *   (delete with grace period 0, uid precondition), as a kubelet does once the containers
 *   stopped. Nothing runs, so nothing needs the grace period.
 *
 * Not modelled: containers, images, probes (Ready as soon as Running), resources, restarts,
 * pods that complete. Pods on other nodes are left alone.
 *
 * `registrar()` is the runnable that registers the Node objects and keeps them alive as a
 * kubelet does: it renews each node's Lease in `kube-node-lease` every `leaseRenewMs` (10 s;
 * holder the node, `leaseDurationSeconds` 40, owned by the Node), re-posts the status every
 * `heartbeatMs`, and at once when the Ready condition it finds is not True (the node
 * lifecycle controller marked it Unknown). Add it to the same manager.
 */
@Controller({ name: 'simulated-node-agent', for: Pods, maxConcurrentReconciles: 16, needLeaderElection: false })
export class SimulatedNodeAgent implements Reconciler {
  private readonly count: number;
  private readonly startDelayMs: number;
  private readonly heartbeatMs: number;
  private readonly leaseRenewMs: number;
  private readonly bindUnscheduled: boolean;
  private readonly nodeIndex = new Map<string, number>();
  private readonly nextPodIp: number[];
  private nextNode = 0;

  constructor(
    @inject(ObjectStoreToken) private readonly store: ObjectStore,
    @inject(ClockToken) private readonly clock: Clock,
    @inject(SimulatedNodeAgentOptionsToken) @optional() options: SimulatedNodeAgentOptions = {},
  ) {
    this.count = options.nodes ?? 1;
    if (!Number.isInteger(this.count) || this.count < 1 || this.count > 253)
      throw new Error(`simulated nodes must be 1..253, got ${options.nodes}`);
    this.startDelayMs = options.startDelayMs ?? 1000;
    this.heartbeatMs = options.heartbeatMs ?? 60_000;
    this.leaseRenewMs = options.leaseRenewMs ?? 10_000;
    this.bindUnscheduled = options.bindUnscheduled ?? true;
    for (let i = 0; i < this.count; i++) this.nodeIndex.set(simulatedNodeName(i), i);
    this.nextPodIp = new Array<number>(this.count).fill(0);
  }

  /** The names of the simulated nodes. */
  nodeNames(): string[] {
    return [...this.nodeIndex.keys()];
  }

  /** Moves one pod along: bind it, report it started after the delay, or finish its deletion. */
  async reconcile(request: Request): Promise<Result | void> {
    let pod: Pod;
    try {
      pod = await this.store.get(Pods, request);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const node = pod.spec?.nodeName;
    if (node && !this.nodeIndex.has(node)) return;
    if (!node && !this.wantsUs(pod)) return;
    if (pod.metadata.deletionTimestamp) return this.remove(pod);
    const phase = pod.status?.phase;
    if (phase === 'Running' || phase === 'Succeeded' || phase === 'Failed') return;
    if (!node) {
      pod = await this.bind(pod);
      if (!pod.spec?.nodeName) return;
    }
    const now = this.clock.now();
    const startAt = (Date.parse(pod.metadata.creationTimestamp ?? '') || now) + this.startDelayMs;
    if (now < startAt) return { requeueAfter: startAt - now };
    await this.start(pod, now);
  }

  /**
   * The runnable that registers the Nodes (or refreshes existing ones), renews their Leases
   * every `leaseRenewMs` and re-posts their status every `heartbeatMs` (or when not Ready).
   */
  registrar(): Runnable {
    return runnableFn('simulated-node-registrar', async (signal) => {
      const posted = new Array<number>(this.count).fill(-Infinity);
      for (;;) {
        const now = this.clock.now();
        for (let i = 0; i < this.count; i++) {
          let node: Node | undefined;
          if (now - posted[i]! >= this.heartbeatMs || !(await this.isReady(i))) {
            node = await this.register(i);
            posted[i] = now;
          }
          await this.renewLease(i, node);
        }
        try {
          await sleep(this.clock, Math.min(this.leaseRenewMs, this.heartbeatMs), signal);
        } catch {
          return;
        }
      }
    });
  }

  private wantsUs(pod: Pod): boolean {
    const scheduler = pod.spec?.schedulerName ?? 'default-scheduler';
    return this.bindUnscheduled && scheduler === 'default-scheduler';
  }

  private async isReady(index: number): Promise<boolean> {
    try {
      const node = await this.store.get(Nodes, { name: simulatedNodeName(index) });
      return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private async register(index: number): Promise<Node> {
    const node = simulatedNode(index, this.clock.now());
    try {
      return await this.store.create(Nodes, node);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    // Already registered (a restart over etcd, or a node marked Unknown): post a fresh status, as a kubelet does.
    return this.store.patch(
      Nodes,
      { name: node.metadata.name! },
      { type: 'merge', body: { status: node.status } },
      { subresource: 'status' },
    );
  }

  /** Renews the node's Lease in kube-node-lease, creating it (owned by the Node) when it is missing. */
  private async renewLease(index: number, node: Node | undefined): Promise<void> {
    const name = simulatedNodeName(index);
    const renewTime = microTime(this.clock.now());
    try {
      await this.store.patch(Leases, { namespace: NODE_LEASE_NAMESPACE, name }, { type: 'merge', body: { spec: { renewTime } } });
      return;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const owner = node ?? (await this.store.get(Nodes, { name }));
    const lease: Lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name,
        namespace: NODE_LEASE_NAMESPACE,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: owner.metadata.uid! }],
      },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime },
    };
    try {
      await this.store.create(Leases, lease);
    } catch (err) {
      // AlreadyExists: created meanwhile; NotFound: no kube-node-lease namespace (yet), as a kubelet, try again next time
      if (!isAlreadyExists(err) && !isNotFound(err)) throw err;
    }
  }

  private async bind(pod: Pod): Promise<Pod> {
    const target = simulatedNodeName(this.nextNode);
    this.nextNode = (this.nextNode + 1) % this.count;
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: pod.metadata.name!, namespace: pod.metadata.namespace!, uid: pod.metadata.uid },
      target: { apiVersion: 'v1', kind: 'Node', name: target },
    };
    try {
      await this.store.create(Pods, binding as never, { subresource: 'binding', name: pod.metadata.name! });
    } catch (err) {
      // Gone, or bound meanwhile (a conflict): the next event brings the pod back.
      if (isNotFound(err) || isConflict(err) || isAlreadyExists(err)) return pod;
      throw err;
    }
    return { ...pod, spec: { ...pod.spec!, nodeName: target } };
  }

  private async start(pod: Pod, now: number): Promise<void> {
    const ts = rfc3339(now);
    const index = this.nodeIndex.get(pod.spec!.nodeName!)!;
    const hostIP = simulatedNodeAddress(index);
    const podIP = pod.spec?.hostNetwork ? hostIP : this.allocatePodIp(index);
    const status = {
      phase: 'Running',
      startTime: ts,
      hostIP,
      hostIPs: [{ ip: hostIP }],
      podIP,
      podIPs: [{ ip: podIP }],
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: ts },
        { type: 'Initialized', status: 'True', lastTransitionTime: ts },
        { type: 'Ready', status: 'True', lastTransitionTime: ts },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: ts },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: ts },
      ],
      containerStatuses: (pod.spec?.containers ?? []).map((c, i) => ({
        name: c.name,
        image: c.image ?? '',
        imageID: `simulated://${c.image ?? ''}`,
        containerID: `simulated://${pod.metadata.uid ?? ''}-${i}`,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: ts } },
      })),
    };
    try {
      await this.store.patch(Pods, objectKey(pod), { type: 'merge', body: { status } }, { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  private async remove(pod: Pod): Promise<void> {
    try {
      await this.store.delete(Pods, objectKey(pod), { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid! } });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  /** 10.244.<node>.1 .. .254, then around again (nothing runs, so a reused address harms nothing). */
  private allocatePodIp(index: number): string {
    const n = this.nextPodIp[index]!;
    this.nextPodIp[index] = n + 1;
    return `10.244.${index}.${(n % 254) + 1}`;
  }
}

/** Options of `simulatedNodeAgent`: the store and clock it works with, and its behaviour. */
export interface SimulatedNodeAgentBlueprintOptions extends SimulatedNodeAgentOptions {
  /** Where pods and nodes are read and written (the registry in process, a RemoteObjectStore). */
  store: ObjectStore;
  /** The clock delays and heartbeats run on. */
  clock: Clock;
}

/** What a manager adds to run simulated nodes: the pod controller and the node registrar. */
export interface SimulatedNodeAgentParts {
  /** The agent instance (for `nodeNames()`). */
  agent: SimulatedNodeAgent;
  /** The `simulated-node-agent` controller, for Pods. */
  controller: ControllerBlueprint;
  /** The runnable registering the Nodes and refreshing their status. */
  registrar: Runnable;
}

/**
 * Builds a simulated node agent with options, as parts a manager adds:
 * `const { controller, registrar } = simulatedNodeAgent({ store, clock, nodes: 3 }); manager.add(controller); manager.add(registrar);`.
 */
export function simulatedNodeAgent(options: SimulatedNodeAgentBlueprintOptions): SimulatedNodeAgentParts {
  const { store, clock, ...rest } = options;
  const agent = new SimulatedNodeAgent(store, clock, rest);
  return { agent, controller: controllerBlueprintOf(agent), registrar: agent.registrar() };
}
