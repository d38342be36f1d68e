import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { ConfigMaps, isNotFound, Namespaces, Secrets, type StatusCondition } from '@converge/core';
import { FakeStore, eventually, fail } from '@converge/testing';
import { controllerManagerPerTest } from '../testing-fixtures/controller-manager.fixture.js';
import { exampleKind } from '../testing-fixtures/example-kind.fixture.js';

const Gadgets = exampleKind({ kind: 'Gadget', plural: 'gadgets' });

const start = controllerManagerPerTest();

async function namespaceGone(store: FakeStore, name: string): Promise<boolean> {
  try {
    await store.get(Namespaces, { name });
    return false;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}

async function conditions(store: FakeStore, name: string): Promise<Record<string, StatusCondition>> {
  const ns = await store.get(Namespaces, { name });
  const list = ((ns.status as { conditions?: StatusCondition[] } | undefined)?.conditions ?? []) as StatusCondition[];
  return Object.fromEntries(list.map((c) => [c.type, c]));
}

describe('NamespaceController', () => {
  it('empties a deleted namespace, waits for custom resources held by finalizers, and then lets it go', async () => {
    const store = new FakeStore({ kinds: [Gadgets], namespaces: ['default', 'team'] });
    await start(store);
    for (let i = 0; i < 3; i++)
      await store.create(ConfigMaps, { metadata: { name: `cm-${i}`, namespace: 'team' }, data: { i: String(i) } });
    await store.create(Secrets, { metadata: { name: 's', namespace: 'team' }, stringData: { k: 'v' } } as never);
    for (const name of ['g1', 'g2']) {
      await store.create(Gadgets, {
        apiVersion: 'example.com/v1',
        kind: 'Gadget',
        metadata: { name, namespace: 'team', finalizers: ['example.com/hold'] },
      });
    }
    await store.create(ConfigMaps, { metadata: { name: 'untouched', namespace: 'default' } });

    const deleted = await store.delete(Namespaces, { name: 'team' });
    expect(deleted.status?.phase).toBe('Terminating');

    await eventually(
      async () => {
        const c = await conditions(store, 'team');
        expect(c['NamespaceContentRemaining']).toMatchObject({
          status: 'True',
          reason: 'SomeResourcesRemain',
          message: 'Some resources are remaining: gadgets.example.com has 2 resource instances',
        });
        expect(c['NamespaceFinalizersRemaining']).toMatchObject({
          status: 'True',
          reason: 'SomeFinalizersRemain',
          message: 'Some content in the namespace has finalizers remaining: example.com/hold in 2 resource instances',
        });
        expect(c['NamespaceDeletionContentFailure']).toMatchObject({ status: 'False', reason: 'ContentDeleted' });
        expect(c['NamespaceDeletionDiscoveryFailure']).toMatchObject({ status: 'False', reason: 'ResourcesDiscovered' });
      },
      { clock: store.clock },
    );
    expect((await store.list(ConfigMaps, { namespace: 'team' })).items).toEqual([]);
    expect((await store.list(Secrets, { namespace: 'team' })).items).toEqual([]);
    const gadgets = (await store.list(Gadgets, { namespace: 'team' })).items;
    expect(gadgets.map((g) => g.metadata.deletionTimestamp !== undefined)).toEqual([true, true]);

    // Still there after a while: the finalizers hold the gadgets, the gadgets hold the namespace.
    await store.clock.advance(60_000);
    expect(await namespaceGone(store, 'team')).toBe(false);

    for (const g of gadgets) await store.update(Gadgets, { ...g, metadata: { ...g.metadata, finalizers: [] } });
    await eventually(async () => expect(await namespaceGone(store, 'team')).toBe(true), { clock: store.clock, timeoutMs: 60_000 });
    expect((await store.list(ConfigMaps, { namespace: 'default' })).items.map((c) => c.metadata.name)).toContain('untouched');
  });

  it('reports a kind whose content cannot be deleted in NamespaceDeletionContentFailure and retries', async () => {
    const store = new FakeStore({ namespaces: ['default', 'broken'] });
    await start(store);
    await store.create(Secrets, { metadata: { name: 's', namespace: 'broken' } } as never);
    const failure = store.intercept({ verb: 'deletecollection', resource: 'secrets' }, fail(new Error('etcd is down')));
    await store.delete(Namespaces, { name: 'broken' });
    await eventually(
      async () => {
        const c = await conditions(store, 'broken');
        expect(c['NamespaceDeletionContentFailure']).toMatchObject({
          status: 'True',
          reason: 'ContentDeletionFailed',
          message: 'Failed to delete all resource types, 1 remaining: secrets.: etcd is down',
        });
      },
      { clock: store.clock },
    );
    failure.remove();
    await eventually(async () => expect(await namespaceGone(store, 'broken')).toBe(true), {
      clock: store.clock,
      timeoutMs: 120_000,
      intervalMs: 1000,
    });
  });

  it('leaves a namespace that is not being deleted alone', async () => {
    const store = new FakeStore({ namespaces: ['default', 'live'] });
    await start(store);
    await store.create(ConfigMaps, { metadata: { name: 'keep', namespace: 'live' } });
    await store.clock.advance(10_000);
    expect((await store.list(ConfigMaps, { namespace: 'live' })).items).toHaveLength(1);
    expect(await conditions(store, 'live')).toEqual({});
  });
});
