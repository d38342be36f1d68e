import {
  ConfigMaps,
  Events,
  EventsV1,
  HorizontalPodAutoscalers,
  HorizontalPodAutoscalersV1,
  conflict,
  Deployments,
  expired,
  isConflict,
  isNotFound,
  mutable,
  Namespaces,
  Pods,
  Secrets,
  StatusError,
  tooManyRequests,
  type ConfigMap,
  type Deployment,
  type KubeObject,
  type WatchEvent,
} from '@converge/core';
import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { FakeStore } from './fake-store.js';
import { fail, latency } from './interceptors.js';

const cm = (name: string, data: Record<string, string> = {}, namespace = 'default'): ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data,
});

function deployment(name: string, namespace = 'default'): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'nginx:1.27' }] } },
    },
  } as Deployment;
}

describe('FakeStore seeding', () => {
  it('peeks at objects stored in another version through the version asked for', async () => {
    const store = new FakeStore();
    await store.create(EventsV1, {
      metadata: { name: 'e1', namespace: 'default' },
      eventTime: '2024-01-01T00:00:00.000000Z',
      reportingController: 'me',
      reportingInstance: 'me-1',
      action: 'Sync',
      reason: 'Synced',
      type: 'Normal',
      note: 'hello',
      regarding: { kind: 'Pod', name: 'p', namespace: 'default' },
    } as never);
    const v1 = store.peek(EventsV1, { namespace: 'default', name: 'e1' }) as Record<string, unknown> | undefined;
    expect(v1).toMatchObject({ apiVersion: 'events.k8s.io/v1', kind: 'Event', note: 'hello', regarding: { name: 'p' } });
    expect(store.peek(Events, { namespace: 'default', name: 'e1' })).toMatchObject({
      apiVersion: 'v1',
      message: 'hello',
      involvedObject: { name: 'p' },
    });
    await store.create(HorizontalPodAutoscalers, {
      metadata: { name: 'h', namespace: 'default' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 3 },
    } as never);
    expect(store.peek(HorizontalPodAutoscalersV1, { namespace: 'default', name: 'h' })).toMatchObject({
      apiVersion: 'autoscaling/v1',
      spec: { maxReplicas: 3, targetCPUUtilizationPercentage: 80 },
    });
  });

  it('stores seeded objects through the registry, keeping given uids and status', async () => {
    const d = {
      ...deployment('web'),
      metadata: { name: 'web', namespace: 'default', uid: 'u-web' },
      status: { replicas: 2, readyReplicas: 1 },
    } as Deployment;
    const store = new FakeStore({ objects: [d, cm('settings', { a: '1' })] });
    const got = await store.get(Deployments, { namespace: 'default', name: 'web' });
    expect(got.metadata.uid).toBe('u-web');
    expect(got.metadata.generation).toBe(1);
    expect(got.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(got.status).toMatchObject({ replicas: 2, readyReplicas: 1 });
    // defaulted by the registry, as in a cluster
    expect(got.spec?.strategy?.type).toBe('RollingUpdate');
    expect(Object.isFrozen(got)).toBe(true);
    expect(store.peek(ConfigMaps, { namespace: 'default', name: 'settings' })?.data).toEqual({ a: '1' });
  });

  it('creates the namespaces seeded objects live in, and the default namespace', async () => {
    const store = new FakeStore({ objects: [cm('a', {}, 'team-a')] });
    const names = (await store.list(Namespaces)).items.map((n) => n.metadata.name);
    expect(names).toEqual(['default', 'team-a']);
  });

  it('keeps a seeded Namespace object instead of the default one', async () => {
    const store = new FakeStore({
      objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', labels: { team: 'x' } } }],
    });
    expect((await store.get(Namespaces, { name: 'default' })).metadata.labels).toMatchObject({ team: 'x' });
  });

  it('starts empty with namespaces: []', async () => {
    const store = new FakeStore({ namespaces: [] });
    expect((await store.list(Namespaces)).items).toEqual([]);
    await expect(store.create(ConfigMaps, cm('x'))).rejects.toSatisfy(isNotFound);
  });

  it('leaves an object seeded with a deletionTimestamp being deleted while a finalizer holds it', async () => {
    const held = {
      ...cm('held'),
      metadata: { name: 'held', namespace: 'default', finalizers: ['example.com/cleanup'], deletionTimestamp: '2020-01-01T00:00:00Z' },
    };
    const store = new FakeStore({ objects: [held] });
    const got = await store.get(ConfigMaps, { namespace: 'default', name: 'held' });
    expect(got.metadata.deletionTimestamp).toBe('2024-01-01T00:00:00Z'); // the virtual clock's time
    expect(got.metadata.finalizers).toEqual(['example.com/cleanup']);
  });

  it('fails every call with a clear message when a seeded object is refused', async () => {
    const store = new FakeStore({
      objects: [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'default' } }],
    });
    await expect(store.ready()).rejects.toThrow(/seeding Widget default\/w failed: the kind example.com\/v1\/Widget is not served/);
    await expect(store.get(ConfigMaps, { namespace: 'default', name: 'x' })).rejects.toThrow(/seeding Widget/);
    const invalid = new FakeStore({ objects: [cm('Not_A_Name')] });
    await expect(invalid.ready()).rejects.toThrow(/ConfigMap default\/Not_A_Name failed: .*metadata.name/);
  });

  it('hands out deterministic uids and generated names', async () => {
    const make = async () => {
      const store = new FakeStore({ namespaces: [] });
      const ns = await store.create(Namespaces, { metadata: { name: 'n' } });
      const gen = await store.create(ConfigMaps, { metadata: { generateName: 'cfg-', namespace: 'n' } });
      return [ns.metadata.uid, gen.metadata.name];
    };
    const first = await make();
    expect(first[0]).toBe('00000000-0000-4000-8000-000000000001');
    expect(first[1]).toMatch(/^cfg-[a-z0-9]{5}$/);
    expect(await make()).toEqual(first);
  });

  it('seeds more objects later with seed()', async () => {
    const store = new FakeStore();
    const [stored] = await store.seed(cm('late'));
    expect(stored!.metadata.name).toBe('late');
    expect(store.actions()).toEqual([]);
  });
});

