import { EventRecorder, silentLogger, type Pod } from '@converge/core';
import { FakeStore } from '@converge/testing';
import { describe, expect, it } from 'vitest';
import { NodeSnapshot } from '../cache/node-snapshot.js';
import { SchedulerCache } from '../cache/scheduler-cache.js';
import { CycleState } from '../framework/cycle-state.js';
import { PluginArgsToken } from '../framework/handle.js';
import { type NodeInfo } from '../framework/node-info.js';
import type {
  NodeScore,
  PermitPlugin,
  PermitResult,
  PreFilterPlugin,
  PreFilterResult,
  ReservePlugin,
  ScorePlugin,
} from '../framework/plugin.js';
import { PluginRegistry, SchedulerPluginClass } from '../framework/plugin.decorator.js';
import { Status } from '../framework/status.js';
import { DefaultBinder } from '../plugins/defaultbinder/default-binder.plugin.js';
import { PodNominator } from '../queue/nominator.js';
import { FakeFit, node, pod, RejectByLabel, ScoreByLabel } from '../scheduler.fixture.js';
import { FitError } from './fit-error.js';
import { Framework } from './framework.js';
import type { ProfileConfig } from './profile-config.js';
import { numFeasibleNodesToFind, ScheduleAlgorithm } from './schedule-algorithm.js';
import { inject, optional } from 'inversify';

const log: string[] = [];

/** Narrows to nodes named in its args, or skips. */
@SchedulerPluginClass({ name: 'OnlyNodes' })
class OnlyNodes implements PreFilterPlugin {
  readonly name = 'OnlyNodes';
  constructor(@inject(PluginArgsToken) @optional() private readonly args?: { nodes?: string[] }) {}
  preFilter(): Status | PreFilterResult {
    return this.args?.nodes ? { nodeNames: new Set(this.args.nodes) } : Status.skip();
  }
}

/** Gives raw scores 0..1000 by node label `raw` and normalises them to 0..100. */
@SchedulerPluginClass({ name: 'RawScore' })
class RawScore implements ScorePlugin {
  readonly name = 'RawScore';
  score(_s: CycleState, _p: Pod, n: NodeInfo): number {
    return Number(n.node?.metadata.labels?.['raw'] ?? 0);
  }
  normalizeScore(_s: CycleState, _p: Pod, scores: NodeScore[]): void {
    for (const s of scores) s.score = s.score / 10;
  }
}

/** Records reserve / unreserve; `R2` fails its reserve. */
function reserver(name: string, fails = false) {
  @SchedulerPluginClass({ name })
  class R implements ReservePlugin {
    readonly name = name;
    reserve(): Status {
      log.push(`reserve ${name}`);
      return fails ? Status.unschedulable('no room') : Status.success;
    }
    unreserve(): void {
      log.push(`unreserve ${name}`);
    }
  }
  return R;
}

/** Holds every pod for 10 s. */
@SchedulerPluginClass({ name: 'Gate' })
class Gate implements PermitPlugin {
  readonly name = 'Gate';
  permit(): PermitResult {
    return { status: new Status('Wait'), timeoutMs: 10_000 };
  }
}

function setup(profile: Omit<ProfileConfig, 'schedulerName'>, nodes = [node('a'), node('b'), node('c')]) {
  const store = new FakeStore();
  const registry = new PluginRegistry([
    FakeFit,
    RejectByLabel,
    ScoreByLabel,
    OnlyNodes,
    RawScore,
    Gate,
    DefaultBinder,
    reserver('R1'),
    reserver('R2', true),
  ]);
  const cache = new SchedulerCache({ clock: store.clock });
  for (const n of nodes) cache.addNode(n);
  const snapshot = new NodeSnapshot();
  cache.updateSnapshot(snapshot);
  const nominator = new PodNominator();
  const fwk = new Framework({
    profile: { schedulerName: 'default-scheduler', ...profile, multiPoint: [...profile.multiPoint, { name: 'DefaultBinder' }] },
    registry,
    store,
    clock: store.clock,
    logger: silentLogger(),
    events: new EventRecorder({ store, component: 'default-scheduler', clock: store.clock }),
    nominator,
    snapshot: () => snapshot,
  });
  const algo = new ScheduleAlgorithm(() => 0.99);
  const schedule = (p: Pod) => algo.schedulePod(fwk, new CycleState(), p, snapshot.nodes, (n) => snapshot.map.get(n));
  return { store, fwk, schedule, snapshot, nominator, cache };
}

