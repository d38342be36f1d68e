import { describe, expect, it } from 'vitest';
import { serialize, typeMetaFirst } from './response-writer.js';

describe('typeMetaFirst', () => {
  it('puts kind, apiVersion and metadata first, keeping the order of the other fields', () => {
    const out = typeMetaFirst({ metadata: { name: 'x' }, data: { a: '1' }, apiVersion: 'v1', immutable: true, kind: 'ConfigMap' });
    expect(Object.keys(out)).toEqual(['kind', 'apiVersion', 'metadata', 'data', 'immutable']);
    expect(serialize({ spec: {}, apiVersion: 'v1', kind: 'Pod', metadata: {} }, 'json')).toBe(
      '{"kind":"Pod","apiVersion":"v1","metadata":{},"spec":{}}\n',
    );
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

describe('Status bodies', () => {
  it('are written in Go struct order with empty fields left out and a final newline, whatever order they were built in', () => {
    const built = {
      code: 429,
      details: {
        retryAfterSeconds: 10,
        causes: [{ field: 'spec', message: 'm', reason: 'DisruptionBudget' }, { message: 'only' }],
        uid: 'u1',
        kind: 'pods',
        group: '',
        name: 'p',
      },
      reason: 'TooManyRequests',
      message: 'Cannot evict pod',
      status: 'Failure',
      metadata: {},
      apiVersion: 'v1',
      kind: 'Status',
    };
    expect(serialize(built, 'json')).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Cannot evict pod","reason":"TooManyRequests",' +
        '"details":{"name":"p","kind":"pods","uid":"u1","causes":[{"reason":"DisruptionBudget","message":"m","field":"spec"},{"message":"only"}],"retryAfterSeconds":10},"code":429}\n',
    );
  });

  it('write a success Status without message, reason or details', () => {
    expect(serialize({ status: 'Success', code: 201, kind: 'Status', apiVersion: 'v1', metadata: {}, message: '' }, 'json')).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201}\n',
    );
  });

  it('leave objects of a custom kind named Status in another group alone', () => {
    const custom = { kind: 'Status', apiVersion: 'example.com/v1', metadata: {}, spec: { code: 1 } };
    expect(serialize(custom, 'json')).toBe(`${JSON.stringify(custom)}\n`);
  });
});
