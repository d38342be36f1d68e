import 'reflect-metadata';
import type { Node, Pod } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycle-state.js';
import { podInfoOf } from '../../framework/node-info.js';
import { filterAll, node, nodeInfos, pod, summarize, TestSnapshot, testHandle } from '../interpodaffinity/topology.fixture.js';
import { PodTopologySpread } from './pod-topology-spread.plugin.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const SKEW = "Unschedulable: node(s) didn't match pod topology spread constraints";
const MISSING = "UnschedulableAndUnresolvable: node(s) didn't match pod topology spread constraints (missing required label)";

type C = NonNullable<NonNullable<Pod['spec']>['topologySpreadConstraints']>[number];
const spread = (topologyKey: string, maxSkew: number, extra: Partial<C> = {}): C => ({
  topologyKey,
  maxSkew,
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: { matchLabels: { app: 'web' } },
  ...extra,
});
const web = (name: string, nodeName: string, extra: Parameters<typeof pod>[1] = {}) =>
  pod(name, { labels: { app: 'web' }, nodeName, ...extra });
const incoming = (constraints: C[], extra: Parameters<typeof pod>[1] = {}) =>
  pod('p', { labels: { app: 'web' }, topologySpreadConstraints: constraints, ...extra });

const fourNodes = (): Node[] => [
  node('n1', { labels: { [ZONE]: 'a' } }),
  node('n2', { labels: { [ZONE]: 'a' } }),
  node('n3', { labels: { [ZONE]: 'b' } }),
  node('n4', { labels: { [ZONE]: 'b' } }),
];

interface Case {
  name: string;
  pod: Pod;
  nodes?: Node[];
  existing?: Pod[];
  want: Record<string, string>;
}

