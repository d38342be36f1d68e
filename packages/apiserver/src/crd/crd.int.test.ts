import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../testing/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                properties: { size: { type: 'integer', minimum: 1 }, color: { type: 'string' }, replicas: { type: 'integer' } },
              },
              status: { type: 'object', properties: { ready: { type: 'boolean' }, replicas: { type: 'integer' } } },
            },
          },
        },
        subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
        additionalPrinterColumns: [
          { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
          { name: 'Color', type: 'string', jsonPath: '.spec.color', priority: 1 },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      },
    ],
  },
};

const widget = (name: string, size: number) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name },
  spec: { size, color: 'red', replicas: 1 },
});

describe('CustomResourceDefinitions', () => {
  it('serves a new kind as soon as its CRD is created, and marks the CRD Established', async () => {
    const created = await call(t.api, { method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body: crd });
    expect(created.status).toBe(201);
    const group = await call(t.api, { path: '/apis/example.com/v1' });
    expect(group.status).toBe(200);
    expect(group.json()).toMatchObject({
      groupVersion: 'example.com/v1',
      resources: expect.arrayContaining([
        expect.objectContaining({ name: 'widgets', kind: 'Widget', shortNames: ['wd'], namespaced: true }),
      ]),
    });
    const agg = await call(t.api, {
      path: '/apis',
      headers: { Accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' },
    });
    expect(agg.text).toContain('"name":"example.com"');
    const stored = await call(t.api, { path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com' });
    const conditions = stored.json<{ status: { conditions: { type: string; status: string }[] } }>().status.conditions;
    expect(conditions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Established', status: 'True' }),
        expect.objectContaining({ type: 'NamesAccepted', status: 'True' }),
      ]),
    );
  });

  it('stores, validates and lists custom objects with their printer columns', async () => {
    const r = await call(t.api, { method: 'POST', path: '/apis/example.com/v1/namespaces/default/widgets', body: widget('w1', 3) });
    expect(r.status).toBe(201);
    const bad = await call(t.api, { method: 'POST', path: '/apis/example.com/v1/namespaces/default/widgets', body: widget('w2', 0) });
    expect(bad.status).toBe(422);
    expect(bad.json<{ message: string }>().message).toContain('spec.size');
    const table = await call(t.api, {
      path: '/apis/example.com/v1/namespaces/default/widgets',
      headers: { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    const tb = table.json<{ columnDefinitions: { name: string; priority: number }[]; rows: { cells: unknown[] }[] }>();
    expect(tb.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Size', 'Color', 'Age']);
    expect(tb.columnDefinitions[2]!.priority).toBe(1);
    expect(tb.rows[0]!.cells.slice(0, 3)).toEqual(['w1', 3, 'red']);
    expect(String(tb.rows[0]!.cells[3])).toMatch(/^\d+s$/);
  });

  it('refuses strategic merge patches for custom resources with 415', async () => {
    const r = await call(t.api, {
      method: 'PATCH',
      path: '/apis/example.com/v1/namespaces/default/widgets/w1',
      body: { spec: { size: 4 } },
      headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
    });
    expect(r.status).toBe(415);
    const m = await call(t.api, {
      method: 'PATCH',
      path: '/apis/example.com/v1/namespaces/default/widgets/w1',
      body: { spec: { size: 4 } },
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(m.json()).toMatchObject({ spec: { size: 4 } });
  });

  it('serves the status and scale subresources of custom resources', async () => {
    const scale = await call(t.api, { path: '/apis/example.com/v1/namespaces/default/widgets/w1/scale' });
    expect(scale.json()).toMatchObject({ kind: 'Scale', spec: { replicas: 1 } });
    const w = (await call(t.api, { path: '/apis/example.com/v1/namespaces/default/widgets/w1' })).json<Record<string, unknown>>();
    const st = await call(t.api, {
      method: 'PUT',
      path: '/apis/example.com/v1/namespaces/default/widgets/w1/status',
      body: { ...w, status: { ready: true, replicas: 1 } },
    });
    expect(st.status).toBe(200);
    expect(st.json()).toMatchObject({ status: { ready: true } });
  });

  it('removes the kind and its objects when the CRD is deleted', async () => {
    const r = await call(t.api, { method: 'DELETE', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com' });
    expect(r.status).toBe(200);
    expect((await call(t.api, { path: '/apis/example.com/v1' })).status).toBe(404);
    expect((await call(t.api, { path: '/apis/example.com/v1/namespaces/default/widgets' })).status).toBe(404);
    const again = await call(t.api, { method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body: crd });
    expect(again.status).toBe(201);
    const list = await call(t.api, { path: '/apis/example.com/v1/widgets' });
    expect(list.status).toBe(200);
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('keeps a deleted CRD Terminating until its objects, held by their finalizers, are gone', { timeout: 60_000 }, async () => {
    const body = {
      ...crd,
      metadata: { name: 'sprockets.example.net' },
      spec: { ...crd.spec, group: 'example.net', names: { plural: 'sprockets', singular: 'sprocket', kind: 'Sprocket' } },
    };
    expect((await call(t.api, { method: 'POST', path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', body })).status).toBe(201);
    const held = {
      apiVersion: 'example.net/v1',
      kind: 'Sprocket',
      metadata: { name: 's1', finalizers: ['example.net/hold'] },
      spec: { size: 1 },
    };
    expect((await call(t.api, { method: 'POST', path: '/apis/example.net/v1/namespaces/default/sprockets', body: held })).status).toBe(201);
    const del = await call(t.api, {
      method: 'DELETE',
      path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/sprockets.example.net',
    });
    expect(del.status).toBe(200);
    const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/sprockets.example.net';
    const terminating = (await call(t.api, { path: crdPath })).json<{
      metadata: { finalizers: string[]; deletionTimestamp?: string };
      status: { conditions: { type: string; status: string; reason: string }[] };
    }>();
    expect(terminating.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    expect(terminating.metadata.deletionTimestamp).toBeDefined();
    expect(terminating.status.conditions).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'Terminating', status: 'True', reason: 'InstanceDeletionInProgress' })]),
    );
    const refused = await call(t.api, {
      method: 'POST',
      path: '/apis/example.net/v1/namespaces/default/sprockets',
      body: { ...held, metadata: { name: 's2' } },
    });
    expect(refused.status).toBe(405);
    expect(refused.text).toContain('create not allowed while custom resource definition is terminating');
    const obj = (await call(t.api, { path: '/apis/example.net/v1/namespaces/default/sprockets/s1' })).json<{
      metadata: { deletionTimestamp?: string };
    }>();
    expect(obj.metadata.deletionTimestamp).toBeDefined();
    const patched = await call(t.api, {
      method: 'PATCH',
      path: '/apis/example.net/v1/namespaces/default/sprockets/s1',
      body: JSON.stringify({ metadata: { finalizers: null } }),
      headers: { 'Content-Type': 'application/merge-patch+json' },
    });
    expect(patched.status).toBe(200);
    let status = 200;
    for (let i = 0; i < 150 && status !== 404; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await call(t.api, { path: crdPath })).status;
    }
    expect(status).toBe(404);
    expect((await call(t.api, { path: '/apis/example.net/v1' })).status).toBe(404);
  });

  it('registers CRDs created by other clients of the store, and the ones stored before start', async () => {
    const crdDef = t.catalog.get({ group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' })!;
    await t.registry.create(crdDef, {
      ...crd,
      metadata: { name: 'gadgets.example.org' },
      spec: { ...crd.spec, group: 'example.org', names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' } },
    });
    for (let i = 0; i < 200 && (await call(t.api, { path: '/apis/example.org/v1' })).status !== 200; i++)
      await new Promise((r) => setImmediate(r));
    expect((await call(t.api, { path: '/apis/example.org/v1' })).status).toBe(200);

    const second = await startTestServer({ store: t.registry, bootstrap: false });
    try {
      // A second server on a fresh catalog over the same store finds both CRDs at start.
      expect((await call(second.api, { path: '/apis/example.org/v1' })).status).toBe(200);
      expect((await call(second.api, { path: '/apis/example.com/v1' })).status).toBe(200);
    } finally {
      await second.close();
    }
  });
});
