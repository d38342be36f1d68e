import { Pods, type Pod } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { FakeStore } from './fake-store.js';
import { ReconcilerHarness } from './reconciler-harness.js';
import { TestKubelet } from './test-kubelet.js';

const pod = (name: string, nodeName?: string): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      containers: [
        { name: 'a', image: 'img:1' },
        { name: 'b', image: 'img:2' },
      ],
      ...(nodeName ? { nodeName } : {}),
    },
  }) as Pod;

describe('TestKubelet', () => {
  it('binds a pod to its node and reports it Running and Ready once the delay has passed', async () => {
    const store = new FakeStore({ objects: [pod('p')] });
    const harness = new ReconcilerHarness({ store, reconciler: new TestKubelet(store, store.clock, { delayMs: 2_000, nodeName: 'n1' }) });
    const early = await harness.reconcile('default/p');
    expect(early.result).toEqual({ requeueAfter: 2_000 });
    expect(early.writes).toEqual([]);
    await store.clock.advance(2_000);
    const run = await harness.reconcile('default/p');
    expect(run.error).toBeUndefined();
    const p = store.peek(Pods, { namespace: 'default', name: 'p' })!;
    expect(p.spec?.nodeName).toBe('n1');
    expect(p.status?.phase).toBe('Running');
    expect(p.status?.podIP).toMatch(/^127\.\d+\.\d+\.\d+$/);
    expect(p.status?.startTime).toBeDefined();
    expect(p.status?.conditions?.map((c) => [c.type, c.status])).toEqual(
      expect.arrayContaining([
        ['PodScheduled', 'True'],
        ['ContainersReady', 'True'],
        ['Ready', 'True'],
      ]),
    );
    expect(p.status?.containerStatuses?.map((c) => [c.name, c.ready, c.restartCount])).toEqual([
      ['a', true, 0],
      ['b', true, 0],
    ]);
  });

  it('gives every pod its own loopback address', async () => {
    const store = new FakeStore({ objects: [pod('p1'), pod('p2'), pod('p3')] });
    const harness = new ReconcilerHarness({ store, reconciler: new TestKubelet(store, store.clock, { delayMs: 0 }) });
    for (const n of ['p1', 'p2', 'p3']) await harness.reconcile(`default/${n}`);
    const ips = ['p1', 'p2', 'p3'].map((n) => store.peek(Pods, { namespace: 'default', name: n })!.status?.podIP);
    expect(new Set(ips).size).toBe(3);
  });

  it('leaves pods of other nodes alone unless told to run every node', async () => {
    const store = new FakeStore({ objects: [pod('elsewhere', 'n2')] });
    const mine = new ReconcilerHarness({ store, reconciler: new TestKubelet(store, store.clock, { delayMs: 0 }) });
    expect((await mine.reconcile('default/elsewhere')).writes).toEqual([]);
    const all = new ReconcilerHarness({ store, reconciler: new TestKubelet(store, store.clock, { delayMs: 0, allNodes: true }) });
    await all.reconcile('default/elsewhere');
    expect(store.peek(Pods, { namespace: 'default', name: 'elsewhere' })!.status?.phase).toBe('Running');
  });

  it('starts failing pods without ever making them ready', async () => {
    const store = new FakeStore({ objects: [pod('bad')] });
    const harness = new ReconcilerHarness({ store, reconciler: new TestKubelet(store, store.clock, { delayMs: 0, fail: () => true }) });
    await harness.reconcile('default/bad');
    const p = store.peek(Pods, { namespace: 'default', name: 'bad' })!;
    expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(p.status?.containerStatuses?.[0]?.state?.waiting?.reason).toBe('CrashLoopBackOff');
  });

  it('removes a pod being deleted once its termination delay has passed', async () => {
    const store = new FakeStore({ objects: [pod('going', 'test-node')] });
    const harness = new ReconcilerHarness({
      store,
      reconciler: new TestKubelet(store, store.clock, { delayMs: 0, terminationDelayMs: 5_000 }),
    });
    await harness.reconcile('default/going');
    await store.delete(Pods, { namespace: 'default', name: 'going' });
    expect(store.peek(Pods, { namespace: 'default', name: 'going' })?.metadata.deletionTimestamp).toBeDefined(); // graceful: still there
    expect((await harness.reconcile('default/going')).result).toEqual({ requeueAfter: 5_000 });
    await store.clock.advance(5_000);
    await harness.reconcile('default/going');
    expect(store.peek(Pods, { namespace: 'default', name: 'going' })).toBeUndefined();
  });
});
