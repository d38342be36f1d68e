import { describe, expect, it } from 'vitest';
import { isNotFound, StatusError } from '../../api/errors.js';
import type { KubeObject, ObjectKey } from '../../api/meta.js';
import type { ResourceType } from '../../api/resource-type.js';
import type { Pod } from '../../kinds/core/pod.kind.js';
import { Pods } from '../../kinds/core/pod.kind.js';
import type { CreateOptions, GetOptions, UpdateOptions } from '../../store/object-store.js';
import { VirtualClock } from '../../util/virtual-clock.js';
import { ScriptedStore } from '../../../test/fakes/scripted-store.fake.js';
import { SharedInformerFactory } from '../informer/shared-informer-factory.js';
import { CachedObjectStore } from './cached-object-store.js';

const Nodes: ResourceType = { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false };

/** A scripted store that also takes creates and updates (stored at once; watchers told only when the test says). */
class WritableStore extends ScriptedStore {
  readonly calls: string[] = [];
  override async get<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey, options?: GetOptions): Promise<T> {
    this.calls.push(`get ${type.resource}${options?.subresource ? `/${options.subresource}` : ''} ${key.name}`);
    return super.get(type, key);
  }
  override async create<T extends KubeObject>(type: ResourceType<T>, obj: T, options?: CreateOptions): Promise<T> {
    this.calls.push(`create ${type.resource}${options?.subresource ? `/${options.subresource}` : ''} ${obj.metadata.name}`);
    return this.put(obj, false) as T;
  }
  override async update<T extends KubeObject>(type: ResourceType<T>, obj: T, options?: UpdateOptions): Promise<T> {
    this.calls.push(`update ${type.resource}${options?.subresource ? `/${options.subresource}` : ''} ${obj.metadata.name}`);
    return this.put(obj, false) as T;
  }
  /** Tells the open watches about the current version of an object, as the store's watch would a moment after the write. */
  deliver(key: string): void {
    const obj = this.objects.get(key);
    if (obj) for (const w of this.open()) w.emit('MODIFIED', obj);
  }
}

const pod = (namespace: string, name: string, nodeName?: string, labels?: Record<string, string>): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace, name, ...(labels ? { labels } : {}) },
    spec: { containers: [{ name: 'c', image: 'i' }], ...(nodeName ? { nodeName } : {}) },
  }) as Pod;

function setup() {
  const clock = new VirtualClock();
  const store = new WritableStore();
  const informers = new SharedInformerFactory({ store, clock, defaults: { random: () => 0 } });
  const client = new CachedObjectStore({ store, informers });
  return { clock, store, informers, client };
}

const names = (objs: readonly KubeObject[]) =>
  objs.map((o) => `${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`).sort();

