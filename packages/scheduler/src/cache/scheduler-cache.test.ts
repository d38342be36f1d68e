import { VirtualClock } from '@converge/core/runtime';
import type { Pod } from '@converge/core';
import { describe, expect, it } from 'vitest';
import { node, pod } from '../scheduler.fixture.js';
import { NodeSnapshot } from './node-snapshot.js';
import { SchedulerCache } from './scheduler-cache.js';

const bound = (name: string, nodeName: string, cpu = '1'): Pod => {
  const p = pod(name, { cpu, nodeName });
  return { ...p, metadata: { ...p.metadata, uid: `uid-${name}` } };
};

const antiAffine = (name: string, nodeName: string): Pod => {
  const p = bound(name, nodeName);
  return {
    ...p,
    spec: {
      ...p.spec!,
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { a: 'b' } } },
          ],
        },
      },
    },
  } as Pod;
};

describe('SchedulerCache', () => {
  it('tells which nodes the snapshot updates changed since a revision', () => {
    const cache = new SchedulerCache({ clock: new VirtualClock() });
    const snapshot = new NodeSnapshot();
    expect(snapshot.changesSince(-1).names).toBeUndefined();
    cache.addNode(node('a'));
    cache.addNode(node('b'));
    cache.updateSnapshot(snapshot);
    const first = snapshot.changesSince(0);
    expect([...first.names!].sort()).toEqual(['a', 'b']);
    cache.updateSnapshot(snapshot);
    expect(snapshot.changesSince(first.revision)).toEqual({ revision: first.revision, names: [] });
    cache.addPod(bound('p', 'b'));
    cache.updateSnapshot(snapshot);
    cache.removeNode(node('a'));
    cache.updateSnapshot(snapshot);
    const later = snapshot.changesSince(first.revision);
    expect(later.names).toEqual(['b', 'a']);
    expect(snapshot.changesSince(later.revision - 1).names).toEqual(['a']);
    expect(snapshot.changesSince(later.revision + 1).names).toBeUndefined();
  });

  it('counts an assumed pod on its node until it is forgotten', () => {
    const cache = new SchedulerCache({ clock: new VirtualClock() });
    cache.addNode(node('a'));
    cache.assumePod(bound('p', 'a'));
    expect(cache.nodeInfo('a')!.requested.milliCPU).toBe(1000);
    expect(cache.isAssumed(bound('p', 'a'))).toBe(true);
    cache.forgetPod(bound('p', 'a'));
    expect(cache.nodeInfo('a')!.requested.milliCPU).toBe(0);
  });

  it('confirms an assumed pod when its bound version arrives, on the node it was bound to', () => {
    const cache = new SchedulerCache({ clock: new VirtualClock() });
    cache.addNode(node('a'));
    cache.addNode(node('b'));
    cache.assumePod(bound('p', 'a'));
    cache.addPod(bound('p', 'b'));
    expect(cache.isAssumed(bound('p', 'b'))).toBe(false);
    expect(cache.nodeInfo('a')!.pods).toHaveLength(0);
    expect(cache.nodeInfo('b')!.pods).toHaveLength(1);
  });

  it('expires an assumed pod whose binding finished but never showed up, after the TTL', async () => {
    const clock = new VirtualClock();
    const cache = new SchedulerCache({ clock, assumedPodTtlMs: 30_000 });
    cache.addNode(node('a'));
    cache.assumePod(bound('p', 'a'));
    await clock.advance(60_000);
    expect(cache.cleanupExpiredAssumedPods()).toEqual([]); // still binding: never expires
    cache.finishBinding(bound('p', 'a'));
    await clock.advance(29_000);
    expect(cache.cleanupExpiredAssumedPods()).toEqual([]);
    await clock.advance(1000);
    expect(cache.cleanupExpiredAssumedPods().map((p) => p.metadata.name)).toEqual(['p']);
    expect(cache.nodeInfo('a')!.pods).toHaveLength(0);
  });

  it('copies only the nodes that changed into the snapshot', () => {
    const cache = new SchedulerCache({ clock: new VirtualClock() });
    for (const n of ['a', 'b', 'c']) cache.addNode(node(n));
    const snap = new NodeSnapshot();
    cache.updateSnapshot(snap);
    expect(snap.list().map((n) => n.name)).toEqual(['a', 'b', 'c']);
    const [a, b, c] = snap.list();
    cache.addPod(bound('p', 'b'));
    cache.updateSnapshot(snap);
    expect(snap.list()[0]).toBe(a);
    expect(snap.list()[2]).toBe(c);
    expect(snap.list()[1]).not.toBe(b);
    expect(snap.get('b')!.pods).toHaveLength(1);
    expect(b!.pods).toHaveLength(0); // the old copy is untouched
  });

  it('keeps the affinity lists of the snapshot in step and drops removed nodes', () => {
    const cache = new SchedulerCache({ clock: new VirtualClock() });
    for (const n of ['a', 'b']) cache.addNode(node(n));
    const snap = new NodeSnapshot();
    cache.addPod(antiAffine('x', 'b'));
    cache.updateSnapshot(snap);
    expect(snap.havePodsWithAffinity().map((n) => n.name)).toEqual(['b']);
    expect(snap.havePodsWithRequiredAntiAffinity().map((n) => n.name)).toEqual(['b']);
    cache.addPod(antiAffine('y', 'b'));
    cache.updateSnapshot(snap);
    expect(snap.havePodsWithAffinity()[0]).toBe(snap.get('b'));
    expect(snap.havePodsWithRequiredAntiAffinity()[0]!.podsWithRequiredAntiAffinity).toHaveLength(2);
    cache.removePod(antiAffine('y', 'b'));
    cache.removePod(antiAffine('x', 'b'));
    cache.removeNode(node('a'));
    cache.updateSnapshot(snap);
    expect(snap.havePodsWithAffinity()).toEqual([]);
    expect(snap.list().map((n) => n.name)).toEqual(['b']);
  });

  it('moves nodes in and out of the affinity lists without rebuilding them', () => {
    const cache = new SchedulerCache({ clock: new VirtualClock() });
    for (const n of ['a', 'b', 'c']) cache.addNode(node(n));
    const snap = new NodeSnapshot();
    cache.updateSnapshot(snap);
    for (const n of ['a', 'b', 'c']) cache.addPod(antiAffine(`x-${n}`, n));
    cache.updateSnapshot(snap);
    expect(snap.havePodsWithAffinity().map((n) => n.name)).toEqual(['a', 'b', 'c']);
    cache.removePod(antiAffine('x-a', 'a'));
    cache.addPod(bound('plain', 'c'));
    cache.updateSnapshot(snap);
    expect(
      snap
        .havePodsWithRequiredAntiAffinity()
        .map((n) => n.name)
        .sort(),
    ).toEqual(['b', 'c']);
    expect(snap.havePodsWithAffinity().find((n) => n.name === 'c')).toBe(snap.get('c'));
    expect(snap.get('c')!.pods).toHaveLength(2);
  });

  it("orders the snapshot's nodes zone by zone in turn, as the node tree does", () => {
    const cache = new SchedulerCache({ clock: new VirtualClock() });
    const z = (name: string, zone: string) => node(name, { labels: { 'topology.kubernetes.io/zone': zone } });
    for (const n of [z('a1', 'a'), z('a2', 'a'), z('a3', 'a'), z('b1', 'b'), z('c1', 'c'), z('c2', 'c')]) cache.addNode(n);
    const snap = new NodeSnapshot();
    cache.updateSnapshot(snap);
    expect(snap.list().map((n) => n.name)).toEqual(['a1', 'b1', 'c1', 'a2', 'c2', 'a3']);
    cache.updateNode(z('a1', 'a'), z('a1', 'c'));
    cache.updateSnapshot(snap);
    expect(snap.list().map((n) => n.name)).toEqual(['a1', 'a2', 'b1', 'c1', 'a3', 'c2']);
  });
});
