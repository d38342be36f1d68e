import { describe, expect, it } from 'vitest';
import type { KubeObject } from '@converge/core';
import type { HarnessAccessor } from './harness.js';
import { ConfigMapsType, NamespacesType, NodesType, NS, PodsType, configMap, createNamespace, pod, statusErrorOf } from './fixtures.js';

/** CREATE and GET: system fields, generateName, AlreadyExists, validation, namespaces, malformed input. */
export function createSuite(h: HarnessAccessor): void {
  describe('create and get', () => {
    it('fills in uid, creationTimestamp and resourceVersion (no generation on a ConfigMap)', async () => {
      const { store } = h();
      await createNamespace(store);
      const cm = await store.create(ConfigMapsType, configMap('a', { k: 'v' }));
      expect(cm.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      expect(cm.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(cm.metadata.generation).toBeUndefined(); // ConfigMaps do not track a generation (Kubernetes 1.32)
      expect(cm.metadata.resourceVersion).toMatch(/^\d+$/);
      expect(cm.apiVersion).toBe('v1');
      expect(cm.kind).toBe('ConfigMap');
      const got = await store.get(ConfigMapsType, { namespace: NS, name: 'a' });
      expect(got.metadata.uid).toBe(cm.metadata.uid);
      expect(got.metadata.resourceVersion).toBe(cm.metadata.resourceVersion);
      expect(got.data).toEqual({ k: 'v' });
    });

    it('hands out deeply frozen objects', async () => {
      const { store } = h();
      await createNamespace(store);
      const created = await store.create(ConfigMapsType, configMap('a', { k: 'v' }));
      const got = await store.get(ConfigMapsType, { namespace: NS, name: 'a' });
      for (const o of [created, got]) {
        expect(Object.isFrozen(o)).toBe(true);
        expect(Object.isFrozen(o.metadata)).toBe(true);
        expect(Object.isFrozen(o.data)).toBe(true);
        expect(() => {
          (o.data as Record<string, string>).k = 'changed';
        }).toThrow(TypeError);
      }
    });

    it('keeps its own copy: changing the input after create changes nothing stored', async () => {
      const { store } = h();
      await createNamespace(store);
      const input = configMap('a', { k: 'v' });
      await store.create(ConfigMapsType, input);
      (input.data as Record<string, string>).k = 'changed';
      expect((await store.get(ConfigMapsType, { namespace: NS, name: 'a' })).data).toEqual({ k: 'v' });
    });

    it('generates a name from generateName', async () => {
      const { store } = h();
      await createNamespace(store);
      const a = await store.create(ConfigMapsType, { metadata: { generateName: 'web-', namespace: NS }, data: {} });
      const b = await store.create(ConfigMapsType, { metadata: { generateName: 'web-', namespace: NS }, data: {} });
      expect(a.metadata.name).toMatch(/^web-[a-z0-9]{5}$/);
      expect(b.metadata.name).not.toBe(a.metadata.name);
      expect(a.metadata.generateName).toBe('web-');
    });

    it('refuses a second object of the same name with AlreadyExists', async () => {
      const { store } = h();
      await createNamespace(store);
      await store.create(ConfigMapsType, configMap('a'));
      const err = await statusErrorOf(store.create(ConfigMapsType, configMap('a')));
      expect(err.reason).toBe('AlreadyExists');
      expect(err.code).toBe(409);
      expect(err.message).toBe('configmaps "a" already exists');
    });

    it('needs a name or generateName', async () => {
      const { store } = h();
      await createNamespace(store);
      const err = await statusErrorOf(store.create(ConfigMapsType, { metadata: { namespace: NS }, data: {} }));
      expect(err.reason).toBe('Invalid');
      expect(err.details?.causes?.map((c) => c.field)).toContain('metadata.name');
    });

    it('rejects an invalid object with Invalid and one cause per bad field', async () => {
      const { store } = h();
      await createNamespace(store);
      const bad = pod('p');
      bad.metadata.labels = { 'bad key!': 'x' };
      (bad.spec as { containers: unknown[] }).containers = [{ name: 'Not_A_Name', image: 'busybox' }];
      const err = await statusErrorOf(store.create(PodsType, bad));
      expect(err.reason).toBe('Invalid');
      expect(err.code).toBe(422);
      const fields = err.details?.causes?.map((c) => c.field) ?? [];
      expect(fields).toContain('metadata.labels');
      expect(fields.some((f) => f?.startsWith('spec.containers[0].name'))).toBe(true);
      expect(err.message).toMatch(/^The Pod "p" is invalid: /);
      await expect(store.get(PodsType, { namespace: NS, name: 'p' })).rejects.toMatchObject({ reason: 'NotFound' });
    });

    it('rejects unknown fields under Strict, warns under Warn and prunes them either way', async () => {
      const { store } = h();
      await createNamespace(store);
      const body = { ...configMap('strict'), bogus: 1, metadata: { name: 'strict', namespace: NS, bogusMeta: 'x' } } as KubeObject;
      const err = await statusErrorOf(store.create(ConfigMapsType, body, { fieldValidation: 'Strict' }));
      expect(err.reason).toBe('BadRequest');
      expect(err.message).toContain('unknown field "bogus"');
      expect(err.message).toContain('unknown field "metadata.bogusMeta"');
      const warnings: string[] = [];
      const created = await store.create(ConfigMapsType, body, { fieldValidation: 'Warn', onWarning: (w) => warnings.push(w) });
      expect(warnings).toEqual(expect.arrayContaining(['unknown field "bogus"', 'unknown field "metadata.bogusMeta"']));
      expect(created).not.toHaveProperty('bogus');
      expect(created.metadata).not.toHaveProperty('bogusMeta');
    });

    it('refuses a resourceVersion on create', async () => {
      const { store } = h();
      await createNamespace(store);
      const body = configMap('a');
      body.metadata.resourceVersion = '5';
      const err = await statusErrorOf(store.create(ConfigMapsType, body));
      expect(err.message).toContain('resourceVersion should not be set on objects to be created');
    });

    it('refuses a namespaced object in a namespace that does not exist', async () => {
      const { store } = h();
      const err = await statusErrorOf(store.create(ConfigMapsType, configMap('a', {}, undefined, 'nowhere')));
      expect(err.reason).toBe('NotFound');
      expect(err.message).toBe('namespaces "nowhere" not found');
    });

    it('refuses new objects in a terminating namespace with Forbidden', async () => {
      const { store } = h();
      await createNamespace(store);
      const ns = await store.delete(NamespacesType, { name: NS });
      expect(ns.metadata.deletionTimestamp).toBeTruthy();
      const err = await statusErrorOf(store.create(ConfigMapsType, configMap('late')));
      expect(err.reason).toBe('Forbidden');
      expect(err.code).toBe(403);
      expect(err.message).toBe(
        `configmaps "late" is forbidden: unable to create new content in namespace ${NS} because it is being terminated`,
      );
    });

    it('keeps the status of a Node on create, as the kubelet registers with it', async () => {
      const { store } = h();
      const node = await store.create(NodesType, {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: 'node-1' },
        status: { capacity: { cpu: '4', pods: '110' } },
      });
      expect((node.status as { capacity: Record<string, string> }).capacity.cpu).toBe('4');
    });

    it('stores nothing on a dry run', async () => {
      const { store } = h();
      await createNamespace(store);
      const dry = await store.create(ConfigMapsType, configMap('dry'), { dryRun: true });
      expect(dry.metadata.uid).toBeTruthy();
      await expect(store.get(ConfigMapsType, { namespace: NS, name: 'dry' })).rejects.toMatchObject({ reason: 'NotFound' });
    });

    it('answers NotFound in Kubernetes words for a missing object', async () => {
      const { store } = h();
      await createNamespace(store);
      const err = await statusErrorOf(store.get(ConfigMapsType, { namespace: NS, name: 'missing' }));
      expect(err.reason).toBe('NotFound');
      expect(err.code).toBe(404);
      expect(err.message).toBe('configmaps "missing" not found');
    });

    it('fails cleanly on malformed input', async () => {
      const { store } = h();
      await createNamespace(store);
      const cyclic: Record<string, unknown> = { metadata: { name: 'c', namespace: NS } };
      cyclic.self = cyclic;
      const bodies: unknown[] = [
        null,
        'text',
        42,
        [],
        { metadata: 'x' },
        { metadata: { name: 7, namespace: NS } },
        { metadata: { name: 'x', namespace: NS }, data: 'no' },
        cyclic,
      ];
      for (const body of bodies) {
        const err = await statusErrorOf(store.create(ConfigMapsType, body as KubeObject));
        expect(err.code, JSON.stringify(String(body))).toBeGreaterThanOrEqual(400);
        expect(err.code).toBeLessThan(500);
      }
      const err = await statusErrorOf(store.get(ConfigMapsType, { namespace: NS, name: '' }));
      expect(err.code).toBeLessThan(500);
      // Malformed options and keys fail cleanly too.
      const calls: (() => Promise<unknown>)[] = [
        () => store.get(ConfigMapsType, null as never),
        () => store.get(ConfigMapsType, { namespace: NS, name: 'a/b' }),
        () => store.list(ConfigMapsType, { namespace: NS, limit: -1 }),
        () => store.list(ConfigMapsType, { namespace: NS, labelSelector: 5 as never }),
        () => store.delete(ConfigMapsType, { namespace: NS, name: 'x' }, { gracePeriodSeconds: 'soon' as never }),
        () => store.get({ group: 'nope', version: 'v1', resource: 'nothings', kind: 'Nothing', namespaced: false }, { name: 'x' }),
      ];
      for (const call of calls) {
        const e = await statusErrorOf(call());
        expect(e.code).toBeGreaterThanOrEqual(400);
        expect(e.code).toBeLessThan(500);
      }
      await store.create(ConfigMapsType, configMap('tolerant'), null as never);
      // The store still works.
      await store.create(ConfigMapsType, configMap('fine'));
    });
  });
}
