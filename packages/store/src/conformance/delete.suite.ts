import { describe, expect, it } from 'vitest';
import { mutable } from '@converge/core';
import type { HarnessAccessor } from './harness.js';
import { ConfigMapsType, NamespacesType, NS, PodsType, configMap, createNamespace, pod, statusErrorOf } from './fixtures.js';

/** DELETE and DELETECOLLECTION: finalizers, preconditions, propagation policies, graceful pods, namespaces. */
export function deleteSuite(h: HarnessAccessor): void {
  describe('delete', () => {
    it('removes an object and returns it', async () => {
      const { store } = h();
      await createNamespace(store);
      const created = await store.create(ConfigMapsType, configMap('a', { k: 'v' }));
      const deleted = await store.delete(ConfigMapsType, { namespace: NS, name: 'a' });
      expect(deleted.metadata.uid).toBe(created.metadata.uid);
      expect(deleted.data).toEqual({ k: 'v' });
      await expect(store.get(ConfigMapsType, { namespace: NS, name: 'a' })).rejects.toMatchObject({ reason: 'NotFound' });
      const again = await statusErrorOf(store.delete(ConfigMapsType, { namespace: NS, name: 'a' }));
      expect(again.reason).toBe('NotFound');
    });

    it('keeps an object with finalizers, marked with deletionTimestamp, until the last finalizer goes', async () => {
      const { store } = h();
      await createNamespace(store);
      const body = configMap('a');
      body.metadata.finalizers = ['example.com/one', 'example.com/two'];
      await store.create(ConfigMapsType, body);
      const marked = await store.delete(ConfigMapsType, { namespace: NS, name: 'a' });
      expect(marked.metadata.deletionTimestamp).toBeTruthy();
      expect(marked.metadata.deletionGracePeriodSeconds).toBe(0);
      const still = await store.get(ConfigMapsType, { namespace: NS, name: 'a' });
      expect(still.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
      const one = mutable(still);
      one.metadata.finalizers = ['example.com/two'];
      const after = await store.update(ConfigMapsType, one);
      expect(after.metadata.finalizers).toEqual(['example.com/two']);
      const adding = mutable(after);
      adding.metadata.finalizers = ['example.com/two', 'example.com/new'];
      expect((await statusErrorOf(store.update(ConfigMapsType, adding))).reason).toBe('Invalid');
      await store.patch(ConfigMapsType, { namespace: NS, name: 'a' }, { type: 'merge', body: { metadata: { finalizers: null } } });
      await expect(store.get(ConfigMapsType, { namespace: NS, name: 'a' })).rejects.toMatchObject({ reason: 'NotFound' });
    });

    it('checks uid and resourceVersion preconditions', async () => {
      const { store } = h();
      await createNamespace(store);
      const cm = await store.create(ConfigMapsType, configMap('a'));
      const byUid = await statusErrorOf(store.delete(ConfigMapsType, { namespace: NS, name: 'a' }, { preconditions: { uid: 'other' } }));
      expect(byUid.reason).toBe('Conflict');
      expect(byUid.message).toContain('Precondition failed: UID in precondition: other');
      const byRv = await statusErrorOf(
        store.delete(ConfigMapsType, { namespace: NS, name: 'a' }, { preconditions: { resourceVersion: '1' } }),
      );
      expect(byRv.reason).toBe('Conflict');
      await store.delete(
        ConfigMapsType,
        { namespace: NS, name: 'a' },
        { preconditions: { uid: cm.metadata.uid!, resourceVersion: cm.metadata.resourceVersion! } },
      );
      await expect(store.get(ConfigMapsType, { namespace: NS, name: 'a' })).rejects.toMatchObject({ reason: 'NotFound' });
    });

    it('records Orphan and Foreground propagation as the garbage collector finalizers', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(ConfigMapsType, configMap('orphaned'));
      await store.create(ConfigMapsType, configMap('foreground'));
      await store.create(ConfigMapsType, configMap('background'));
      const o = await store.delete(ConfigMapsType, { namespace: NS, name: 'orphaned' }, { propagationPolicy: 'Orphan' });
      expect(o.metadata.finalizers).toEqual(['orphan']);
      expect(o.metadata.deletionTimestamp).toBeTruthy();
      const f = await store.delete(ConfigMapsType, { namespace: NS, name: 'foreground' }, { propagationPolicy: 'Foreground' });
      expect(f.metadata.finalizers).toEqual(['foregroundDeletion']);
      await store.delete(ConfigMapsType, { namespace: NS, name: 'background' }, { propagationPolicy: 'Background' });
      await expect(store.get(ConfigMapsType, { namespace: NS, name: 'background' })).rejects.toMatchObject({ reason: 'NotFound' });
      const bad = await statusErrorOf(
        store.delete(ConfigMapsType, { namespace: NS, name: 'orphaned' }, { propagationPolicy: 'Sideways' as never }),
      );
      expect(bad.reason).toBe('BadRequest');
    });

    it('gives a bound pod its grace period, then removes it on a delete with grace period 0', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(PodsType, pod('p', { nodeName: 'node-1' }));
      const terminating = await store.delete(PodsType, { namespace: NS, name: 'p' });
      expect(terminating.metadata.deletionGracePeriodSeconds).toBe(30);
      expect(Date.parse(terminating.metadata.deletionTimestamp!)).toBeGreaterThan(
        Date.parse(terminating.metadata.creationTimestamp!) + 29_000,
      );
      await store.get(PodsType, { namespace: NS, name: 'p' });
      await store.delete(PodsType, { namespace: NS, name: 'p' }, { gracePeriodSeconds: 0 });
      await expect(store.get(PodsType, { namespace: NS, name: 'p' })).rejects.toMatchObject({ reason: 'NotFound' });
    });

    it('removes an unscheduled pod at once', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(PodsType, pod('p'));
      await store.delete(PodsType, { namespace: NS, name: 'p' });
      await expect(store.get(PodsType, { namespace: NS, name: 'p' })).rejects.toMatchObject({ reason: 'NotFound' });
    });

    it('deletes a collection by label selector', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(ConfigMapsType, configMap('a', {}, { app: 'x' }));
      await store.create(ConfigMapsType, configMap('b', {}, { app: 'x' }));
      await store.create(ConfigMapsType, configMap('c', {}, { app: 'y' }));
      const deleted = await store.deleteCollection(ConfigMapsType, { namespace: NS, labelSelector: 'app=x' });
      expect(deleted.items.map((i) => i.metadata.name).sort()).toEqual(['a', 'b']);
      const left = await store.list(ConfigMapsType, { namespace: NS });
      expect(left.items.map((i) => i.metadata.name)).toEqual(['c']);
    });
  });

  describe('namespaces', () => {
    it('keep their spec.finalizers on an update of the main resource', async () => {
      const { store } = h();
      const ns = await createNamespace(store);
      const body = mutable(ns);
      (body.spec as { finalizers: string[] }).finalizers = [];
      body.metadata.labels = { ...body.metadata.labels, team: 'a' };
      const updated = await store.update(NamespacesType, body);
      expect((updated.spec as { finalizers: string[] }).finalizers).toEqual(['kubernetes']);
      expect(updated.metadata.labels?.team).toBe('a');
    });

    it('are marked Terminating on delete and kept until their finalizers are gone', async () => {
      const { store } = h();
      const ns = await createNamespace(store);
      expect((ns.status as { phase: string }).phase).toBe('Active');
      expect((ns.spec as { finalizers: string[] }).finalizers).toEqual(['kubernetes']);
      const terminating = await store.delete(NamespacesType, { name: ns.metadata.name! });
      expect((terminating.status as { phase: string }).phase).toBe('Terminating');
      expect(terminating.metadata.deletionTimestamp).toBeTruthy();
      await store.get(NamespacesType, { name: ns.metadata.name! });
      const body = mutable(terminating);
      (body.spec as { finalizers: string[] }).finalizers = [];
      await store.update(NamespacesType, body, { subresource: 'finalize' });
      await expect(store.get(NamespacesType, { name: ns.metadata.name! })).rejects.toMatchObject({ reason: 'NotFound' });
    });
  });
}
