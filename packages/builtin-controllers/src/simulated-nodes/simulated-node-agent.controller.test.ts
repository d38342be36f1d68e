import { Leases, Nodes, Pods, type Pod } from '@converge/core';
import { FakeStore, ReconcilerHarness } from '@converge/testing';
import { describe, expect, it } from 'vitest';
import { SimulatedNodeAgent } from './simulated-node-agent.controller.js';

const pod = (name: string, extra: Partial<NonNullable<Pod['spec']>> = {}): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'a', image: 'img:1' }], ...extra },
  }) as Pod;

const peek = (store: FakeStore, name: string) => store.peek(Pods, { namespace: 'default', name });

describe('SimulatedNodeAgent', () => {
  it('binds unscheduled pods round-robin and reports them Running and Ready once the delay has passed', async () => {
    const store = new FakeStore({ objects: [pod('p1'), pod('p2'), pod('p3')] });
    const harness = new ReconcilerHarness({
      store,
      reconciler: new SimulatedNodeAgent(store, store.clock, { nodes: 2, startDelayMs: 2_000 }),
    });
    const early = await harness.reconcile('default/p1');
    expect(early.result).toEqual({ requeueAfter: 2_000 });
    expect(peek(store, 'p1')!.spec?.nodeName).toBe('converge-node-1');
    expect(peek(store, 'p1')!.status?.phase).not.toBe('Running');
    await harness.reconcile('default/p2');
    await harness.reconcile('default/p3');
    expect(['p1', 'p2', 'p3'].map((n) => peek(store, n)!.spec?.nodeName)).toEqual([
      'converge-node-1',
      'converge-node-2',
      'converge-node-1',
    ]);
    await store.clock.advance(2_000);
    for (const n of ['p1', 'p2', 'p3']) expect((await harness.reconcile(`default/${n}`)).error).toBeUndefined();
    const p2 = peek(store, 'p2')!;
    expect(p2.status?.phase).toBe('Running');
    expect(p2.status?.hostIP).toBe('127.0.0.3');
    expect(p2.status?.podIP).toMatch(/^10\.244\.1\.\d+$/);
    expect(p2.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(p2.status?.containerStatuses?.map((c) => [c.name, c.ready])).toEqual([['a', true]]);
    expect(new Set(['p1', 'p3'].map((n) => peek(store, n)!.status?.podIP)).size).toBe(2);
  });

  it('leaves pods on other nodes and pods for another scheduler alone', async () => {
    const store = new FakeStore({
      objects: [pod('elsewhere', { nodeName: 'real-node' }), pod('custom', { schedulerName: 'my-scheduler' })],
    });
    const harness = new ReconcilerHarness({ store, reconciler: new SimulatedNodeAgent(store, store.clock, { startDelayMs: 0 }) });
    expect((await harness.reconcile('default/elsewhere')).writes).toEqual([]);
    expect((await harness.reconcile('default/custom')).writes).toEqual([]);
  });

  it('removes a gracefully deleted pod of its node from the store', async () => {
    const store = new FakeStore({ objects: [pod('p', { nodeName: 'converge-node-1' })] });
    const harness = new ReconcilerHarness({ store, reconciler: new SimulatedNodeAgent(store, store.clock, { startDelayMs: 0 }) });
    await harness.reconcile('default/p');
    await store.delete(Pods, { namespace: 'default', name: 'p' }, { gracePeriodSeconds: 30 });
    expect(peek(store, 'p')?.metadata.deletionTimestamp).toBeDefined();
    await harness.reconcile('default/p');
    expect(peek(store, 'p')).toBeUndefined();
  });

  it('registers Ready Nodes with capacity and loopback addresses, and refreshes them when they exist', async () => {
    const store = new FakeStore({});
    const agent = new SimulatedNodeAgent(store, store.clock, { nodes: 2, heartbeatMs: 10_000 });
    const abort = new AbortController();
    const running = agent.registrar().start(abort.signal);
    await store.clock.advance(0);
    const n2 = store.peek(Nodes, { name: 'converge-node-2' })!;
    expect(n2.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(n2.status?.addresses).toContainEqual({ type: 'InternalIP', address: '127.0.0.3' });
    expect(n2.status?.capacity?.['pods']).toBe('110');
    const firstBeat = n2.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    await store.clock.advance(10_000);
    const beat = store.peek(Nodes, { name: 'converge-node-2' })!.status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime;
    expect(Date.parse(beat!)).toBeGreaterThan(Date.parse(firstBeat!));
    abort.abort();
    await running;
  });

  it('renews a Lease per node in kube-node-lease every 10 s, and re-posts the status of a node marked Unknown', async () => {
    const store = new FakeStore({ objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-node-lease' } }] });
    await store.ready();
    const agent = new SimulatedNodeAgent(store, store.clock, { nodes: 2 });
    const abort = new AbortController();
    const running = agent.registrar().start(abort.signal);
    await store.clock.advance(0);
    const lease = () => store.peek(Leases, { namespace: 'kube-node-lease', name: 'converge-node-1' });
    const node = store.peek(Nodes, { name: 'converge-node-1' })!;
    expect(lease()?.spec).toMatchObject({ holderIdentity: 'converge-node-1', leaseDurationSeconds: 40 });
    expect(lease()?.metadata.ownerReferences).toEqual([
      { apiVersion: 'v1', kind: 'Node', name: 'converge-node-1', uid: node.metadata.uid },
    ]);
    const first = Date.parse(lease()!.spec!.renewTime!);
    await store.clock.advance(10_000);
    expect(Date.parse(lease()!.spec!.renewTime!) - first).toBe(10_000);
    expect(store.peek(Leases, { namespace: 'kube-node-lease', name: 'converge-node-2' })).toBeDefined();

    await store.patch(
      Nodes,
      { name: 'converge-node-1' },
      { type: 'merge', body: { status: { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' }] } } },
      { subresource: 'status' },
    );
    await store.clock.advance(10_000);
    expect(store.peek(Nodes, { name: 'converge-node-1' })!.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    abort.abort();
    await running;
  });
});
