/**
 * The scheduler with the node controllers and the ReplicaSet controller, composed as
 * `converge up` composes them, on the test environment's virtual time with nodes as objects:
 * the scenarios issue 18 names, end to end through the real plugins.
 */
import {
  Leases,
  Nodes,
  Pods,
  ReplicaSets,
  rfc3339,
  type KubeObject,
  type Lease,
  type Node,
  type Pod,
  type PodTemplateSpec,
  type ReplicaSet,
} from '@converge/core';
import { microTime } from '@converge/core/runtime';
import {
  NODE_LEASE_NAMESPACE,
  NodeLifecycleController,
  ReplicaSetController,
  TaintEvictionController,
} from '@converge/builtin-controllers';
import { KubeScheduler } from '@converge/scheduler';
import { startTestEnv, VIRTUAL_EPOCH, type TestEnv } from '@converge/testing';
import { afterEach, describe, expect, it } from 'vitest';

let env: TestEnv | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

function node(name: string, opts: { cpu?: string; taints?: { key: string; value?: string; effect: string }[] } = {}): Node {
  const ts = rfc3339(VIRTUAL_EPOCH);
  const allocatable = { cpu: opts.cpu ?? '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux' } },
    spec: opts.taints ? { taints: opts.taints } : {},
    status: {
      capacity: allocatable,
      allocatable,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: ts, lastTransitionTime: ts }],
    },
  } as Node;
}

function lease(name: string, at: number): Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: NODE_LEASE_NAMESPACE },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime(at) },
  } as Lease;
}

function pod(name: string, opts: { cpu?: string; priority?: number; nodeName?: string } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: {
      containers: [{ name: 'c', image: 'img:1', ...(opts.cpu ? { resources: { requests: { cpu: opts.cpu } } } : {}) }],
      ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
      ...(opts.nodeName ? { nodeName: opts.nodeName } : {}),
    },
  } as Pod;
}

function replicaSet(name: string, replicas: number, spec: Partial<NonNullable<PodTemplateSpec['spec']>> = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'img:1' }], ...spec } },
    },
  } as ReplicaSet;
}

const get = (e: TestEnv, name: string): Pod | undefined => e.peek(Pods, { namespace: 'default', name });
const podsOf = async (e: TestEnv, app: string): Promise<Pod[]> =>
  (await e.store.list(Pods, { namespace: 'default', labelSelector: `app=${app}` })).items.filter((p) => !p.metadata.deletionTimestamp);
const scheduledCondition = (p: Pod | undefined) => p?.status?.conditions?.find((c) => c.type === 'PodScheduled');

async function start(objects: KubeObject[], controllers: readonly unknown[] = []): Promise<TestEnv> {
  env = await startTestEnv({ objects, controllers: [KubeScheduler, ...(controllers as never[])] });
  return env;
}

