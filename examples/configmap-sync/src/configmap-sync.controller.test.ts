import { ConfigMaps, conflict, mutable, Namespaces, type ConfigMap, type KubeObject } from '@converge/core';
import { cachedClient, FakeStore, ReconcilerHarness, startController, startTestEnv, type TestEnv } from '@converge/testing';
import '@converge/testing/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigMapSyncController, COPY_LABEL, SKIP_LABEL, SYNC_LABEL, SyncSettingsToken } from './configmap-sync.controller.js';

const namespace = (name: string, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, ...(labels ? { labels } : {}) },
});

const source = (name: string, data: Record<string, string>, synced = true): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'config-source', labels: synced ? { [SYNC_LABEL]: 'true' } : {} },
  data,
});

const copy = (ns: string, name: string, data: Record<string, string>): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, labels: { [COPY_LABEL]: name } },
  data,
});

/** A store with the objects, and the controller's reconciler in a harness, reading through a cached client as in a manager. */
function unit(...objects: KubeObject[]) {
  const store = new FakeStore({ objects: [namespace('config-source'), ...objects] });
  const client = cachedClient(store);
  const harness = new ReconcilerHarness({ store, reconciler: new ConfigMapSyncController(client, client.informers) });
  return { store, harness };
}

describe('ConfigMapSyncController.reconcile', () => {
  it('copies every labelled source ConfigMap into the namespace', async () => {
    const { store, harness } = unit(namespace('team-a'), source('shared', { region: 'eu' }), source('private', { x: '1' }, false));
    const run = await harness.reconcile('team-a');
    expect(run.error).toBeUndefined();
    expect(run.writes.map((w) => `${w.verb} ${w.namespace}/${w.name}`)).toEqual(['create team-a/shared']);
    expect(store).toHaveObject(ConfigMaps, 'team-a/shared', { metadata: { labels: { [COPY_LABEL]: 'shared' } }, data: { region: 'eu' } });
    expect(store).not.toHaveObject(ConfigMaps, 'team-a/private');
  });

  it('makes no write when the copies are in line (idempotent)', async () => {
    const { harness } = unit(namespace('team-a'), source('shared', { region: 'eu' }), copy('team-a', 'shared', { region: 'eu' }));
    const run = await harness.reconcile('team-a');
    expect(run.writes).toEqual([]);
    expect(run.outcome).toBe('done');
  });

  it('updates a copy whose data differs from its source', async () => {
    const { store, harness } = unit(namespace('team-a'), source('shared', { region: 'us' }), copy('team-a', 'shared', { region: 'eu' }));
    const run = await harness.reconcile('team-a');
    expect(run).toContainAction({ verb: 'update', name: 'shared', object: { data: { region: 'us' } } });
    expect(store).toHaveObject(ConfigMaps, 'team-a/shared', { data: { region: 'us' } });
  });

  it('deletes copies whose source is gone or no longer labelled', async () => {
    const { store, harness } = unit(
      namespace('team-a'),
      source('unlabelled', { a: '1' }, false),
      copy('team-a', 'unlabelled', { a: '1' }),
      copy('team-a', 'orphan', {}),
    );
    await harness.reconcile('team-a');
    expect(store).not.toHaveObject(ConfigMaps, 'team-a/unlabelled');
    expect(store).not.toHaveObject(ConfigMaps, 'team-a/orphan');
  });

  it('never overwrites a ConfigMap of the same name that is not a copy', async () => {
    const mine: ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shared', namespace: 'team-a' },
      data: { mine: 'yes' },
    };
    const { store, harness } = unit(namespace('team-a'), source('shared', { region: 'eu' }), mine);
    const run = await harness.reconcile('team-a');
    expect(run.outcome).toBe('done');
    expect(run).toContainAction({ verb: 'create', name: 'shared', failed: 'AlreadyExists' });
    expect(store).toHaveObject(ConfigMaps, 'team-a/shared', { data: { mine: 'yes' } });
  });

  it('removes copies from, and adds none to, a namespace labelled skip', async () => {
    const { store, harness } = unit(
      namespace('quiet', { [SKIP_LABEL]: 'true' }),
      source('shared', { region: 'eu' }),
      copy('quiet', 'shared', { region: 'eu' }),
    );
    const run = await harness.reconcile('quiet');
    expect(run.writes.map((w) => w.verb)).toEqual(['delete']);
    expect(store).not.toHaveObject(ConfigMaps, 'quiet/shared');
  });

  it('leaves the source namespace, missing namespaces and terminating namespaces alone', async () => {
    const terminating = {
      ...namespace('leaving'),
      metadata: { name: 'leaving', finalizers: ['example.com/hold'], deletionTimestamp: '2024-01-01T00:00:00Z' },
    };
    const { harness } = unit(terminating, source('shared', { region: 'eu' }));
    for (const key of ['config-source', 'gone', 'leaving']) {
      const run = await harness.reconcile(key);
      expect(run.writes, key).toEqual([]);
      expect(run.error, key).toBeUndefined();
    }
  });

  it('returns the store error so the controller retries with back-off', async () => {
    const { store, harness } = unit(namespace('team-a'), source('shared', { region: 'us' }), copy('team-a', 'shared', { region: 'eu' }));
    store.interceptOnce({ verb: 'update', resource: ConfigMaps }, () => {
      throw conflict({ resource: 'configmaps' }, 'shared');
    });
    const run = await harness.reconcile('team-a');
    expect(run.outcome).toBe('error');
    expect((await harness.reconcile('team-a')).outcome).toBe('done');
    expect(store).toHaveObject(ConfigMaps, 'team-a/shared', { data: { region: 'us' } });
  });
});

