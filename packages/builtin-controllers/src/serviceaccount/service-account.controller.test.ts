import 'reflect-metadata';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigMaps, forbidden, mutable, Namespaces, ServiceAccounts, silentLogger } from '@converge/core';
import { FakeStore, eventually } from '@converge/testing';
import { catalogDiscovery } from '../discovery/kind-discovery.js';
import { createControllerManager, type ControllerManager } from '../controller-manager/controller-manager.js';

let running: { cm: ControllerManager; done: Promise<void> } | undefined;

async function start(store: FakeStore, controllers: string[] = ['serviceaccount']): Promise<ControllerManager> {
  await store.ready();
  const cm = createControllerManager({
    store,
    discovery: catalogDiscovery(store.catalog),
    clock: store.clock,
    logger: silentLogger(),
    leaderElection: false,
    controllers,
  });
  running = { cm, done: cm.manager.start() };
  await store.clock.settle();
  return cm;
}

afterEach(async () => {
  if (!running) return;
  const { cm, done } = running;
  running = undefined;
  await cm.manager.stop();
  await done.catch(() => undefined);
});

const sa = (store: FakeStore, namespace: string) => store.peek(ServiceAccounts, { namespace, name: 'default' });

describe('ServiceAccountController', () => {
  it('gives every existing and new namespace a default ServiceAccount', async () => {
    const store = new FakeStore({ namespaces: ['default', 'kube-system'] });
    const cm = await start(store);
    expect(cm.enabled).toEqual(['serviceaccount-controller']);
    await eventually(
      () => {
        expect(sa(store, 'default')).toMatchObject({ kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'default' } });
        expect(sa(store, 'kube-system')).toBeDefined();
      },
      { clock: store.clock },
    );
    await store.create(Namespaces, { metadata: { name: 'team' } });
    await eventually(() => expect(sa(store, 'team')).toBeDefined(), { clock: store.clock });
  });

  it('creates the default ServiceAccount again when it is deleted, and leaves a changed one as it is', async () => {
    const store = new FakeStore({ namespaces: ['default'] });
    await start(store);
    await eventually(() => expect(sa(store, 'default')).toBeDefined(), { clock: store.clock });
    const first = sa(store, 'default')!;
    await store.delete(ServiceAccounts, { namespace: 'default', name: 'default' });
    await eventually(
      () => {
        expect(sa(store, 'default')).toBeDefined();
        expect(sa(store, 'default')?.metadata.uid).not.toBe(first.metadata.uid);
      },
      { clock: store.clock },
    );

    const edited = mutable(sa(store, 'default')!);
    edited.automountServiceAccountToken = false;
    await store.update(ServiceAccounts, edited);
    store.clearActions();
    await store.clock.advance(60_000);
    expect(store.writes({ resource: ServiceAccounts })).toEqual([]);
    expect(sa(store, 'default')?.automountServiceAccountToken).toBe(false);
  });

  it('writes nothing while nothing changes', async () => {
    const store = new FakeStore({ namespaces: ['default', 'a', 'b'] });
    await start(store);
    await eventually(() => expect(['default', 'a', 'b'].map((ns) => sa(store, ns)).every(Boolean)).toBe(true), { clock: store.clock });
    store.clearActions();
    // Namespaces change (labels) and unrelated ServiceAccounts come and go: no write for them.
    const ns = mutable(await store.get(Namespaces, { name: 'a' }));
    ns.metadata.labels = { team: 'x' };
    await store.update(Namespaces, ns);
    await store.create(ServiceAccounts, { metadata: { name: 'bot', namespace: 'a' } });
    await store.clock.advance(10 * 60_000);
    expect(store.writes()).toHaveLength(2); // the test's own two
  });

  it('leaves a Terminating namespace alone', async () => {
    const store = new FakeStore({ namespaces: ['default', 'going'] });
    await start(store);
    await eventually(() => expect(sa(store, 'going')).toBeDefined(), { clock: store.clock });
    // No namespace controller runs here: the namespace stays Terminating with its content.
    const deleted = await store.delete(Namespaces, { name: 'going' });
    expect(deleted.status?.phase).toBe('Terminating');
    await store.delete(ServiceAccounts, { namespace: 'going', name: 'default' });
    store.clearActions();
    await store.clock.advance(60_000);
    expect(store.writes({ resource: ServiceAccounts })).toEqual([]);
    expect(sa(store, 'going')).toBeUndefined();
  });

  it('does not retry a create the API refuses because the namespace is going', async () => {
    const store = new FakeStore({ namespaces: ['default'] });
    await start(store);
    await eventually(() => expect(sa(store, 'default')).toBeDefined(), { clock: store.clock });
    store.intercept({ verb: 'create', resource: ServiceAccounts, namespace: 'racing' }, () => {
      throw forbidden(
        { group: '', resource: 'serviceaccounts' },
        'default',
        'unable to create new content in namespace racing because it is being terminated',
      );
    });
    await store.create(Namespaces, { metadata: { name: 'racing' } });
    await store.clock.advance(10 * 60_000);
    // An error would be retried with back-off: several creates in ten minutes.
    expect(store.actions({ verb: 'create', resource: ServiceAccounts, namespace: 'racing' })).toHaveLength(1);
    expect(store.writes({ resource: ConfigMaps })).toEqual([]);
  });
});
