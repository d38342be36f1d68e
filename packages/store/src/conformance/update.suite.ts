import { describe, expect, it } from 'vitest';
import { mutable, type KubeObject } from '@converge/core';
import type { HarnessAccessor } from './harness.js';
import { ConfigMapsType, DeploymentsType, NS, PodsType, configMap, createNamespace, deployment, pod, statusErrorOf } from './fixtures.js';

/** UPDATE and PATCH: optimistic concurrency, generation, the status split, immutable fields. */
export function updateSuite(h: HarnessAccessor): void {
  describe('update', () => {
    it('fails with Conflict in Kubernetes words when the resourceVersion is stale', async () => {
      const { store } = h();
      await createNamespace(store);
      const v1 = await store.create(ConfigMapsType, configMap('a', { k: '1' }));
      const v2 = await store.update(ConfigMapsType, { ...mutable(v1), data: { k: '2' } });
      expect(Number(v2.metadata.resourceVersion)).toBeGreaterThan(Number(v1.metadata.resourceVersion));
      const err = await statusErrorOf(store.update(ConfigMapsType, { ...mutable(v1), data: { k: '3' } }));
      expect(err.reason).toBe('Conflict');
      expect(err.code).toBe(409);
      expect(err.message).toBe(
        'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
      );
      expect((await store.get(ConfigMapsType, { namespace: NS, name: 'a' })).data).toEqual({ k: '2' });
    });

    it('updates unconditionally when the resourceVersion is empty', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(ConfigMapsType, configMap('a', { k: '1' }));
      await store.update(ConfigMapsType, configMap('a', { k: '2' }));
      const got = await store.update(ConfigMapsType, configMap('a', { k: '3' }));
      expect(got.data).toEqual({ k: '3' });
    });

    it('answers NotFound for an object that does not exist', async () => {
      const { store } = h();
      await createNamespace(store);
      const err = await statusErrorOf(store.update(ConfigMapsType, configMap('ghost')));
      expect(err.reason).toBe('NotFound');
    });

    it('keeps uid and creationTimestamp whatever the body says', async () => {
      const { store } = h();
      await createNamespace(store);
      const v1 = await store.create(ConfigMapsType, configMap('a'));
      const body = mutable(v1);
      body.metadata.creationTimestamp = '2000-01-01T00:00:00Z';
      body.data = { k: 'x' };
      const v2 = await store.update(ConfigMapsType, body);
      expect(v2.metadata.creationTimestamp).toBe(v1.metadata.creationTimestamp);
      expect(v2.metadata.uid).toBe(v1.metadata.uid);
    });

    it('fails with Conflict when the body names another uid', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(ConfigMapsType, configMap('a'));
      const body = configMap('a');
      body.metadata.uid = '00000000-0000-0000-0000-000000000000';
      const err = await statusErrorOf(store.update(ConfigMapsType, body));
      expect(err.reason).toBe('Conflict');
      expect(err.message).toContain('Precondition failed: UID in precondition');
    });

    it('bumps the generation on a spec change only', async () => {
      const { store } = h();
      await createNamespace(store);
      const d1 = await store.create(DeploymentsType, deployment('web', 1));
      const labelled = mutable(d1);
      labelled.metadata.labels = { team: 'a' };
      const d2 = await store.update(DeploymentsType, labelled);
      expect(d2.metadata.generation).toBe(1);
      const scaled = mutable(d2);
      (scaled.spec as { replicas: number }).replicas = 3;
      const d3 = await store.update(DeploymentsType, scaled);
      expect(d3.metadata.generation).toBe(2);
    });

    it('skips a write that changes nothing: same resourceVersion', async () => {
      const { store } = h();
      await createNamespace(store);
      const v1 = await store.create(ConfigMapsType, configMap('a', { k: '1' }));
      const v2 = await store.update(ConfigMapsType, mutable(v1));
      expect(v2.metadata.resourceVersion).toBe(v1.metadata.resourceVersion);
    });

    it('ignores status changes on the main resource', async () => {
      const { store } = h();
      await createNamespace(store);
      const d1 = await store.create(DeploymentsType, deployment('web'));
      const body = mutable(d1);
      body.status = { replicas: 7 };
      (body.spec as { replicas: number }).replicas = 2;
      const d2 = await store.update(DeploymentsType, body);
      expect((d2.spec as { replicas: number }).replicas).toBe(2);
      expect((d2.status as { replicas?: number } | undefined)?.replicas).toBeUndefined();
    });

    it('drops the status of a create where Kubernetes does', async () => {
      const { store } = h();
      await createNamespace(store);
      const body = deployment('web');
      body.status = { replicas: 9 };
      const d = await store.create(DeploymentsType, body);
      expect((d.status as { replicas?: number } | undefined)?.replicas).toBeUndefined();
    });

    it('writes only the status through the status subresource', async () => {
      const { store } = h();
      await createNamespace(store);
      const d1 = await store.create(DeploymentsType, deployment('web', 1));
      const body = mutable(d1);
      body.status = { replicas: 1, observedGeneration: 1 };
      (body.spec as { replicas: number }).replicas = 5;
      body.metadata.labels = { sneaky: 'yes' };
      const d2 = await store.update(DeploymentsType, body, { subresource: 'status' });
      expect((d2.status as { replicas: number }).replicas).toBe(1);
      expect((d2.spec as { replicas: number }).replicas).toBe(1);
      expect(d2.metadata.labels?.sneaky).toBeUndefined();
      expect(d2.metadata.generation).toBe(1);
      const got = await store.get(DeploymentsType, { namespace: NS, name: 'web' }, { subresource: 'status' });
      expect((got.status as { replicas: number }).replicas).toBe(1);
    });

    it('applies a status update conditionally on its resourceVersion', async () => {
      const { store } = h();
      await createNamespace(store);
      const d1 = await store.create(DeploymentsType, deployment('web'));
      await store.update(DeploymentsType, { ...mutable(d1), status: { replicas: 1 } }, { subresource: 'status' });
      const err = await statusErrorOf(
        store.update(DeploymentsType, { ...mutable(d1), status: { replicas: 2 } }, { subresource: 'status' }),
      );
      expect(err.reason).toBe('Conflict');
    });

    it('rejects a change of an immutable field with Invalid', async () => {
      const { store } = h();
      await createNamespace(store);
      const d1 = await store.create(DeploymentsType, deployment('web'));
      const body = mutable(d1) as KubeObject & { spec: { selector: unknown; template: { metadata: { labels: unknown } } } };
      body.spec.selector = { matchLabels: { app: 'other' } };
      body.spec.template.metadata.labels = { app: 'other' };
      const err = await statusErrorOf(store.update(DeploymentsType, body));
      expect(err.reason).toBe('Invalid');
      expect(err.details?.causes?.some((c) => c.field === 'spec.selector' && /field is immutable/.test(c.message ?? ''))).toBe(true);
    });

    it('rejects a pod spec change Kubernetes does not allow', async () => {
      const { store } = h();
      await createNamespace(store);
      const p1 = await store.create(PodsType, pod('p'));
      const body = mutable(p1) as KubeObject & { spec: { containers: { name: string }[] } };
      body.spec.containers[0]!.name = 'renamed';
      const err = await statusErrorOf(store.update(PodsType, body));
      expect(err.reason).toBe('Invalid');
    });

    it('rejects a body that names another object with BadRequest', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(ConfigMapsType, configMap('a'));
      const err = await statusErrorOf(store.update(ConfigMapsType, { ...configMap('a'), kind: 'Secret' }));
      expect(err.reason).toBe('BadRequest');
    });
  });

  describe('patch', () => {
    it('applies a JSON merge patch', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(ConfigMapsType, configMap('a', { keep: '1', drop: '2' }));
      const got = await store.patch(
        ConfigMapsType,
        { namespace: NS, name: 'a' },
        { type: 'merge', body: { data: { drop: null, add: '3' } } },
      );
      expect(got.data).toEqual({ keep: '1', add: '3' });
    });

    it('applies a JSON patch', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(ConfigMapsType, configMap('a', { k: '1' }));
      const got = await store.patch(
        ConfigMapsType,
        { namespace: NS, name: 'a' },
        {
          type: 'json',
          body: [
            { op: 'replace', path: '/data/k', value: '2' },
            { op: 'add', path: '/metadata/labels', value: { x: 'y' } },
          ],
        },
      );
      expect(got.data).toEqual({ k: '2' });
      expect(got.metadata.labels).toEqual({ x: 'y' });
    });

    it('fails a JSON patch whose test operation fails, changing nothing', async () => {
      const { store } = h();
      await createNamespace(store);
      const v1 = await store.create(ConfigMapsType, configMap('a', { k: '1' }));
      const err = await statusErrorOf(
        store.patch(
          ConfigMapsType,
          { namespace: NS, name: 'a' },
          {
            type: 'json',
            body: [
              { op: 'test', path: '/data/k', value: 'nope' },
              { op: 'replace', path: '/data/k', value: '2' },
            ],
          },
        ),
      );
      expect(err.code).toBe(422);
      expect((await store.get(ConfigMapsType, { namespace: NS, name: 'a' })).metadata.resourceVersion).toBe(v1.metadata.resourceVersion);
    });

    it('merges lists by key with a strategic merge patch', async () => {
      const { store } = h();
      await createNamespace(store);
      const body = deployment('web');
      await store.create(DeploymentsType, body);
      const got = await store.patch(
        DeploymentsType,
        { namespace: NS, name: 'web' },
        { type: 'strategic', body: { spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox:1.36' }] } } } } },
      );
      const names = (got.spec as { template: { spec: { containers: { name: string }[] } } }).template.spec.containers.map((c) => c.name);
      expect(names).toEqual(expect.arrayContaining(['main', 'sidecar']));
    });

    it('is conditional when the patch carries a resourceVersion', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(ConfigMapsType, configMap('a', { k: '1' }));
      const err = await statusErrorOf(
        store.patch(
          ConfigMapsType,
          { namespace: NS, name: 'a' },
          { type: 'merge', body: { metadata: { resourceVersion: '1' }, data: { k: '2' } } },
        ),
      );
      expect(err.reason).toBe('Conflict');
    });

    it('creates an object by server-side apply, recording the applier in managedFields', async () => {
      const { store } = h();
      await createNamespace(store);
      const applied = await store.patch(
        ConfigMapsType,
        { namespace: NS, name: 'applied' },
        { type: 'apply', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { a: '1' } } },
        { fieldManager: 'tester' },
      );
      expect(applied.data).toEqual({ a: '1' });
      expect(applied.metadata.uid).toBeTruthy();
      expect(applied.metadata.managedFields?.map((e) => [e.manager, e.operation])).toEqual([['tester', 'Apply']]);
      const again = await store.patch(
        ConfigMapsType,
        { namespace: NS, name: 'applied' },
        { type: 'apply', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { a: '1', b: '2' } } },
        { fieldManager: 'tester' },
      );
      expect(again.data).toEqual({ a: '1', b: '2' });
      expect(again.metadata.uid).toBe(applied.metadata.uid);
    });

    it('answers Conflict when an apply changes a field another manager owns, unless forced', async () => {
      const { store } = h();
      await createNamespace(store);
      const config = (value: string) => ({
        type: 'apply' as const,
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' }, data: { k: value } },
      });
      await store.patch(ConfigMapsType, { namespace: NS, name: 'shared' }, config('one'), { fieldManager: 'first' });
      const err = await statusErrorOf(
        store.patch(ConfigMapsType, { namespace: NS, name: 'shared' }, config('two'), { fieldManager: 'second' }),
      );
      expect(err.reason).toBe('Conflict');
      expect(err.code).toBe(409);
      const forced = await store.patch(ConfigMapsType, { namespace: NS, name: 'shared' }, config('two'), {
        fieldManager: 'second',
        force: true,
      });
      expect(forced.data).toEqual({ k: 'two' });
      expect(forced.metadata.managedFields?.map((e) => e.manager)).toEqual(['second']);
    });

    it('records the fieldManager of an update in managedFields', async () => {
      const { store } = h();
      await createNamespace(store);
      const created = await store.create(ConfigMapsType, configMap('m', { a: '1' }), { fieldManager: 'creator' });
      expect(created.metadata.managedFields?.map((e) => [e.manager, e.operation])).toEqual([['creator', 'Update']]);
      const updated = await store.update(ConfigMapsType, { ...mutable(created), data: { a: '1', b: '2' } }, { fieldManager: 'editor' });
      expect(updated.metadata.managedFields?.map((e) => e.manager).sort()).toEqual(['creator', 'editor']);
    });

    it('patches the status subresource', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(DeploymentsType, deployment('web'));
      const got = await store.patch(
        DeploymentsType,
        { namespace: NS, name: 'web' },
        { type: 'merge', body: { status: { replicas: 4 }, spec: { replicas: 9 } } },
        { subresource: 'status' },
      );
      expect((got.status as { replicas: number }).replicas).toBe(4);
      expect((got.spec as { replicas: number }).replicas).toBe(1);
    });

    it('answers NotFound when patching a missing object', async () => {
      const { store } = h();
      await createNamespace(store);
      const err = await statusErrorOf(store.patch(ConfigMapsType, { namespace: NS, name: 'ghost' }, { type: 'merge', body: { data: {} } }));
      expect(err.reason).toBe('NotFound');
    });

    it('fails cleanly on a malformed patch', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(ConfigMapsType, configMap('a'));
      for (const patch of [
        { type: 'merge', body: 'x' },
        { type: 'json', body: { op: 'add' } },
        { type: 'bogus', body: {} },
        { type: 'merge', body: { data: 5 } },
      ]) {
        const err = await statusErrorOf(store.patch(ConfigMapsType, { namespace: NS, name: 'a' }, patch as never));
        expect(err.code).toBeGreaterThanOrEqual(400);
        expect(err.code).toBeLessThan(500);
      }
    });
  });
}