const cases: Case[] = [
  {
    name: 'maxSkew 1 by zone rejects the zone that already has two more pods',
    pod: incoming([spread(ZONE, 1)]),
    existing: [web('w1', 'n1'), web('w2', 'n2')],
    want: { n1: SKEW, n2: SKEW, n3: 'ok', n4: 'ok' },
  },
  {
    name: 'maxSkew 2 by zone tolerates a difference of two',
    pod: incoming([spread(ZONE, 2)]),
    existing: [web('w1', 'n1')],
    want: { n1: 'ok', n2: 'ok', n3: 'ok', n4: 'ok' },
  },
  {
    name: 'maxSkew 1 by hostname rejects the node that has a pod while others have none',
    pod: incoming([spread(HOST, 1)]),
    existing: [web('w1', 'n1')],
    want: { n1: SKEW, n2: 'ok', n3: 'ok', n4: 'ok' },
  },
  {
    name: 'a node without the topology key is rejected as unresolvable',
    pod: incoming([spread(ZONE, 1)]),
    nodes: [...fourNodes(), node('n5')],
    want: { n1: 'ok', n2: 'ok', n3: 'ok', n4: 'ok', n5: MISSING },
  },
  {
    name: 'minDomains above the number of domains makes the global minimum 0',
    pod: incoming([spread(ZONE, 1, { minDomains: 3 })]),
    existing: [web('w1', 'n1'), web('w2', 'n3')],
    want: { n1: SKEW, n2: SKEW, n3: SKEW, n4: SKEW },
  },
  {
    name: 'minDomains met by the number of domains keeps the real minimum',
    pod: incoming([spread(ZONE, 1, { minDomains: 2 })]),
    existing: [web('w1', 'n1'), web('w2', 'n3')],
    want: { n1: 'ok', n2: 'ok', n3: 'ok', n4: 'ok' },
  },
  {
    name: 'a pod that does not match its own selector does not count itself',
    pod: incoming([spread(ZONE, 1)], { labels: { app: 'other' } }),
    existing: [web('w1', 'n1')],
    want: { n1: 'ok', n2: 'ok', n3: 'ok', n4: 'ok' },
  },
  {
    name: 'terminating pods and pods of other namespaces are not counted',
    pod: incoming([spread(ZONE, 1)]),
    existing: [web('w1', 'n1', { terminating: true }), web('w2', 'n2', { namespace: 'other' }), web('w3', 'n2', { namespace: 'other' })],
    want: { n1: 'ok', n2: 'ok', n3: 'ok', n4: 'ok' },
  },
  {
    name: "nodeAffinityPolicy Honor (default) only counts domains of nodes matching the pod's nodeSelector",
    pod: incoming([spread(ZONE, 1)], { nodeSelector: { [ZONE]: 'a' } }),
    existing: [web('w1', 'n1')],
    want: { n1: 'ok', n2: 'ok', n3: 'ok', n4: 'ok' },
  },
  {
    name: 'nodeAffinityPolicy Ignore counts every domain',
    pod: incoming([spread(ZONE, 1, { nodeAffinityPolicy: 'Ignore' })], { nodeSelector: { [ZONE]: 'a' } }),
    existing: [web('w1', 'n1')],
    want: { n1: SKEW, n2: SKEW, n3: 'ok', n4: 'ok' },
  },
  {
    name: 'required node affinity terms are honoured like nodeSelector',
    pod: incoming([spread(ZONE, 1)], {
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE, operator: 'NotIn', values: ['b'] }] }],
          },
        },
      } as never,
    }),
    existing: [web('w1', 'n1')],
    want: { n1: 'ok', n2: 'ok', n3: 'ok', n4: 'ok' },
  },
  {
    name: "nodeTaintsPolicy Honor leaves out domains of nodes with taints the pod doesn't tolerate",
    pod: incoming([spread(ZONE, 1, { nodeTaintsPolicy: 'Honor' })]),
    nodes: [
      node('n1', { labels: { [ZONE]: 'a' } }),
      node('n2', { labels: { [ZONE]: 'a' } }),
      node('n3', { labels: { [ZONE]: 'b' }, taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] }),
      node('n4', { labels: { [ZONE]: 'b' }, taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] }),
    ],
    existing: [web('w1', 'n1')],
    want: { n1: 'ok', n2: 'ok', n3: 'ok', n4: 'ok' },
  },
  {
    name: 'nodeTaintsPolicy Ignore (default) counts tainted nodes too',
    pod: incoming([spread(ZONE, 1)]),
    nodes: [
      node('n1', { labels: { [ZONE]: 'a' } }),
      node('n2', { labels: { [ZONE]: 'a' } }),
      node('n3', { labels: { [ZONE]: 'b' }, taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] }),
    ],
    existing: [web('w1', 'n1')],
    want: { n1: SKEW, n2: SKEW, n3: 'ok' },
  },
  {
    name: "matchLabelKeys only counts pods with the incoming pod's values",
    pod: incoming([spread(ZONE, 1, { matchLabelKeys: ['rev'] })], { labels: { app: 'web', rev: '2' } }),
    existing: [web('w1', 'n1', { labels: { app: 'web', rev: '1' } }), web('w2', 'n2', { labels: { app: 'web', rev: '1' } })],
    want: { n1: 'ok', n2: 'ok', n3: 'ok', n4: 'ok' },
  },
  {
    name: 'ScheduleAnyway constraints never filter',
    pod: incoming([spread(ZONE, 1, { whenUnsatisfiable: 'ScheduleAnyway' })]),
    existing: [web('w1', 'n1'), web('w2', 'n2'), web('w3', 'n2')],
    want: { n1: 'ok', n2: 'ok', n3: 'ok', n4: 'ok' },
  },
  {
    name: 'every constraint must hold (zone and hostname)',
    pod: incoming([spread(ZONE, 1), spread(HOST, 1)]),
    existing: [web('w1', 'n1'), web('w2', 'n3')],
    want: { n1: SKEW, n2: 'ok', n3: SKEW, n4: 'ok' },
  },
];

