/**
 * Core's SharedInformer and controller helpers against the real registry (through the
 * FakeStore): resumed and relisted watches, shared frozen objects, finalizers, status
 * patches and the event recorder with Kubernetes write semantics.
 */
import {
  ConfigMaps,
  Events,
  EventRecorder,
  expired,
  finalize,
  getControllerOf,
  isConditionTrue,
  mutable,
  patchStatus,
  setControllerReference,
  setObservedGeneration,
  setStatusCondition,
  SharedInformer,
  SharedInformerFactory,
  silentLogger,
  StatusError,
  type ConfigMap,
  type Deployment,
  Deployments,
  type InformerEvent,
  type KubeObject,
} from '@converge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeStore } from './fake-store.js';

const cm = (name: string, data: Record<string, string> = {}): ConfigMap =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data }) as ConfigMap;

const stops: (() => void)[] = [];
afterEach(() => {
  for (const s of stops.splice(0)) s();
});

function informerOver(store: FakeStore) {
  const informer = new SharedInformer<ConfigMap>({ store, type: ConfigMaps, clock: store.clock, logger: silentLogger(), random: () => 0 });
  const events: InformerEvent<ConfigMap>[] = [];
  informer.events.subscribe((e) => events.push(e));
  informer.start();
  stops.push(() => informer.stop());
  const names = () => events.map((e) => `${e.type}:${e.object.metadata.name}`);
  return { informer, events, names };
}

describe('SharedInformer on the registry', () => {
  it('caches the objects the registry hands out, shared and frozen, and follows writes', async () => {
    const store = new FakeStore({ objects: [cm('a', { k: '1' })] });
    const { informer, names } = informerOver(store);
    await informer.waitForCacheSync(1_000);
    const listed = informer.cache.get({ namespace: 'default', name: 'a' })!;
    expect(Object.isFrozen(listed.data)).toBe(true);
    expect(() => {
      (listed.data as Record<string, string>)['k'] = '2';
    }).toThrow(TypeError);
    await store.create(ConfigMaps, cm('b'));
    await store.update(ConfigMaps, { ...mutable(listed), data: { k: '2' } });
    await store.delete(ConfigMaps, { namespace: 'default', name: 'b' });
    await store.clock.settle();
    expect(names()).toEqual(['add:a', 'add:b', 'update:a', 'delete:b']);
    expect(informer.cache.get({ namespace: 'default', name: 'a' })?.data).toEqual({ k: '2' });
  });

  it('resumes a dropped watch from its resourceVersion and receives what happened meanwhile, without relisting', async () => {
    const store = new FakeStore({ objects: [cm('a')] });
    const { informer, names } = informerOver(store);
    await informer.waitForCacheSync(1_000);
    await store.clock.settle();
    store.closeWatches({ resource: 'configmaps' }, new StatusError('InternalError', 'connection reset'));
    await store.create(ConfigMaps, cm('while-away'));
    await store.clock.advance(800);
    await store.clock.settle();
    expect(names()).toEqual(['add:a', 'add:while-away']);
    expect(store.actions({ verb: 'list', resource: 'configmaps' })).toHaveLength(1);
    expect(informer.health()).toMatchObject({ errors: 1, consecutiveFailures: 0, relists: 0 });
  });

  it('relists after its resourceVersion was compacted away and emits only the differences', async () => {
    const store = new FakeStore({ objects: [cm('same'), cm('changed'), cm('vanished')] });
    const { informer, names } = informerOver(store);
    await informer.waitForCacheSync(1_000);
    await store.clock.settle();
    store.closeWatches({ resource: 'configmaps' }); // the connection ends ...
    store.intercept(
      { verb: 'watch', resource: 'configmaps' },
      () => {
        throw expired();
      },
      { times: 1 },
    ); // ... and the resumed watch finds its history compacted
    await store.registry.update(ConfigMaps, {
      ...mutable(informer.cache.get({ namespace: 'default', name: 'changed' })!),
      data: { new: 'yes' },
    });
    await store.registry.delete(ConfigMaps, { namespace: 'default', name: 'vanished' });
    await store.registry.create(ConfigMaps, cm('added'));
    await store.clock.settle();
    await store.clock.advance(1_000);
    await store.clock.settle();
    expect(names().slice(3)).toEqual(['add:added', 'update:changed', 'delete:vanished']);
    expect(informer.health().relists).toBe(1);
    expect(informer.cache.keys().sort()).toEqual(['default/added', 'default/changed', 'default/same']);
  });

  it('shares one list and watch between two consumers of a factory', async () => {
    const store = new FakeStore({ objects: [cm('a')] });
    const factory = new SharedInformerFactory({ store, clock: store.clock, logger: silentLogger() });
    stops.push(() => factory.stop());
    const one = factory.informerFor(ConfigMaps);
    const two = factory.informerFor(ConfigMaps);
    factory.start();
    await factory.waitForCacheSync(1_000);
    expect(one).toBe(two);
    expect(store.actions({ verb: 'list' })).toHaveLength(1);
    expect(store.openWatches({ resource: 'configmaps' })).toBe(1);
  });
});

