import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.js';
import type { ResourceType } from '../api/resource-type.js';
import {
  AlreadyOwnedError,
  getControllerOf,
  hasOwnerReference,
  isControlledBy,
  removeOwnerReference,
  setControllerReference,
  setOwnerReference,
} from './owner-references.js';

const rs = (name: string, uid: string, ns = 'default'): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, uid, namespace: ns },
});
const pod = (ns = 'default'): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...(ns ? { namespace: ns } : {}) } });

describe('owner references', () => {
  it('sets a controller reference with blockOwnerDeletion, and updates it for the same owner', () => {
    const obj = pod();
    setControllerReference(rs('web', 'u1'), obj);
    expect(obj.metadata.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true },
    ]);
    setControllerReference(rs('web', 'u2'), obj); // the owner was recreated: same group, kind and name
    expect(obj.metadata.ownerReferences).toHaveLength(1);
    expect(getControllerOf(obj)?.uid).toBe('u2');
    expect(isControlledBy(obj, rs('web', 'u2'))).toBe(true);
    expect(isControlledBy(obj, rs('web', 'u1'))).toBe(false);
  });

  it('refuses to adopt an object another controller owns', () => {
    const obj = setControllerReference(rs('web', 'u1'), pod());
    let err: unknown;
    try {
      setControllerReference(rs('api', 'u9'), obj);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AlreadyOwnedError);
    expect((err as Error).message).toBe('Object default/p is already owned by another ReplicaSet controller web');
    expect(getControllerOf(obj)?.name).toBe('web');
  });

  it('refuses cross-namespace owners and namespaced owners of cluster-scoped objects', () => {
    expect(() => setControllerReference(rs('web', 'u1', 'other'), pod())).toThrow(/cross-namespace owner references are disallowed/);
    expect(() => setOwnerReference(rs('web', 'u1'), pod(''))).toThrow(/cluster-scoped resource must not have a namespace-scoped owner/);
    const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'n-1' } };
    expect(setOwnerReference(node, pod()).metadata.ownerReferences?.[0]?.kind).toBe('Node');
  });

  it('adds plain owner references beside the controller and keeps the controller flag on update', () => {
    const obj = setControllerReference(rs('web', 'u1'), pod());
    setOwnerReference({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', uid: 'w1', namespace: 'default' } }, obj);
    setOwnerReference(rs('web', 'u1'), obj);
    expect(obj.metadata.ownerReferences?.map((r) => `${r.kind}/${r.name}:${r.controller ?? false}`)).toEqual([
      'ReplicaSet/web:true',
      'Widget/w:false',
    ]);
    expect(hasOwnerReference(obj, { metadata: { uid: 'w1' } })).toBe(true);
    expect(removeOwnerReference(rs('web', 'u1'), obj)).toBe(true);
    expect(removeOwnerReference(rs('web', 'u1'), obj)).toBe(false);
    expect(getControllerOf(obj)).toBeUndefined();
  });

  it('takes apiVersion and kind from the resource type when the owner lacks them, and needs a uid', () => {
    const Widgets: ResourceType = { group: 'example.com', version: 'v1', resource: 'widgets', kind: 'Widget', namespaced: true };
    const obj = setControllerReference({ metadata: { name: 'w', uid: 'w1', namespace: 'default' } }, pod(), { ownerType: Widgets });
    expect(getControllerOf(obj)).toMatchObject({ apiVersion: 'example.com/v1', kind: 'Widget' });
    expect(() => setControllerReference({ metadata: { name: 'w', namespace: 'default' } }, pod(), { ownerType: Widgets })).toThrow(
      /no name or uid/,
    );
    expect(() => setControllerReference({ metadata: { name: 'w', uid: 'x', namespace: 'default' } }, pod())).toThrow(/pass ownerType/);
  });

  it('throws on a frozen object instead of changing a shared copy', () => {
    const frozen = Object.freeze({ ...pod(), metadata: Object.freeze({ name: 'p', namespace: 'default' }) });
    expect(() => setControllerReference(rs('web', 'u1'), frozen)).toThrow(TypeError);
  });
});