describe('PodTopologySpread Filter', () => {
  for (const c of cases) {
    it(c.name, () => {
      const snapshot = new TestSnapshot(nodeInfos(c.nodes ?? fourNodes(), c.existing));
      const plugin = new PodTopologySpread(testHandle(snapshot));
      expect(summarize(filterAll(plugin, c.pod, snapshot))).toEqual(c.want);
    });
  }

  it('spreads replicas over zones with maxSkew 1, placing each on the first feasible node', () => {
    const snapshot = new TestSnapshot(nodeInfos(fourNodes()));
    const plugin = new PodTopologySpread(testHandle(snapshot));
    const zones: string[] = [];
    for (let i = 0; i < 6; i++) {
      const replica = pod(`web-${i}`, { labels: { app: 'web' }, topologySpreadConstraints: [spread(ZONE, 1)] });
      const fit = [...filterAll(plugin, replica, snapshot)].find(([, s]) => s.isSuccess());
      expect(fit).toBeDefined();
      snapshot.bind(replica, fit![0]);
      zones.push(snapshot.get(fit![0])!.node!.metadata.labels![ZONE]!);
    }
    expect(zones).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
  });

  it('keeps its counts right when preemption removes and adds pods on a cloned state', () => {
    const victims = [web('w1', 'n1'), web('w2', 'n2')];
    const snapshot = new TestSnapshot(nodeInfos(fourNodes(), victims));
    const plugin = new PodTopologySpread(testHandle(snapshot));
    const p = incoming([spread(ZONE, 1)]);
    const state = new CycleState();
    expect(plugin.preFilter(state, p)).toBeUndefined();
    const [n1, n2, n3] = snapshot.list();
    expect(plugin.filter(state, p, n1!).code).toBe('Unschedulable');
    const dry = state.clone();
    plugin.removePod(dry, p, podInfoOf(victims[0]!), n1!);
    // Zone a still has one pod more than zone b: one more would make the skew 2.
    expect(plugin.filter(dry, p, n1!).code).toBe('Unschedulable');
    plugin.removePod(dry, p, podInfoOf(victims[1]!), n2!);
    expect(plugin.filter(dry, p, n1!).isSuccess()).toBe(true);
    plugin.addPod(dry, p, podInfoOf(web('w9', 'n3')), n3!);
    plugin.addPod(dry, p, podInfoOf(web('w8', 'n3')), n3!);
    expect(plugin.filter(dry, p, n3!).code).toBe('Unschedulable');
    expect(plugin.filter(dry, p, n2!).isSuccess()).toBe(true);
    // A pod of another namespace changes nothing.
    plugin.addPod(dry, p, podInfoOf(web('x', 'n2', { namespace: 'other' })), n2!);
    expect(plugin.filter(dry, p, n2!).isSuccess()).toBe(true);
    // The original state is untouched.
    expect(plugin.filter(state, p, n1!).code).toBe('Unschedulable');
  });
});

describe('PodTopologySpread queueing hints', () => {
  const plugin = new PodTopologySpread(testHandle(new TestSnapshot([])));
  const [podEvent, nodeEvent] = plugin.eventsToRegister();
  const target = incoming([spread(ZONE, 1)]);

  it('re-queues for assigned pods of its namespace that a constraint counts, not for others', () => {
    expect(podEvent!.event.resource).toBe('AssignedPod');
    expect(podEvent!.hint!(target, undefined, web('w', 'n1'))).toBe('Queue');
    expect(podEvent!.hint!(target, web('w', 'n1'), undefined)).toBe('Queue');
    expect(podEvent!.hint!(target, undefined, web('w', ''))).toBe('Skip');
    expect(podEvent!.hint!(target, undefined, web('w', 'n1', { namespace: 'other' }))).toBe('Skip');
    expect(podEvent!.hint!(target, undefined, pod('x', { labels: { app: 'x' }, nodeName: 'n1' }))).toBe('Skip');
  });

  it('re-queues when a relabelled pod starts or stops being counted', () => {
    const w = web('w', 'n1');
    const relabelled = { ...w, metadata: { ...w.metadata, labels: { app: 'other' } } } as Pod;
    expect(podEvent!.hint!(target, w, relabelled)).toBe('Queue');
    expect(podEvent!.hint!(target, w, { ...w, metadata: { ...w.metadata, labels: { app: 'web', extra: '1' } } } as Pod)).toBe('Skip');
  });

  it('re-queues for nodes carrying every topology key of its constraints', () => {
    expect(nodeEvent!.hint!(target, undefined, node('n9', { labels: { [ZONE]: 'c' } }))).toBe('Queue');
    expect(nodeEvent!.hint!(target, undefined, node('n9'))).toBe('Skip');
    expect(nodeEvent!.hint!(target, node('n9', { labels: { [ZONE]: 'c' } }), undefined)).toBe('Queue');
  });
});
