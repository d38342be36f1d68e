import 'reflect-metadata';
import type { Node, Pod } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycle-state.js';
import type { NodeScore } from '../../framework/plugin.js';
import { Status } from '../../framework/status.js';
import { nodeChangeHint, podChangeHint } from './inter-pod-affinity-events.js';
import { InterPodAffinity } from './inter-pod-affinity.plugin.js';
import { node, nodeInfos, pod, TestSnapshot, testHandle } from './topology.fixture.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const sel = (labels: Record<string, string>) => ({ matchLabels: labels });
const weighted = (weight: number, labels: Record<string, string>, topologyKey: string) => ({
  weight,
  podAffinityTerm: { labelSelector: sel(labels), topologyKey },
});

const zoned = () => [
  node('n1', { labels: { [ZONE]: 'a' } }),
  node('n2', { labels: { [ZONE]: 'a' } }),
  node('n3', { labels: { [ZONE]: 'b' } }),
];

interface Case {
  name: string;
  pod: Pod;
  nodes: Node[];
  existing: Pod[];
  args?: object;
  /** Raw scores, or 'skip' when PreScore skips. */
  raw: Record<string, number> | 'skip';
  normalized?: Record<string, number>;
}

const cases: Case[] = [
  {
    name: 'preferred affinity by zone scores every node of the zone of a matching pod',
    pod: pod('p', {
      affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(10, { app: 'db' }, ZONE)] } } as never,
    }),
    nodes: zoned(),
    existing: [pod('db', { labels: { app: 'db' }, nodeName: 'n1' })],
    raw: { n1: 10, n2: 10, n3: 0 },
    normalized: { n1: 100, n2: 100, n3: 0 },
  },
  {
    name: 'preferred affinity and anti-affinity add up per node and are scaled min-max, truncated',
    pod: pod('p', {
      affinity: {
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(8, { app: 'db' }, ZONE)] },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(3, { app: 'web' }, HOST)] },
      } as never,
    }),
    nodes: zoned(),
    existing: [pod('db', { labels: { app: 'db' }, nodeName: 'n1' }), pod('w', { labels: { app: 'web' }, nodeName: 'n2' })],
    raw: { n1: 8, n2: 5, n3: 0 },
    normalized: { n1: 100, n2: 62, n3: 0 },
  },
  {
    name: 'negative raw scores are shifted so the lowest node scores 0',
    pod: pod('p', {
      affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(5, { app: 'web' }, HOST)] } } as never,
    }),
    nodes: zoned(),
    existing: [pod('w', { labels: { app: 'web' }, nodeName: 'n1' })],
    raw: { n1: -5, n2: 0, n3: 0 },
    normalized: { n1: 0, n2: 100, n3: 100 },
  },
  {
    name: "an existing pod's required affinity the incoming pod matches weighs hardPodAffinityWeight",
    pod: pod('p', { labels: { app: 'web' } }),
    nodes: zoned(),
    existing: [
      pod('c', {
        nodeName: 'n3',
        affinity: {
          podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel({ app: 'web' }), topologyKey: ZONE }] },
        } as never,
      }),
    ],
    args: { hardPodAffinityWeight: 7 },
    raw: { n1: 0, n2: 0, n3: 7 },
    normalized: { n1: 0, n2: 0, n3: 100 },
  },
  {
    name: 'hardPodAffinityWeight 0 ignores existing pods’ required affinity (PreScore skips)',
    pod: pod('p', { labels: { app: 'web' } }),
    nodes: zoned(),
    existing: [
      pod('c', {
        nodeName: 'n3',
        affinity: {
          podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel({ app: 'web' }), topologyKey: ZONE }] },
        } as never,
      }),
    ],
    args: { hardPodAffinityWeight: 0 },
    raw: 'skip',
  },
  {
    name: "existing pods' preferred anti-affinity lowers the nodes of their domain",
    pod: pod('p', { labels: { app: 'web' } }),
    nodes: zoned(),
    existing: [
      pod('c', {
        nodeName: 'n1',
        affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(20, { app: 'web' }, ZONE)] } } as never,
      }),
    ],
    raw: { n1: -20, n2: -20, n3: 0 },
    normalized: { n1: 0, n2: 0, n3: 100 },
  },
  {
    name: 'ignorePreferredTermsOfExistingPods skips scoring for a pod without preferred terms',
    pod: pod('p', { labels: { app: 'web' } }),
    nodes: zoned(),
    existing: [
      pod('c', {
        nodeName: 'n1',
        affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(20, { app: 'web' }, ZONE)] } } as never,
      }),
    ],
    args: { ignorePreferredTermsOfExistingPods: true },
    raw: 'skip',
  },
  {
    name: 'a pod without affinity among pods without affinity is not scored',
    pod: pod('p', { labels: { app: 'web' } }),
    nodes: zoned(),
    existing: [pod('w', { labels: { app: 'web' }, nodeName: 'n1' })],
    raw: 'skip',
  },
];