describe('numFeasibleNodesToFind', () => {
  it('filters every node below 100 nodes, adapts the percentage above, and never finds fewer than 100', () => {
    expect(numFeasibleNodesToFind(0, 99)).toBe(99);
    expect(numFeasibleNodesToFind(0, 1000)).toBe(420); // 50 - 8 = 42 %
    expect(numFeasibleNodesToFind(0, 5000)).toBe(500); // 50 - 40 = 10 %
    expect(numFeasibleNodesToFind(0, 6000)).toBe(300); // 50 - 48 = 2 % → 5 %
    expect(numFeasibleNodesToFind(0, 150)).toBe(100); // 49 % of 150 = 73 → 100
    expect(numFeasibleNodesToFind(10, 5000)).toBe(500);
    expect(numFeasibleNodesToFind(100, 5000)).toBe(5000);
  });
});

describe('Framework', () => {
  it('creates each plugin once per profile with its args, and runs it at every point it implements', () => {
    const { fwk, schedule } = setup({
      multiPoint: [{ name: 'OnlyNodes' }, { name: 'FakeFit' }],
      pluginArgs: { OnlyNodes: { nodes: ['b', 'zzz'] } },
    });
    expect(fwk.preFilterPlugins.map((p) => p.name)).toEqual(['OnlyNodes']);
    expect(fwk.filterPlugins.map((p) => p.name)).toEqual(['FakeFit']);
    expect(schedule(pod('p', { cpu: '1' })).suggestedHost).toBe('b');
  });

  it('reports nodes a PreFilterResult excluded, counted in the message', () => {
    const { schedule } = setup({ multiPoint: [{ name: 'OnlyNodes' }, { name: 'FakeFit' }], pluginArgs: { OnlyNodes: { nodes: ['b'] } } });
    expect(() => schedule(pod('p', { cpu: '9' }))).toThrow(
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [OnlyNodes].",
    );
  });

  it('sums normalised scores times weights and picks the best node', () => {
    const nodes = [node('a', { labels: { raw: '1000', score: '0' } }), node('b', { labels: { raw: '0', score: '60' } })];
    // a: 100 * 1 + 0 * 2 = 100; b: 0 * 1 + 60 * 2 = 120
    expect(setup({ multiPoint: [{ name: 'RawScore' }, { name: 'ScoreByLabel', weight: 2 }] }, nodes).schedule(pod('p')).suggestedHost).toBe(
      'b',
    );
    // weight 1: a 100, b 60
    expect(setup({ multiPoint: [{ name: 'RawScore' }, { name: 'ScoreByLabel' }] }, nodes).schedule(pod('p')).suggestedHost).toBe('a');
  });

  it('rejects a score out of range after normalisation', () => {
    const nodes = [node('a', { labels: { score: '101' } }), node('b')];
    expect(() => setup({ multiPoint: [{ name: 'ScoreByLabel' }] }, nodes).schedule(pod('p'))).toThrow(/invalid score 101/);
  });

  it('counts the first failing filter per node, with its plugin', () => {
    const nodes = [node('a', { cpu: 1, labels: { reject: 'true' } }), node('b', { cpu: 1 })];
    const { schedule } = setup({ multiPoint: [{ name: 'RejectByLabel' }, { name: 'FakeFit' }] }, nodes);
    let err: FitError | undefined;
    try {
      schedule(pod('p', { cpu: '2' }));
    } catch (e) {
      err = e as FitError;
    }
    expect(err?.message).toBe('0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had label reject=true.');
    expect(err?.diagnosis.nodeToStatus.get('a')?.plugin).toBe('RejectByLabel');
    expect([...err!.diagnosis.unschedulablePlugins].sort()).toEqual(['FakeFit', 'RejectByLabel']);
  });

  it('counts pods nominated to a node with equal or higher priority in its filter', () => {
    const { schedule, nominator } = setup({ multiPoint: [{ name: 'FakeFit' }] }, [node('a', { cpu: 2 })]);
    const nominated = { ...pod('n', { cpu: '2', priority: 10 }), metadata: { name: 'n', namespace: 'default', uid: 'n' } } as Pod;
    nominator.add(nominated, 'a');
    expect(() => schedule(pod('low', { cpu: '1', priority: 5 }))).toThrow('0/1 nodes are available: 1 Insufficient cpu.');
    expect(schedule(pod('high', { cpu: '1', priority: 20 })).suggestedHost).toBe('a');
  });

  it('unreserves in reverse order', async () => {
    log.length = 0;
    const { fwk } = setup({ multiPoint: [], points: { reserve: { enabled: [{ name: 'R1' }, { name: 'R2' }] } } });
    const s = await fwk.runReservePluginsReserve(new CycleState(), pod('p'), 'a');
    expect(s).toMatchObject({ code: 'Unschedulable', plugin: 'R2' });
    await fwk.runReservePluginsUnreserve(new CycleState(), pod('p'), 'a');
    expect(log).toEqual(['reserve R1', 'reserve R2', 'unreserve R2', 'unreserve R1']);
  });

  it('holds a pod at Permit until it is allowed, or rejects it when the time-out passes', async () => {
    const { fwk, store } = setup({ multiPoint: [{ name: 'Gate' }] });
    const p = { ...pod('p'), metadata: { name: 'p', namespace: 'default', uid: 'u1' } } as Pod;
    expect((await fwk.runPermitPlugins(new CycleState(), p, 'a')).code).toBe('Wait');
    const waiting = fwk.waitOnPermit(p);
    expect(fwk.waitingPod('u1')?.pendingPlugins()).toEqual(['Gate']);
    fwk.waitingPod('u1')!.allow('Gate');
    expect((await waiting).code).toBe('Success');

    const q = { ...pod('q'), metadata: { name: 'q', namespace: 'default', uid: 'u2' } } as Pod;
    await fwk.runPermitPlugins(new CycleState(), q, 'a');
    const timedOut = fwk.waitOnPermit(q);
    await store.clock.advance(10_000);
    expect(await timedOut).toMatchObject({
      code: 'Unschedulable',
      plugin: 'Gate',
      reasons: ['rejected due to timeout after waiting 10s at plugin Gate'],
    });
  });

  it('searches from a rotating start so successive pods spread their filtering over the nodes', () => {
    const nodes = Array.from({ length: 300 }, (_, i) => node(`n${i}`));
    const { schedule } = setup({ multiPoint: [{ name: 'FakeFit' }], percentageOfNodesToScore: 50 }, nodes);
    // 150 nodes are filtered per pod; with no scores the first feasible ties win (random 0.99 keeps the first).
    expect(schedule(pod('p1')).evaluatedNodes).toBe(150);
    expect(schedule(pod('p2')).suggestedHost).toBe('n150');
  });

  it('refuses a profile without a binder and a plugin at a point it does not implement', () => {
    const store = new FakeStore();
    const base = {
      store,
      clock: store.clock,
      logger: silentLogger(),
      events: new EventRecorder({ store, component: 'x' }),
      nominator: new PodNominator(),
      snapshot: () => new NodeSnapshot(),
    };
    const registry = new PluginRegistry([FakeFit, DefaultBinder]);
    expect(() => new Framework({ ...base, registry, profile: { schedulerName: 's', multiPoint: [{ name: 'FakeFit' }] } })).toThrow(
      /at least one bind plugin/,
    );
    expect(
      () =>
        new Framework({
          ...base,
          registry,
          profile: { schedulerName: 's', multiPoint: [{ name: 'DefaultBinder' }], points: { score: { enabled: [{ name: 'FakeFit' }] } } },
        }),
    ).toThrow(/FakeFit does not extend score/);
  });
});
