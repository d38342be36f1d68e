import { Events, Nodes, Pods, type KubeObject } from '@converge/core';
import { TestEnv, VIRTUAL_EPOCH } from '@converge/testing';
import { afterEach, describe, expect, it } from 'vitest';
import {
  conditionOf,
  nodeLease,
  podOn,
  postReady,
  readyNode,
  runWithLeases,
  taintsOf,
} from '../testing-fixtures/node-controllers.fixture.js';
import { NodeLifecycleOptionsToken, type NodeLifecycleOptions } from './node-lifecycle-options.js';
import { NodeLifecycleController } from './node-lifecycle.controller.js';

const T0 = VIRTUAL_EPOCH;
let env: TestEnv | undefined;

afterEach(async () => {
  await env?.stop();
  env = undefined;
});

async function start(
  objects: KubeObject[],
  options?: NodeLifecycleOptions,
): Promise<{ env: TestEnv; controller: NodeLifecycleController }> {
  const e = new TestEnv({ objects });
  if (options) e.manager.container.bind(NodeLifecycleOptionsToken).toConstantValue(options);
  env = e;
  e.add(NodeLifecycleController);
  await e.start();
  await e.runUntilQuiescent({ allowDelayed: true });
  const controller = e.manager.container.get(NodeLifecycleController);
  return { env: e, controller };
}

const twoNodes = () => [readyNode('n1', T0), readyNode('n2', T0), nodeLease('n1', T0), nodeLease('n2', T0)];

