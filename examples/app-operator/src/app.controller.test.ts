import { ConfigMaps, Deployments, isInvalid, mutable, StatusError, type Deployment } from '@converge/core';
import { cachedClient, fail, FakeStore, ReconcilerHarness, startTestEnv, type ReconcileRun, type TestEnv } from '@converge/testing';
import '@converge/testing/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { AppController, APP_FINALIZER, CONFIG_HASH_ANNOTATION, DIRECTORY_CONFIGMAP } from './app.controller.js';
import { Apps, type App } from './app.kind.js';

const app = (name: string, spec: App['spec']): App => ({
  apiVersion: 'example.converge.dev/v1alpha1',
  kind: 'App',
  metadata: { name, namespace: 'default' },
  spec,
});

function setup(...objects: App[]) {
  const store = new FakeStore({ objects, kinds: [Apps] });
  const controller = new AppController(cachedClient(store), store.clock); // reads through a cache, as in a manager
  const harness = new ReconcilerHarness({ store, reconciler: controller });
  return { store, harness, controller };
}

/** The writes of a run to anything but Events (which the recorder writes in the background). */
const objectWrites = (run: ReconcileRun) =>
  run.writes.filter((w) => w.kind !== 'Event').map((w) => `${w.verb} ${w.kind}${w.subresource ? `/${w.subresource}` : ''} ${w.name}`);

/** Plays the Deployment controller and kubelets: reports every replica of the Deployment updated and ready. */
async function rollOut(store: FakeStore, name: string): Promise<void> {
  const d = mutable(await store.get(Deployments, { namespace: 'default', name }));
  const n = d.spec?.replicas ?? 1;
  d.status = { observedGeneration: d.metadata.generation!, replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n };
  await store.update(Deployments, d, { subresource: 'status' });
}

