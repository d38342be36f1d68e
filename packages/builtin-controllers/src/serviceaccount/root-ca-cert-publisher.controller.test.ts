import 'reflect-metadata';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigMaps, mutable, Namespaces, silentLogger, type ConfigMap } from '@converge/core';
import { FakeStore, eventually } from '@converge/testing';
import { catalogDiscovery } from '../discovery/kind-discovery.js';
import { createControllerManager, type ControllerManager } from '../controller-manager/controller-manager.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBtest\n-----END CERTIFICATE-----\n';
let running: { cm: ControllerManager; done: Promise<void> } | undefined;

async function start(store: FakeStore, options: { rootCA?: string } = { rootCA: CA }): Promise<ControllerManager> {
  await store.ready();
  const cm = createControllerManager({
    store,
    discovery: catalogDiscovery(store.catalog),
    clock: store.clock,
    logger: silentLogger(),
    leaderElection: false,
    controllers: ['root-ca-cert-publisher'],
    ...options,
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

const cm = (store: FakeStore, namespace: string) =>
  store.peek(ConfigMaps, { namespace, name: 'kube-root-ca.crt' }) as ConfigMap | undefined;
const published = (store: FakeStore, namespace: string) => expect(cm(store, namespace)?.data).toEqual({ 'ca.crt': CA });

describe('RootCACertPublisher', () => {
  it('publishes the CA as kube-root-ca.crt in every existing and new namespace', async () => {
    const store = new FakeStore({ namespaces: ['default', 'kube-system', 'kube-public'] });
    const manager = await start(store);
    expect(manager.enabled).toEqual(['root-ca-certificate-publisher-controller']);
    await eventually(() => ['default', 'kube-system', 'kube-public'].forEach((ns) => published(store, ns)), { clock: store.clock });
    expect(cm(store, 'default')?.metadata.annotations?.['kubernetes.io/description']).toMatch(/CA bundle/);
    await store.create(Namespaces, { metadata: { name: 'team' } });
    await eventually(() => published(store, 'team'), { clock: store.clock });
  });

  it('creates it again when deleted and puts it back when edited, keeping other metadata', async () => {
    const store = new FakeStore({ namespaces: ['default'] });
    await start(store);
    await eventually(() => published(store, 'default'), { clock: store.clock });
    const first = cm(store, 'default')!;
    await store.delete(ConfigMaps, { namespace: 'default', name: 'kube-root-ca.crt' });
    await eventually(
      () => {
        published(store, 'default');
        expect(cm(store, 'default')?.metadata.uid).not.toBe(first.metadata.uid);
      },
      { clock: store.clock },
    );

    const edited = mutable(cm(store, 'default')!);
    edited.data = { 'ca.crt': 'not a CA', extra: 'x' };
    edited.metadata.labels = { mine: 'yes' };
    edited.metadata.annotations = {};
    await store.update(ConfigMaps, edited);
    await eventually(
      () => {
        published(store, 'default');
        expect(cm(store, 'default')?.metadata.annotations?.['kubernetes.io/description']).toBeTruthy();
      },
      { clock: store.clock },
    );
    expect(cm(store, 'default')?.metadata.labels).toEqual({ mine: 'yes' });
  });

  it('writes nothing while nothing changes', async () => {
    const store = new FakeStore({ namespaces: ['default', 'a', 'b'] });
    await start(store);
    await eventually(() => ['default', 'a', 'b'].forEach((ns) => published(store, ns)), { clock: store.clock });
    store.clearActions();
    const ns = mutable(await store.get(Namespaces, { name: 'b' }));
    ns.metadata.labels = { touched: 'yes' };
    await store.update(Namespaces, ns);
    await store.create(ConfigMaps, { metadata: { name: 'other', namespace: 'a' }, data: { k: 'v' } });
    // A change that keeps the published data and description (a label) is left alone too.
    const labelled = mutable(cm(store, 'a')!);
    labelled.metadata.labels = { extra: 'label' };
    await store.update(ConfigMaps, labelled);
    await store.clock.advance(10 * 60_000);
    expect(store.writes()).toHaveLength(3); // the test's own three
  });

  it('leaves a Terminating namespace alone', async () => {
    const store = new FakeStore({ namespaces: ['default', 'going'] });
    await start(store);
    await eventually(() => published(store, 'going'), { clock: store.clock });
    const deleted = await store.delete(Namespaces, { name: 'going' });
    expect(deleted.status?.phase).toBe('Terminating');
    await store.delete(ConfigMaps, { namespace: 'going', name: 'kube-root-ca.crt' });
    store.clearActions();
    await store.clock.advance(60_000);
    expect(store.writes({ resource: ConfigMaps })).toEqual([]);
    expect(cm(store, 'going')).toBeUndefined();
  });

  it('is skipped, with the reason, when the controller-manager has no root CA', async () => {
    const store = new FakeStore({ namespaces: ['default'] });
    const manager = await start(store, {});
    expect(manager.enabled).toEqual([]);
    expect(manager.skipped).toEqual([{ name: 'root-ca-certificate-publisher-controller', reason: expect.stringContaining('root CA') }]);
    await store.clock.advance(60_000);
    expect(cm(store, 'default')).toBeUndefined();
  });
});
