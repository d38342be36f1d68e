import type { Pod } from '@converge/core';
import { VirtualClock } from '@converge/core/runtime';
import { seededRandom } from '@converge/testing';
import { describe, expect, it } from 'vitest';
import { NodeSnapshot } from '../../cache/node-snapshot.js';
import { SchedulerCache } from '../../cache/scheduler-cache.js';
import { NodeInfo } from '../../framework/node-info.js';
import { AffinityIndexes } from './affinity-indexes.js';
import { affinityTermsOf, NO_NAMESPACE_LABELS } from './affinity-term.js';
import { existingAntiAffinityCounts, incomingAffinityCounts } from './inter-pod-affinity-filtering.js';
import { topologyScores } from './inter-pod-affinity-scoring.js';
import type { TopologyCounts } from './topology-counts.js';
import { node, pod } from './topology.fixture.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';

/** Every (key, value, count) of a TopologyCounts, sorted. */
function entries(c: TopologyCounts, keys: string[], values: string[]): string[] {
  const out: string[] = [];
  for (const k of keys) for (const v of values) if (c.get(k, v) !== 0) out.push(`${k}=${v}:${c.get(k, v)}`);
  return out.sort();
}

/** A generator of random pods with random affinity terms. */
function randomPods(seed: number): {
  rnd: () => number;
  pick: <T>(xs: readonly T[]) => T;
  randomPod: (i: number, nodeName: string) => Pod;
} {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const apps = ['a', 'b', 'c', 'd'];
  const namespaces = ['default', 'other'];
  const selectors = [
    () => ({ matchLabels: { app: pick(apps) } }),
    () => ({ matchExpressions: [{ key: 'app', operator: 'In', values: [pick(apps), pick(apps)] }] }),
    () => ({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }),
    () => ({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: [pick(apps)] }] }),
    () => ({ matchLabels: { app: pick(apps) }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] }),
  ];
  const term = () => ({ labelSelector: pick(selectors)(), topologyKey: pick([ZONE, HOST]) });
  const randomPod = (i: number, nodeName: string): Pod => {
    const r = rnd();
    const affinity =
      r < 0.3
        ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term()] } }
        : r < 0.5
          ? {
              podAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [term()],
                preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1 + Math.floor(rnd() * 10), podAffinityTerm: term() }],
              },
              podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term() }] },
            }
          : undefined;
    return pod(`p${i}`, {
      namespace: pick(namespaces),
      labels: rnd() < 0.1 ? {} : { app: pick(apps), ...(rnd() < 0.5 ? { tier: 'fe' } : {}) },
      nodeName,
      ...(affinity ? { affinity: affinity as never } : {}),
    });
  };
  return { rnd, pick, randomPod };
}