describe('InterPodAffinity Score', () => {
  for (const c of cases) {
    it(c.name, () => {
      const snapshot = new TestSnapshot(nodeInfos(c.nodes, c.existing));
      const plugin = new InterPodAffinity(testHandle(snapshot), c.args);
      const state = new CycleState();
      const pre = plugin.preScore(state, c.pod, snapshot.list());
      if (c.raw === 'skip') {
        expect(pre).toBe(Status.skip());
        return;
      }
      expect(pre).toBeUndefined();
      const scores: NodeScore[] = snapshot.list().map((ni) => ({ name: ni.name, score: plugin.score(state, c.pod, ni) }));
      expect(Object.fromEntries(scores.map((s) => [s.name, s.score]))).toEqual(c.raw);
      plugin.normalizeScore(state, c.pod, scores);
      expect(Object.fromEntries(scores.map((s) => [s.name, s.score]))).toEqual(c.normalized);
    });
  }

  it('rejects a hardPodAffinityWeight outside 0..100', () => {
    const snapshot = new TestSnapshot([]);
    expect(() => new InterPodAffinity(testHandle(snapshot), { hardPodAffinityWeight: 101 })).toThrow(/hardPodAffinityWeight/);
    expect(new InterPodAffinity(testHandle(snapshot)).args).toEqual({
      hardPodAffinityWeight: 1,
      ignorePreferredTermsOfExistingPods: false,
    });
  });
});

describe('InterPodAffinity queueing hints', () => {
  const target = pod('p', {
    labels: { app: 'web' },
    affinity: {
      podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel({ app: 'db' }), topologyKey: ZONE }] },
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel({ app: 'web' }), topologyKey: HOST }] },
    } as never,
  });

  it('re-queues when an assigned pod its affinity wants appears, not for unassigned or unrelated pods', () => {
    expect(podChangeHint(target, undefined, pod('db', { labels: { app: 'db' }, nodeName: 'n1' }))).toBe('Queue');
    expect(podChangeHint(target, undefined, pod('db', { labels: { app: 'db' } }))).toBe('Skip');
    expect(podChangeHint(target, undefined, pod('x', { labels: { app: 'x' }, nodeName: 'n1' }))).toBe('Skip');
  });

  it('re-queues when a pod its anti-affinity avoids is deleted or relabelled away', () => {
    const w = pod('w', { labels: { app: 'web' }, nodeName: 'n1' });
    expect(podChangeHint(target, w, undefined)).toBe('Queue');
    expect(podChangeHint(target, w, { ...w, metadata: { ...w.metadata, labels: { app: 'other' } } })).toBe('Queue');
    expect(podChangeHint(target, pod('x', { nodeName: 'n1' }), undefined)).toBe('Skip');
  });

  it('re-queues for a node carrying one of its topology keys', () => {
    expect(nodeChangeHint(target, undefined, node('n9', { labels: { [ZONE]: 'c' } }))).toBe('Queue');
    expect(
      nodeChangeHint(pod('q', { affinity: target.spec!.affinity as never }), undefined, {
        ...node('n9'),
        metadata: { name: 'n9', labels: {} },
      }),
    ).toBe('Skip');
  });
});
