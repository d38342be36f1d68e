import { describe, expect, it } from 'vitest';
import type { KubeObject, OwnerReference } from '../../api/meta.js';
import type { InformerEvent } from '../informer/types.js';
import type { Request } from '../reconciler/reconciler.js';
import { enqueueForObject, enqueueForOwner, enqueueMapped, type EventHandler } from './event-handlers.js';

function run<T extends KubeObject>(handler: EventHandler<T>, event: InformerEvent<T>): Request[] {
  const out: Request[] = [];
  handler(event, (r) => out.push(r));
  return out;
}

const owner = (kind: string, name: string, apiVersion = 'apps/v1', controller = true): OwnerReference => ({
  apiVersion,
  kind,
  name,
  uid: `uid-${name}`,
  controller,
});
const pod = (owners: OwnerReference[], ns = 'ns'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: ns, name: 'p', ownerReferences: owners },
});

describe('event handlers', () => {
  it('enqueueForObject enqueues the object key, cluster-scoped objects without namespace', () => {
    expect(run(enqueueForObject(), { type: 'add', object: { metadata: { namespace: 'ns', name: 'a' } } })).toEqual([
      { namespace: 'ns', name: 'a' },
    ]);
    expect(run(enqueueForObject(), { type: 'delete', object: { metadata: { name: 'node-1' } } })).toEqual([{ name: 'node-1' }]);
  });

  it('enqueueForOwner follows the controller reference of the owner kind, any version', () => {
    const h = enqueueForOwner({ group: 'apps', kind: 'ReplicaSet' });
    expect(run(h, { type: 'add', object: pod([owner('ReplicaSet', 'rs1', 'apps/v1beta2')]) })).toEqual([{ namespace: 'ns', name: 'rs1' }]);
    expect(run(h, { type: 'add', object: pod([owner('ReplicaSet', 'rs1', 'apps/v1', false)]) })).toEqual([]);
    expect(run(h, { type: 'add', object: pod([owner('StatefulSet', 'ss')]) })).toEqual([]);
    expect(run(h, { type: 'add', object: pod([owner('ReplicaSet', 'x', 'other.io/v1')]) })).toEqual([]);
    expect(run(h, { type: 'add', object: pod([]) })).toEqual([]);
  });

  it('enqueueForOwner can follow every owner reference, and cluster-scoped owners', () => {
    const all = enqueueForOwner({ group: 'apps', kind: 'ReplicaSet' }, { onlyController: false });
    expect(run(all, { type: 'add', object: pod([owner('ReplicaSet', 'a', 'apps/v1', false), owner('ReplicaSet', 'b')]) })).toEqual([
      { namespace: 'ns', name: 'a' },
      { namespace: 'ns', name: 'b' },
    ]);
    const nodes = enqueueForOwner({ group: '', kind: 'Node', namespaced: false });
    expect(run(nodes, { type: 'add', object: pod([owner('Node', 'n1', 'v1')]) })).toEqual([{ name: 'n1' }]);
  });

  it('enqueueForOwner enqueues old and new owners on update', () => {
    const h = enqueueForOwner({ group: 'apps', kind: 'ReplicaSet' });
    expect(run(h, { type: 'update', old: pod([owner('ReplicaSet', 'old')]), object: pod([owner('ReplicaSet', 'new')]) })).toEqual([
      { namespace: 'ns', name: 'new' },
      { namespace: 'ns', name: 'old' },
    ]);
  });

  it('enqueueMapped enqueues what the function returns, for old and new on update', () => {
    const h = enqueueMapped<KubeObject>((o) =>
      o.metadata.labels?.target ? { namespace: 'ns', name: o.metadata.labels.target } : undefined,
    );
    const withTarget = (t?: string): KubeObject => ({ metadata: { namespace: 'ns', name: 'cm', ...(t ? { labels: { target: t } } : {}) } });
    expect(run(h, { type: 'add', object: withTarget('a') })).toEqual([{ namespace: 'ns', name: 'a' }]);
    expect(run(h, { type: 'add', object: withTarget() })).toEqual([]);
    expect(run(h, { type: 'update', old: withTarget('a'), object: withTarget('b') })).toEqual([
      { namespace: 'ns', name: 'b' },
      { namespace: 'ns', name: 'a' },
    ]);
    const many = enqueueMapped(() => [{ name: 'x' }, { name: 'y' }]);
    expect(run(many, { type: 'delete', object: withTarget() })).toEqual([{ name: 'x' }, { name: 'y' }]);
  });
});
