import { VirtualClock } from '@converge/core/runtime';
import type { Pod } from '@converge/core';
import { seededRandom } from '@converge/testing';
import { describe, expect, it } from 'vitest';
import { NodeSnapshot } from '../../cache/node-snapshot.js';
import { SchedulerCache } from '../../cache/scheduler-cache.js';
import { NodeInfo } from '../../framework/node-info.js';
import { node, pod } from '../interpodaffinity/topology.fixture.js';
import { computePreFilterState } from './pod-topology-spread-filtering.js';
import { computePreScoreState, scoreNode } from './pod-topology-spread-scoring.js';
import { filterConstraints, LABEL_HOSTNAME, LABEL_ZONE } from './spread-constraint.js';
import { SpreadPodIndex } from './spread-pod-index.js';

describe('SpreadPodIndex', () => {
  it('follows a scheduler snapshot (domains and matching pods) and gives the same counts and scores as counting pod by pod', () => {
    const rnd = seededRandom(5);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const apps = ['a', 'b', 'c'];
    const randomPod = (i: number, nodeName: string) =>
      pod(`p${i}`, {
        namespace: pick(['default', 'default', 'other']),
        labels: { app: pick(apps), tier: pick(['fe', 'be']) },
        nodeName,
        terminating: rnd() < 0.1,
      });
    const zoneLabels = (): Record<string, string> => (rnd() < 0.15 ? {} : { [LABEL_ZONE]: pick(['z0', 'z1', 'z2', 'z3']) });
    const cache = new SchedulerCache({ clock: new VirtualClock() });
    const snapshot = new NodeSnapshot();
    const names = Array.from({ length: 12 }, (_, i) => `n${i}`);
    for (const n of names.slice(0, 10)) cache.addNode(node(n, { labels: zoneLabels() }));
    const bound: Pod[] = [];
    let next = 0;
    for (let i = 0; i < 50; i++) {
      const p = randomPod(next++, names[i % 10]!);
      cache.addPod(p);
      bound.push(p);
    }
    const index = new SpreadPodIndex();
    for (let round = 0; round < 30; round++) {
      cache.updateSnapshot(snapshot);
      const infos = snapshot.list();
      const app = pick(apps);
      const incoming = pod('in', {
        labels: { app, tier: 'fe' },
        ...(round % 5 === 4 ? { nodeSelector: { [LABEL_ZONE]: 'z1' } } : {}),
      });
      const specs = [
        { topologyKey: LABEL_ZONE, maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app } } },
        {
          topologyKey: LABEL_HOSTNAME,
          maxSkew: 2,
          whenUnsatisfiable: round % 2 === 0 ? 'DoNotSchedule' : 'ScheduleAnyway',
          labelSelector:
            round % 3 === 0
              ? { matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe', 'be'] }] }
              : round % 3 === 1
                ? { matchExpressions: [{ key: 'app', operator: 'NotIn', values: [app] }] }
                : { matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] },
        },
      ];
      const hard = filterConstraints(specs, incoming.metadata.labels, 'DoNotSchedule');
      index.sync({ snapshot, nodes: infos });
      const a = computePreFilterState(incoming, hard, infos, index);
      const b = computePreFilterState(incoming, hard, infos);
      expect(a.counts.map((m) => Object.fromEntries(m))).toEqual(b.counts.map((m) => Object.fromEntries(m)));
      expect(a.counts.map((_, i) => a.minMatchNum(i))).toEqual(b.counts.map((_, i) => b.minMatchNum(i)));
      const soft = filterConstraints(specs, incoming.metadata.labels, 'ScheduleAnyway');
      const filtered = infos.filter(() => rnd() < 0.7);
      const sa = computePreScoreState(incoming, soft, filtered, infos, true, index);
      const sb = computePreScoreState(incoming, soft, filtered, infos, true);
      expect(filtered.map((ni) => scoreNode(sa, incoming, ni))).toEqual(filtered.map((ni) => scoreNode(sb, incoming, ni)));

      for (let k = 0; k < 2; k++) {
        const p = randomPod(next++, pick(names.slice(0, 10)));
        cache.addPod(p);
        bound.push(p);
      }
      const gone = bound.splice(Math.floor(rnd() * bound.length), 1)[0];
      if (gone) cache.removePod(gone);
      const relabel = pick(names.slice(0, 10));
      cache.updateNode(node(relabel), node(relabel, { labels: zoneLabels() }));
      if (round === 6) cache.removeNode(node('n2'));
      if (round === 11) cache.addNode(node('n10', { labels: { [LABEL_ZONE]: 'z4' } }));
      if (round === 17) cache.addNode(node('n2', { labels: zoneLabels() }));
    }
  });

  it('gives the same domain counts and scores as counting pod by pod, across snapshot changes', () => {
    const rnd = seededRandom(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const apps = ['a', 'b', 'c'];
    const randomPod = (i: number, nodeName: string) =>
      pod(`p${i}`, {
        namespace: pick(['default', 'default', 'other']),
        labels: { app: pick(apps), tier: pick(['fe', 'be']) },
        nodeName,
        terminating: rnd() < 0.1,
      });
    const names = Array.from({ length: 10 }, (_, i) => `n${i}`);
    const infos = names.map((n, i) => new NodeInfo(node(n, { labels: { [LABEL_ZONE]: `z${i % 3}` } })));
    let next = 0;
    for (let i = 0; i < 50; i++) infos[i % infos.length]!.addPod(randomPod(next++, names[i % infos.length]!));
    const index = new SpreadPodIndex();
    for (let round = 0; round < 20; round++) {
      const incoming = pod('in', { labels: { app: pick(apps), tier: 'fe' } });
      const specs = [
        {
          topologyKey: LABEL_ZONE,
          maxSkew: 1,
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { app: incoming.metadata.labels!['app']! } },
        },
        {
          topologyKey: LABEL_HOSTNAME,
          maxSkew: 2,
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }] },
        },
      ];
      const hard = filterConstraints(specs, incoming.metadata.labels, 'DoNotSchedule');
      index.sync(infos);
      const a = computePreFilterState(incoming, hard, infos, index);
      const b = computePreFilterState(incoming, hard, infos);
      expect(a.counts.map((m) => Object.fromEntries(m))).toEqual(b.counts.map((m) => Object.fromEntries(m)));
      expect(a.counts.map((_, i) => a.minMatchNum(i))).toEqual(b.counts.map((_, i) => b.minMatchNum(i)));

      const soft = filterConstraints(
        specs.map((s) => ({ ...s, whenUnsatisfiable: 'ScheduleAnyway' })),
        incoming.metadata.labels,
        'ScheduleAnyway',
      );
      const filtered = infos.filter(() => rnd() < 0.7);
      const sa = computePreScoreState(incoming, soft, filtered, infos, true, index);
      const sb = computePreScoreState(incoming, soft, filtered, infos, true);
      expect(filtered.map((ni) => scoreNode(sa, incoming, ni))).toEqual(filtered.map((ni) => scoreNode(sb, incoming, ni)));

      infos[Math.floor(rnd() * infos.length)]!.addPod(randomPod(next++, ''));
      const from = infos[Math.floor(rnd() * infos.length)]!;
      if (from.pods[0]) from.removePod(from.pods[0].pod);
      if (round === 7) infos.splice(2, 1);
    }
  });
});
