import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../util/mutable.js';
import { freezeParsed, freezeParsedReusing } from './freeze-parsed.js';

const parse = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function isDeepFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if (!Object.isFrozen(v)) return false;
  return Object.values(v).every(isDeepFrozen);
}

const pod = {
  metadata: { name: 'a', namespace: 'ns', resourceVersion: '1', labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }] }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
};

describe('freezeParsed', () => {
  it('freezes every object and array of a parsed value', () => {
    const v = freezeParsed(parse(pod));
    expect(isDeepFrozen(v)).toBe(true);
    expect(v).toEqual(pod);
  });
});

describe('freezeParsedReusing', () => {
  it('reuses the parts equal to the previous version and freezes the rest', () => {
    const previous = deepFreeze(parse(pod));
    const next = parse({ ...pod, metadata: { ...pod.metadata, resourceVersion: '2' } });
    const v = freezeParsedReusing(next, previous);
    expect(v).toEqual({ ...pod, metadata: { ...pod.metadata, resourceVersion: '2' } });
    expect(isDeepFrozen(v)).toBe(true);
    expect(v).not.toBe(previous);
    expect(v.metadata).not.toBe(previous.metadata);
    expect(v.metadata.labels).toBe(previous.metadata.labels);
    expect(v.spec).toBe(previous.spec);
    expect(v.status).toBe(previous.status);
  });

  it('returns the previous version when the value equals it as a whole', () => {
    const previous = deepFreeze(parse(pod));
    expect(freezeParsedReusing(parse(pod), previous)).toBe(previous);
  });

  it('tells apart objects with extra or missing keys, and arrays of other lengths', () => {
    const previous = deepFreeze(parse(pod));
    const extra = freezeParsedReusing(parse({ ...pod, spec: { ...pod.spec, nodeName: 'n1' } }), previous);
    expect(extra.spec).not.toBe(previous.spec);
    expect(extra.spec.containers).toBe(previous.spec.containers);
    expect(extra).toEqual({ ...pod, spec: { ...pod.spec, nodeName: 'n1' } });

    const { labels: _l, ...bare } = pod.metadata;
    const fewer = freezeParsedReusing(parse({ ...pod, metadata: bare }), previous);
    expect(fewer.metadata).toEqual(bare);
    expect(fewer.metadata).not.toBe(previous.metadata);

    const conditions = [...pod.status.conditions, { type: 'PodScheduled', status: 'True' }];
    const longer = freezeParsedReusing(parse({ ...pod, status: { ...pod.status, conditions } }), previous);
    expect(longer.status.conditions).toEqual(conditions);
    expect(longer.status.conditions[0]).toBe(previous.status.conditions[0]);
    expect(isDeepFrozen(longer)).toBe(true);

    const shorter = freezeParsedReusing(parse({ ...pod, status: { ...pod.status, conditions: [] } }), previous);
    expect(shorter.status.conditions).toEqual([]);
    expect(Object.isFrozen(shorter.status.conditions)).toBe(true);
  });

  it('never reuses an array for an object, an object for an array, or anything that is not plain data', () => {
    const previous = deepFreeze({ a: { length: 0 }, b: [], c: new Map<string, string>(), d: Object.create(null) as object });
    const v = freezeParsedReusing(parse({ a: [], b: { length: 0 }, c: {}, d: {} }), previous);
    expect(Array.isArray(v.a)).toBe(true);
    expect(Array.isArray(v.b)).toBe(false);
    expect(v.c).not.toBe(previous.c);
    expect(Object.getPrototypeOf(v.c)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(v.d)).toBe(Object.prototype);
    expect(isDeepFrozen(v)).toBe(true);
  });

  it('keeps a parsed "__proto__" key as data, whatever the previous version holds', () => {
    const previous = deepFreeze(parse({ x: 1 }));
    const v = freezeParsedReusing(JSON.parse('{"x":1,"__proto__":{}}') as Record<string, unknown>, previous);
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['x', '__proto__']);
    expect(v).not.toBe(previous);
  });

  it('freezes the value alone when there is no usable previous version', () => {
    const v = freezeParsedReusing(parse(pod), undefined);
    expect(isDeepFrozen(v)).toBe(true);
    expect(v).toEqual(pod);
    expect(freezeParsedReusing(5, { a: 1 })).toBe(5);
  });
});