describe('AffinityIndexes', () => {
  it('follows a scheduler snapshot through its changes and gives the same counts and scores as evaluating every pod', () => {
    const { rnd, pick, randomPod } = randomPods(11);
    const cache = new SchedulerCache({ clock: new VirtualClock() });
    const snapshot = new NodeSnapshot();
    const nodeNames = Array.from({ length: 14 }, (_, i) => `n${i}`);
    for (let i = 0; i < 12; i++) cache.addNode(node(nodeNames[i]!, { labels: { [ZONE]: `z${i % 3}` } }));
    let next = 0;
    const bound: Pod[] = [];
    for (let i = 0; i < 60; i++) {
      const p = randomPod(next++, nodeNames[i % 12]!);
      cache.addPod(p);
      bound.push(p);
    }
    const indexes = new AffinityIndexes();
    const keys = [ZONE, HOST];
    const values = [...nodeNames, 'z0', 'z1', 'z2', 'z9'];
    for (let round = 0; round < 30; round++) {
      cache.updateSnapshot(snapshot);
      const infos = snapshot.list();
      const withAnti = snapshot.havePodsWithRequiredAntiAffinity();
      const withAff = snapshot.havePodsWithAffinity();
      const incoming = randomPod(1000 + round, '');
      const terms = affinityTermsOf(incoming);
      expect(
        entries(indexes.existingAntiAffinityCounts(incoming, NO_NAMESPACE_LABELS, { snapshot, nodes: withAnti }), keys, values),
      ).toEqual(entries(existingAntiAffinityCounts(incoming, NO_NAMESPACE_LABELS, withAnti), keys, values));
      const a = indexes.incomingAffinityCounts(terms.requiredAffinity, terms.requiredAntiAffinity, { snapshot, nodes: infos });
      const b = incomingAffinityCounts(terms.requiredAffinity, terms.requiredAntiAffinity, infos);
      expect(entries(a.affinity, keys, values)).toEqual(entries(b.affinity, keys, values));
      expect(entries(a.antiAffinity, keys, values)).toEqual(entries(b.antiAffinity, keys, values));
      const input = {
        pod: incoming,
        preferredAffinity: terms.preferredAffinity,
        preferredAntiAffinity: terms.preferredAntiAffinity,
        nsLabels: NO_NAMESPACE_LABELS,
        hardPodAffinityWeight: 3,
        hasConstraints: terms.preferredAffinity.length + terms.preferredAntiAffinity.length > 0,
      };
      expect(
        entries(
          indexes.topologyScores(input, input.hasConstraints ? { snapshot, nodes: infos } : [], { snapshot, nodes: withAff }),
          keys,
          values,
        ),
      ).toEqual(entries(topologyScores(input, input.hasConstraints ? infos : withAff), keys, values));

      // Change the cluster through the cache: bind pods, delete one, relabel a node's zone, remove and add nodes.
      for (let k = 0; k < 2; k++) {
        const p = randomPod(next++, pick(nodeNames.slice(0, 12)));
        cache.addPod(p);
        bound.push(p);
      }
      const gone = bound.splice(Math.floor(rnd() * bound.length), 1)[0];
      if (gone) cache.removePod(gone);
      const relabel = pick(nodeNames.slice(0, 12));
      cache.updateNode(node(relabel), node(relabel, { labels: { [ZONE]: pick(['z0', 'z1', 'z9']) } }));
      if (round === 8) cache.removeNode(node('n3'));
      if (round === 12) cache.addNode(node('n12', { labels: { [ZONE]: 'z2' } }));
      if (round === 20) cache.addNode(node('n3', { labels: { [ZONE]: 'z0' } }));
    }
  });

  it('gives the same counts and scores as evaluating every pod, across snapshot changes', () => {
    const rnd = seededRandom(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const apps = ['a', 'b', 'c', 'd'];
    const namespaces = ['default', 'other'];
    const term = () => ({ labelSelector: { matchLabels: { app: pick(apps) } }, topologyKey: pick([ZONE, HOST]) });
    const randomPod = (i: number, nodeName: string): Pod => {
      const r = rnd();
      const affinity =
        r < 0.3
          ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term()] } }
          : r < 0.5
            ? {
                podAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: [term()],
                  preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1 + Math.floor(rnd() * 10), podAffinityTerm: term() }],
                },
                podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term() }] },
              }
            : undefined;
      return pod(`p${i}`, {
        namespace: pick(namespaces),
        labels: { app: pick(apps) },
        nodeName,
        ...(affinity ? { affinity: affinity as never } : {}),
      });
    };
    const nodeNames = Array.from({ length: 12 }, (_, i) => `n${i}`);
    const infos = nodeNames.map((n, i) => new NodeInfo(node(n, { labels: { [ZONE]: `z${i % 3}` } })));
    let next = 0;
    for (let i = 0; i < 60; i++) infos[i % infos.length]!.addPod(randomPod(next++, nodeNames[i % infos.length]!));

    const indexes = new AffinityIndexes();
    const keys = [ZONE, HOST];
    const values = [...nodeNames, 'z0', 'z1', 'z2', 'z9'];
    for (let round = 0; round < 25; round++) {
      const incoming = randomPod(1000 + round, '');
      const terms = affinityTermsOf(incoming);
      const withAnti = infos.filter((ni) => ni.podsWithRequiredAntiAffinity.length > 0);
      const withAff = infos.filter((ni) => ni.podsWithAffinity.length > 0);
      expect(entries(indexes.existingAntiAffinityCounts(incoming, NO_NAMESPACE_LABELS, withAnti), keys, values)).toEqual(
        entries(existingAntiAffinityCounts(incoming, NO_NAMESPACE_LABELS, withAnti), keys, values),
      );
      const a = indexes.incomingAffinityCounts(terms.requiredAffinity, terms.requiredAntiAffinity, infos);
      const b = incomingAffinityCounts(terms.requiredAffinity, terms.requiredAntiAffinity, infos);
      expect(entries(a.affinity, keys, values)).toEqual(entries(b.affinity, keys, values));
      expect(entries(a.antiAffinity, keys, values)).toEqual(entries(b.antiAffinity, keys, values));
      const input = {
        pod: incoming,
        preferredAffinity: terms.preferredAffinity,
        preferredAntiAffinity: terms.preferredAntiAffinity,
        nsLabels: NO_NAMESPACE_LABELS,
        hardPodAffinityWeight: 3,
        hasConstraints: terms.preferredAffinity.length + terms.preferredAntiAffinity.length > 0,
      };
      expect(entries(indexes.topologyScores(input, input.hasConstraints ? infos : [], withAff), keys, values)).toEqual(
        entries(topologyScores(input, input.hasConstraints ? infos : withAff), keys, values),
      );

      // Change the cluster: bind a pod, remove one, relabel a node's zone, drop a node.
      infos[Math.floor(rnd() * infos.length)]!.addPod(randomPod(next++, ''));
      const from = infos[Math.floor(rnd() * infos.length)]!;
      if (from.pods[0]) from.removePod(from.pods[0].pod);
      const relabel = infos[Math.floor(rnd() * infos.length)]!;
      relabel.setNode(node(relabel.name, { labels: { [ZONE]: pick(['z0', 'z1', 'z9']) } }));
      if (round === 10) infos.splice(3, 1);
    }
  });
});
