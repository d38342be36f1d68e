import { deepFreeze, StatusError } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { applyJsonPatch, parseJsonPointer } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';

function failure(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StatusError);
    return err as StatusError;
  }
  throw new Error('expected a StatusError');
}

const doc = () =>
  deepFreeze({
    metadata: { name: 'web', labels: { app: 'web', 'a/b': 'x', 'm~n': 'y' } },
    spec: { replicas: 1, list: [1, 2, 3], nested: { deep: { x: 1 } }, untouched: { big: [1, 2, 3] } },
  });

describe('JSON pointers', () => {
  it('unescape ~1 and ~0 and reject bad escapes', () => {
    expect(parseJsonPointer('')).toEqual([]);
    expect(parseJsonPointer('/a~1b/m~0n/~01')).toEqual(['a/b', 'm~n', '~1']);
    expect(failure(() => parseJsonPointer('/a~2')).code).toBe(422);
    expect(failure(() => parseJsonPointer('a')).code).toBe(422);
  });
});

describe('JSON patch', () => {
  it('applies add, remove, replace, move, copy and test without touching the frozen input', () => {
    const d = doc();
    const out = applyJsonPatch(d, [
      { op: 'test', path: '/spec/replicas', value: 1 },
      { op: 'replace', path: '/spec/replicas', value: 3 },
      { op: 'add', path: '/metadata/labels/tier', value: 'fe' },
      { op: 'remove', path: '/metadata/labels/a~1b' },
      { op: 'replace', path: '/metadata/labels/m~0n', value: 'z' },
      { op: 'add', path: '/spec/list/1', value: 9 },
      { op: 'add', path: '/spec/list/-', value: 4 },
      { op: 'remove', path: '/spec/list/0' },
      { op: 'copy', from: '/spec/nested', path: '/spec/copied' },
      { op: 'move', from: '/spec/nested/deep', path: '/spec/moved' },
      { op: 'add', path: '/spec/copied/deep/y', value: 2 },
    ]) as Record<string, any>;
    expect(out.spec).toEqual({
      replicas: 3,
      list: [9, 2, 3, 4],
      nested: {},
      untouched: { big: [1, 2, 3] },
      copied: { deep: { x: 1, y: 2 } },
      moved: { x: 1 },
    });
    expect(out.metadata.labels).toEqual({ app: 'web', 'm~n': 'z', tier: 'fe' });
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.nested).toEqual({ deep: { x: 1 } });
    // Unchanged subtrees are shared, not copied.
    expect(out.spec.untouched).toBe(d.spec.untouched);
  });

  it('replaces the whole document with an empty path', () => {
    expect(applyJsonPatch(doc(), [{ op: 'replace', path: '', value: { a: 1 } }])).toEqual({ a: 1 });
  });

  it('fails a test operation with a 422 naming the path', () => {
    const err = failure(() => applyJsonPatch(doc(), [{ op: 'test', path: '/spec/replicas', value: 2 }]));
    expect(err.code).toBe(422);
    expect(err.reason).toBe('Invalid');
    expect(err.message).toContain('testing value /spec/replicas failed');
  });

  it.each([
    [[{ op: 'remove', path: '/spec/nope' }], 'Unable to remove nonexistent key'],
    [[{ op: 'replace', path: '/spec/nope', value: 1 }], 'replace operation does not apply'],
    [[{ op: 'add', path: '/nope/x', value: 1 }], 'add operation does not apply: doc is missing path'],
    [[{ op: 'add', path: '/spec/list/7', value: 1 }], 'index out of range'],
    [[{ op: 'add', path: '/spec/list/01', value: 1 }], 'index out of range'],
    [[{ op: 'move', from: '/spec', path: '/spec/x' }], 'cannot be moved into one of its children'],
    [[{ op: 'copy', from: '/nope', path: '/x' }], 'missing from path'],
    [[{ op: 'frobnicate', path: '/x' }], 'Unexpected kind: frobnicate'],
    [[{ op: 'add', path: '/x' }], 'missing "value"'],
    [[{ op: 'remove' }], 'missing a string "path"'],
  ])('rejects %j with a 422', (patch, message) => {
    const err = failure(() => applyJsonPatch(doc(), patch));
    expect(err.code).toBe(422);
    expect(err.message).toContain(message);
  });

  it('rejects a body that is not an array of operations with a 400', () => {
    expect(failure(() => applyJsonPatch(doc(), { op: 'add' })).code).toBe(400);
    expect(failure(() => applyJsonPatch(doc(), ['x'])).code).toBe(400);
  });

  it('does not let later operations alias copied values', () => {
    const out = applyJsonPatch({ a: { x: 1 } }, [
      { op: 'copy', from: '/a', path: '/b' },
      { op: 'replace', path: '/b/x', value: 2 },
    ]);
    expect(out).toEqual({ a: { x: 1 }, b: { x: 2 } });
  });
});

describe('JSON merge patch', () => {
  it('merges objects, deletes with null and replaces arrays, sharing what it does not touch', () => {
    const d = doc();
    const out = applyMergePatch(d, { metadata: { labels: { app: null, new: 'v' } }, spec: { list: [7], replicas: 5 } }) as Record<
      string,
      any
    >;
    expect(out.metadata.labels).toEqual({ 'a/b': 'x', 'm~n': 'y', new: 'v' });
    expect(out.spec.list).toEqual([7]);
    expect(out.spec.replicas).toBe(5);
    expect(out.spec.untouched).toBe(d.spec.untouched);
    expect(d.metadata.labels.app).toBe('web');
  });

  it('is what kubectl scale sends to the scale subresource', () => {
    expect(applyMergePatch({ spec: { replicas: 1 }, status: { replicas: 1 } }, { spec: { replicas: 3 } })).toEqual({
      spec: { replicas: 3 },
      status: { replicas: 1 },
    });
  });

  it('rejects a patch that is not an object with a 400', () => {
    expect(failure(() => applyMergePatch(doc(), [1])).code).toBe(400);
    expect(failure(() => applyMergePatch(doc(), 'x')).code).toBe(400);
  });
});
