import { describe, expect, it } from 'vitest';
import { expired, StatusError } from '../../api/errors.js';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceType } from '../../api/resource-type.js';
import { VirtualClock } from '../../util/virtual-clock.js';
import { ScriptedStore } from '../../../test/fakes/scripted-store.fake.js';
import { SharedInformer, type SharedInformerOptions } from './shared-informer.js';
import { dropManagedFields } from './transforms.js';
import type { InformerEvent } from './types.js';

const Pods: ResourceType = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };

function pod(name: string, ns = 'default', extra: Partial<KubeObject['metadata']> = {}, spec: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, ...extra }, spec };
}

function setup(options: Partial<SharedInformerOptions<KubeObject>> = {}) {
  const clock = new VirtualClock();
  const store = new ScriptedStore();
  const informer = new SharedInformer<KubeObject>({ store, type: Pods, clock, random: () => 0, ...options });
  const events: InformerEvent[] = [];
  informer.events.subscribe((e) => events.push(e));
  const summary = () => events.map((e) => `${e.type}:${e.object.metadata.name}${e.type === 'add' && e.initial ? '(initial)' : ''}`);
  return { clock, store, informer, events, summary };
}

describe('SharedInformer', () => {
  it('lists, caches the objects frozen, emits initial adds, then watches from the list resourceVersion with bookmarks', async () => {
    const { clock, store, informer, summary } = setup();
    store.put(pod('a'));
    store.put(pod('b', 'other'));
    informer.start();
    await informer.waitForCacheSync(1_000);
    await clock.settle();
    expect(informer.hasSynced()).toBe(true);
    expect(summary()).toEqual(['add:a(initial)', 'add:b(initial)']);
    expect(informer.cache.size()).toBe(2);
    expect(informer.cache.list('other').map((o) => o.metadata.name)).toEqual(['b']);
    expect(Object.isFrozen(informer.cache.get({ namespace: 'default', name: 'a' })!.metadata)).toBe(true);
    expect(store.lists).toHaveLength(1);
    const w = store.lastWatch();
    expect(w.options.resourceVersion).toBe('102');
    expect(w.options.allowWatchBookmarks).toBe(true);
    expect(w.options.timeoutSeconds).toBe(300);
  });

  it('offers its watches the cached version of each object, so a remote store can reuse its unchanged parts', async () => {
    const { clock, store, informer } = setup();
    store.put(pod('a'));
    informer.start();
    await informer.waitForCacheSync(1_000);
    await clock.settle();
    const previous = store.lastWatch().options.previous!;
    expect(previous(pod('a'))).toBe(informer.cache.get({ namespace: 'default', name: 'a' }));
    expect(previous(pod('missing'))).toBeUndefined();
  });

  it('applies watch events to the cache and emits add, update and delete, skipping duplicates', async () => {
    const { clock, store, informer, events, summary } = setup();
    store.put(pod('a'));
    informer.start();
    await informer.waitForCacheSync(1_000);
    await clock.settle();
    store.put(pod('b'));
    const a2 = store.put(pod('a', 'default', { labels: { v: '2' } }));
    store.lastWatch().emit('MODIFIED', a2); // the same version again: not a change
    store.remove({ namespace: 'default', name: 'b' });
    expect(summary()).toEqual(['add:a(initial)', 'add:b', 'update:a', 'delete:b']);
    const update = events[2] as Extract<InformerEvent, { type: 'update' }>;
    expect(update.old.metadata.labels).toBeUndefined();
    expect(update.object.metadata.labels).toEqual({ v: '2' });
    expect(informer.cache.keys()).toEqual(['default/a']);
    expect(informer.health().resourceVersion).toBe(String(store.revision));
  });

  it('resumes the watch from the last resourceVersion after any error, after a backoff, without relisting', async () => {
    const { clock, store, informer } = setup();
    informer.start();
    await informer.waitForCacheSync(1_000);
    await clock.settle();
    store.put(pod('a'));
    const rv = String(store.revision);
    store.lastWatch().fail(new StatusError('InternalError', 'etcd is sulking'));
    await clock.settle();
    expect(store.open()).toHaveLength(0);
    expect(informer.health()).toMatchObject({ errors: 1, consecutiveFailures: 1, lastError: 'etcd is sulking' });
    await clock.advance(799);
    expect(store.watches).toHaveLength(1);
    await clock.advance(1);
    expect(store.watches).toHaveLength(2);
    expect(store.lastWatch().options.resourceVersion).toBe(rv);
    expect(store.lists).toHaveLength(1);
  });

  it('resumes at once when a watch that delivered events ends, and backs off when one ends at once with nothing', async () => {
    const { clock, store, informer } = setup();
    informer.start();
    await informer.waitForCacheSync(1_000);
    await clock.settle();
    store.put(pod('a'));
    store.lastWatch().end();
    await clock.settle();
    expect(store.watches).toHaveLength(2);
    expect(store.lastWatch().options.resourceVersion).toBe(String(store.revision));
    expect(informer.health().errors).toBe(0);
    store.lastWatch().end(); // closed straight away, nothing delivered
    await clock.settle();
    expect(store.watches).toHaveLength(2);
    expect(informer.health().errors).toBe(1);
    expect(informer.health().lastError).toMatch(/watch closed after 0 ms/);
    await clock.advance(800);
    expect(store.watches).toHaveLength(3);
  });

  it('relists at once after 410 Gone and emits only the differences', async () => {
    const { clock, store, informer, summary } = setup();
    store.put(pod('same'));
    store.put(pod('changed'));
    store.put(pod('vanished'));
    informer.start();
    await informer.waitForCacheSync(1_000);
    await clock.settle();
    // While the watch is away: one changes, one goes, one comes.
    store.put(pod('changed', 'default', { labels: { x: 'y' } }), false);
    store.remove({ namespace: 'default', name: 'vanished' }, false);
    store.put(pod('new'), false);
    store.lastWatch().fail(expired('too old resource version: 103 (110)'));
    await clock.settle();
    expect(store.lists).toHaveLength(2);
    expect(summary().slice(3)).toEqual(['update:changed', 'add:new', 'delete:vanished']);
    expect(informer.cache.keys().sort()).toEqual(['default/changed', 'default/new', 'default/same']);
    expect(informer.health()).toMatchObject({ errors: 0, relists: 1, resourceVersion: String(store.revision) });
    expect(store.lastWatch().options.resourceVersion).toBe(String(store.revision));
  });

  it('lists again after three resumed watches in a row failed without delivering anything', async () => {
    const { clock, store, informer } = setup({ backoff: { initialMs: 100, jitter: 0 } });
    informer.start();
    await informer.waitForCacheSync(1_000);
    await clock.settle();
    store.lastWatch().fail(new StatusError('InternalError', 'cut off: too much buffered'));
    store.watchErrors.push(new StatusError('InternalError', 'cut off'), new StatusError('InternalError', 'cut off'));
    await clock.runAll({ maxMs: 10_000 });
    expect(store.lists).toHaveLength(2);
    expect(store.watches.map((w) => w.options.resourceVersion)).toEqual(['100', '100', '100', '100']);
    expect(informer.health().relists).toBe(1);
  });

  it('moves its resourceVersion forward on bookmarks and resumes from there', async () => {
    const { clock, store, informer, events } = setup();
    informer.start();
    await informer.waitForCacheSync(1_000);
    await clock.settle();
    store.lastWatch().bookmark('5000');
    expect(events).toHaveLength(0);
    expect(informer.health().resourceVersion).toBe('5000');
    store.lastWatch().end();
    await clock.settle();
    expect(store.lastWatch().options.resourceVersion).toBe('5000');
  });

  it('drops a watch that went silent past the inactivity timeout and watches again', async () => {
    const { clock, store, informer } = setup({ inactivityTimeoutMs: 60_000 });
    informer.start();
    await informer.waitForCacheSync(1_000);
    await clock.settle();
    await clock.advance(30_000);
    store.lastWatch().bookmark('200'); // activity restarts the count
    await clock.advance(59_999);
    expect(store.watches).toHaveLength(1);
    await clock.advance(1);
    expect(store.watches[0]!.closed).toBe(true);
    expect(informer.health().lastError).toMatch(/received nothing/);
    await clock.advance(800);
    expect(store.watches).toHaveLength(2);
    expect(store.lastWatch().options.resourceVersion).toBe('200');
  });

  it('backs off capped and jittered between failed lists, counts every failure and reports health', async () => {
    const { clock, store, informer } = setup({ backoff: { initialMs: 100, maxMs: 400, jitter: 0.5 }, random: () => 1 });
    for (let i = 0; i < 6; i++) store.listErrors.push(new StatusError('ServiceUnavailable', `down ${i}`));
    informer.start();
    const times: number[] = [];
    const start = clock.now();
    while (store.lists.length < 7) {
      await clock.runNext();
      times.push(clock.now() - start);
    }
    // 100·1.5, then 200·1.5, then capped at 400.
    expect(times).toEqual([150, 450, 850, 1250, 1650, 2050]);
    await clock.settle();
    expect(informer.hasSynced()).toBe(true);
    expect(informer.health()).toMatchObject({ errors: 6, consecutiveFailures: 0, healthy: true, lastError: 'down 5' });
  });

  it('reports itself unhealthy after repeated failures, with the last error', async () => {
    const { clock, store, informer } = setup({ unhealthyAfterFailures: 3 });
    for (let i = 0; i < 3; i++) store.listErrors.push(new Error(`refused ${i}`));
    informer.start();
    await clock.settle();
    await clock.runNext();
    await clock.runNext();
    expect(informer.health().healthy).toBe(false);
    expect(() => informer.check()).toThrow(/3 failures in a row\): refused 2/);
  });

  it('rejects waitForCacheSync after the timeout when the list keeps failing', async () => {
    const { clock, store, informer } = setup();
    for (let i = 0; i < 100; i++) store.listErrors.push(new Error('no route to host'));
    informer.start();
    const wait = informer.waitForCacheSync(5_000);
    const outcome = wait.then(
      () => 'synced',
      (e: Error) => e.message,
    );
    await clock.advance(5_000);
    expect(await outcome).toMatch(/timed out after 5000 ms .* last error: no route to host/);
  });

  it('transforms objects before caching them', async () => {
    const { clock, store, informer } = setup({ transform: dropManagedFields });
    store.put(pod('a', 'default', { managedFields: [{ manager: 'kubectl', operation: 'Update' }] }));
    informer.start();
    await informer.waitForCacheSync(1_000);
    await clock.settle();
    const cached = informer.cache.get({ namespace: 'default', name: 'a' })!;
    expect(cached.metadata.managedFields).toBeUndefined();
    expect(Object.isFrozen(cached)).toBe(true);
    expect(() => {
      (cached.metadata as { name: string }).name = 'b';
    }).toThrow(TypeError);
  });

  it('indexes by namespace, by controller owner and by custom index functions, added before or after sync', async () => {
    const { clock, store, informer } = setup({ indexers: { node: (o) => [String((o.spec as { nodeName?: string }).nodeName ?? '')] } });
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'rs-1', controller: true };
    store.put(pod('a', 'default', { ownerReferences: [owner] }, { nodeName: 'n1' }));
    store.put(pod('b', 'default', {}, { nodeName: 'n1' }));
    informer.start();
    await informer.waitForCacheSync(1_000);
    await clock.settle();
    informer.addIndex('name', (o) => [o.metadata.name!]);
    expect(informer.cache.keysByIndex('controller-owner', 'rs-1')).toEqual(['default/a']);
    expect(
      informer.cache
        .byIndex('node', 'n1')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(informer.cache.keysByIndex('name', 'b')).toEqual(['default/b']);
    store.put(pod('b', 'default', {}, { nodeName: 'n2' }));
    expect(informer.cache.keysByIndex('node', 'n1')).toEqual(['default/a']);
    expect(informer.cache.keysByIndex('node', 'n2')).toEqual(['default/b']);
  });

  it('relists after an index function throws, and keeps running', async () => {
    let explode = false;
    const { clock, store, informer } = setup({
      indexers: {
        picky: (o) => {
          if (explode && o.metadata.name === 'bad') throw new Error('cannot index bad');
          return [];
        },
      },
    });
    informer.start();
    await informer.waitForCacheSync(1_000);
    await clock.settle();
    expect(informer.cache.byIndex('picky', 'x')).toEqual([]); // built now, maintained from here on
    explode = true;
    store.put(pod('bad'));
    await clock.settle();
    expect(informer.health().lastError).toBe('cannot index bad');
    expect(informer.cache.size()).toBe(0);
    explode = false;
    await clock.advance(800);
    expect(store.lists).toHaveLength(2);
    expect(informer.cache.keys()).toEqual(['default/bad']);
  });

  it('passes its selection to list and watch', async () => {
    const { clock, store, informer } = setup({
      selection: { namespace: 'ns1', labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1' },
    });
    informer.start();
    await informer.waitForCacheSync(1_000);
    await clock.settle();
    expect(store.lists[0]).toEqual({ namespace: 'ns1', labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1' });
    expect(store.lastWatch().options).toMatchObject({ namespace: 'ns1', labelSelector: 'app=web', fieldSelector: 'spec.nodeName=n1' });
    expect(informer.name).toBe('v1/pods{namespace=ns1 labels=app=web fields=spec.nodeName=n1}');
  });

  it('lists in pages when asked to', async () => {
    const { clock, store, informer } = setup({ pageSize: 2 });
    for (const n of ['a', 'b', 'c', 'd', 'e']) store.put(pod(n));
    informer.start();
    await informer.waitForCacheSync(1_000);
    await clock.settle();
    expect(store.lists.map((l) => l.continue ?? '-')).toEqual(['-', '2', '4']);
    expect(informer.cache.size()).toBe(5);
  });

  it('stops the watch on stop, keeps the cache readable, and resumes from where it was on start', async () => {
    const { clock, store, informer } = setup();
    store.put(pod('a'));
    informer.start();
    await informer.waitForCacheSync(1_000);
    await clock.settle();
    informer.stop();
    expect(store.open()).toHaveLength(0);
    expect(informer.cache.size()).toBe(1);
    expect(informer.health().started).toBe(false);
    informer.start();
    await clock.settle();
    expect(store.lists).toHaveLength(1);
    expect(store.lastWatch().options.resourceVersion).toBe('101');
  });

  it('rejects a pending waitForCacheSync when stopped before syncing', async () => {
    const { store, informer } = setup();
    store.listErrors.push(new Error('slow'));
    informer.start();
    const wait = informer.waitForCacheSync();
    informer.stop();
    await expect(wait).rejects.toThrow(/stopped before it synced/);
  });
});
