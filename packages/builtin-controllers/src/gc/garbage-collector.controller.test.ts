import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { ClusterRoles, ConfigMaps, Events, isNotFound, type ConfigMap, type KubeObject, type ResourceType } from '@converge/core';
import { FakeStore, eventually } from '@converge/testing';
import { controllerManagerPerTest } from '../testing-fixtures/controller-manager.fixture.js';
import { exampleKind } from '../testing-fixtures/example-kind.fixture.js';

const Widgets = exampleKind({ kind: 'Widget', plural: 'widgets' });

const startManager = controllerManagerPerTest();
const startGC = (store: FakeStore) => startManager(store, { controllers: ['garbagecollector'] });

function cm(name: string, owners: KubeObject[] = [], options: { block?: boolean; namespace?: string } = {}): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: options.namespace ?? 'default',
      ownerReferences: owners.map((o) => ({
        apiVersion: o.apiVersion!,
        kind: o.kind!,
        name: o.metadata.name!,
        uid: o.metadata.uid!,
        ...(options.block ? { blockOwnerDeletion: true } : {}),
      })),
    },
  } as ConfigMap;
}

async function exists(store: FakeStore, type: ResourceType, namespace: string, name: string): Promise<boolean> {
  try {
    await store.get(type, namespace ? { namespace, name } : { name });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** Records the order in which ConfigMaps disappear. */
async function deletionOrder(store: FakeStore): Promise<string[]> {
  const order: string[] = [];
  store.watch(ConfigMaps, { namespace: 'default' }).subscribe((e) => {
    if (e.type === 'DELETED') order.push(e.object.metadata.name!);
  });
  await store.clock.settle();
  return order;
}

async function chain(store: FakeStore, options: { block?: boolean } = {}): Promise<{ a: ConfigMap; b: ConfigMap; c: ConfigMap }> {
  const a = await store.create(ConfigMaps, cm('a'));
  const b = await store.create(ConfigMaps, cm('b', [a], options));
  const c = await store.create(ConfigMaps, cm('c', [b], options));
  return { a, b, c };
}

describe('GarbageCollector', () => {
  it('deletes a chain of dependents after their owner when the owner is deleted in the background', async () => {
    const store = new FakeStore();
    await startGC(store);
    await chain(store);
    const order = await deletionOrder(store);
    await store.delete(ConfigMaps, { namespace: 'default', name: 'a' }, { propagationPolicy: 'Background' });
    await eventually(async () => expect(await exists(store, ConfigMaps, 'default', 'c')).toBe(false), { clock: store.clock });
    expect(await exists(store, ConfigMaps, 'default', 'b')).toBe(false);
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('keeps a foreground-deleted owner until its blocking dependents are gone, deepest first', async () => {
    const store = new FakeStore();
    await startGC(store);
    await chain(store, { block: true });
    const order = await deletionOrder(store);
    const deleted = await store.delete(ConfigMaps, { namespace: 'default', name: 'a' }, { propagationPolicy: 'Foreground' });
    expect(deleted.metadata.finalizers).toEqual(['foregroundDeletion']);
    await eventually(async () => expect(await exists(store, ConfigMaps, 'default', 'a')).toBe(false), { clock: store.clock });
    expect(order).toEqual(['c', 'b', 'a']);
  });

  it('waits for a blocking dependent held by a finalizer of its own before letting a foreground-deleted owner go', async () => {
    const store = new FakeStore();
    await startGC(store);
    const a = await store.create(ConfigMaps, cm('a'));
    const held = cm('b', [a], { block: true });
    held.metadata.finalizers = ['example.com/hold'];
    await store.create(ConfigMaps, held);
    await store.delete(ConfigMaps, { namespace: 'default', name: 'a' }, { propagationPolicy: 'Foreground' });
    await eventually(
      async () => expect((await store.get(ConfigMaps, { namespace: 'default', name: 'b' })).metadata.deletionTimestamp).toBeDefined(),
      { clock: store.clock },
    );
    await store.clock.advance(5_000);
    expect((await store.get(ConfigMaps, { namespace: 'default', name: 'a' })).metadata.finalizers).toEqual(['foregroundDeletion']);
    const b = await store.get(ConfigMaps, { namespace: 'default', name: 'b' });
    await store.update(ConfigMaps, { ...b, metadata: { ...b.metadata, finalizers: [] } });
    await eventually(async () => expect(await exists(store, ConfigMaps, 'default', 'a')).toBe(false), { clock: store.clock });
  });

  it('orphans the dependents of an owner deleted with the orphan policy and then lets the owner go', async () => {
    const store = new FakeStore();
    await startGC(store);
    const { b } = await chain(store);
    await store.delete(ConfigMaps, { namespace: 'default', name: 'a' }, { propagationPolicy: 'Orphan' });
    await eventually(async () => expect(await exists(store, ConfigMaps, 'default', 'a')).toBe(false), { clock: store.clock });
    const bNow = await store.get(ConfigMaps, { namespace: 'default', name: 'b' });
    expect(bNow.metadata.ownerReferences ?? []).toEqual([]);
    const cNow = await store.get(ConfigMaps, { namespace: 'default', name: 'c' });
    expect(cNow.metadata.ownerReferences?.map((r) => r.uid)).toEqual([b.metadata.uid]);
    await store.clock.advance(5_000);
    expect(await exists(store, ConfigMaps, 'default', 'b')).toBe(true);
  });

  it('deletes dependents whose owner does not exist or exists under another uid, and keeps those whose owner exists', async () => {
    const store = new FakeStore();
    const owner = await store.create(ConfigMaps, cm('owner'));
    await store.create(ConfigMaps, cm('missing', [{ ...owner, metadata: { ...owner.metadata, name: 'nobody', uid: 'no-such-uid' } }]));
    await store.create(ConfigMaps, cm('mismatch', [{ ...owner, metadata: { ...owner.metadata, uid: 'old-uid-of-owner' } }]));
    await store.create(ConfigMaps, cm('kept', [owner]));
    await startGC(store);
    await eventually(
      async () => {
        expect(await exists(store, ConfigMaps, 'default', 'missing')).toBe(false);
        expect(await exists(store, ConfigMaps, 'default', 'mismatch')).toBe(false);
      },
      { clock: store.clock },
    );
    await store.clock.advance(5_000);
    expect(await exists(store, ConfigMaps, 'default', 'kept')).toBe(true);
    expect(await exists(store, ConfigMaps, 'default', 'owner')).toBe(true);
  });

  it('keeps a dependent with one owner left and drops its reference to the deleted owner', async () => {
    const store = new FakeStore();
    await startGC(store);
    const a = await store.create(ConfigMaps, cm('a'));
    const b = await store.create(ConfigMaps, cm('b'));
    await store.create(ConfigMaps, cm('shared', [a, b]));
    await store.delete(ConfigMaps, { namespace: 'default', name: 'a' });
    await eventually(
      async () => {
        const shared = await store.get(ConfigMaps, { namespace: 'default', name: 'shared' });
        expect(shared.metadata.ownerReferences?.map((r) => r.name)).toEqual(['b']);
      },
      { clock: store.clock },
    );
  });

  it('treats an owner in another namespace as absent and records an OwnerRefInvalidNamespace event', async () => {
    const store = new FakeStore({ namespaces: ['default', 'other'] });
    await startGC(store);
    const elsewhere = await store.create(ConfigMaps, cm('owner', [], { namespace: 'other' }));
    await store.create(ConfigMaps, cm('dependent', [elsewhere]));
    await eventually(async () => expect(await exists(store, ConfigMaps, 'default', 'dependent')).toBe(false), { clock: store.clock });
    expect(await exists(store, ConfigMaps, 'other', 'owner')).toBe(true);
    await eventually(
      async () => {
        const events = await store.list(Events, { namespace: 'default' });
        expect(events.items.map((e) => e.reason)).toContain('OwnerRefInvalidNamespace');
      },
      { clock: store.clock },
    );
  });

  it('leaves a cluster-scoped object naming a namespaced owner alone, with an OwnerRefInvalidNamespace event', async () => {
    const store = new FakeStore();
    await startGC(store);
    const owner = await store.create(ConfigMaps, cm('owner'));
    await store.create(ClusterRoles, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'odd', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid! }] },
      rules: [],
    });
    await store.delete(ConfigMaps, { namespace: 'default', name: 'owner' });
    await eventually(
      async () => {
        const events = await store.list(Events);
        expect(events.items.filter((e) => e.involvedObject?.name === 'odd').map((e) => e.reason)).toContain('OwnerRefInvalidNamespace');
      },
      { clock: store.clock },
    );
    await store.clock.advance(10_000);
    expect(await exists(store, ClusterRoles, '', 'odd')).toBe(true);
  });

  it('records an OwnerRefInvalidNamespace event on a cluster-scoped object naming a namespaced owner that was never seen', async () => {
    const store = new FakeStore();
    await startGC(store);
    await store.create(ClusterRoles, {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'odd-too', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'ghost-uid' }] },
      rules: [],
    });
    await eventually(
      async () => {
        const events = await store.list(Events);
        expect(events.items.filter((e) => e.involvedObject?.name === 'odd-too').map((e) => e.reason)).toContain('OwnerRefInvalidNamespace');
      },
      { clock: store.clock },
    );
    expect(await exists(store, ClusterRoles, '', 'odd-too')).toBe(true);
  });

  it('lets a foreground-deleted owner go before dependents that do not block it, and still deletes them', async () => {
    const store = new FakeStore();
    await startGC(store);
    const a = await store.create(ConfigMaps, cm('a'));
    const held = cm('loose', [a]);
    held.metadata.finalizers = ['example.com/hold'];
    await store.create(ConfigMaps, held);
    await store.delete(ConfigMaps, { namespace: 'default', name: 'a' }, { propagationPolicy: 'Foreground' });
    await eventually(async () => expect(await exists(store, ConfigMaps, 'default', 'a')).toBe(false), { clock: store.clock });
    expect((await store.get(ConfigMaps, { namespace: 'default', name: 'loose' })).metadata.deletionTimestamp).toBeDefined();
  });

  it('collects custom resources, including those of a kind served after the collector started', async () => {
    const store = new FakeStore();
    await startGC(store);
    const owner = await store.create(ConfigMaps, cm('owner'));
    store.catalog.add(Widgets);
    await store.clock.settle();
    await store.create(Widgets, {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: {
        name: 'w',
        namespace: 'default',
        ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid! }],
      },
    });
    await store.create(ConfigMaps, cm('child-of-widget', [await store.get(Widgets, { namespace: 'default', name: 'w' })]));
    await store.delete(ConfigMaps, { namespace: 'default', name: 'owner' });
    await eventually(
      async () => {
        expect(await exists(store, Widgets, 'default', 'w')).toBe(false);
        expect(await exists(store, ConfigMaps, 'default', 'child-of-widget')).toBe(false);
      },
      { clock: store.clock },
    );
  });
});
