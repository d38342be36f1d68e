import 'reflect-metadata';
import type { KubeObject, Node, Pod } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycle-state.js';
import type { NodeScore } from '../../framework/plugin.js';
import { Status } from '../../framework/status.js';
import { node, nodeInfos, pod, TestSnapshot, testHandle } from '../interpodaffinity/topology.fixture.js';
import { PodTopologySpread } from './pod-topology-spread.plugin.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';

type C = NonNullable<NonNullable<Pod['spec']>['topologySpreadConstraints']>[number];
const soft = (topologyKey: string, maxSkew: number): C => ({
  topologyKey,
  maxSkew,
  whenUnsatisfiable: 'ScheduleAnyway',
  labelSelector: { matchLabels: { app: 'web' } },
});
const web = (name: string, nodeName: string) => pod(name, { labels: { app: 'web' }, nodeName });
const fourNodes = (): Node[] => [
  node('n1', { labels: { [ZONE]: 'a' } }),
  node('n2', { labels: { [ZONE]: 'a' } }),
  node('n3', { labels: { [ZONE]: 'b' } }),
  node('n4', { labels: { [ZONE]: 'b' } }),
];

function run(plugin: PodTopologySpread, snapshot: TestSnapshot, p: Pod) {
  const state = new CycleState();
  const pre = plugin.preScore(state, p, snapshot.list());
  if (pre) return { pre };
  const scores: NodeScore[] = snapshot.list().map((ni) => ({ name: ni.name, score: plugin.score(state, p, ni) }));
  const raw = Object.fromEntries(scores.map((s) => [s.name, s.score]));
  plugin.normalizeScore(state, p, scores);
  return { raw, normalized: Object.fromEntries(scores.map((s) => [s.name, s.score])) };
}

interface Case {
  name: string;
  pod: Pod;
  nodes?: Node[];
  existing: Pod[];
  raw: Record<string, number>;
  normalized: Record<string, number>;
}

const cases: Case[] = [
  {
    name: 'by zone: count × log(2 domains + 2), the emptier zone scores 100',
    pod: pod('p', { labels: { app: 'web' }, topologySpreadConstraints: [soft(ZONE, 1)] }),
    existing: [web('w1', 'n1'), web('w2', 'n2')],
    // zone a: 2 × ln 4 = 2.77 → 3
    raw: { n1: 3, n2: 3, n3: 0, n4: 0 },
    normalized: { n1: 0, n2: 0, n3: 100, n4: 100 },
  },
  {
    name: 'by hostname: per-node counts weighted by log(feasible nodes + 2), plus maxSkew - 1',
    pod: pod('p', { labels: { app: 'web' }, topologySpreadConstraints: [soft(HOST, 2)] }),
    existing: [web('w1', 'n1'), web('w2', 'n1'), web('w3', 'n2')],
    // ln 6 = 1.79: n1 2×1.79+1 = 4.58 → 5, n2 2.79 → 3, others 1; normalised 100 × (max + min - s) / max.
    raw: { n1: 5, n2: 3, n3: 1, n4: 1 },
    normalized: { n1: 20, n2: 60, n3: 100, n4: 100 },
  },
  {
    name: 'nodes missing a topology key are ignored and score 0',
    pod: pod('p', { labels: { app: 'web' }, topologySpreadConstraints: [soft(ZONE, 1)] }),
    nodes: [...fourNodes(), node('n5')],
    existing: [web('w1', 'n1')],
    // ln 4 = 1.39 → 1 for zone a.
    raw: { n1: 1, n2: 1, n3: 0, n4: 0, n5: 0 },
    normalized: { n1: 0, n2: 0, n3: 100, n4: 100, n5: 0 },
  },
  {
    name: 'when no node has a matching pod every node scores 100',
    pod: pod('p', { labels: { app: 'web' }, topologySpreadConstraints: [soft(ZONE, 1)] }),
    existing: [pod('x', { labels: { app: 'other' }, nodeName: 'n1' })],
    raw: { n1: 0, n2: 0, n3: 0, n4: 0 },
    normalized: { n1: 100, n2: 100, n3: 100, n4: 100 },
  },
];

describe('PodTopologySpread Score', () => {
  for (const c of cases) {
    it(c.name, () => {
      const snapshot = new TestSnapshot(nodeInfos(c.nodes ?? fourNodes(), c.existing));
      const plugin = new PodTopologySpread(testHandle(snapshot));
      const { raw, normalized } = run(plugin, snapshot, c.pod);
      expect(raw).toEqual(c.raw);
      expect(normalized).toEqual(c.normalized);
    });
  }

  it('skips a pod with only DoNotSchedule constraints', () => {
    const snapshot = new TestSnapshot(nodeInfos(fourNodes()));
    const plugin = new PodTopologySpread(testHandle(snapshot));
    const p = pod('p', { labels: { app: 'web' }, topologySpreadConstraints: [{ ...soft(ZONE, 1), whenUnsatisfiable: 'DoNotSchedule' }] });
    expect(run(plugin, snapshot, p).pre).toBe(Status.skip());
  });
});

