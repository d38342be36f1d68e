import {
  ConfigMaps,
  Controller,
  isNotFound,
  mutable,
  Namespaces,
  ObjectStoreToken,
  Plugin,
  type ConfigMap,
  type Namespace,
  type ObjectStore,
  type Reconciler,
  type Request,
} from '@converge/core';
import { inject } from 'inversify';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from './eventually.js';
import { startTestEnv, type TestEnv } from './test-env.js';

/** Labels every Namespace with `seen=yes`. */
@Controller({ for: Namespaces })
class NamespaceLabeler implements Reconciler {
  constructor(@inject(ObjectStoreToken) private readonly store: ObjectStore) {}
  async reconcile(req: Request): Promise<void> {
    const ns = mutable(await this.store.get(Namespaces, req).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e))));
    if (!ns || ns.metadata.labels?.seen === 'yes') return;
    ns.metadata.labels = { ...ns.metadata.labels, seen: 'yes' };
    await this.store.update(Namespaces, ns as Namespace);
  }
}

/** Makes a ConfigMap `hello` in every Namespace labelled `seen=yes`. */
@Controller({ name: 'greeter', for: Namespaces })
class Greeter implements Reconciler {
  constructor(@inject(ObjectStoreToken) private readonly store: ObjectStore) {}
  async reconcile(req: Request): Promise<void> {
    const ns = await this.store.get(Namespaces, req).catch(() => undefined);
    if (ns?.metadata.labels?.seen !== 'yes' || ns.metadata.deletionTimestamp) return;
    await this.store
      .create(ConfigMaps, { metadata: { namespace: req.name, name: 'hello' }, data: { hi: 'there' } } as ConfigMap)
      .catch((e: unknown) => {
        if ((e as { reason?: string }).reason !== 'AlreadyExists') throw e;
      });
  }
}

@Plugin({ name: 'starter' })
class StarterPlugin {
  started = 0;
  async start(signal: AbortSignal): Promise<void> {
    this.started++;
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  }
}

let env: TestEnv | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

describe('startTestEnv', () => {
  it('runs several controllers in a manager over one set of shared informers', async () => {
    env = await startTestEnv({
      objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } }],
      controllers: [NamespaceLabeler, Greeter, StarterPlugin],
    });
    await env.runUntilQuiescent();
    expect(env.peek(ConfigMaps, { namespace: 'team-a', name: 'hello' })?.data).toEqual({ hi: 'there' });
    expect(env.peek(ConfigMaps, { namespace: 'default', name: 'hello' })).toBeDefined();
    // both controllers watch Namespaces: one list and one watch between them
    expect(env.store.actions({ verb: 'list', resource: 'namespaces' })).toHaveLength(1);
    expect(env.store.openWatches({ resource: 'namespaces' })).toBe(1);
    expect(env.controllers().map((c) => c.name)).toEqual(['namespace', 'greeter']);
    expect((env.manager.container.get(StarterPlugin) as StarterPlugin).started).toBe(1);

    // a namespace created later is handled through the watch
    await env.store.create(Namespaces, { metadata: { name: 'team-b' } });
    await eventually(() => expect(env!.peek(ConfigMaps, { namespace: 'team-b', name: 'hello' })).toBeDefined(), { clock: env.clock });
    expect(new Set(env.reconciles.records.map((r) => r.controller))).toEqual(new Set(['namespace', 'greeter']));
  });

  it('stops cleanly: watches closed, controllers stopped', async () => {
    env = await startTestEnv({ controllers: [NamespaceLabeler] });
    await env.runUntilQuiescent();
    expect(env.store.openWatches()).toBeGreaterThan(0);
    await env.stop();
    expect(env.store.openWatches()).toBe(0);
    expect(env.controllers().every((c) => !c.isRunning())).toBe(true);
    await env.stop(); // twice is fine
  });

  it('adds controllers while running', async () => {
    env = await startTestEnv({ controllers: [NamespaceLabeler] });
    await env.runUntilQuiescent();
    env.add(Greeter);
    await env.runUntilQuiescent();
    expect(env.peek(ConfigMaps, { namespace: 'default', name: 'hello' })).toBeDefined();
  });
});