describe('NodeLifecycleController', () => {
  it('keeps nodes whose Leases are renewed Ready and untainted', async () => {
    const { env } = await start(twoNodes());
    await runWithLeases(env, 120_000, ['n1', 'n2']);
    for (const n of ['n1', 'n2']) {
      expect(conditionOf(env, n, 'Ready')?.status).toBe('True');
      expect(taintsOf(env, n)).toEqual([]);
    }
  });

  it('marks a node whose Lease stops Unknown and unreachable after the grace period, and clears that when it comes back', async () => {
    const { env, controller } = await start([...twoNodes(), podOn('p', 'n1')]);
    await env.store.patch(
      Pods,
      { namespace: 'default', name: 'p' },
      { type: 'merge', body: { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } } },
      { subresource: 'status' },
    );
    await runWithLeases(env, 30_000, ['n1', 'n2']);
    const silentSince = env.clock.now() - 10_000; // the last renewal
    await runWithLeases(env, 25_000, ['n2']);
    expect(conditionOf(env, 'n1', 'Ready')?.status).toBe('True'); // 35 s < 40 s
    await runWithLeases(env, 10_000, ['n2']);

    const ready = conditionOf(env, 'n1', 'Ready')!;
    expect(ready).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(Date.parse(ready.lastTransitionTime!) - silentSince).toBeGreaterThanOrEqual(40_000);
    for (const type of ['MemoryPressure', 'DiskPressure', 'PIDPressure'])
      expect(conditionOf(env, 'n1', type)).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown' });
    expect(taintsOf(env, 'n1')).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
    const noExecute = env.store.peek(Nodes, { name: 'n1' })!.spec!.taints!.find((t) => t.effect === 'NoExecute')!;
    expect(Date.parse(noExecute.timeAdded!)).toBe(Date.parse(ready.lastTransitionTime!));
    expect(conditionOf(env, 'n2', 'Ready')?.status).toBe('True');
    expect(taintsOf(env, 'n2')).toEqual([]);
    // its pods are no longer ready, and the change is told in events
    expect(env.store.peek(Pods, { namespace: 'default', name: 'p' })!.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe(
      'False',
    );
    await controller.events.flush();
    const events = (await env.store.list(Events, { namespace: 'default' })).items.map((e) => `${e.involvedObject.kind}/${e.reason}`);
    expect(events).toEqual(expect.arrayContaining(['Node/RegisteredNode', 'Node/NodeNotReady', 'Pod/NodeNotReady']));

    // the kubelet comes back: Lease renewed, Ready posted
    await postReady(env, 'n1');
    await runWithLeases(env, 10_000, ['n1', 'n2']);
    expect(conditionOf(env, 'n1', 'Ready')?.status).toBe('True');
    expect(taintsOf(env, 'n1')).toEqual([]);
    await runWithLeases(env, 60_000, ['n1', 'n2']);
    expect(conditionOf(env, 'n1', 'Ready')?.status).toBe('True');
  });

  it('taints a node whose kubelet reports Ready=False not-ready, and mirrors spec.unschedulable', async () => {
    const { env } = await start(twoNodes());
    await env.store.patch(
      Nodes,
      { name: 'n1' },
      { type: 'merge', body: { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }] } } },
      { subresource: 'status' },
    );
    await env.store.patch(Nodes, { name: 'n2' }, { type: 'merge', body: { spec: { unschedulable: true } } });
    await runWithLeases(env, 1_000, ['n1', 'n2']);
    expect(taintsOf(env, 'n1')).toEqual(['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
    expect(taintsOf(env, 'n2')).toEqual(['node.kubernetes.io/unschedulable:NoSchedule']);
    await env.store.patch(Nodes, { name: 'n2' }, { type: 'merge', body: { spec: { unschedulable: false } } });
    await runWithLeases(env, 1_000, ['n1', 'n2']);
    expect(taintsOf(env, 'n2')).toEqual([]);
  });

  it('honours a configured grace period, and uses the node startup grace period for a node that never posted Ready', async () => {
    const fresh = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'new' } } as KubeObject;
    const { env } = await start([...twoNodes(), fresh], { nodeMonitorGracePeriodMs: 20_000, nodeStartupGracePeriodMs: 30_000 });
    await runWithLeases(env, 20_000, ['n2']);
    expect(conditionOf(env, 'n1', 'Ready')?.status).toBe('Unknown');
    expect(conditionOf(env, 'new', 'Ready')).toBeUndefined();
    await runWithLeases(env, 20_000, ['n2']);
    expect(conditionOf(env, 'new', 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated' });
  });

  it('adds no NoExecute taint when no node of the cluster is ready (the fault is taken to be its own)', async () => {
    const { env } = await start(twoNodes());
    await runWithLeases(env, 60_000, []);
    for (const n of ['n1', 'n2']) {
      expect(conditionOf(env, n, 'Ready')?.status).toBe('Unknown');
      expect(taintsOf(env, n)).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
    }
  });

  it('taints at most one node per 10 s per zone for eviction', async () => {
    const nodes = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'];
    const { env } = await start(nodes.flatMap((n) => [readyNode(n, T0), nodeLease(n, T0)]));
    await runWithLeases(env, 10_000, nodes);
    await runWithLeases(env, 35_000, nodes.slice(2)); // a and b went silent together 45 s ago
    const noExecute = () => ['a', 'b'].filter((n) => taintsOf(env, n).includes('node.kubernetes.io/unreachable:NoExecute'));
    expect(noExecute()).toHaveLength(1);
    await runWithLeases(env, 10_000, nodes.slice(2));
    expect(noExecute()).toHaveLength(2);
  });

  it('records RemovingNode for a deleted node and forgets it, so it no longer counts in its zone', async () => {
    const { env, controller } = await start(twoNodes());
    await env.store.delete(Nodes, { name: 'n2' });
    await runWithLeases(env, 1_000, ['n1']);
    await controller.events.flush();
    const events = (await env.store.list(Events, { namespace: 'default' })).items;
    expect(events.find((e) => e.reason === 'RemovingNode')).toMatchObject({
      involvedObject: { kind: 'Node', name: 'n2' },
      message: 'Node n2 event: Removing Node n2 from Controller',
    });
    // n1 alone, silent: no node is ready, so no NoExecute taint
    await runWithLeases(env, 60_000, []);
    expect(taintsOf(env, 'n1')).toEqual(['node.kubernetes.io/unreachable:NoSchedule']);
  });

  it('swaps not-ready for unreachable at once when a NotReady node also goes silent, whatever the eviction rate', async () => {
    const { env } = await start(twoNodes(), { nodeEvictionRate: 0.001 }); // one new NoExecute taint per 1,000 s
    await env.store.patch(
      Nodes,
      { name: 'n1' },
      { type: 'merge', body: { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }] } } },
      { subresource: 'status' },
    );
    await runWithLeases(env, 10_000, ['n1', 'n2']);
    expect(taintsOf(env, 'n1')).toEqual(['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
    await runWithLeases(env, 41_000, ['n2']);
    expect(conditionOf(env, 'n1', 'Ready')?.status).toBe('Unknown');
    expect(taintsOf(env, 'n1')).toEqual(['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule']);
  });
});