describe('AppController.reconcile', () => {
  it('creates the ConfigMap and Deployment of a new App, owned by it, and reports Progressing', async () => {
    const { store, harness, controller } = setup(
      app('web', { image: 'nginx:1.27', replicas: 2, port: 8080, config: { GREETING: 'hello' } }),
    );
    const run = await harness.reconcile('default/web');
    expect(run.error).toBeUndefined();
    expect(objectWrites(run)).toEqual([
      'patch App web', // the finalizer
      'create ConfigMap web-config',
      'create Deployment web',
      'create ConfigMap app-directory',
      'patch App/status web',
    ]);
    await controller.events.flush();
    expect(store).toContainAction({
      verb: 'create',
      kind: 'Event',
      object: { type: 'Normal', reason: 'Created', involvedObject: { kind: 'App', name: 'web' } },
    });
    const web = store.peek(Apps, { namespace: 'default', name: 'web' })!;
    expect(web).toHaveFinalizer(APP_FINALIZER);
    expect(web).toHaveCondition('Ready', { status: 'False', reason: 'Progressing', message: '0/2 replicas ready', observedGeneration: 1 });
    expect(web.status).toMatchObject({ observedGeneration: 1, readyReplicas: 0 });

    expect(store).toHaveObject(ConfigMaps, 'default/web-config', { data: { GREETING: 'hello' } });
    expect(store.peek(ConfigMaps, { namespace: 'default', name: 'web-config' })).toBeOwnedBy(web, { controller: true });
    expect(store).toHaveObject(Deployments, 'default/web', {
      spec: {
        replicas: 2,
        template: {
          spec: {
            containers: [
              { name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 8080 }], envFrom: [{ configMapRef: { name: 'web-config' } }] },
            ],
          },
        },
      },
    });
    expect(store.peek(Deployments, { namespace: 'default', name: 'web' })).toBeOwnedBy(web, { controller: true });
    expect(store).toHaveObject(ConfigMaps, `default/${DIRECTORY_CONFIGMAP}`, { data: { web: 'nginx:1.27' } });
  });

  it('makes no write once everything is in line', async () => {
    const { harness } = setup(app('web', { image: 'nginx:1.27' }));
    await harness.reconcile('default/web');
    const again = await harness.reconcile('default/web');
    expect(again.writes).toEqual([]);
  });

  it('follows a spec change: new image and configuration roll the Deployment', async () => {
    const { store, harness } = setup(app('web', { image: 'nginx:1.27', config: { A: '1' } }));
    await harness.reconcile('default/web');
    const before = store.peek(Deployments, { namespace: 'default', name: 'web' })!;
    const web = mutable(await store.get(Apps, { namespace: 'default', name: 'web' }));
    web.spec = { image: 'nginx:1.28', replicas: 3, config: { A: '2' } };
    await store.update(Apps, web);

    const run = await harness.reconcile('default/web');
    expect(run).toContainAction({ verb: 'update', kind: 'ConfigMap', name: 'web-config', object: { data: { A: '2' } } });
    expect(run).toContainAction({ verb: 'update', kind: 'Deployment', object: { spec: { replicas: 3 } } });
    const after = store.peek(Deployments, { namespace: 'default', name: 'web' })!;
    expect(after.spec?.template.spec?.containers[0]?.image).toBe('nginx:1.28');
    expect(after.spec?.template.metadata?.annotations?.[CONFIG_HASH_ANNOTATION]).not.toBe(
      before.spec?.template.metadata?.annotations?.[CONFIG_HASH_ANNOTATION],
    );
    expect(store).toHaveObject(Apps, 'default/web', { status: { observedGeneration: 2 } });
    expect(store).toHaveObject(ConfigMaps, `default/${DIRECTORY_CONFIGMAP}`, { data: { web: 'nginx:1.28' } });
  });

  it('turns Ready once the Deployment is rolled out, with lastTransitionTime from the virtual clock', async () => {
    const { store, harness, controller } = setup(app('web', { image: 'nginx:1.27', replicas: 2 }));
    await harness.reconcile('default/web');
    await store.clock.advance(90_000);
    await rollOut(store, 'web');
    await harness.reconcile('default/web');
    const ready = store.peek(Apps, { namespace: 'default', name: 'web' })!;
    expect(ready).toHaveCondition('Ready', { status: 'True', reason: 'Available', lastTransitionTime: '2024-01-01T00:01:30Z' });
    expect(ready.status?.readyReplicas).toBe(2);
    await controller.events.flush();
    expect(store).toContainAction({
      verb: 'create',
      kind: 'Event',
      object: { reason: 'Ready', message: '2/2 replicas ready', lastTimestamp: '2024-01-01T00:01:30Z' },
    });

    // no transition: the time stays
    await store.clock.advance(60_000);
    await harness.reconcile('default/web');
    expect(store.peek(Apps, { namespace: 'default', name: 'web' })).toHaveCondition('Ready', {
      lastTransitionTime: '2024-01-01T00:01:30Z',
    });
  });

  it('on deletion removes its directory entry, then its finalizer, so the App goes', async () => {
    const { store, harness } = setup(app('web', { image: 'nginx:1.27' }), app('api', { image: 'api:2' }));
    await harness.reconcile('default/web');
    await harness.reconcile('default/api');
    await store.delete(Apps, { namespace: 'default', name: 'web' });
    expect(store.peek(Apps, { namespace: 'default', name: 'web' })?.metadata.deletionTimestamp).toBeDefined();

    const run = await harness.reconcile('default/web');
    expect(objectWrites(run)).toEqual(['update ConfigMap app-directory', 'patch App web']);
    expect(store).not.toHaveObject(Apps, 'default/web');
    expect(store).toHaveObject(ConfigMaps, `default/${DIRECTORY_CONFIGMAP}`, { data: { api: 'api:2' } });
    expect(store.peek(ConfigMaps, { namespace: 'default', name: DIRECTORY_CONFIGMAP })?.data).not.toHaveProperty('web');
  });

  it('refuses to take over a Deployment it does not control, and says so in the status', async () => {
    const foreign = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        selector: { matchLabels: { x: 'y' } },
        template: { metadata: { labels: { x: 'y' } }, spec: { containers: [{ name: 'c', image: 'other' }] } },
      },
    } as Deployment;
    const store = new FakeStore({ objects: [app('web', { image: 'nginx:1.27' }), foreign], kinds: [Apps] });
    const controller = new AppController(cachedClient(store), store.clock);
    const harness = new ReconcilerHarness({ store, reconciler: controller });
    const run = await harness.reconcile('default/web');
    expect(run.outcome).toBe('terminal');
    await controller.events.flush();
    expect(store).toContainAction({ verb: 'create', kind: 'Event', object: { type: 'Warning', reason: 'OwnershipConflict' } });
    expect(store).toHaveObject(Deployments, 'default/web', { spec: { template: { spec: { containers: [{ image: 'other' }] } } } });
    expect(store.peek(Apps, { namespace: 'default', name: 'web' })).toHaveCondition('Ready', {
      status: 'False',
      reason: 'OwnershipConflict',
    });
  });

  it('retries a failed status write', async () => {
    const { store, harness } = setup(app('web', { image: 'nginx:1.27' }));
    store.interceptOnce({ verb: 'patch', resource: Apps, subresource: 'status' }, () => {
      throw new StatusError('ServiceUnavailable', 'the server is currently unable to handle the request');
    });
    expect((await harness.reconcile('default/web')).outcome).toBe('error');
    const retry = await harness.reconcile('default/web', { retries: 1 });
    expect(retry.outcome).toBe('done');
    expect(objectWrites(retry)).toEqual(['patch App/status web']);
  });

  it('recovers from a failed create (the example of the @converge/testing README)', async () => {
    const store = new FakeStore({
      objects: [app('web', { image: 'nginx:1.27', replicas: 2, config: { GREETING: 'hello' } })],
      kinds: [Apps],
    });
    store.intercept({ verb: 'create', resource: 'deployments' }, fail(new Error('etcd is down')), { times: 1 });
    const harness = new ReconcilerHarness({ store, reconciler: new AppController(cachedClient(store), store.clock) });
    expect((await harness.reconcile('default/web')).outcome).toBe('error');
    const run = await harness.reconcile('default/web', { retries: 1 });
    expect(run).toContainAction({ verb: 'create', resource: 'deployments', object: { spec: { replicas: 2 } } });
    expect(store).toHaveObject(ConfigMaps, 'default/web-config', { data: { GREETING: 'hello' } });
  });

  it('relies on the zod schema: the store refuses an invalid App', async () => {
    const store = new FakeStore({ kinds: [Apps] });
    const err = await store.create(Apps, app('bad', { image: '', replicas: -1 })).catch((e: unknown) => e);
    expect(isInvalid(err)).toBe(true);
    expect((err as Error).message).toMatch(/spec.image/);
    expect((err as Error).message).toMatch(/spec.replicas/);
  });
});

