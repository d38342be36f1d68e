import 'reflect-metadata';
import type { Namespace, Node, Pod } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { CycleState } from '../../framework/cycle-state.js';
import { podInfoOf } from '../../framework/node-info.js';
import { Status } from '../../framework/status.js';
import { InterPodAffinity } from './inter-pod-affinity.plugin.js';
import { filterAll, node, nodeInfos, pod, summarize, TestSnapshot, testHandle } from './topology.fixture.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const AFF = "UnschedulableAndUnresolvable: node(s) didn't match pod affinity rules";
const ANTI = "Unschedulable: node(s) didn't match pod anti-affinity rules";
const EXISTING = "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules";

type Term = { labelSelector?: object; topologyKey: string; namespaces?: string[]; namespaceSelector?: object; matchLabelKeys?: string[] };
const affinity = (...terms: Term[]) => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } }) as never;
const antiAffinity = (...terms: Term[]) => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } }) as never;
const sel = (labels: Record<string, string>) => ({ matchLabels: labels });

const zoned = () => [
  node('n1', { labels: { [ZONE]: 'a' } }),
  node('n2', { labels: { [ZONE]: 'a' } }),
  node('n3', { labels: { [ZONE]: 'b' } }),
];

interface Case {
  name: string;
  pod: Pod;
  nodes: Node[];
  existing?: Pod[];
  objects?: Namespace[];
  want: Record<string, string>;
}

