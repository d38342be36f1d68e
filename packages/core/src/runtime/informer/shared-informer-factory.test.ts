import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceType } from '../../api/resource-type.js';
import { VirtualClock } from '../../util/virtual-clock.js';
import { ScriptedStore } from '../../../test/fakes/scripted-store.fake.js';
import { SharedInformerFactory } from './shared-informer-factory.js';
import { dropManagedFields } from './transforms.js';

const Pods: ResourceType = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
const Deployments: ResourceType = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true };

function setup() {
  const clock = new VirtualClock();
  const store = new ScriptedStore();
  const factory = new SharedInformerFactory({ store, clock, defaults: { random: () => 0 } });
  return { clock, store, factory };
}

describe('SharedInformerFactory', () => {
  it('hands two consumers of the same kind and selection one informer, one list/watch and one cache', async () => {
    const { clock, store, factory } = setup();
    store.put({ metadata: { name: 'a', namespace: 'default' } });
    const first = factory.informerFor(Pods);
    const second = factory.informerFor(Pods, { namespace: '', labelSelector: '' });
    expect(second).toBe(first);
    const seen: string[] = [];
    first.events.subscribe((e) => seen.push(`1:${e.type}`));
    second.events.subscribe((e) => seen.push(`2:${e.type}`));
    first.start();
    second.start();
    await factory.waitForCacheSync(1_000);
    await clock.settle();
    expect(store.lists).toHaveLength(1);
    expect(store.watches).toHaveLength(1);
    expect(seen).toEqual(['1:add', '2:add']);
    expect(factory.informerFor(Pods, { namespace: 'kube-system' })).not.toBe(first);
    expect(factory.informerFor(Deployments)).not.toBe(first);
  });

  it('starts and stops every informer, and starts informers asked for after start at once', async () => {
    const { clock, store, factory } = setup();
    const pods = factory.informerFor(Pods);
    factory.start();
    const deployments = factory.informerFor(Deployments);
    expect(deployments.isStarted()).toBe(true);
    await factory.waitForCacheSync(1_000);
    await clock.settle();
    expect(factory.hasSynced()).toBe(true);
    expect(store.open()).toHaveLength(2);
    factory.stop();
    expect(store.open()).toHaveLength(0);
    expect(pods.isStarted()).toBe(false);
  });

  it('times out waiting for sync naming the informers that have not synced, and fails its health check', async () => {
    const { clock, store, factory } = setup();
    for (let i = 0; i < 50; i++) store.listErrors.push(new Error('connection refused'));
    factory.informerFor(Pods);
    factory.start();
    const wait = factory.waitForCacheSync(60_000).then(
      () => 'synced',
      (e: Error) => e.message,
    );
    await clock.advance(60_000);
    expect(await wait).toBe('timed out after 60000 ms waiting for informers to sync: v1/pods');
    expect(() => factory.check()).toThrow(/v1\/pods: \d+ failures in a row \(connection refused\)/);
    expect(factory.health()[0]).toMatchObject({ name: 'v1/pods', synced: false, healthy: false });
    factory.stop();
  });

  it('applies the transform it is given per kind', async () => {
    const clock = new VirtualClock();
    const store = new ScriptedStore();
    const factory = new SharedInformerFactory({ store, clock, transform: (t) => (t.resource === 'pods' ? dropManagedFields : undefined) });
    store.put({ metadata: { name: 'a', namespace: 'default', managedFields: [{ manager: 'm' }] } } as KubeObject);
    const pods = factory.informerFor(Pods);
    factory.start();
    await factory.waitForCacheSync(1_000);
    expect(pods.cache.list()[0]!.metadata.managedFields).toBeUndefined();
    factory.stop();
  });
});
