/**
 * Builders for the topology plugins' tests: nodes, pods, NodeInfos with their pods, a
 * Snapshot over them and a FrameworkHandle stub whose store is a FakeStore.
 */
import { silentLogger, type EventRecorder, type KubeObject, type Node, type Pod } from '@converge/core';
import { FakeStore } from '@converge/testing';
import { CycleState } from '../../framework/cycle-state.js';
import type { FrameworkHandle, Snapshot } from '../../framework/handle.js';
import { NodeInfo, podInfoOf } from '../../framework/node-info.js';
import type { FilterPlugin, PreFilterPlugin } from '../../framework/plugin.js';
import { Status } from '../../framework/status.js';

/** Options of `node`. */
export interface NodeSpec {
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
}

/** A Node named `name` with labels (hostname label added) and taints. */
export function node(name: string, spec: NodeSpec = {}): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...spec.labels } },
    spec: spec.taints ? { taints: spec.taints } : {},
    status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
  } as Node;
}

/** Options of `pod`. */
export interface PodSpec {
  namespace?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  affinity?: NonNullable<Pod['spec']>['affinity'];
  topologySpreadConstraints?: NonNullable<Pod['spec']>['topologySpreadConstraints'];
  nodeSelector?: Record<string, string>;
  tolerations?: NonNullable<Pod['spec']>['tolerations'];
  ownerReferences?: NonNullable<Pod['metadata']['ownerReferences']>;
  terminating?: boolean;
}

let uid = 0;

/** A Pod named `name` (namespace `default` unless given). */
export function pod(name: string, spec: PodSpec = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: spec.namespace ?? 'default',
      uid: `uid-${name}-${++uid}`,
      labels: spec.labels ?? {},
      ...(spec.ownerReferences ? { ownerReferences: spec.ownerReferences } : {}),
      ...(spec.terminating ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
    },
    spec: {
      containers: [{ name: 'c', image: 'i' }],
      ...(spec.nodeName ? { nodeName: spec.nodeName } : {}),
      ...(spec.affinity ? { affinity: spec.affinity } : {}),
      ...(spec.topologySpreadConstraints ? { topologySpreadConstraints: spec.topologySpreadConstraints } : {}),
      ...(spec.nodeSelector ? { nodeSelector: spec.nodeSelector } : {}),
      ...(spec.tolerations ? { tolerations: spec.tolerations } : {}),
    },
  } as Pod;
}

/** NodeInfos of the nodes, each with the pods whose `spec.nodeName` names it. */
export function nodeInfos(nodes: readonly Node[], pods: readonly Pod[] = []): NodeInfo[] {
  return nodes.map(
    (n) =>
      new NodeInfo(
        n,
        pods.filter((p) => p.spec?.nodeName === n.metadata.name),
      ),
  );
}

/** A Snapshot over NodeInfos (the lists are computed on each call, so tests may add pods in between). */
export class TestSnapshot implements Snapshot {
  /** Makes a snapshot of `infos`. */
  constructor(readonly infos: NodeInfo[]) {}
  /** Every node. */
  list(): readonly NodeInfo[] {
    return this.infos;
  }
  /** One node by name. */
  get(name: string): NodeInfo | undefined {
    return this.infos.find((i) => i.name === name);
  }
  /** Nodes with pods with affinity. */
  havePodsWithAffinity(): readonly NodeInfo[] {
    return this.infos.filter((i) => i.podsWithAffinity.length > 0);
  }
  /** Nodes with pods with required anti-affinity. */
  havePodsWithRequiredAntiAffinity(): readonly NodeInfo[] {
    return this.infos.filter((i) => i.podsWithRequiredAntiAffinity.length > 0);
  }
  /** Adds a pod to the named node (as the cache would after binding). */
  bind(p: Pod, nodeName: string): void {
    const bound = { ...p, spec: { ...p.spec, nodeName } } as Pod;
    this.get(nodeName)!.addPod(podInfoOf(bound));
  }
}

/** A FrameworkHandle stub over a snapshot and a FakeStore holding `objects` (namespaces `default` plus those given). */
export function testHandle(snapshot: TestSnapshot, objects: KubeObject[] = []): FrameworkHandle & { fakeStore: FakeStore } {
  const store = new FakeStore({ objects });
  const notUsed = (what: string) => () => {
    throw new Error(`${what} is not available in this test handle`);
  };
  return {
    fakeStore: store,
    profileName: 'default-scheduler',
    store,
    clock: store.clock,
    logger: silentLogger(),
    events: undefined as unknown as EventRecorder,
    snapshot: () => snapshot,
    nominator: { nominatedPodsForNode: () => [] },
    waitingPod: () => undefined,
    runFilterPlugins: notUsed('runFilterPlugins'),
    runPreFilterExtensionAddPod: notUsed('runPreFilterExtensionAddPod'),
    runPreFilterExtensionRemovePod: notUsed('runPreFilterExtensionRemovePod'),
  };
}

/** Runs PreFilter then Filter on every node; the status per node name (a PreFilter Skip counts as success everywhere). */
export function filterAll(
  plugin: PreFilterPlugin & FilterPlugin,
  p: Pod,
  snapshot: TestSnapshot,
  state = new CycleState(),
): Map<string, Status> {
  const out = new Map<string, Status>();
  const pre = plugin.preFilter(state, p, snapshot.list());
  const skip = pre instanceof Status && pre.code === 'Skip';
  if (pre instanceof Status && !skip && !pre.isSuccess()) {
    for (const ni of snapshot.list()) out.set(ni.name, pre);
    return out;
  }
  for (const ni of snapshot.list()) out.set(ni.name, skip ? Status.success : plugin.filter(state, p, ni));
  return out;
}

/** A compact view of filter statuses: `node: code reason` lines for non-successes, `node: ok` otherwise. */
export function summarize(statuses: Map<string, Status>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, s] of statuses) out[n] = s.isSuccess() ? 'ok' : `${s.code}: ${s.reasons.join(', ')}`;
  return out;
}
