import { describe, expect, it } from 'vitest';
import { compileJsonPath, evalJSONPath, jsonPathValue } from './json-path.js';

const obj = {
  metadata: { labels: { 'app.kubernetes.io/name': 'shop' } },
  spec: {
    replicas: 3,
    'dotted.key': 'd',
    containers: [
      { name: 'a', image: 'x' },
      { name: 'b', image: 'y' },
      { name: 'c', image: 'z' },
    ],
  },
  status: {
    conditions: [
      { type: 'Ready', status: 'True' },
      { type: 'Synced', status: 'False' },
    ],
    observed: 2,
  },
};

describe('compileJsonPath', () => {
  it('selects fields, indexes, wildcards, quoted keys and filters', () => {
    expect(compileJsonPath('.spec.replicas').find(obj)).toEqual([3]);
    expect(compileJsonPath('{.spec.containers[1].name}').find(obj)).toEqual(['b']);
    expect(compileJsonPath('$.spec.containers[*].image').find(obj)).toEqual(['x', 'y', 'z']);
    expect(compileJsonPath(".spec['dotted.key']").find(obj)).toEqual(['d']);
    expect(compileJsonPath('.status.conditions[?(@.type=="Ready")].status').find(obj)).toEqual(['True']);
    expect(compileJsonPath('.spec.containers[-1].name').find(obj)).toEqual(['c']);
    expect(compileJsonPath('.spec.missing.deeper').find(obj)).toEqual([]);
  });

  it('supports slices, existence filters and numeric comparisons', () => {
    expect(compileJsonPath('.spec.containers[0:2].name').find(obj)).toEqual(['a', 'b']);
    expect(compileJsonPath('.status.conditions[?(@.status)].type').find(obj)).toEqual(['Ready', 'Synced']);
    expect(compileJsonPath('.status.conditions[?(@.type!="Ready")].type').find(obj)).toEqual(['Synced']);
    expect(compileJsonPath('{.status[?(@.observed>1)]}').find({ status: [{ observed: 1 }, { observed: 2 }] })).toEqual([{ observed: 2 }]);
  });

  it('rejects an unclosed subscript', () => {
    expect(() => compileJsonPath('.spec.containers[0')).toThrow(/unclosed/);
  });
});

describe('evalJSONPath and jsonPathValue', () => {
  it('evaluate the paths custom resources use for columns and selectable fields', () => {
    expect(evalJSONPath(obj, '.spec.replicas')).toEqual([3]);
    expect(evalJSONPath(obj, ".metadata.labels['app.kubernetes.io/name']")).toEqual(['shop']);
    expect(evalJSONPath(obj, '.spec.containers[*].name')).toEqual(['a', 'b', 'c']);
    expect(jsonPathValue(obj, '{.status.conditions[0].type}')).toBe('Ready');
    expect(jsonPathValue(obj, '.spec.nothing')).toBeUndefined();
  });

  it('join several results with commas and stringify objects', () => {
    expect(jsonPathValue(obj, '.spec.containers[*].name')).toBe('a,b,c');
    expect(jsonPathValue({ a: [{ x: 1 }, 2] }, '.a[*]')).toBe('{"x":1},2');
  });
});