describe('ConfigMapSyncController, running', () => {
  let env: TestEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('keeps every namespace in line as namespaces and sources change', async () => {
    env = await startTestEnv({
      objects: [namespace('config-source'), namespace('team-a'), namespace('team-b'), source('shared', { region: 'eu' })],
      controllers: [ConfigMapSyncController],
    });
    await env.runUntilQuiescent();
    for (const ns of ['default', 'team-a', 'team-b'])
      expect(env.store).toHaveObject(ConfigMaps, `${ns}/shared`, { data: { region: 'eu' } });

    // a new namespace gets its copy
    await env.store.create(Namespaces, { metadata: { name: 'team-c' } });
    await env.runUntilQuiescent();
    expect(env.store).toHaveObject(ConfigMaps, 'team-c/shared');

    // a change to the source reaches every copy
    const src = mutable(await env.store.get(ConfigMaps, { namespace: 'config-source', name: 'shared' }));
    src.data = { region: 'us' };
    await env.store.update(ConfigMaps, src);
    await env.runUntilQuiescent();
    for (const ns of ['default', 'team-a', 'team-b', 'team-c'])
      expect(env.store).toHaveObject(ConfigMaps, `${ns}/shared`, { data: { region: 'us' } });

    // someone edits a copy: it is put back
    const edited = mutable(await env.store.get(ConfigMaps, { namespace: 'team-a', name: 'shared' }));
    edited.data = { region: 'mars' };
    await env.store.update(ConfigMaps, edited);
    await env.runUntilQuiescent();
    expect(env.store).toHaveObject(ConfigMaps, 'team-a/shared', { data: { region: 'us' } });

    // deleting the source removes every copy
    await env.store.delete(ConfigMaps, { namespace: 'config-source', name: 'shared' });
    await env.runUntilQuiescent();
    for (const ns of ['default', 'team-a', 'team-b', 'team-c']) expect(env.store).not.toHaveObject(ConfigMaps, `${ns}/shared`);
  });

  it('reads its settings from the container', async () => {
    env = await startTestEnv({
      objects: [
        namespace('elsewhere'),
        { ...source('shared', { a: 'b' }), metadata: { name: 'shared', namespace: 'elsewhere', labels: { [SYNC_LABEL]: 'true' } } },
      ],
    });
    env.manager.container.bind(SyncSettingsToken).toConstantValue({ sourceNamespace: 'elsewhere' });
    env.add(ConfigMapSyncController);
    await env.runUntilQuiescent();
    expect(env.store).toHaveObject(ConfigMaps, 'default/shared', { data: { a: 'b' } });
  });

  it('converges despite conflicts on writes, retrying on virtual time', async () => {
    const store = new FakeStore({ objects: [namespace('config-source'), namespace('team-a'), source('shared', { region: 'eu' })] });
    const conflicts = store.intercept(
      { verb: 'create', resource: ConfigMaps },
      () => {
        throw conflict({ resource: 'configmaps' }, 'shared');
      },
      { times: 3 },
    );
    const client = cachedClient(store);
    const h = await startController({
      store,
      informers: client.informers,
      controller: new ConfigMapSyncController(client, client.informers),
    });
    await h.runUntilQuiescent();
    expect(conflicts.calls).toBe(3);
    expect(store).toHaveObject(ConfigMaps, 'team-a/shared');
    expect(store).toHaveObject(ConfigMaps, 'default/shared');
    expect(h.reconciles.filter((r) => r.outcome === 'error')).toHaveLength(3);
    await h.stop();
  });
});