const cases: Case[] = [
  {
    name: 'a pod without affinity fits every node when no existing pod has anti-affinity',
    pod: pod('p', { labels: { app: 'web' } }),
    nodes: zoned(),
    existing: [pod('db', { labels: { app: 'db' }, nodeName: 'n1' })],
    want: { n1: 'ok', n2: 'ok', n3: 'ok' },
  },
  {
    name: 'required affinity by hostname allows only the node with a matching pod',
    pod: pod('p', { affinity: affinity({ labelSelector: sel({ app: 'db' }), topologyKey: HOST }) }),
    nodes: zoned(),
    existing: [pod('db', { labels: { app: 'db' }, nodeName: 'n1' })],
    want: { n1: 'ok', n2: AFF, n3: AFF },
  },
  {
    name: 'required affinity by zone allows every node of the zone, and no node missing the topology label',
    pod: pod('p', { affinity: affinity({ labelSelector: sel({ app: 'db' }), topologyKey: ZONE }) }),
    nodes: [...zoned(), node('n4')],
    existing: [pod('db', { labels: { app: 'db' }, nodeName: 'n1' })],
    want: { n1: 'ok', n2: 'ok', n3: AFF, n4: AFF },
  },
  {
    name: 'the first pod of a group with affinity to itself fits any node that has the topology key',
    pod: pod('p', { labels: { app: 'web' }, affinity: affinity({ labelSelector: sel({ app: 'web' }), topologyKey: ZONE }) }),
    nodes: [...zoned(), node('n4')],
    want: { n1: 'ok', n2: 'ok', n3: 'ok', n4: AFF },
  },
  {
    name: 'a pod with affinity that does not match itself stays pending while no pod matches',
    pod: pod('p', { labels: { app: 'web' }, affinity: affinity({ labelSelector: sel({ app: 'db' }), topologyKey: ZONE }) }),
    nodes: zoned(),
    want: { n1: AFF, n2: AFF, n3: AFF },
  },
  {
    name: 'once a group exists, a self-affine pod must join its domain',
    pod: pod('p', { labels: { app: 'web' }, affinity: affinity({ labelSelector: sel({ app: 'web' }), topologyKey: ZONE }) }),
    nodes: zoned(),
    existing: [pod('w1', { labels: { app: 'web' }, nodeName: 'n3' })],
    want: { n1: AFF, n2: AFF, n3: 'ok' },
  },
  {
    name: 'required anti-affinity by hostname rejects the node with a matching pod as Unschedulable',
    pod: pod('p', { labels: { app: 'web' }, affinity: antiAffinity({ labelSelector: sel({ app: 'web' }), topologyKey: HOST }) }),
    nodes: zoned(),
    existing: [pod('w1', { labels: { app: 'web' }, nodeName: 'n1' })],
    want: { n1: ANTI, n2: 'ok', n3: 'ok' },
  },
  {
    name: "an existing pod's required anti-affinity by zone rejects every node of its zone",
    pod: pod('p', { labels: { app: 'web' } }),
    nodes: zoned(),
    existing: [
      pod('db', {
        labels: { app: 'db' },
        nodeName: 'n1',
        affinity: antiAffinity({ labelSelector: sel({ app: 'web' }), topologyKey: ZONE }),
      }),
    ],
    want: { n1: EXISTING, n2: EXISTING, n3: 'ok' },
  },
  {
    name: "an existing pod's anti-affinity only applies to pods of its own namespace by default",
    pod: pod('p', { namespace: 'other', labels: { app: 'web' } }),
    nodes: zoned(),
    existing: [
      pod('db', {
        labels: { app: 'db' },
        nodeName: 'n1',
        affinity: antiAffinity({ labelSelector: sel({ app: 'web' }), topologyKey: ZONE }),
      }),
    ],
    want: { n1: 'ok', n2: 'ok', n3: 'ok' },
  },
  {
    name: 'terms with namespaces only count pods of those namespaces',
    pod: pod('p', { affinity: affinity({ labelSelector: sel({ app: 'db' }), topologyKey: HOST, namespaces: ['other'] }) }),
    nodes: zoned(),
    existing: [
      pod('db1', { labels: { app: 'db' }, nodeName: 'n1' }),
      pod('db2', { namespace: 'other', labels: { app: 'db' }, nodeName: 'n2' }),
    ],
    want: { n1: AFF, n2: 'ok', n3: AFF },
  },
  {
    name: 'an empty namespace selector counts pods of every namespace',
    pod: pod('p', { affinity: affinity({ labelSelector: sel({ app: 'db' }), topologyKey: HOST, namespaceSelector: {} }) }),
    nodes: zoned(),
    existing: [pod('db2', { namespace: 'other', labels: { app: 'db' }, nodeName: 'n2' })],
    want: { n1: AFF, n2: 'ok', n3: AFF },
  },
  {
    name: 'a nil label selector matches no pod',
    pod: pod('p', { affinity: antiAffinity({ topologyKey: HOST }) }),
    nodes: zoned(),
    existing: [pod('w1', { labels: { app: 'web' }, nodeName: 'n1' })],
    want: { n1: 'ok', n2: 'ok', n3: 'ok' },
  },
  {
    name: "matchLabelKeys restricts anti-affinity to pods with the incoming pod's value",
    pod: pod('p', {
      labels: { app: 'web', version: 'v2' },
      affinity: antiAffinity({ labelSelector: sel({ app: 'web' }), topologyKey: HOST, matchLabelKeys: ['version'] }),
    }),
    nodes: zoned(),
    existing: [
      pod('w1', { labels: { app: 'web', version: 'v1' }, nodeName: 'n1' }),
      pod('w2', { labels: { app: 'web', version: 'v2' }, nodeName: 'n2' }),
    ],
    want: { n1: 'ok', n2: ANTI, n3: 'ok' },
  },
  {
    name: 'affinity is checked before anti-affinity, and both before existing pods',
    pod: pod('p', {
      labels: { app: 'web' },
      affinity: {
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel({ app: 'db' }), topologyKey: ZONE }] },
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel({ app: 'web' }), topologyKey: HOST }] },
      } as never,
    }),
    nodes: zoned(),
    existing: [
      pod('db', { labels: { app: 'db' }, nodeName: 'n1' }),
      pod('w1', { labels: { app: 'web' }, nodeName: 'n1' }),
      pod('c', {
        labels: { app: 'cache' },
        nodeName: 'n2',
        affinity: antiAffinity({ labelSelector: sel({ app: 'web' }), topologyKey: HOST }),
      }),
    ],
    want: { n1: ANTI, n2: EXISTING, n3: AFF },
  },
];