describe('controller helpers on the registry', () => {
  it('runs the finalizer flow: ensure, then clean up and let the registry delete the object', async () => {
    const store = new FakeStore({ objects: [cm('w')] });
    const cleaned: string[] = [];
    const options = { finalizer: 'example.com/cleanup', cleanup: (o: ConfigMap) => void cleaned.push(o.metadata.name!) };
    let w = await store.get(ConfigMaps, { namespace: 'default', name: 'w' });
    w = (await finalize(store, ConfigMaps, w, options)).object;
    expect(w.metadata.finalizers).toEqual(['example.com/cleanup']);
    const deleting = await store.delete(ConfigMaps, { namespace: 'default', name: 'w' });
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    const r = await finalize(store, ConfigMaps, deleting, options);
    expect(r.deleting).toBe(true);
    expect(cleaned).toEqual(['w']);
    await expect(store.get(ConfigMaps, { namespace: 'default', name: 'w' })).rejects.toMatchObject({ reason: 'NotFound' });
  });

  it('owns a child by controller reference and writes conditions through the status subresource', async () => {
    const store = new FakeStore();
    const deployment = await store.create(Deployments, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      },
    } as Deployment);
    const child = await store.create(ConfigMaps, setControllerReference(deployment, cm('web-config')));
    expect(getControllerOf(child)).toMatchObject({
      kind: 'Deployment',
      name: 'web',
      uid: deployment.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    });
    const copy = mutable(deployment);
    setStatusCondition(copy, { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }, store.clock);
    setObservedGeneration(copy);
    const updated = await patchStatus(store, Deployments, deployment, copy['status']);
    const status = updated['status'] as {
      observedGeneration: number;
      conditions: { type: string; status: string; lastTransitionTime: string }[];
    };
    expect(isConditionTrue(status.conditions, 'Available')).toBe(true);
    expect(status.conditions[0]!.lastTransitionTime).toBe('2024-01-01T00:00:00Z');
    expect(status.observedGeneration).toBe(1);
    expect(store.lastAction({ verb: 'patch' })).toMatchObject({ subresource: 'status' });
  });

  it('records events and counts repeats into one Event object', async () => {
    const store = new FakeStore();
    const subject = await store.create(ConfigMaps, cm('noisy'));
    const recorder = new EventRecorder({ store, clock: store.clock, component: 'test-controller', logger: silentLogger() });
    recorder.warning(subject, 'Failed', 'could not sync');
    await recorder.flush();
    await store.clock.advance(5_000);
    recorder.warning(subject, 'Failed', 'could not sync');
    await recorder.flush();
    const list = await store.list(Events, { namespace: 'default' });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      count: 2,
      reason: 'Failed',
      type: 'Warning',
      involvedObject: { kind: 'ConfigMap', name: 'noisy', uid: subject.metadata.uid },
    });
    expect((list.items[0] as KubeObject & { lastTimestamp: string }).lastTimestamp).toBe('2024-01-01T00:00:05Z');
  });
});
