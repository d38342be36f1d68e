import {
  Events,
  forbidden,
  Pods,
  ReplicaSets,
  type InformerEvent,
  type InformerProvider,
  ReplicationControllers,
  type Pod,
  type ReplicaSet,
  type ReplicationController,
} from '@converge/core';
import { FakeStore, ReconcilerHarness, startTestEnv, TestKubelet, testKubelet, type TestEnv } from '@converge/testing';
import '@converge/testing/vitest';
import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { ReplicaSetController } from './replicaset.controller.js';
import { ReplicationControllerController } from './replicationcontroller.controller.js';

const rs = (name: string, replicas: number, extra: Partial<ReplicaSet['spec']> = {}): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'default' },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name, tier: 'web' }, annotations: { note: 'from-template' } },
      spec: { containers: [{ name: 'c', image: 'img:1' }] },
    },
    ...extra,
  },
});

const orphan = (name: string, labels: Record<string, string>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'c', image: 'img:1' }] },
});

async function podsOf(store: FakeStore, app: string): Promise<Pod[]> {
  return (await store.list(Pods, { namespace: 'default', labelSelector: `app=${app}` })).items;
}

describe('ReplicaSetController (one reconcile at a time)', () => {
  it('creates the missing pods in slow-start batches, named after the ReplicaSet, with the template and a controller reference', async () => {
    const store = new FakeStore({ objects: [rs('web', 5)] });
    const controller = new ReplicaSetController(store, store.clock);
    const harness = new ReconcilerHarness({ store, reconciler: controller });
    const run = await harness.reconcile('default/web');
    expect(run.error).toBeUndefined();
    const creates = run.writes.filter((w) => w.verb === 'create' && w.resource === 'pods');
    expect(creates).toHaveLength(5);
    const pods = await podsOf(store, 'web');
    expect(pods).toHaveLength(5);
    // the status of a reconcile reports the pods it found; the next one sees the new pods
    expect(store).toHaveObject(ReplicaSets, 'default/web', { status: { replicas: 0, observedGeneration: 1 } });
    expect((await harness.reconcile('default/web')).writes.filter((w) => w.resource === 'pods')).toEqual([]);
    const owner = store.peek(ReplicaSets, { namespace: 'default', name: 'web' })!;
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(p.metadata.labels).toEqual({ app: 'web', tier: 'web' });
      expect(p.metadata.annotations).toEqual({ note: 'from-template' });
      expect(p.metadata.ownerReferences).toEqual([
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
    }
    expect(store).toHaveObject(ReplicaSets, 'default/web', {
      status: { replicas: 5, fullyLabeledReplicas: 5, readyReplicas: 0, availableReplicas: 0, observedGeneration: 1 },
    });
  });

  it('stops after the first failing batch, sets ReplicaFailure and records a FailedCreate event', async () => {
    const store = new FakeStore({ objects: [rs('web', 10)] });
    let creates = 0;
    store.intercept({ verb: 'create', resource: 'pods' }, () => {
      creates++;
      if (creates > 3)
        throw forbidden({ resource: 'pods' }, '', 'exceeded quota: pods-quota, requested: pods=1, used: pods=3, limited: pods=3');
      return undefined;
    });
    const controller = new ReplicaSetController(store, store.clock);
    const harness = new ReconcilerHarness({ store, reconciler: controller });
    const run = await harness.reconcile('default/web');
    expect(run.error).toBeDefined();
    // batches 1, 2 succeed (3 pods), the batch of 4 fails: 7 calls, the batch of 3 never made
    expect(creates).toBe(7);
    expect(await podsOf(store, 'web')).toHaveLength(3);
    const after = store.peek(ReplicaSets, { namespace: 'default', name: 'web' })!;
    expect(after.status?.conditions).toEqual([
      expect.objectContaining({
        type: 'ReplicaFailure',
        status: 'True',
        reason: 'FailedCreate',
        message: expect.stringContaining('exceeded quota'),
      }),
    ]);
    await controller.events.flush();
    const events = await store.list(Events, { namespace: 'default' });
    expect(events.items.some((e) => e.reason === 'FailedCreate' && e.type === 'Warning')).toBe(true);

    store.clearInterceptors();
    const again = await harness.reconcile('default/web');
    expect(again.error).toBeUndefined();
    await harness.reconcile('default/web');
    expect(await podsOf(store, 'web')).toHaveLength(10);
    expect(store.peek(ReplicaSets, { namespace: 'default', name: 'web' })!.status?.conditions).toBeUndefined();
  });

  it('does not act again until its own creations and deletions came back through the pod informer', async () => {
    const store = new FakeStore({ objects: [rs('web', 3)] });
    const podEvents = new Subject<InformerEvent<Pod>>();
    const informers = { informerFor: () => ({ events: podEvents }) } as unknown as InformerProvider;
    const controller = new ReplicaSetController(store, store.clock, informers);
    const harness = new ReconcilerHarness({ store, reconciler: controller });
    await harness.reconcile('default/web');
    expect(controller.expectations.pending('default/web')).toEqual({ adds: 3, deletes: 0 });
    const pods = await podsOf(store, 'web');
    // someone deletes a pod before the informer showed the creations: no replacement yet
    await store.delete(Pods, { namespace: 'default', name: pods[0]!.metadata.name! });
    const early = await harness.reconcile('default/web');
    expect(early.writes.filter((w) => w.resource === 'pods')).toEqual([]);
    for (const p of pods) podEvents.next({ type: 'add', object: p });
    expect(controller.expectations.satisfied('default/web')).toBe(true);
    const late = await harness.reconcile('default/web');
    expect(late.writes.filter((w) => w.verb === 'create' && w.resource === 'pods')).toHaveLength(1);
  });

  it('gives up waiting for lost events after five minutes', async () => {
    const store = new FakeStore({ objects: [rs('web', 2)] });
    const informers = { informerFor: () => ({ events: new Subject() }) } as unknown as InformerProvider;
    const controller = new ReplicaSetController(store, store.clock, informers);
    const harness = new ReconcilerHarness({ store, reconciler: controller });
    await harness.reconcile('default/web');
    await store.delete(Pods, { namespace: 'default', name: (await podsOf(store, 'web'))[0]!.metadata.name! });
    expect((await harness.reconcile('default/web')).writes.filter((w) => w.verb === 'create' && w.resource === 'pods')).toHaveLength(0);
    await store.clock.advance(5 * 60_000);
    expect((await harness.reconcile('default/web')).writes.filter((w) => w.verb === 'create' && w.resource === 'pods')).toHaveLength(1);
  });

  it('adopts matching orphans and releases pods that stop matching', async () => {
    const store = new FakeStore({ objects: [rs('web', 2), orphan('stray', { app: 'web' }), orphan('other', { app: 'db' })] });
    const harness = new ReconcilerHarness({ store, reconciler: new ReplicaSetController(store, store.clock) });
    const run = await harness.reconcile('default/web');
    expect(run.error).toBeUndefined();
    const pods = await podsOf(store, 'web');
    expect(pods).toHaveLength(2);
    expect(store.peek(Pods, { namespace: 'default', name: 'stray' })!.metadata.ownerReferences?.[0]).toMatchObject({
      kind: 'ReplicaSet',
      name: 'web',
      controller: true,
    });
    expect(store.peek(Pods, { namespace: 'default', name: 'other' })!.metadata.ownerReferences).toBeUndefined();

    // relabel the adopted pod: it is released, and a replacement is created
    await store.patch(
      Pods,
      { namespace: 'default', name: 'stray' },
      { type: 'merge', body: { metadata: { labels: { app: 'elsewhere' } } } },
    );
    await harness.reconcile('default/web');
    expect(store.peek(Pods, { namespace: 'default', name: 'stray' })!.metadata.ownerReferences).toBeUndefined();
    expect(await podsOf(store, 'web')).toHaveLength(2);
  });

  it('does not adopt pods controlled by someone else', async () => {
    const foreign = orphan('foreign', { app: 'web' });
    foreign.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: 'not-ours', controller: true }];
    const store = new FakeStore({ objects: [rs('web', 1), foreign] });
    const harness = new ReconcilerHarness({ store, reconciler: new ReplicaSetController(store, store.clock) });
    await harness.reconcile('default/web');
    expect(store.peek(Pods, { namespace: 'default', name: 'foreign' })!.metadata.ownerReferences?.[0]?.uid).toBe('not-ours');
    expect(await podsOf(store, 'web')).toHaveLength(2);
  });

  it('scales down by deleting the least valuable pods first', async () => {
    const store = new FakeStore({ objects: [rs('web', 3)] });
    const harness = new ReconcilerHarness({ store, reconciler: new ReplicaSetController(store, store.clock) });
    await harness.reconcile('default/web');
    const [a, b] = await podsOf(store, 'web');
    // a runs and is ready on a node; b is scheduled but pending; the third stays unscheduled
    await store.create(
      Pods,
      { apiVersion: 'v1', kind: 'Binding', metadata: { name: a!.metadata.name!, namespace: 'default' }, target: { name: 'n1' } } as never,
      { subresource: 'binding', name: a!.metadata.name! },
    );
    await store.patch(
      Pods,
      { namespace: 'default', name: a!.metadata.name! },
      { type: 'merge', body: { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } } },
      { subresource: 'status' },
    );
    await store.create(
      Pods,
      { apiVersion: 'v1', kind: 'Binding', metadata: { name: b!.metadata.name!, namespace: 'default' }, target: { name: 'n1' } } as never,
      { subresource: 'binding', name: b!.metadata.name! },
    );
    await store.patch(ReplicaSets, { namespace: 'default', name: 'web' }, { type: 'merge', body: { spec: { replicas: 1 } } });
    await harness.reconcile('default/web');
    await harness.reconcile('default/web');
    const left = await podsOf(store, 'web');
    const active = left.filter((p) => !p.metadata.deletionTimestamp);
    expect(active.map((p) => p.metadata.name)).toEqual([a!.metadata.name]);
    expect(store.peek(ReplicaSets, { namespace: 'default', name: 'web' })!.status).toMatchObject({
      replicas: 1,
      readyReplicas: 1,
      availableReplicas: 1,
      observedGeneration: 2,
    });
  });

  it('counts a pod available only after minReadySeconds and asks to come back then', async () => {
    const store = new FakeStore({ objects: [rs('web', 1, { minReadySeconds: 30 })] });
    const harness = new ReconcilerHarness({ store, reconciler: new ReplicaSetController(store, store.clock) });
    await harness.reconcile('default/web');
    const [p] = await podsOf(store, 'web');
    const now = new Date(store.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    await store.patch(
      Pods,
      { namespace: 'default', name: p!.metadata.name! },
      { type: 'merge', body: { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: now }] } } },
      { subresource: 'status' },
    );
    const run = await harness.reconcile('default/web');
    expect(run.result).toEqual({ requeueAfter: 30_000 });
    expect(store.peek(ReplicaSets, { namespace: 'default', name: 'web' })!.status).toMatchObject({
      readyReplicas: 1,
      availableReplicas: 0,
    });
    await store.clock.advance(30_000);
    await harness.reconcile('default/web');
    expect(store.peek(ReplicaSets, { namespace: 'default', name: 'web' })!.status).toMatchObject({
      readyReplicas: 1,
      availableReplicas: 1,
    });
  });

  it('counts fullyLabeledReplicas only for pods carrying every template label', async () => {
    const store = new FakeStore({ objects: [rs('web', 2), orphan('partial', { app: 'web' })] });
    const harness = new ReconcilerHarness({ store, reconciler: new ReplicaSetController(store, store.clock) });
    await harness.reconcile('default/web');
    await harness.reconcile('default/web');
    expect(store.peek(ReplicaSets, { namespace: 'default', name: 'web' })!.status).toMatchObject({ replicas: 2, fullyLabeledReplicas: 1 });
  });
});