describe('CachedObjectStore', () => {
  it('starts the kind’s informer on the first read, waits for its sync, and answers later reads with no request', async () => {
    const { store, informers, client } = setup();
    store.put(pod('default', 'a'));
    const a = await client.get(Pods, { namespace: 'default', name: 'a' });
    expect(a.metadata.name).toBe('a');
    expect(informers.informerFor(Pods).isStarted()).toBe(true);
    expect(store.lists).toHaveLength(1);
    await client.get(Pods, { namespace: 'default', name: 'a' });
    await client.list(Pods);
    expect(store.lists).toHaveLength(1);
    expect(store.calls).toEqual([]); // no GET reached the store
    informers.stop();
  });

  it('hands out the cache’s own frozen objects, and NotFound as the store words it', async () => {
    const { store, informers, client } = setup();
    store.put(pod('default', 'a'));
    const a = await client.get(Pods, { namespace: 'default', name: 'a' });
    expect(a).toBe(informers.informerFor(Pods).cache.get({ namespace: 'default', name: 'a' }));
    expect(Object.isFrozen(a.metadata)).toBe(true);
    const err = await client.get(Pods, { namespace: 'default', name: 'missing' }).catch((e: unknown) => e);
    expect(isNotFound(err)).toBe(true);
    expect((err as StatusError).message).toBe('pods "missing" not found');
    const list = await client.list(Pods);
    expect(() => (list.items as KubeObject[]).push(pod('x', 'y'))).toThrow();
    informers.stop();
  });

  it('lists by namespace, label selector and field selector (metadata and the kind’s selectable fields)', async () => {
    const { store, informers, client } = setup();
    store.put(pod('default', 'a', 'node-1', { app: 'web' }));
    store.put(pod('default', 'b', 'node-2', { app: 'web' }));
    store.put(pod('other', 'c', 'node-1', { app: 'db' }));
    const list = await client.list(Pods);
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: String(store.revision) } });
    expect(names(list.items)).toEqual(['default/a', 'default/b', 'other/c']);
    expect(names((await client.list(Pods, { namespace: 'default' })).items)).toEqual(['default/a', 'default/b']);
    expect(names((await client.list(Pods, { labelSelector: 'app in (web)' })).items)).toEqual(['default/a', 'default/b']);
    expect(names((await client.list(Pods, { fieldSelector: 'spec.nodeName=node-1' })).items)).toEqual(['default/a', 'other/c']);
    expect(names((await client.list(Pods, { fieldSelector: 'metadata.name!=a', namespace: 'default' })).items)).toEqual(['default/b']);
    const bad = await client.list(Pods, { fieldSelector: 'spec.image=x' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(StatusError);
    expect((bad as StatusError).message).toBe('field label not supported: spec.image');
    informers.stop();
  });

  it('serves a list from an index registered with addIndex, narrowed by namespace and selectors', async () => {
    const { store, informers, client } = setup();
    client.addIndex(Pods, 'spec.nodeName', (p) => [p.spec?.nodeName]);
    store.put(pod('default', 'a', 'node-1', { app: 'web' }));
    store.put(pod('default', 'b', 'node-2'));
    store.put(pod('other', 'c', 'node-1'));
    store.put(pod('other', 'unscheduled'));
    const onNode1 = await client.list(Pods, { index: { name: 'spec.nodeName', value: 'node-1' } });
    expect(names(onNode1.items)).toEqual(['default/a', 'other/c']);
    expect(names((await client.list(Pods, { index: { name: 'spec.nodeName', value: 'node-1' }, namespace: 'other' })).items)).toEqual([
      'other/c',
    ]);
    expect(names((await client.list(Pods, { index: { name: 'spec.nodeName', value: 'node-1' }, labelSelector: 'app=web' })).items)).toEqual(
      ['default/a'],
    );
    expect((await client.list(Pods, { index: { name: 'spec.nodeName', value: '' } })).items).toEqual([]);
    // the index follows changes
    store.put(pod('default', 'b', 'node-1'));
    expect(names((await client.list(Pods, { index: { name: 'spec.nodeName', value: 'node-1' } })).items)).toEqual([
      'default/a',
      'default/b',
      'other/c',
    ]);
    expect(() => client.addIndex(Pods, 'spec.nodeName', () => [])).toThrow(/already exists/);
    informers.stop();
  });

  it('fails a list by an unknown index clearly, naming the indexes there are', async () => {
    const { informers, client } = setup();
    const err: unknown = await client.list(Pods, { index: { name: 'spec.nodeName', value: 'n' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(
      'cannot list pods by index "spec.nodeName": the informer has no such index (it has: namespace, controller-owner); register it first with addIndex(<Pod type>, \'spec.nodeName\', fn)',
    );
    informers.stop();
  });

  it('reads cluster-scoped kinds, and requires a namespace of a namespaced get', async () => {
    const { store, informers, client } = setup();
    store.put({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    expect((await client.get(Nodes, { name: 'n1' })).metadata.name).toBe('n1');
    expect((await client.list(Nodes, { namespace: 'ignored' })).items).toHaveLength(1);
    await expect(client.get(Pods, { name: 'a' })).rejects.toThrow(/namespace is required/);
    informers.stop();
  });

  it('sends writes, subresource reads and watches to the store, and refuses a continue token', async () => {
    const { store, informers, client } = setup();
    store.put(pod('default', 'a'));
    const created = await client.create(Pods, pod('default', 'b'));
    expect(created.metadata.resourceVersion).toBeDefined();
    await client.update(Pods, { ...created, status: { phase: 'Running' } } as Pod, { subresource: 'status' });
    await client.create(Pods, pod('default', 'b'), { subresource: 'binding', name: 'b' });
    await client.get(Pods, { namespace: 'default', name: 'a' }, { subresource: 'status' });
    expect(store.calls).toEqual(['create pods b', 'update pods/status b', 'create pods/binding b', 'get pods/status a']);
    const sub = client.watch(Pods, { namespace: 'default' }).subscribe();
    expect(store.lastWatch().options).toEqual({ namespace: 'default' });
    sub.unsubscribe();
    await expect(client.list(Pods, { continue: 'abc' })).rejects.toThrow(/no continue token/);
    informers.stop();
  });

  it('may not see its own write right away (the read-your-writes caveat), and converges once the watch delivers it', async () => {
    const { clock, store, informers, client } = setup();
    store.put(pod('default', 'a'));
    const before = await client.get(Pods, { namespace: 'default', name: 'a' });
    const updated = await client.update(Pods, { ...before, metadata: { ...before.metadata, labels: { touched: 'yes' } } } as Pod);
    await client.create(Pods, pod('default', 'new'));
    // the store has both writes, the cache neither yet
    expect((await client.get(Pods, { namespace: 'default', name: 'a' })).metadata.labels).toBeUndefined();
    expect(isNotFound(await client.get(Pods, { namespace: 'default', name: 'new' }).catch((e: unknown) => e))).toBe(true);
    expect(updated.metadata.labels).toEqual({ touched: 'yes' }); // the object the write returned is current
    // the watch events arrive: the cache catches up
    store.deliver('default/a');
    store.deliver('default/new');
    await clock.settle();
    expect((await client.get(Pods, { namespace: 'default', name: 'a' })).metadata.resourceVersion).toBe(updated.metadata.resourceVersion);
    expect(names((await client.list(Pods)).items)).toEqual(['default/a', 'default/new']);
    informers.stop();
  });

  it('rejects a first read whose informer does not sync within syncTimeoutMs', async () => {
    const clock = new VirtualClock();
    const store = new WritableStore();
    for (let i = 0; i < 50; i++) store.listErrors.push(new StatusError('Forbidden', 'pods is forbidden'));
    const informers = new SharedInformerFactory({ store, clock, defaults: { random: () => 0 } });
    const client = new CachedObjectStore({ store, informers, syncTimeoutMs: 30_000 });
    const read = client.list(Pods).then(
      () => 'listed',
      (e: Error) => e.message,
    );
    await clock.advance(30_000);
    expect(await read).toMatch(/^timed out after 30000 ms waiting for the v1\/pods informer to sync; last error: pods is forbidden/);
    informers.stop();
  });

  it('reads through the informer selectionFor names, and refuses reads outside its namespace', async () => {
    const { clock, store } = setup();
    const informers = new SharedInformerFactory({ store, clock, defaults: { random: () => 0 } });
    const client = new CachedObjectStore({ store, informers, selectionFor: (t) => (t.namespaced ? { namespace: 'team-a' } : undefined) });
    store.put(pod('team-a', 'a'));
    expect(names((await client.list(Pods, { namespace: 'team-a' })).items)).toEqual(['team-a/a']);
    expect(store.lists[0]).toMatchObject({ namespace: 'team-a' });
    await expect(client.get(Pods, { namespace: 'team-b', name: 'a' })).rejects.toThrow(
      'the cache of pods holds namespace team-a only: cannot read in namespace team-b from it (read through the direct store)',
    );
    await expect(client.list(Pods)).rejects.toThrow(/cannot read across all namespaces/);
    informers.stop();
  });
});