describe('InterPodAffinity Filter', () => {
  for (const c of cases) {
    it(c.name, () => {
      const snapshot = new TestSnapshot(nodeInfos(c.nodes, c.existing));
      const plugin = new InterPodAffinity(testHandle(snapshot));
      expect(summarize(filterAll(plugin, c.pod, snapshot))).toEqual(c.want);
    });
  }

  it('anti-affinity spreads three replicas over three nodes and leaves the fourth pending', () => {
    const snapshot = new TestSnapshot(nodeInfos(zoned()));
    const plugin = new InterPodAffinity(testHandle(snapshot));
    const placed: string[] = [];
    for (let i = 0; i < 4; i++) {
      const replica = pod(`web-${i}`, {
        labels: { app: 'web' },
        affinity: antiAffinity({ labelSelector: sel({ app: 'web' }), topologyKey: HOST }),
      });
      const statuses = filterAll(plugin, replica, snapshot);
      const fit = [...statuses].find(([, s]) => s.isSuccess());
      if (!fit) {
        expect(summarize(statuses)).toEqual({ n1: ANTI, n2: ANTI, n3: ANTI });
        continue;
      }
      placed.push(fit[0]);
      snapshot.bind(replica, fit[0]);
    }
    expect(placed.sort()).toEqual(['n1', 'n2', 'n3']);
  });

  it('reads namespace labels for namespace selectors once the Namespace cache has synced', async () => {
    const snapshot = new TestSnapshot(
      nodeInfos(zoned(), [
        pod('db', { namespace: 'team-a', labels: { app: 'db' }, nodeName: 'n2' }),
        pod('db', { namespace: 'team-b', labels: { app: 'db' }, nodeName: 'n3' }),
      ]),
    );
    const ns = (name: string, team: string): Namespace =>
      ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { team } } }) as Namespace;
    const plugin = new InterPodAffinity(testHandle(snapshot, [ns('team-a', 'a'), ns('team-b', 'b')]));
    const p = pod('p', {
      affinity: affinity({ labelSelector: sel({ app: 'db' }), topologyKey: HOST, namespaceSelector: sel({ team: 'a' }) }),
    });
    const first = plugin.preFilter(new CycleState(), p);
    expect(first instanceof Status && first.code).toBe('Error');
    await plugin.listers.waitForSync();
    expect(summarize(filterAll(plugin, p, snapshot))).toEqual({ n1: AFF, n2: 'ok', n3: AFF });
    plugin.listers.stop();
  });

  it("matches existing pods' namespace selectors against the incoming pod's namespace labels", async () => {
    const existing = pod('db', {
      labels: { app: 'db' },
      nodeName: 'n1',
      affinity: antiAffinity({ labelSelector: sel({ app: 'web' }), topologyKey: ZONE, namespaceSelector: sel({ team: 'a' }) }),
    });
    const snapshot = new TestSnapshot(nodeInfos(zoned(), [existing]));
    const ns = (name: string, team: string): Namespace =>
      ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { team } } }) as Namespace;
    const plugin = new InterPodAffinity(testHandle(snapshot, [ns('team-a', 'a'), ns('team-b', 'b')]));
    plugin.listers.informer((await import('@converge/core')).Namespaces);
    await plugin.listers.waitForSync();
    expect(summarize(filterAll(plugin, pod('p', { namespace: 'team-a', labels: { app: 'web' } }), snapshot))).toEqual({
      n1: EXISTING,
      n2: EXISTING,
      n3: 'ok',
    });
    expect(summarize(filterAll(plugin, pod('p', { namespace: 'team-b', labels: { app: 'web' } }), snapshot))).toEqual({
      n1: 'ok',
      n2: 'ok',
      n3: 'ok',
    });
    plugin.listers.stop();
  });

  it('keeps its counts right when preemption removes and adds pods on a cloned state', () => {
    const blocker = pod('w1', { labels: { app: 'web' }, nodeName: 'n1' });
    const guard = pod('g', {
      labels: { app: 'guard' },
      nodeName: 'n2',
      affinity: antiAffinity({ labelSelector: sel({ app: 'web' }), topologyKey: HOST }),
    });
    const snapshot = new TestSnapshot(nodeInfos(zoned(), [blocker, guard]));
    const plugin = new InterPodAffinity(testHandle(snapshot));
    const p = pod('p', { labels: { app: 'web' }, affinity: antiAffinity({ labelSelector: sel({ app: 'web' }), topologyKey: HOST }) });
    const state = new CycleState();
    expect(plugin.preFilter(state, p)).toBeUndefined();
    const [n1, n2, n3] = snapshot.list();
    expect(plugin.filter(state, p, n1!).code).toBe('Unschedulable');
    expect(plugin.filter(state, p, n2!).reasons).toEqual(["node(s) didn't satisfy existing pods anti-affinity rules"]);

    const dry = state.clone();
    plugin.removePod(dry, p, podInfoOf(blocker), n1!);
    plugin.removePod(dry, p, podInfoOf(guard), n2!);
    expect(plugin.filter(dry, p, n1!).isSuccess()).toBe(true);
    expect(plugin.filter(dry, p, n2!).isSuccess()).toBe(true);
    plugin.addPod(dry, p, podInfoOf(pod('w9', { labels: { app: 'web' }, nodeName: 'n3' })), n3!);
    expect(plugin.filter(dry, p, n3!).code).toBe('Unschedulable');
    // The original state is untouched.
    expect(plugin.filter(state, p, n1!).code).toBe('Unschedulable');
    expect(plugin.filter(state, p, n3!).isSuccess()).toBe(true);
  });
});
