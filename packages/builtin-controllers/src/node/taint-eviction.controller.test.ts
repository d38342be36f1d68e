import 'reflect-metadata';
import {
  ClockToken,
  Controller,
  Events,
  Nodes,
  ObjectStoreToken,
  Pods,
  ReplicaSets,
  rfc3339,
  type Clock,
  type KubeObject,
  type ObjectStore,
  type Pod,
  type ReplicaSet,
  type Request,
} from '@converge/core';
import { FakeStore, ReconcilerHarness, TestEnv, VIRTUAL_EPOCH } from '@converge/testing';
import '@converge/testing/vitest';
import { inject } from 'inversify';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeLease, podOn, readyNode, runWithLeases, taintsOf, tolerateFor } from '../testing-fixtures/node-controllers.fixture.js';
import { ReplicaSetController } from '../workloads/replicaset.controller.js';
import { NodeLifecycleController } from './node-lifecycle.controller.js';
import { TAINT_NODE_UNREACHABLE, type NodeTaint } from './node-taints.js';
import { evictionVerdict, TaintEvictionController } from './taint-eviction.controller.js';

const T0 = VIRTUAL_EPOCH;
const unreachable = (at: number): NodeTaint => ({ key: TAINT_NODE_UNREACHABLE, effect: 'NoExecute', timeAdded: rfc3339(at) });
const gone = (store: FakeStore, name: string) => {
  const p = store.peek(Pods, { namespace: 'default', name });
  return p === undefined || p.metadata.deletionTimestamp !== undefined;
};

describe('evictionVerdict', () => {
  const firstSeen = () => T0;
  it.each([
    ['no toleration', [], { kind: 'evict' }],
    ['a toleration of another key', [{ key: 'other', operator: 'Exists' as const }], { kind: 'evict' }],
    [
      'a NoSchedule-only toleration',
      [{ key: TAINT_NODE_UNREACHABLE, operator: 'Exists' as const, effect: 'NoSchedule' as const }],
      { kind: 'evict' },
    ],
    ['a toleration for ever', [{ key: TAINT_NODE_UNREACHABLE, operator: 'Exists' as const }], { kind: 'keep' }],
    ['a toleration of every taint', [{ operator: 'Exists' as const }], { kind: 'keep' }],
    ['a toleration for 300 s', [tolerateFor(TAINT_NODE_UNREACHABLE, 300)], { kind: 'until', at: T0 + 300_000 }],
    ['a toleration for 0 s', [tolerateFor(TAINT_NODE_UNREACHABLE, 0)], { kind: 'evict' }],
  ])('%s', (_what, tolerations, verdict) => {
    const pod = podOn('p', 'n', tolerations);
    expect(evictionVerdict(pod, [unreachable(T0)], { now: T0 + 1_000, firstSeen })).toEqual(verdict);
  });

  it('evicts once the toleration ran out, and counts from the binding of a pod that came later', () => {
    const pod = podOn('p', 'n', [tolerateFor(TAINT_NODE_UNREACHABLE, 300)]);
    expect(evictionVerdict(pod, [unreachable(T0)], { now: T0 + 300_000, firstSeen })).toEqual({ kind: 'evict' });
    const later: Pod = {
      ...pod,
      status: { conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: rfc3339(T0 + 100_000) }] },
    };
    expect(evictionVerdict(later, [unreachable(T0)], { now: T0 + 300_000, firstSeen })).toEqual({ kind: 'until', at: T0 + 400_000 });
  });
});