describe('FakeStore actions', () => {
  it('records every call with verb, kind, key, body and outcome', async () => {
    const store = new FakeStore({ objects: [cm('a')] });
    await store.get(ConfigMaps, { namespace: 'default', name: 'a' });
    const body = cm('b', { k: 'v' });
    const created = await store.create(ConfigMaps, body);
    body.data!.k = 'changed after the call';
    await store.patch(ConfigMaps, { namespace: 'default', name: 'b' }, { type: 'merge', body: { data: { k: 'w' } } });
    await expect(store.get(Secrets, { namespace: 'default', name: 'nope' })).rejects.toSatisfy(isNotFound);
    await store.list(ConfigMaps, { namespace: 'default', labelSelector: 'x=y' });
    await store.delete(ConfigMaps, { namespace: 'default', name: 'a' });

    const actions = store.actions();
    expect(actions.map((a) => `${a.verb} ${a.resource} ${a.namespace ?? ''}/${a.name ?? ''}`)).toEqual([
      'get configmaps default/a',
      'create configmaps default/b',
      'patch configmaps default/b',
      'get secrets default/nope',
      'list configmaps default/',
      'delete configmaps default/a',
    ]);
    const create = actions[1]!;
    expect(create).toMatchObject({ kind: 'ConfigMap', group: '', version: 'v1', key: 'default/b', done: true });
    expect(store.actions({ key: 'default/b' }).map((a) => a.verb)).toEqual(['create', 'patch']);
    expect(create.object?.data).toEqual({ k: 'v' }); // a snapshot taken at call time
    expect(create.result).toBe(created);
    expect(actions[2]!.patch).toEqual({ type: 'merge', body: { data: { k: 'w' } } });
    expect(isNotFound(actions[3]!.error)).toBe(true);
    expect(actions[4]!.options).toEqual({ namespace: 'default', labelSelector: 'x=y' });
    expect(store.writes().map((a) => a.verb)).toEqual(['create', 'patch', 'delete']);
    expect(store.actions({ verb: ['get', 'list'], resource: 'configmaps' })).toHaveLength(2);
    expect(store.lastAction({ resource: ConfigMaps })?.verb).toBe('delete');
    expect(actions.map((a) => a.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    store.clearActions();
    expect(store.actions()).toEqual([]);
  });

  it('records subresource writes and matches them by subresource', async () => {
    const store = new FakeStore({ objects: [deployment('web')] });
    const d = mutable(await store.get(Deployments, { namespace: 'default', name: 'web' }));
    d.status = { observedGeneration: 1 };
    await store.update(Deployments, d, { subresource: 'status' });
    expect(store.writes({ subresource: 'status' })).toHaveLength(1);
    expect(store.writes({ resource: 'deployments.apps', subresource: '' })).toHaveLength(0);
  });
});

describe('FakeStore interceptors', () => {
  it('injects an error once, then lets calls through', async () => {
    const store = new FakeStore({ objects: [deployment('web')] });
    const i = store.intercept(
      { verb: 'update', resource: 'deployments' },
      () => {
        throw conflict({ group: 'apps', resource: 'deployments' }, 'web');
      },
      { times: 1 },
    );
    const d = mutable(await store.get(Deployments, { namespace: 'default', name: 'web' }));
    d.spec!.replicas = 3;
    await expect(store.update(Deployments, d)).rejects.toSatisfy(isConflict);
    expect(store.peek(Deployments, { namespace: 'default', name: 'web' })?.spec?.replicas).toBe(2);
    const updated = await store.update(Deployments, d);
    expect(updated.spec?.replicas).toBe(3);
    expect(i.calls).toBe(1);
    expect(i.active).toBe(false);
    expect(isConflict(store.actions({ verb: 'update' })[0]!.error)).toBe(true);
  });

  it('fails every matching call until removed, and only matching calls', async () => {
    const store = new FakeStore();
    const i = store.intercept(
      { kind: 'Secret' },
      fail(() => tooManyRequests('slow down', 1)),
    );
    await expect(store.list(Secrets)).rejects.toMatchObject({ reason: 'TooManyRequests', code: 429 });
    await expect(store.list(Secrets)).rejects.toBeInstanceOf(StatusError);
    await expect(store.list(ConfigMaps)).resolves.toBeDefined();
    i.remove();
    await expect(store.list(Secrets)).resolves.toBeDefined();
    expect(i.calls).toBe(2);
  });

  it('adds latency in virtual time', async () => {
    const store = new FakeStore({ objects: [cm('a')] });
    store.intercept({ verb: 'get' }, latency(500));
    let done = false;
    const p = store.get(ConfigMaps, { namespace: 'default', name: 'a' }).then((o) => ((done = true), o));
    await store.clock.advance(499);
    expect(done).toBe(false);
    expect(store.inFlight()).toBe(1);
    await store.clock.advance(1);
    expect((await p).metadata.name).toBe('a');
    expect(store.inFlight()).toBe(0);
  });

  it('can fail a call after the real write happened (a lost response)', async () => {
    const store = new FakeStore();
    store.interceptOnce({ verb: 'create' }, async (ctx) => {
      await ctx.proceed();
      throw new StatusError('Timeout', 'the request timed out');
    });
    await expect(store.create(ConfigMaps, cm('x'))).rejects.toMatchObject({ reason: 'Timeout' });
    expect(store.peek(ConfigMaps, { namespace: 'default', name: 'x' })).toBeDefined();
  });

  it("answers in the store's place when a handler returns a value, and chains in order", async () => {
    const store = new FakeStore();
    const order: string[] = [];
    store.intercept({ verb: 'get' }, () => void order.push('first'));
    store.intercept({ verb: 'get' }, () => (order.push('second'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fake' } }));
    store.intercept({ verb: 'get' }, () => void order.push('never'));
    const got = await store.get(ConfigMaps, { namespace: 'default', name: 'anything' });
    expect(got.metadata.name).toBe('fake');
    expect(order).toEqual(['first', 'second']);
    store.clearInterceptors();
    await expect(store.get(ConfigMaps, { namespace: 'default', name: 'anything' })).rejects.toSatisfy(isNotFound);
  });

  it('intercepts watches when they open, and ends open watches on demand', async () => {
    const store = new FakeStore();
    store.interceptOnce({ verb: 'watch', resource: 'pods' }, fail(expired()));
    await expect(firstValueFrom(store.watch(Pods))).rejects.toMatchObject({ code: 410 });

    const events: WatchEvent<KubeObject>[] = [];
    let error: unknown;
    store.watch(ConfigMaps, { namespace: 'default' }).subscribe({ next: (e) => events.push(e), error: (e) => (error = e) });
    await store.clock.settle();
    expect(store.openWatches({ resource: 'configmaps' })).toBe(1);
    await store.create(ConfigMaps, cm('a'));
    await store.clock.settle();
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a']);
    expect(store.closeWatches({ resource: 'configmaps' }, expired())).toBe(1);
    expect((error as StatusError).code).toBe(410);
    await store.create(ConfigMaps, cm('b'));
    await store.clock.settle();
    expect(events).toHaveLength(1);
    expect(store.openWatches()).toBe(0);
    expect(store.actions({ verb: 'watch' }).map((a) => a.resource)).toEqual(['pods', 'configmaps']);
  });

  it('delivers watch events from the registry with resourceVersions', async () => {
    const store = new FakeStore();
    const events = firstValueFrom(store.watch(ConfigMaps, { resourceVersion: '0' }).pipe(take(2), toArray()));
    await store.clock.settle();
    await store.create(ConfigMaps, cm('a'));
    await store.delete(ConfigMaps, { namespace: 'default', name: 'a' });
    expect((await events).map((e) => e.type)).toEqual(['ADDED', 'DELETED']);
  });
});
