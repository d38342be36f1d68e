import { describe, expect, it } from 'vitest';
import { serialize, typeMetaFirst } from './response-writer.js';

describe('typeMetaFirst', () => {
  it('puts kind, apiVersion and metadata first, keeping the order of the other fields', () => {
    const out = typeMetaFirst({ metadata: { name: 'x' }, data: { a: '1' }, apiVersion: 'v1', immutable: true, kind: 'ConfigMap' });
    expect(Object.keys(out)).toEqual(['kind', 'apiVersion', 'metadata', 'data', 'immutable']);
    expect(serialize({ spec: {}, apiVersion: 'v1', kind: 'Pod', metadata: {} }, 'json')).toBe('{"kind":"Pod","apiVersion":"v1","metadata":{},"spec":{}}');
  });

  it('returns objects that already start with kind, and values without type fields, as they are', () => {
    const ordered = Object.freeze({ kind: 'Pod', apiVersion: 'v1', metadata: {} });
    expect(typeMetaFirst(ordered)).toBe(ordered);
    const plain = { major: '1', minor: '32' };
    expect(typeMetaFirst(plain)).toBe(plain);
    expect(typeMetaFirst([1, 2])).toEqual([1, 2]);
    expect(typeMetaFirst(null)).toBeNull();
  });
});