describe('TaintEvictionController (one reconcile at a time)', () => {
  it('deletes an intolerant pod at once and a tolerating pod after its tolerationSeconds, and leaves pods tolerating for ever', async () => {
    const tainted = readyNode('n1', T0, { spec: { taints: [unreachable(T0)] } });
    const store = new FakeStore({
      objects: [
        tainted,
        podOn('intolerant', 'n1'),
        podOn('patient', 'n1', [tolerateFor(TAINT_NODE_UNREACHABLE, 300)]),
        podOn('forever', 'n1', [{ key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute' }]),
        podOn('elsewhere', 'n2'),
      ],
    });
    const controller = new TaintEvictionController(store, store.clock);
    const harness = new ReconcilerHarness({ store, reconciler: controller });
    const first = await harness.reconcile('n1');
    expect(first.error).toBeUndefined();
    expect(gone(store, 'intolerant')).toBe(true);
    expect(['patient', 'forever', 'elsewhere'].map((n) => gone(store, n))).toEqual([false, false, false]);
    expect(first.result).toEqual({ requeueAfter: 300_000 });

    await store.clock.advance(299_000);
    await harness.reconcile('n1');
    expect(gone(store, 'patient')).toBe(false);
    await store.clock.advance(1_000);
    expect((await harness.reconcile('n1')).result).toEqual({});
    expect(gone(store, 'patient')).toBe(true);
    expect(gone(store, 'forever')).toBe(false);

    await controller.events.flush();
    const events = (await store.list(Events, { namespace: 'default' })).items.filter((e) => e.reason === 'TaintManagerEviction');
    expect(events.map((e) => e.message).sort()).toEqual([
      'Marking for deletion Pod default/intolerant',
      'Marking for deletion Pod default/patient',
    ]);
  });

  it('marks the pod with a DisruptionTarget condition before deleting it', async () => {
    const store = new FakeStore({
      objects: [readyNode('n1', T0, { spec: { taints: [unreachable(T0)] } }), podOn('p', 'n1')],
    });
    const harness = new ReconcilerHarness({ store, reconciler: new TaintEvictionController(store, store.clock) });
    const run = await harness.reconcile('n1');
    expect(
      run.writes.filter((w) => w.resource === 'pods').map((w) => `${w.verb} ${w.resource}${w.subresource ? `/${w.subresource}` : ''}`),
    ).toEqual(['patch pods/status', 'delete pods']);
    // a bound pod is deleted gracefully: it stays, terminating, until its kubelet is done
    const pod = store.peek(Pods, { namespace: 'default', name: 'p' });
    expect(pod?.metadata.deletionTimestamp).toBeDefined();
    expect(pod?.status?.conditions).toContainEqual(
      expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager' }),
    );
  });

  it('cancels a pending eviction when the taint goes', async () => {
    const store = new FakeStore({
      objects: [readyNode('n1', T0, { spec: { taints: [unreachable(T0)] } }), podOn('p', 'n1', [tolerateFor(TAINT_NODE_UNREACHABLE, 300)])],
    });
    const controller = new TaintEvictionController(store, store.clock);
    const harness = new ReconcilerHarness({ store, reconciler: controller });
    await harness.reconcile('n1');
    await store.clock.advance(100_000);
    await store.patch(Nodes, { name: 'n1' }, { type: 'merge', body: { spec: { taints: null } } });
    expect((await harness.reconcile('n1')).result).toEqual({});
    await store.clock.advance(300_000);
    await harness.reconcile('n1');
    expect(gone(store, 'p')).toBe(false);
    await controller.events.flush();
    const events = (await store.list(Events, { namespace: 'default' })).items.filter((e) => e.reason === 'TaintManagerEviction');
    expect(events.map((e) => e.message)).toEqual(['Cancelling deletion of Pod default/p']);
  });
});

/** A scheduler stand-in for the test: binds each unbound pod to the first node (by name) without NoSchedule or NoExecute taints. */
@Controller({ name: 'first-fit-binder', for: Pods })
class FirstFitBinder {
  constructor(
    @inject(ObjectStoreToken) private readonly store: ObjectStore,
    @inject(ClockToken) private readonly clock: Clock,
  ) {}

  async reconcile(request: Request): Promise<void> {
    const pod = await this.store.get(Pods, request).catch(() => undefined);
    if (!pod || pod.spec?.nodeName || pod.metadata.deletionTimestamp) return;
    const nodes = (await this.store.list(Nodes)).items
      .filter((n) => !(n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'))
      .sort((a, b) => a.metadata.name!.localeCompare(b.metadata.name!));
    if (!nodes[0]) throw new Error(`no node for ${request.name} at ${this.clock.now()}`);
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: pod.metadata.name!, namespace: pod.metadata.namespace! },
      target: { apiVersion: 'v1', kind: 'Node', name: nodes[0].metadata.name! },
    };
    await this.store.create(Pods, binding as never, { subresource: 'binding', name: pod.metadata.name! });
  }
}

describe('node lifecycle, taint eviction and a ReplicaSet together', () => {
  let env: TestEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('replaces the pods of a node whose Lease stopped on another node, once their 300 s toleration ran out', async () => {
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          // what DefaultTolerationSeconds admission adds to every pod
          spec: { containers: [{ name: 'c', image: 'img:1' }], tolerations: [tolerateFor(TAINT_NODE_UNREACHABLE, 300)] },
        },
      },
    };
    const objects: KubeObject[] = [readyNode('n1', T0), readyNode('n2', T0), nodeLease('n1', T0), nodeLease('n2', T0), rs];
    env = new TestEnv({ objects, controllers: [NodeLifecycleController, TaintEvictionController, ReplicaSetController, FirstFitBinder] });
    await env.start();
    await runWithLeases(env, 10_000, ['n1', 'n2']);
    const placed = async () =>
      (await env!.store.list(Pods, { namespace: 'default' })).items
        .filter((p) => !p.metadata.deletionTimestamp)
        .map((p) => p.spec?.nodeName)
        .sort();
    expect(await placed()).toEqual(['n1', 'n1']);

    // n1's kubelet goes silent: unreachable after 40 s, pods evicted 300 s later
    await runWithLeases(env, 50_000, ['n2']);
    expect(taintsOf(env, 'n1')).toContain('node.kubernetes.io/unreachable:NoExecute');
    expect(await placed()).toEqual(['n1', 'n1']);
    await runWithLeases(env, 250_000, ['n2']);
    expect(await placed()).toEqual(['n1', 'n1']);
    await runWithLeases(env, 60_000, ['n2']);
    expect(await placed()).toEqual(['n2', 'n2']);
    expect(env.store).toHaveObject(ReplicaSets, 'default/web', { status: { replicas: 2 } });
  });
});