describe('ReplicaSetController (in a manager)', () => {
  let env: TestEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('runs pods with a configured test kubelet after its delay', async () => {
    env = await startTestEnv({ objects: [rs('web', 2)], controllers: [ReplicaSetController] });
    const start = env.clock.now();
    env.add(testKubelet({ store: env.store, clock: env.clock, delayMs: 5_000, nodeName: 'n7' }));
    await env.runUntilQuiescent({ allowDelayed: true });
    expect((await podsOf(env.store, 'web')).every((p) => p.status?.phase === undefined || p.status.phase === 'Pending')).toBe(true);
    await env.runUntilQuiescent();
    expect(env.clock.now() - start).toBeGreaterThanOrEqual(5_000);
    expect((await podsOf(env.store, 'web')).map((p) => [p.spec?.nodeName, p.status?.phase])).toEqual([
      ['n7', 'Running'],
      ['n7', 'Running'],
    ]);
  });

  it('runs the pods to Running and Ready with the test kubelet and reports them ready', async () => {
    env = await startTestEnv({ objects: [rs('web', 4)], controllers: [ReplicaSetController, TestKubelet] });
    await env.runUntilQuiescent();
    await env.runFor(1_000);
    await env.runUntilQuiescent();
    const pods = await podsOf(env.store, 'web');
    expect(pods).toHaveLength(4);
    for (const p of pods) {
      expect(p.status?.phase).toBe('Running');
      expect(p.spec?.nodeName).toBe('test-node');
      expect(p.status?.podIP).toMatch(/^127\./);
    }
    expect(env.store).toHaveObject(ReplicaSets, 'default/web', { status: { replicas: 4, readyReplicas: 4, availableReplicas: 4 } });
  });

  it('replaces a deleted pod and scales down to the new count', async () => {
    env = await startTestEnv({ objects: [rs('web', 3)], controllers: [ReplicaSetController] });
    await env.runUntilQuiescent();
    const [first] = await podsOf(env.store, 'web');
    await env.store.delete(Pods, { namespace: 'default', name: first!.metadata.name! });
    await env.runUntilQuiescent();
    expect(await podsOf(env.store, 'web')).toHaveLength(3);
    await env.store.patch(ReplicaSets, { namespace: 'default', name: 'web' }, { type: 'merge', body: { spec: { replicas: 1 } } });
    await env.runUntilQuiescent();
    expect(await podsOf(env.store, 'web')).toHaveLength(1);
    expect(env.store).toHaveObject(ReplicaSets, 'default/web', { status: { replicas: 1, observedGeneration: 2 } });
  });
});

describe('ReplicationControllerController', () => {
  it('keeps the replicas of a ReplicationController, selecting by its label map', async () => {
    const rc: ReplicationController = {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy', namespace: 'default' },
      spec: {
        replicas: 3,
        selector: { app: 'legacy' },
        template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } },
      },
    };
    const env = await startTestEnv({
      objects: [rc, orphan('old', { app: 'legacy' })],
      controllers: [ReplicationControllerController, TestKubelet],
    });
    await env.runUntilQuiescent();
    await env.runFor(1_000);
    await env.runUntilQuiescent();
    const pods = await podsOf(env.store, 'legacy');
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.metadata.ownerReferences?.[0]?.kind === 'ReplicationController')).toBe(true);
    expect(env.store).toHaveObject(ReplicationControllers, 'default/legacy', {
      status: { replicas: 3, readyReplicas: 3, observedGeneration: 1 },
    });
    await env.stop();
  });
});