describe('PodTopologySpread default constraints', () => {
  const rs = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-rs', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    },
  } as KubeObject;
  const owned = (name: string, nodeName?: string) =>
    pod(name, {
      labels: { app: 'web' },
      ...(nodeName ? { nodeName } : {}),
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-rs', uid: 'rs-uid', controller: true }],
    });

  it('spreads pods of a ReplicaSet by hostname (maxSkew 3) and zone (maxSkew 5) once the caches synced', async () => {
    const snapshot = new TestSnapshot(nodeInfos(fourNodes(), [owned('w1', 'n1'), owned('w2', 'n1')]));
    const plugin = new PodTopologySpread(testHandle(snapshot, [rs]));
    const p = owned('p');
    // Before the ReplicaSet cache synced the pod has no default constraints.
    expect(run(plugin, snapshot, p).pre).toBe(Status.skip());
    await plugin.listers.waitForSync();
    const { raw, normalized } = run(plugin, snapshot, p);
    // n1: host 2×ln6+2 + zone 2×ln4+4 = 12.36 → 12; n2: 2 + 6.77 → 9; zone b: 2 + 4 = 6.
    expect(raw).toEqual({ n1: 12, n2: 9, n3: 6, n4: 6 });
    expect(normalized).toEqual({ n1: 50, n2: 75, n3: 100, n4: 100 });
    plugin.listers.stop();
  });

  it('takes the selector of the Services selecting the pod', async () => {
    const svc = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    };
    const snapshot = new TestSnapshot(nodeInfos(fourNodes(), [web('w1', 'n3')]));
    const plugin = new PodTopologySpread(testHandle(snapshot, [svc as KubeObject]));
    run(plugin, snapshot, web('p', ''));
    await plugin.listers.waitForSync();
    const { normalized } = run(plugin, snapshot, pod('p', { labels: { app: 'web' } }));
    expect(normalized!['n3']).toBeLessThan(normalized!['n1']!);
    expect(normalized!['n1']).toBe(100);
    plugin.listers.stop();
  });

  it('gives a pod selected by nothing no default constraints', async () => {
    const snapshot = new TestSnapshot(nodeInfos(fourNodes(), [web('w1', 'n3')]));
    const plugin = new PodTopologySpread(testHandle(snapshot));
    run(plugin, snapshot, web('p', ''));
    await plugin.listers.waitForSync();
    expect(run(plugin, snapshot, pod('p', { labels: { app: 'web' } })).pre).toBe(Status.skip());
    plugin.listers.stop();
  });

  it('validates its arguments as Kubernetes does', () => {
    const snapshot = new TestSnapshot([]);
    expect(
      () =>
        new PodTopologySpread(testHandle(snapshot), {
          defaultConstraints: [{ topologyKey: ZONE, maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' }],
        }),
    ).toThrow(/must be empty/);
    expect(() => new PodTopologySpread(testHandle(snapshot), { defaultingType: 'List', defaultConstraints: [soft(ZONE, 1)] })).toThrow(
      /selector/,
    );
    expect(
      () =>
        new PodTopologySpread(testHandle(snapshot), {
          defaultingType: 'List',
          defaultConstraints: [{ topologyKey: ZONE, maxSkew: 0, whenUnsatisfiable: 'DoNotSchedule' }],
        }),
    ).toThrow(/maxSkew/);
    expect(new PodTopologySpread(testHandle(snapshot)).args).toEqual({ defaultConstraints: [], defaultingType: 'System' });
  });

  it('applies List default constraints with DoNotSchedule in Filter', async () => {
    const snapshot = new TestSnapshot(nodeInfos(fourNodes(), [owned('w1', 'n1'), owned('w2', 'n2')]));
    const plugin = new PodTopologySpread(testHandle(snapshot, [rs]), {
      defaultingType: 'List',
      defaultConstraints: [{ topologyKey: ZONE, maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' }],
    });
    plugin.preFilter(new CycleState(), owned('p'));
    await plugin.listers.waitForSync();
    const state = new CycleState();
    expect(plugin.preFilter(state, owned('p'))).toBeUndefined();
    const [n1, , n3] = snapshot.list();
    expect(plugin.filter(state, owned('p'), n1!).code).toBe('Unschedulable');
    expect(plugin.filter(state, owned('p'), n3!).isSuccess()).toBe(true);
    plugin.listers.stop();
  });
});
