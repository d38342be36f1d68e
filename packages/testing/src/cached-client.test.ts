import {
  ConfigMaps,
  controllerFor,
  enqueueMapped,
  isAlreadyExists,
  isNotFound,
  Nodes,
  Pods,
  type Node,
  type Pod,
  type Request,
} from '@converge/core';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedClient } from './cached-client.js';
import { startController, type ControllerHarness } from './controller-harness.js';
import { FakeStore } from './fake-store.js';
import { watchLatency } from './interceptors.js';

const node = (name: string): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } }) as Node;
const pod = (name: string, nodeName?: string): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { namespace: 'default', name },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...(nodeName ? { nodeName } : {}) },
  }) as Pod;

/** Labels each Node with the number of Pods bound to it, reading both kinds from the cache (Pods by a `spec.nodeName` index). */
function podCounter(store: FakeStore) {
  const client = cachedClient(store);
  client.addIndex(Pods, 'spec.nodeName', (p) => [p.spec?.nodeName]);
  const blueprint = controllerFor(Nodes)
    .watches(
      Pods,
      enqueueMapped((p: Pod) => (p.spec?.nodeName ? { name: p.spec.nodeName } : undefined)),
    )
    .complete({
      async reconcile(req: Request) {
        const n = await client.get(Nodes, req).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
        if (!n) return;
        const pods = await client.list(Pods, { index: { name: 'spec.nodeName', value: req.name } });
        const count = String(pods.items.length);
        if (n.metadata.labels?.pods === count) return;
        await client.patch(Nodes, req, { type: 'merge', body: { metadata: { labels: { pods: count } } } });
      },
    });
  return { client, blueprint };
}

let harness: ControllerHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('cachedClient over a FakeStore', () => {
  it('serves a controller’s gets and index lists from the shared informers, with no request per reconcile', async () => {
    const store = new FakeStore({ objects: [node('n1'), node('n2'), pod('a', 'n1'), pod('b', 'n1'), pod('c', 'n2'), pod('pending')] });
    const { client, blueprint } = podCounter(store);
    harness = await startController({ store, informers: client.informers, controller: blueprint });
    await harness.runUntilQuiescent();
    expect(store.peek(Nodes, { name: 'n1' })?.metadata.labels).toEqual({ pods: '2' });
    expect(store.peek(Nodes, { name: 'n2' })?.metadata.labels).toEqual({ pods: '1' });

    await store.create(Pods, pod('d', 'n2'));
    await store.delete(Pods, { namespace: 'default', name: 'a' }, { gracePeriodSeconds: 0 });
    await harness.runUntilQuiescent();
    expect(store.peek(Nodes, { name: 'n1' })?.metadata.labels).toEqual({ pods: '1' });
    expect(store.peek(Nodes, { name: 'n2' })?.metadata.labels).toEqual({ pods: '2' });
    // one list (and one watch) per kind, shared by the watches and the reads; no GET at all
    expect(store.actions({ verb: 'list' }).map((a) => a.resource)).toEqual(['nodes', 'pods']);
    expect(store.actions({ verb: 'get' })).toEqual([]);
    expect(harness.reconciles.length).toBeGreaterThanOrEqual(4);
  });

  it('may not show a write right after it is made (read-your-writes caveat), and converges once the watch event lands', async () => {
    const store = new FakeStore({ objects: [node('n1'), pod('a', 'n1')] });
    store.intercept({ verb: 'watch' }, watchLatency(500)); // the API server's watch lags a little, as a real one may
    const client = cachedClient(store);
    client.addIndex(Pods, 'spec.nodeName', (p) => [p.spec?.nodeName]);
    const onN1 = async () => (await client.list(Pods, { index: { name: 'spec.nodeName', value: 'n1' } })).items.map((p) => p.metadata.name);
    expect(await onN1()).toEqual(['a']);
    expect((await client.get(Nodes, { name: 'n1' })).metadata.labels).toBeUndefined();

    const created = await client.create(Pods, pod('b', 'n1'));
    const relabelled = await client.patch(Nodes, { name: 'n1' }, { type: 'merge', body: { metadata: { labels: { zone: 'z1' } } } });
    // the store has both writes at once; the cache has neither yet
    expect((await store.list(Pods)).items.map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect(await onN1()).toEqual(['a']);
    expect((await client.get(Nodes, { name: 'n1' })).metadata.labels).toBeUndefined();
    // what the writes returned is current: use that, not a read-back
    expect(created.metadata.uid).toBeDefined();
    expect(relabelled.metadata.labels).toEqual({ zone: 'z1' });

    await store.clock.advance(499);
    expect(await onN1()).toEqual(['a']);
    await store.clock.advance(1); // the watch events are delivered
    expect(await onN1()).toEqual(['a', 'b']);
    expect((await client.get(Nodes, { name: 'n1' })).metadata.resourceVersion).toBe(relabelled.metadata.resourceVersion);
    client.informers.stop();
  });

  it('lets a controller act on a stale read, which the store refuses and a retry converges', async () => {
    const store = new FakeStore({ objects: [node('n1')] });
    store.intercept({ verb: 'watch', resource: 'configmaps' }, watchLatency(100)); // ConfigMap events lag 100 ms behind the store
    const client = cachedClient(store);
    const outcomes: string[] = [];
    // Keeps a ConfigMap per Node; reconciled again by every Pod event on the node.
    const blueprint = controllerFor(Nodes)
      .watches(
        Pods,
        enqueueMapped((p: Pod) => (p.spec?.nodeName ? { name: p.spec.nodeName } : undefined)),
      )
      .complete({
        async reconcile(req: Request) {
          const key = { namespace: 'default', name: `node-${req.name}` };
          const existing = await client.get(ConfigMaps, key).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e)));
          if (existing) return void outcomes.push('in line');
          try {
            await client.create(ConfigMaps, { metadata: key, data: { node: req.name } });
            outcomes.push('created');
          } catch (err) {
            if (!isAlreadyExists(err)) throw err;
            outcomes.push('AlreadyExists: the cache had not seen the create yet');
            throw err; // retried with back-off, by when the cache has caught up
          }
        },
      });
    harness = await startController({ store, informers: client.informers, controller: blueprint });
    await harness.runUntilQuiescent();
    expect(outcomes).toEqual(['created']);
    // a Pod event comes in before the ConfigMap's ADDED event has reached the cache
    await store.create(Pods, pod('a', 'n1'));
    await harness.runUntilQuiescent();
    const stale = outcomes.slice(1, -1);
    expect(stale.length).toBeGreaterThan(0);
    expect(new Set(stale)).toEqual(new Set(['AlreadyExists: the cache had not seen the create yet']));
    expect(outcomes[outcomes.length - 1]).toBe('in line');
    expect(store.actions({ verb: 'create', resource: 'configmaps' })).toHaveLength(1 + stale.length);
    expect(store.actions({ verb: 'get', resource: 'configmaps' })).toEqual([]);
  });
});
