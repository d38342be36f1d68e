import { ConfigMaps, Namespaces } from '@converge/core';
import { cachedClient, FakeStore, ReconcilerHarness, startTestEnv } from '@converge/testing';
import '@converge/testing/vitest';
import { describe, expect, it } from 'vitest';
import { WelcomeController } from './welcome.controller.js';

describe('WelcomeController', () => {
  it('creates the welcome ConfigMap of a namespace', async () => {
    const store = new FakeStore({ objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } }] });
    // the controller reads through a cache over the store, as in a manager
    const client = cachedClient(store);
    const harness = new ReconcilerHarness({ store, reconciler: new WelcomeController(client) });

    const run = await harness.reconcile('team-a');

    expect(run.error).toBeUndefined();
    expect(run).toContainAction({ verb: 'create', resource: 'configmaps', namespace: 'team-a' });
    expect(store).toHaveObject(ConfigMaps, 'team-a/welcome', { data: { message: 'Welcome to team-a!' } });
    expect((await harness.reconcile('team-a')).writes).toEqual([]); // nothing left to do
    client.informers.stop(); // the cache's informers watch the store until stopped
  });

  it('puts the ConfigMap back when it is deleted', async () => {
    const env = await startTestEnv({ controllers: [WelcomeController] });
    await env.store.create(Namespaces, { metadata: { name: 'team-b' } });
    await env.runUntilQuiescent();
    expect(env.store).toHaveObject(ConfigMaps, 'team-b/welcome');

    await env.store.delete(ConfigMaps, { namespace: 'team-b', name: 'welcome' });
    await env.runUntilQuiescent();
    expect(env.store).toHaveObject(ConfigMaps, 'team-b/welcome', { data: { message: 'Welcome to team-b!' } });
    await env.stop();
  });
});
