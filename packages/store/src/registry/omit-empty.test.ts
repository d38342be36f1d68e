import { describe, expect, it } from 'vitest';
import { ConfigMaps, Namespaces, RoleBindings, Secrets, mutable, type KubeObject } from '@converge/core';
import { createBuiltinCatalog } from '@converge/core/kinds';
import { VirtualClock } from '@converge/core/runtime';
import { MemoryBackend } from '../backend/memory.backend.js';
import { Registry } from './registry.js';

const NS = 'default';

async function setup() {
  const registry = new Registry({
    backend: new MemoryBackend(),
    catalog: createBuiltinCatalog(),
    clock: new VirtualClock(),
    serviceAllocationRepairIntervalMs: 0,
  });
  await registry.create(Namespaces, { metadata: { name: NS } });
  return registry;
}

describe('fields Kubernetes omits when empty (omitempty)', () => {
  it('drops empty labels, annotations, finalizers and ownerReferences, and empty ConfigMap and Secret data', async () => {
    const r = await setup();
    const cm = await r.create(ConfigMaps, {
      metadata: { name: 'emp', namespace: NS, labels: {}, annotations: {}, finalizers: [], ownerReferences: [] },
      data: {},
      binaryData: {},
    });
    expect(Object.keys(cm.metadata).sort()).toEqual(['creationTimestamp', 'name', 'namespace', 'resourceVersion', 'uid']);
    expect('data' in cm || 'binaryData' in cm).toBe(false);
    const s = await r.create(Secrets, { metadata: { name: 's', namespace: NS }, data: {} });
    expect('data' in s).toBe(false);
  });

  it('drops the map a merge patch emptied, and skips a write that only empties what was absent', async () => {
    const r = await setup();
    await r.create(ConfigMaps, { metadata: { name: 'emp', namespace: NS, labels: { a: 'b' } } });
    const unlabelled = await r.patch(
      ConfigMaps,
      { namespace: NS, name: 'emp' },
      { type: 'merge', body: { metadata: { labels: { a: null } } } },
    );
    expect('labels' in unlabelled.metadata).toBe(false);
    const again = await r.patch(
      ConfigMaps,
      { namespace: NS, name: 'emp' },
      { type: 'merge', body: { metadata: { finalizers: [], annotations: {} }, data: {} } },
    );
    expect(again.metadata.resourceVersion).toBe(unlabelled.metadata.resourceVersion);
    expect(Object.keys(again.metadata)).not.toContain('finalizers');
  });

  it('stores a ServiceAccount subject without apiGroup, so an unchanged RoleBinding stays unchanged', async () => {
    const r = await setup();
    const body: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'rb', namespace: NS },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [
        { kind: 'ServiceAccount', name: 'app', namespace: NS },
        { kind: 'User', name: 'jane' },
      ],
    } as KubeObject;
    const rb = await r.create(RoleBindings, body as never);
    expect(rb.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'app', namespace: NS },
      { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
    ]);
    const same = await r.update(RoleBindings, {
      ...mutable(body),
      metadata: { ...body.metadata, resourceVersion: rb.metadata.resourceVersion },
    } as never);
    expect(same.metadata.resourceVersion).toBe(rb.metadata.resourceVersion);
  });
});
