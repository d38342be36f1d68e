import type { Pod } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { pod } from '../scheduler.fixture.js';
import { PodNominator } from './nominator.js';

const p = (nominated?: string): Pod => {
  const base = pod('p', { priority: 5 });
  return { ...base, metadata: { ...base.metadata, uid: 'u' }, ...(nominated ? { status: { nominatedNodeName: nominated } } : {}) } as Pod;
};

describe('PodNominator', () => {
  it('files pods under the node they are nominated to, from the status or from the scheduler', () => {
    const n = new PodNominator();
    n.add(p('a'));
    expect(n.nominatedPodsForNode('a').map((i) => i.pod.metadata.name)).toEqual(['p']);
    n.add(p(), 'b');
    expect(n.nominatedPodsForNode('a')).toEqual([]);
    expect(n.nominatedNodeOf(p())).toBe('b');
    expect(n.size).toBe(1);
  });

  it("keeps an in-memory nomination across updates that don't touch it, and drops one the update removes", () => {
    const n = new PodNominator();
    n.add(p(), 'b');
    n.update(p(), { ...p(), metadata: { ...p().metadata, labels: { x: 'y' } } } as Pod);
    expect(n.nominatedNodeOf(p())).toBe('b');
    n.update(p(), p('c'));
    expect(n.nominatedNodeOf(p())).toBe('c');
    n.update(p('c'), p());
    expect(n.nominatedNodeOf(p())).toBeUndefined();
  });

  it('forgets a pod once it is bound or deleted', () => {
    const n = new PodNominator();
    n.add(p('a'));
    n.add({ ...p('a'), spec: { ...p().spec!, nodeName: 'a' } } as Pod);
    expect(n.size).toBe(0);
    n.add(p('a'));
    expect(n.delete(p())).toBe(true);
    expect(n.nominatedPodsForNode('a')).toEqual([]);
  });
});
