import { describe, expect, it } from 'vitest';
import { ConfigMaps, type KubeObject } from '@converge/core';
import { OwnerGraph } from './owner-graph.js';

const obj = (
  uid: string,
  owners: { uid: string; name: string; block?: boolean }[] = [],
  extra: Partial<KubeObject['metadata']> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: {
    name: `cm-${uid}`,
    namespace: 'default',
    uid,
    ownerReferences: owners.map((o) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: o.name,
      uid: o.uid,
      ...(o.block ? { blockOwnerDeletion: true } : {}),
    })),
    ...extra,
  },
});

describe('OwnerGraph', () => {
  it('creates a virtual owner for a reference to an unseen uid and asks for it to be verified', () => {
    const g = new OwnerGraph();
    const work = g.observe(ConfigMaps, obj('d', [{ uid: 'o', name: 'cm-o' }]));
    expect(work.attempt).toEqual(['o']);
    expect(g.get('o')).toMatchObject({ virtual: true, identity: { kind: 'ConfigMap', name: 'cm-o', namespace: 'default' } });
    expect([...g.get('o')!.dependents].map((d) => d.uid)).toEqual(['d']);
  });

  it('turns a virtual owner into an observed one when its informer reports it', () => {
    const g = new OwnerGraph();
    g.observe(ConfigMaps, obj('d', [{ uid: 'o', name: 'cm-o' }]));
    expect(g.observe(ConfigMaps, obj('o')).attempt).toEqual([]);
    expect(g.get('o')!.virtual).toBe(false);
  });

  it('asks for the dependents of a removed owner, and forgets a virtual owner nobody names any more', () => {
    const g = new OwnerGraph();
    g.observe(ConfigMaps, obj('o'));
    g.observe(ConfigMaps, obj('d1', [{ uid: 'o', name: 'cm-o' }]));
    g.observe(ConfigMaps, obj('d2', [{ uid: 'o', name: 'cm-o' }]));
    expect(g.remove('o').attempt.sort()).toEqual(['d1', 'd2']);
    g.observe(ConfigMaps, obj('x', [{ uid: 'v', name: 'cm-v' }]));
    g.observe(ConfigMaps, obj('x'));
    expect(g.get('v')).toBeUndefined();
  });

  it('enqueues every dependent once when an owner starts waiting for them, and the owner when a blocking dependent goes', () => {
    const g = new OwnerGraph();
    g.observe(ConfigMaps, obj('o'));
    g.observe(ConfigMaps, obj('d1', [{ uid: 'o', name: 'cm-o', block: true }]));
    g.observe(ConfigMaps, obj('d2', [{ uid: 'o', name: 'cm-o' }]));
    const deleting = obj('o', [], { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] });
    expect(g.observe(ConfigMaps, deleting).attempt.sort()).toEqual(['d1', 'd2', 'o']);
    expect(g.observe(ConfigMaps, deleting).attempt).toEqual(['o']);
    expect(g.blockingDependents(g.get('o')!).map((d) => d.uid)).toEqual(['d1']);
    expect(g.remove('d1').attempt).toEqual(['o']);
    expect(g.blockingDependents(g.get('o')!)).toEqual([]);
  });

  it('asks for a dependent that appears while its owner waits for its dependents', () => {
    const g = new OwnerGraph();
    g.observe(ConfigMaps, obj('o', [], { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] }));
    expect(g.observe(ConfigMaps, obj('late', [{ uid: 'o', name: 'cm-o', block: true }])).attempt).toEqual(['late']);
  });

  it('asks for a dependent whose reference names an observed owner in another namespace', () => {
    const g = new OwnerGraph();
    g.observe(ConfigMaps, obj('o', [], { namespace: 'other' }));
    expect(g.observe(ConfigMaps, obj('d', [{ uid: 'o', name: 'cm-o' }])).attempt).toEqual(['d']);
  });
});
