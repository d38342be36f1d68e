/**
 * Test fixtures for DefaultPreemption: pod, node and PDB builders, and a FrameworkHandle over
 * a FakeStore and a list of NodeInfos.
 *
 * What the handle does NOT model: its only filter is a fake resource fit on CPU (the pod's
 * CPU request against the node's allocatable minus `NodeInfo.requested`, reason
 * `Insufficient cpu`); PreFilter extensions only record their calls; the snapshot is the
 * NodeInfos given (not a cache); waiting pods and nominations are what the test sets.
 */
import { createLogger, EventRecorder, type Node, type Pod, type PodDisruptionBudget, type PodSpec, type PodStatus } from '@converge/core';
import { FakeStore } from '@converge/testing';
import { CycleState } from '../../framework/cycle-state.js';
import type { FrameworkHandle, Nominator, Snapshot, WaitingPod } from '../../framework/handle.js';
import { NodeInfo, podInfoOf, type PodInfo } from '../../framework/node-info.js';
import { podRequests } from '../../framework/resource.js';
import { Status } from '../../framework/status.js';
import { DefaultPreemption } from './default-preemption.plugin.js';

/** What a test pod looks like. */
export interface PodFixture {
  readonly name: string;
  /** CPU request, e.g. `'500m'`; default none. */
  readonly cpu?: string;
  readonly priority?: number;
  readonly nodeName?: string;
  readonly labels?: Record<string, string>;
  readonly namespace?: string;
  readonly preemptionPolicy?: PodSpec['preemptionPolicy'];
  readonly startTime?: string;
  readonly nominatedNodeName?: string;
}

/** A pod object (not yet stored) with one container requesting `cpu`. */
export function testPod(f: PodFixture): Pod {
  const spec: PodSpec = {
    containers: [{ name: 'c', image: 'busybox', ...(f.cpu ? { resources: { requests: { cpu: f.cpu } } } : {}) }],
    ...(f.priority !== undefined ? { priority: f.priority } : {}),
    ...(f.nodeName ? { nodeName: f.nodeName } : {}),
    ...(f.preemptionPolicy ? { preemptionPolicy: f.preemptionPolicy } : {}),
  };
  const status: PodStatus = {
    ...(f.startTime ? { startTime: f.startTime } : {}),
    ...(f.nominatedNodeName ? { nominatedNodeName: f.nominatedNodeName } : {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: f.name, namespace: f.namespace ?? 'default', ...(f.labels ? { labels: f.labels } : {}) },
    spec,
    status,
  };
}

/** A node object with `cpu` allocatable (default `'4'`). */
export function testNode(name: string, cpu = '4'): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    spec: {},
    status: { allocatable: { cpu, pods: '110' }, capacity: { cpu, pods: '110' } },
  };
}

/** A policy/v1 PDB over `matchLabels` in `default`, with `disruptionsAllowed` in its status. */
export function testPdb(name: string, matchLabels: Record<string, string>, disruptionsAllowed: number): PodDisruptionBudget {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'default' },
    spec: { minAvailable: 1, selector: { matchLabels } },
    status: { disruptionsAllowed, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1, observedGeneration: 1 },
  };
}

/** The fake resource fit: Unschedulable `Insufficient cpu` when the pod's CPU request does not fit what is left. */
export function fakeCpuFit(pod: Pod, nodeInfo: NodeInfo): Status {
  const want = podRequests(pod).milliCPU;
  return nodeInfo.requested.milliCPU + want > nodeInfo.allocatable.milliCPU ? Status.unschedulable('Insufficient cpu') : Status.success;
}

/** A FrameworkHandle over a FakeStore and NodeInfos, recording PreFilter extension calls. */
export class FixtureHandle implements FrameworkHandle {
  readonly profileName = 'default-scheduler';
  readonly logger = createLogger({ level: 'silent' });
  readonly events: EventRecorder;
  readonly nominated = new Map<string, PodInfo[]>();
  readonly waiting = new Map<string, WaitingPod>();
  /** `add <pod>` / `remove <pod>` per PreFilter extension call. */
  readonly extensionCalls: string[] = [];
  readonly nominator: Nominator = { nominatedPodsForNode: (n) => this.nominated.get(n) ?? [] };