describe('AppController, running in a manager', () => {
  let env: TestEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it('brings an App to Ready through its owned Deployment, and lets it go on deletion', async () => {
    env = await startTestEnv({ kinds: [Apps], controllers: [AppController] });
    await env.store.create(Apps, app('web', { image: 'nginx:1.27', replicas: 2 }));
    await env.runUntilQuiescent();
    expect(env.store.peek(Apps, { namespace: 'default', name: 'web' })).toHaveCondition('Ready', 'False');

    // the Deployment's status changes: the owner watch reconciles the App
    await rollOut(env.store, 'web');
    await env.runUntilQuiescent();
    expect(env.store.peek(Apps, { namespace: 'default', name: 'web' })).toHaveCondition('Ready', { status: 'True', reason: 'Available' });

    // someone scales the Deployment by hand: it is put back
    const d = mutable(await env.store.get(Deployments, { namespace: 'default', name: 'web' }));
    d.spec!.replicas = 5;
    await env.store.update(Deployments, d);
    await env.runUntilQuiescent();
    expect(env.store).toHaveObject(Deployments, 'default/web', { spec: { replicas: 2 } });

    await env.store.delete(Apps, { namespace: 'default', name: 'web' });
    await env.runUntilQuiescent();
    expect(env.store).not.toHaveObject(Apps, 'default/web');
    expect(env.store.peek(ConfigMaps, { namespace: 'default', name: DIRECTORY_CONFIGMAP })?.data ?? {}).toEqual({});
  });
});
