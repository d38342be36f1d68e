import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import { IndexedCache } from './indexed-cache.js';
import { labelIndexFunc } from './indexers.js';

function obj(name: string, ns: string | undefined, labels: Record<string, string> = {}, ownerUid?: string): KubeObject {
  const metadata: KubeObject['metadata'] = { name, labels };
  if (ns) metadata.namespace = ns;
  if (ownerUid) metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: ownerUid, controller: true }];
  return { metadata };
}

describe('IndexedCache', () => {
  it('holds each object once under namespace/name, or name for cluster-scoped objects', () => {
    const cache = new IndexedCache();
    const a = obj('a', 'ns1');
    cache.upsert(a);
    cache.upsert(obj('n1', undefined));
    expect(cache.keys()).toEqual(['ns1/a', 'n1']);
    expect(cache.get({ namespace: 'ns1', name: 'a' })).toBe(a);
    expect(cache.get({ name: 'n1' })?.metadata.name).toBe('n1');
    expect(cache.list('ns1')).toEqual([a]);
    expect(cache.byIndex('namespace', 'ns1')[0]).toBe(a);
  });

  it('moves keys between index values when an object changes, and drops empty values', () => {
    const cache = new IndexedCache({ app: labelIndexFunc('app') });
    cache.upsert(obj('a', 'ns1', { app: 'web' }, 'rs-1'));
    cache.upsert(obj('b', 'ns1', { app: 'web' }));
    expect(cache.keysByIndex('app', 'web')).toEqual(['ns1/a', 'ns1/b']);
    cache.upsert(obj('a', 'ns1', { app: 'db' }, 'rs-2'));
    expect(cache.keysByIndex('app', 'web')).toEqual(['ns1/b']);
    expect(cache.keysByIndex('app', 'db')).toEqual(['ns1/a']);
    expect(cache.keysByIndex('controller-owner', 'rs-1')).toEqual([]);
    expect(cache.indexValues('controller-owner')).toEqual(['rs-2']);
    cache.delete('ns1/a');
    expect(cache.indexValues('app')).toEqual(['web']);
    expect(cache.indexValues('controller-owner')).toEqual([]);
    expect(cache.size()).toBe(1);
  });

  it('indexes objects already cached when an index is added later, and refuses a taken name', () => {
    const cache = new IndexedCache();
    cache.upsert(obj('a', 'ns1', { tier: 'fe' }));
    cache.addIndex('tier', labelIndexFunc('tier'));
    expect(cache.keysByIndex('tier', 'fe')).toEqual(['ns1/a']);
    expect(() => cache.addIndex('tier', labelIndexFunc('tier'))).toThrow(/already exists/);
    expect(() => cache.byIndex('nope', 'x')).toThrow(/does not exist/);
  });

  it('leaves itself unchanged when an index function throws on an object', () => {
    const cache = new IndexedCache({
      bad: (o) => {
        if (o.metadata.labels?.['bad']) throw new Error('no');
        return [];
      },
    });
    const a = obj('a', 'ns1');
    cache.upsert(a);
    expect(cache.keysByIndex('bad', 'x')).toEqual([]);
    expect(() => cache.upsert(obj('a', 'ns1', { bad: 'yes' }))).toThrow('no');
    expect(cache.get({ namespace: 'ns1', name: 'a' })).toBe(a);
  });

  it('builds an index on its first lookup and keeps it current afterwards', () => {
    let calls = 0;
    const cache = new IndexedCache({ app: (o) => (calls++, o.metadata.labels?.['app'] ? [o.metadata.labels['app']] : []) });
    for (let i = 0; i < 10; i++) cache.upsert(obj(`p${i}`, 'ns1', { app: i % 2 ? 'odd' : 'even' }));
    expect(calls).toBe(0);
    expect(cache.keysByIndex('app', 'odd')).toHaveLength(5);
    expect(calls).toBe(10);
    cache.upsert(obj('p1', 'ns1', { app: 'even' }));
    cache.delete('ns1/p3');
    expect(cache.keysByIndex('app', 'odd').sort()).toEqual(['ns1/p5', 'ns1/p7', 'ns1/p9']);
    expect(cache.keysByIndex('app', 'even')).toHaveLength(6);
  });

  it('shares the objects it is given instead of copying them', () => {
    const cache = new IndexedCache();
    const a = Object.freeze(obj('a', 'ns1'));
    cache.upsert(a);
    expect(cache.list()[0]).toBe(a);
    expect(cache.byIndex('namespace', 'ns1')[0]).toBe(a);
  });
});