describe('the scheduler in a cluster of nodes as objects', () => {
  it("reports why a pod fits nowhere in Kubernetes' words, then schedules it when a node that fits is added", async () => {
    const taint = { key: 'dedicated', value: 'infra', effect: 'NoSchedule' };
    const e = await start([
      node('n1', { cpu: '1' }),
      node('n2', { cpu: '1' }),
      node('n3', { cpu: '1' }),
      node('n4', { taints: [taint] }),
      node('n5', { taints: [taint] }),
      pod('big', { cpu: '2' }),
    ]);
    await e.runFor(1_000);
    expect(get(e, 'big')?.spec?.nodeName).toBeUndefined();
    expect(scheduledCondition(get(e, 'big'))).toMatchObject({
      status: 'False',
      reason: 'Unschedulable',
      message:
        '0/5 nodes are available: 2 node(s) had untolerated taint {dedicated: infra}, 3 Insufficient cpu. ' +
        'preemption: 0/5 nodes are available: 2 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.',
    });

    await e.store.create(Nodes, node('n6', { cpu: '8' }));
    await e.runFor(1_000);
    expect(get(e, 'big')?.spec?.nodeName).toBe('n6');
  });

  it('spreads three replicas with required anti-affinity over three nodes and leaves a fourth pending', async () => {
    const antiAffinity = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' },
        ],
      },
    };
    const e = await start([node('n1'), node('n2'), node('n3'), replicaSet('web', 3, { affinity: antiAffinity })], [ReplicaSetController]);
    await e.runFor(2_000);
    const placed = (await podsOf(e, 'web')).map((p) => p.spec?.nodeName);
    expect(placed).toHaveLength(3);
    expect(new Set(placed)).toEqual(new Set(['n1', 'n2', 'n3']));

    const rs = e.peek(ReplicaSets, { namespace: 'default', name: 'web' })!;
    await e.store.update(ReplicaSets, { ...rs, spec: { ...rs.spec!, replicas: 4 } });
    await e.runFor(2_000);
    const pending = (await podsOf(e, 'web')).filter((p) => !p.spec?.nodeName);
    expect(pending).toHaveLength(1);
    expect(scheduledCondition(pending[0])?.message).toMatch(
      /^0\/3 nodes are available: 3 node\(s\) didn't match pod anti-affinity rules\./,
    );
  });

  it('preempts a lower-priority pod so that a higher-priority one fits, nominating the node first', async () => {
    const e = await start([node('n1', { cpu: '2' }), pod('low', { cpu: '2', priority: 10, nodeName: 'n1' })]);
    await e.runFor(100);
    await e.store.create(Pods, pod('high', { cpu: '2', priority: 1000 }));
    await e.runFor(1_000);
    const victim = get(e, 'low')!;
    expect(victim.metadata.deletionTimestamp).toBeDefined();
    expect(victim.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'PreemptionByScheduler',
    });
    expect(get(e, 'high')?.status?.nominatedNodeName).toBe('n1');
    expect(get(e, 'high')?.spec?.nodeName).toBeUndefined();

    // The kubelet finishes the victim's graceful deletion; the preemptor then lands on the node.
    await e.store.delete(Pods, { namespace: 'default', name: 'low' }, { gracePeriodSeconds: 0 });
    await e.runFor(1_000);
    expect(get(e, 'high')?.spec?.nodeName).toBe('n1');
  });

  it("taints a node whose Lease stopped, evicts its pods and lets their ReplicaSet's replacements land elsewhere", async () => {
    const t0 = VIRTUAL_EPOCH;
    const tolerations = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) => ({
      key,
      operator: 'Exists' as const,
      effect: 'NoExecute' as const,
      tolerationSeconds: 30,
    }));
    const e = await start(
      [node('n1'), node('n2'), lease('n1', t0), lease('n2', t0), replicaSet('web', 4, { tolerations })],
      [NodeLifecycleController, TaintEvictionController, ReplicaSetController],
    );
    const renew = async (names: string[], ms: number) => {
      for (let left = ms; left > 0; left -= 5_000) {
        for (const name of names) {
          const l = e.peek(Leases, { namespace: NODE_LEASE_NAMESPACE, name })!;
          await e.store.update(Leases, { ...l, spec: { ...l.spec, renewTime: microTime(e.clock.now()) } });
        }
        await e.runFor(Math.min(5_000, left));
      }
    };
    await renew(['n1', 'n2'], 10_000);
    const before = (await podsOf(e, 'web')).map((p) => p.spec?.nodeName);
    expect(before.filter((n) => n === 'n1').length).toBeGreaterThan(0);
    expect(before.every((n) => n === 'n1' || n === 'n2')).toBe(true);

    // n1 goes silent: after the 40 s grace period it is unreachable; 30 s later its pods go.
    await renew(['n2'], 60_000);
    const n1 = e.peek(Nodes, { name: 'n1' })!;
    expect(n1.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(
      expect.arrayContaining(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']),
    );
    expect(n1.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('Unknown');
    await renew(['n2'], 60_000);
    const after = await podsOf(e, 'web');
    expect(after).toHaveLength(4);
    expect(after.every((p) => p.spec?.nodeName === 'n2')).toBe(true);
  });
});
