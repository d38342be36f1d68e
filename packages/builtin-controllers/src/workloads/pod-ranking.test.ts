import type { Pod } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { compareForDeletion, POD_DELETION_COST_ANNOTATION, podsToDelete } from './pod-ranking.js';

interface Shape {
  node?: string;
  phase?: string;
  ready?: boolean;
  readySince?: string;
  restarts?: number;
  created?: string;
  cost?: number;
}

const pod = (name: string, s: Shape): Pod =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      ...(s.created ? { creationTimestamp: s.created } : {}),
      ...(s.cost !== undefined ? { annotations: { [POD_DELETION_COST_ANNOTATION]: String(s.cost) } } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'i' }], ...(s.node ? { nodeName: s.node } : {}) },
    status: {
      ...(s.phase ? { phase: s.phase } : {}),
      conditions: [{ type: 'Ready', status: s.ready ? 'True' : 'False', ...(s.readySince ? { lastTransitionTime: s.readySince } : {}) }],
      containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: !!s.ready, restartCount: s.restarts ?? 0 }],
    },
  }) as Pod;

const T1 = '2026-01-01T00:00:00Z';
const T2 = '2026-01-01T01:00:00Z';

describe('compareForDeletion', () => {
  it.each<[string, Shape, Shape]>([
    ['an unassigned pod before an assigned one', { phase: 'Pending' }, { node: 'n', phase: 'Pending' }],
    ['a pending pod before an unknown one', { node: 'n', phase: 'Pending' }, { node: 'n', phase: 'Unknown' }],
    ['an unknown pod before a running one', { node: 'n', phase: 'Unknown' }, { node: 'n', phase: 'Running' }],
    ['a pod that is not ready before a ready one', { node: 'n', phase: 'Running' }, { node: 'n', phase: 'Running', ready: true }],
    [
      'a lower deletion cost before a higher one',
      { node: 'n', phase: 'Running', ready: true, cost: -5 },
      { node: 'n', phase: 'Running', ready: true, cost: 10 },
    ],
    [
      'a pod ready for less time before one ready for longer',
      { node: 'n', phase: 'Running', ready: true, readySince: T2 },
      { node: 'n', phase: 'Running', ready: true, readySince: T1 },
    ],
    ['more restarts before fewer', { node: 'n', phase: 'Running', restarts: 4 }, { node: 'n', phase: 'Running', restarts: 1 }],
    ['a newer pod before an older one', { node: 'n', phase: 'Running', created: T2 }, { node: 'n', phase: 'Running', created: T1 }],
    ['a pod without a creation time before a dated one', { node: 'n', phase: 'Running' }, { node: 'n', phase: 'Running', created: T1 }],
    [
      'an unassigned pod before an assigned one, whatever else',
      { phase: 'Running', ready: true, created: T1 },
      { node: 'n', phase: 'Pending', created: T2, restarts: 9 },
    ],
  ])('deletes %s', (_name, first, second) => {
    expect(compareForDeletion(pod('a', first), pod('b', second))).toBeLessThan(0);
    expect(compareForDeletion(pod('b', second), pod('a', first))).toBeGreaterThan(0);
  });

  it('deletes pods from crowded nodes first when they are otherwise alike', () => {
    const pods = [
      pod('lonely', { node: 'n1', phase: 'Running', ready: true, created: T1 }),
      pod('crowd-1', { node: 'n2', phase: 'Running', ready: true, created: T1 }),
      pod('crowd-2', { node: 'n2', phase: 'Running', ready: true, created: T1 }),
    ];
    expect(podsToDelete(pods, 2).map((p) => p.metadata.name)).toEqual(['crowd-1', 'crowd-2']);
  });

  it('picks no pods for a count of zero', () => {
    expect(podsToDelete([pod('a', {})], 0)).toEqual([]);
  });
});
