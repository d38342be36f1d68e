import { ConfigMaps, type ConfigMap } from '@converge/core';
import { cachedClient, FakeStore, ReconcilerHarness, startTestEnv, watchLatency, type TestEnv } from '@converge/testing';
import '@converge/testing/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { MIRROR_FINALIZER, MirrorController } from './mirror.controller.js';
import { Mirrors, type Mirror } from './mirror.kind.js';

function mirror(name: string, source: string, copies: number): Mirror {
  return { apiVersion: 'mirrors.example.dev/v1alpha1', kind: 'Mirror', metadata: { name, namespace: 'default' }, spec: { source, copies } };
}

function configMap(name: string, data: Record<string, string>): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data };
}

describe('MirrorController', () => {
  let env: TestEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('creates the copies, marks the source and reports Ready for the generation it saw', async () => {
    const store = new FakeStore({ objects: [mirror('m', 'settings', 2), configMap('settings', { a: '1' })], kinds: [Mirrors] });
    const client = cachedClient(store);
    const harness = new ReconcilerHarness({ store, reconciler: new MirrorController(client, store.clock) });

    const run = await harness.reconcile('default/m');

    expect(run.error).toBeUndefined();
    expect(run.writes.map((w) => `${w.verb} ${w.kind} ${w.name}${w.subresource ? '/' + w.subresource : ''}`)).toEqual([
      'patch Mirror m',
      'patch ConfigMap settings',
      'create ConfigMap m-0',
      'create ConfigMap m-1',
      'patch Mirror m/status',
    ]);
    const m = store.peek(Mirrors, { namespace: 'default', name: 'm' })!;
    expect(m).toHaveFinalizer(MIRROR_FINALIZER);
    expect(m).toHaveCondition('Ready', { status: 'True', reason: 'Synced', observedGeneration: 1 });
    expect(m.status?.observedGeneration).toBe(1);
    expect(store.peek(ConfigMaps, { namespace: 'default', name: 'm-1' })).toBeOwnedBy(m, { controller: true });
    expect(store).toHaveObject(ConfigMaps, 'default/settings', { metadata: { annotations: { 'mirrors.example.dev/m': 'true' } } });
    expect(store.actions({ verb: 'get' })).toEqual([]); // every read came from the cache
    expect((await harness.reconcile('default/m')).writes).toEqual([]);
    client.informers.stop();
  });

  it('reports a missing source as Ready False', async () => {
    const store = new FakeStore({ objects: [mirror('m', 'nowhere', 1)], kinds: [Mirrors] });
    const client = cachedClient(store);
    const harness = new ReconcilerHarness({ store, reconciler: new MirrorController(client, store.clock) });

    expect((await harness.reconcile('default/m')).error).toBeUndefined();

    expect(store.peek(Mirrors, { namespace: 'default', name: 'm' })).toHaveCondition('Ready', {
      status: 'False',
      reason: 'SourceNotFound',
    });
    expect(store).not.toHaveObject(ConfigMaps, 'default/m-0');
    client.informers.stop();
  });

  it('follows the source, prunes copies beyond spec.copies and unmarks the source on deletion', async () => {
    env = await startTestEnv({ kinds: [Mirrors], controllers: [MirrorController] });
    const { store } = env;
    await store.create(ConfigMaps, configMap('settings', { a: '1' }));
    await store.create(Mirrors, mirror('m', 'settings', 3));
    await env.runUntilQuiescent();
    expect(store).toHaveObject(ConfigMaps, 'default/m-2', { data: { a: '1' } });

    // a change to the source reaches the Mirror through the mapped watch
    const source = store.peek(ConfigMaps, { namespace: 'default', name: 'settings' })!;
    await store.update(ConfigMaps, { ...source, data: { a: '2' } });
    await env.runUntilQuiescent();
    expect(store).toHaveObject(ConfigMaps, 'default/m-0', { data: { a: '2' } });

    // fewer copies: the extra ones go, and the status says which generation it describes
    const m = store.peek(Mirrors, { namespace: 'default', name: 'm' })!;
    await store.update(Mirrors, { ...m, spec: { ...m.spec, copies: 1 } });
    await env.runUntilQuiescent();
    expect(store).toHaveObject(ConfigMaps, 'default/m-0');
    expect(store).not.toHaveObject(ConfigMaps, 'default/m-1');
    expect(store).not.toHaveObject(ConfigMaps, 'default/m-2');
    const updated = store.peek(Mirrors, { namespace: 'default', name: 'm' })!;
    expect(updated).toHaveCondition('Ready', { status: 'True', observedGeneration: 2 });

    // deletion: the finalizer removes the mark before the Mirror goes
    await store.delete(Mirrors, { namespace: 'default', name: 'm' });
    await env.runUntilQuiescent();
    expect(store).not.toHaveObject(Mirrors, 'default/m');
    expect(
      store.peek(ConfigMaps, { namespace: 'default', name: 'settings' })?.metadata.annotations?.['mirrors.example.dev/m'],
    ).toBeUndefined();
  });

  it('waits for a lagging cache instead of failing on its own writes', async () => {
    const store = new FakeStore({ objects: [configMap('settings', { a: '1' })], kinds: [Mirrors] });
    store.intercept({ verb: 'watch', resource: 'configmaps' }, watchLatency(100)); // ConfigMap events arrive 100 ms late
    env = await startTestEnv({ store, controllers: [MirrorController] });
    await store.create(Mirrors, mirror('m', 'settings', 2));
    await env.runUntilQuiescent();

    expect(store).toContainAction({ verb: 'create', name: 'm-0', failed: 'AlreadyExists' }); // the cache was behind ...
    expect(env.reconciles.records.filter((r) => r.outcome === 'error')).toEqual([]); // ... which is no error
    expect(store).toHaveObject(ConfigMaps, 'default/m-1', { data: { a: '1' } });
    expect(store.peek(Mirrors, { namespace: 'default', name: 'm' })).toHaveCondition('Ready', 'True');
  });
});