  constructor(
    readonly store: FakeStore,
    readonly nodes: NodeInfo[],
  ) {
    this.events = new EventRecorder({ store, component: 'default-scheduler', clock: store.clock, logger: this.logger });
  }

  get clock(): FakeStore['clock'] {
    return this.store.clock;
  }

  snapshot(): Snapshot {
    return {
      list: () => this.nodes,
      get: (name) => this.nodes.find((n) => n.name === name),
      havePodsWithAffinity: () => this.nodes.filter((n) => n.podsWithAffinity.length > 0),
      havePodsWithRequiredAntiAffinity: () => this.nodes.filter((n) => n.podsWithRequiredAntiAffinity.length > 0),
    };
  }

  waitingPod(uid: string): WaitingPod | undefined {
    return this.waiting.get(uid);
  }

  runFilterPlugins(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    return fakeCpuFit(pod, nodeInfo);
  }

  runPreFilterExtensionAddPod(_s: CycleState, _p: Pod, podInfoToAdd: PodInfo): Status {
    this.extensionCalls.push(`add ${podInfoToAdd.pod.metadata.name ?? ''}`);
    return Status.success;
  }

  runPreFilterExtensionRemovePod(_s: CycleState, _p: Pod, podInfoToRemove: PodInfo): Status {
    this.extensionCalls.push(`remove ${podInfoToRemove.pod.metadata.name ?? ''}`);
    return Status.success;
  }

  /** Each node's filter status for `pod` (failures only), as the framework hands them to PostFilter. */
  filterStatuses(pod: Pod): Map<string, Status> {
    const out = new Map<string, Status>();
    for (const n of this.nodes) {
      const s = this.runFilterPlugins(new CycleState(), pod, n);
      if (!s.isSuccess()) out.set(n.name, s.withPlugin('FakeCpuFit'));
    }
    return out;
  }
}

/** A cluster for one preemption test. */
export interface PreemptionWorld {
  readonly store: FakeStore;
  readonly handle: FixtureHandle;
  readonly plugin: DefaultPreemption;
  /** The stored pods by name. */
  readonly pods: Map<string, Pod>;
}

/**
 * Seeds a FakeStore with the nodes, pods (bound ones are added to their NodeInfo) and PDBs,
 * and makes a DefaultPreemption over a FixtureHandle; the dry run starts at the first node.
 */
export async function preemptionWorld(options: {
  nodes: readonly Node[];
  pods: readonly PodFixture[];
  pdbs?: readonly PodDisruptionBudget[];
  args?: unknown;
}): Promise<PreemptionWorld> {
  const store = new FakeStore();
  await store.ready();
  await store.seed(...options.nodes);
  const pods = new Map<string, Pod>();
  for (const f of options.pods) {
    const [stored] = await store.seed(testPod(f));
    pods.set(f.name, stored as Pod);
  }
  if (options.pdbs?.length) await store.seed(...options.pdbs);
  const infos = options.nodes.map(
    (n) =>
      new NodeInfo(
        n,
        [...pods.values()].filter((p) => p.spec?.nodeName === n.metadata.name),
      ),
  );
  const handle = new FixtureHandle(store, infos);
  const plugin = new DefaultPreemption(handle, options.args);
  plugin.random = () => 0;
  return { store, handle, plugin, pods };
}

/** Nominates `pod` to `nodeName` in the handle's nominator. */
export function nominate(handle: FixtureHandle, nodeName: string, pod: Pod): void {
  handle.nominated.set(nodeName, [...(handle.nominated.get(nodeName) ?? []), podInfoOf(pod)]);
}
