import { Events, Nodes, Pods, type KubeObject, type Pod } from '@converge/core';
import { fail as failWith } from '@converge/testing';
import { startTestEnv, type TestEnv } from '@converge/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSchedulerConfiguration } from './config/scheduler-configuration.js';
import { PluginRegistry } from './framework/plugin.decorator.js';
import type { CycleState } from './framework/cycle-state.js';
import type { PermitPlugin, PermitResult, PostFilterPlugin, PostFilterResult } from './framework/plugin.js';
import { SchedulerPluginClass } from './framework/plugin.decorator.js';
import { Status } from './framework/status.js';
import { createScheduler, type Scheduler } from './scheduler.js';
import { KubeScheduler, SchedulerOptionsToken, type KubeSchedulerOptions } from './scheduler-runnable.js';
import { FakeFit, node, pod, RejectByLabel, ScoreByLabel } from './scheduler.fixture.js';

let env: TestEnv | undefined;
afterEach(async () => {
  await env?.stop();
  env = undefined;
});

function registry(): PluginRegistry {
  return new PluginRegistry([FakeFit, RejectByLabel, ScoreByLabel]);
}

async function start(objects: readonly KubeObject[]): Promise<{ env: TestEnv; scheduler: Scheduler }> {
  env = await startTestEnv({ objects });
  const reg = registry();
  const scheduler = createScheduler({
    store: env.store,
    informers: env.informers,
    clock: env.clock,
    registry: reg,
    random: () => 0.5,
    config: resolveSchedulerConfiguration(
      {
        apiVersion: 'kubescheduler.config.k8s.io/v1',
        kind: 'KubeSchedulerConfiguration',
        profiles: [
          {
            schedulerName: 'default-scheduler',
            plugins: { multiPoint: { enabled: [{ name: 'FakeFit' }, { name: 'RejectByLabel' }, { name: 'ScoreByLabel', weight: 2 }] } },
          },
        ],
      },
      { registry: reg },
    ),
  });
  env.add(scheduler);
  await env.runFor(0);
  return { env, scheduler };
}

const get = (e: TestEnv, name: string): Pod | undefined => e.peek(Pods, { namespace: 'default', name });

describe('Scheduler', () => {
  it('binds a pending pod to the node with the best score and records a Scheduled event', async () => {
    const { env } = await start([node('a', { labels: { score: '10' } }), node('b', { labels: { score: '90' } }), pod('p', { cpu: '1' })]);
    await env.runFor(100);
    expect(get(env, 'p')?.spec?.nodeName).toBe('b');
    const list = await env.store.list(Events, { namespace: 'default' });
    expect(list.items.map((e) => [e.reason, e.message, e.source?.component])).toContainEqual([
      'Scheduled',
      'Successfully assigned default/p to b',
      'default-scheduler',
    ]);
  });

  it("reports why a pod fits nowhere in Kubernetes' form, then schedules it when a node is added", async () => {
    const { env, scheduler } = await start([
      node('n1', { cpu: 1 }),
      node('n2', { cpu: 1 }),
      node('n3', { cpu: 1 }),
      node('n4', { labels: { reject: 'true' } }),
      node('n5', { labels: { reject: 'true' } }),
      pod('big', { cpu: '2' }),
    ]);
    await env.runFor(100);
    const message = '0/5 nodes are available: 2 node(s) had label reject=true, 3 Insufficient cpu.';
    const cond = get(env, 'big')?.status?.conditions?.find((c) => c.type === 'PodScheduled');
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    const failed = (await env.store.list(Events, { namespace: 'default' })).items.filter((e) => e.reason === 'FailedScheduling');
    expect(failed.map((e) => [e.type, e.message, e.source?.component])).toEqual([['Warning', message, 'default-scheduler']]);

    // A label change retries the pod (RejectByLabel registered it); the same answer is not written again.
    env.store.clearActions();
    await env.store.patch(Nodes, { name: 'n1' }, { type: 'merge', body: { metadata: { labels: { touched: 'yes' } } } });
    await env.runFor(15_000);
    expect(scheduler.queue?.stats()).toMatchObject({ unschedulable: 1 });
    expect(env.store.writes({ resource: Pods })).toEqual([]);
    expect(get(env, 'big')?.spec?.nodeName).toBeUndefined();

    await env.store.create(Nodes, node('n7', { cpu: 4 }));
    await env.runFor(15_000);
    expect(get(env, 'big')?.spec?.nodeName).toBe('n7');
  });

  it("lets back-to-back pods see each other's reservations before their bindings come back", async () => {
    const { env } = await start([node('a', { cpu: 2 }), node('b', { cpu: 2 })]);
    // Bindings take 2 s each: the pods after the first are scheduled while earlier ones still bind.
    env.store.intercept({ verb: 'create', resource: Pods, subresource: 'binding' }, async (ctx) => {
      await ctx.sleep(2000);
      return ctx.proceed();
    });
    for (let i = 0; i < 5; i++) await env.store.create(Pods, pod(`p${i}`, { cpu: '1' }));
    await env.runFor(30_000);
    const placed = [0, 1, 2, 3, 4].map((i) => get(env, `p${i}`)?.spec?.nodeName);
    expect(placed.filter((n) => n === 'a')).toHaveLength(2);
    expect(placed.filter((n) => n === 'b')).toHaveLength(2);
    expect(placed.filter((n) => n === undefined)).toHaveLength(1);
  });

  it('leaves pods of other schedulers, gated pods and terminating pods alone, and schedules a pod once its gates are removed', async () => {
    const gated = { ...pod('gated'), spec: { ...pod('gated').spec!, schedulingGates: [{ name: 'wait' }] } } as Pod;
    const { env } = await start([node('a'), pod('other', { schedulerName: 'my-scheduler' }), gated]);
    await env.runFor(1000);
    expect(get(env, 'other')?.spec?.nodeName).toBeUndefined();
    expect(get(env, 'gated')?.spec?.nodeName).toBeUndefined();
    const current = get(env, 'gated')!;
    await env.store.update(Pods, { ...current, spec: { ...current.spec!, schedulingGates: [] } } as Pod);
    await env.runFor(1000);
    expect(get(env, 'gated')?.spec?.nodeName).toBe('a');
  });

  it('writes nominatedNodeName when PostFilter nominates a node', async () => {
    env = await startTestEnv({ objects: [node('a', { cpu: 1 }), pod('big', { cpu: '2' })] });
    const reg = registry().register(NominateFirst);
    const scheduler = createScheduler({
      store: env.store,
      informers: env.informers,
      clock: env.clock,
      registry: reg,
      config: resolveSchedulerConfiguration(
        {
          apiVersion: 'kubescheduler.config.k8s.io/v1',
          kind: 'KubeSchedulerConfiguration',
          profiles: [{ plugins: { multiPoint: { enabled: [{ name: 'FakeFit' }, { name: 'NominateFirst' }] } } }],
        },
        { registry: reg },
      ),
    });
    env.add(scheduler);
    await env.runFor(100);
    const big = get(env, 'big')!;
    expect(big.status?.nominatedNodeName).toBe('a');
    expect(big.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message).toBe('0/1 nodes are available: 1 Insufficient cpu.');
  });

  it("appends PostFilter's message when it cannot help", async () => {
    env = await startTestEnv({ objects: [node('a', { cpu: 1 }), pod('big', { cpu: '2' })] });
    const reg = registry().register(NoPreemption);
    const scheduler = createScheduler({
      store: env.store,
      informers: env.informers,
      clock: env.clock,
      registry: reg,
      config: resolveSchedulerConfiguration(
        {
          apiVersion: 'kubescheduler.config.k8s.io/v1',
          kind: 'KubeSchedulerConfiguration',
          profiles: [{ plugins: { multiPoint: { enabled: [{ name: 'FakeFit' }, { name: 'NoPreemption' }] } } }],
        },
        { registry: reg },
      ),
    });
    env.add(scheduler);
    await env.runFor(100);
    expect(get(env, 'big')?.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
  });

  it('retries an unschedulable pod on the events its rejecting plugins registered only', async () => {
    const { env, scheduler } = await start([node('a', { cpu: 1 }), pod('big', { cpu: '2' })]);
    await env.runFor(100);
    expect(scheduler.queue?.whereIs(get(env, 'big')!.metadata.uid!)).toBe('unschedulable');
    // FakeFit registered node adds and allocatable changes, not label changes.
    await env.store.patch(Nodes, { name: 'a' }, { type: 'merge', body: { metadata: { labels: { color: 'blue' } } } });
    await env.runFor(15_000);
    expect(scheduler.queue?.whereIs(get(env, 'big')!.metadata.uid!)).toBe('unschedulable');
    await env.store.patch(
      Nodes,
      { name: 'a' },
      { type: 'merge', body: { status: { allocatable: { cpu: '4' } } } },
      { subresource: 'status' },
    );
    await env.runFor(100);
    expect(get(env, 'big')?.spec?.nodeName).toBe('a');
  });

  it('holds a pod at Permit until a plugin allows it, and fails it when the wait times out', async () => {
    env = await startTestEnv({ objects: [node('a'), pod('p'), pod('q')] });
    const reg = registry().register(HoldAtPermit);
    const scheduler = createScheduler({
      store: env.store,
      informers: env.informers,
      clock: env.clock,
      registry: reg,
      config: resolveSchedulerConfiguration(
        {
          apiVersion: 'kubescheduler.config.k8s.io/v1',
          kind: 'KubeSchedulerConfiguration',
          profiles: [{ plugins: { multiPoint: { enabled: [{ name: 'HoldAtPermit' }] } } }],
        },
        { registry: reg },
      ),
    });
    env.add(scheduler);
    await env.runFor(100);
    const fwk = scheduler.profile('default-scheduler')!;
    expect(
      fwk
        .waitingPods()
        .map((w) => w.pod.metadata.name)
        .sort(),
    ).toEqual(['p', 'q']);
    fwk.waitingPod(get(env, 'p')!.metadata.uid!)!.allow('HoldAtPermit');
    await env.runFor(100);
    expect(get(env, 'p')?.spec?.nodeName).toBe('a');
    await env.runFor(30_000);
    expect(get(env, 'q')?.spec?.nodeName).toBeUndefined();
    expect(get(env, 'q')?.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({
      reason: 'Unschedulable',
      message: 'rejected due to timeout after waiting 30s at plugin HoldAtPermit',
    });
  });

  it('says no nodes are available when the cluster has none', async () => {
    const { env } = await start([pod('p')]);
    await env.runFor(100);
    expect(get(env, 'p')?.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message).toBe('no nodes available to schedule pods');
  });

  it('forgets the assumed pod and retries it when its binding fails', async () => {
    const { env, scheduler } = await start([node('a', { cpu: 1 })]);
    env.store.interceptOnce({ verb: 'create', resource: Pods, subresource: 'binding' }, failWith(new Error('etcd is down')));
    await env.store.create(Pods, pod('q', { cpu: '1' }));
    await env.runFor(100);
    const cond = get(env, 'q')?.status?.conditions?.find((c) => c.type === 'PodScheduled');
    expect(cond).toMatchObject({ status: 'False', reason: 'SchedulerError', message: 'running Bind plugin "DefaultBinder": etcd is down' });
    expect(scheduler.cache?.nodeInfo('a')?.pods).toEqual([]);
    await env.runFor(2000);
    expect(get(env, 'q')?.spec?.nodeName).toBe('a');
  });

  it("runs as a @Plugin class built by the manager's container, with options from SchedulerOptionsToken", async () => {
    env = await startTestEnv({ objects: [node('a'), pod('p', { cpu: '1' })] });
    const options: KubeSchedulerOptions = { registry: registry() };
    env.manager.container.bind(SchedulerOptionsToken).toConstantValue(options);
    env.add(KubeScheduler);
    await env.runFor(100);
    expect(get(env, 'p')?.spec?.nodeName).toBe('a');
  });
});

/** Holds every pod at Permit for up to 30 s. */
@SchedulerPluginClass({ name: 'HoldAtPermit' })
class HoldAtPermit implements PermitPlugin {
  readonly name = 'HoldAtPermit';
  permit(): PermitResult {
    return { status: new Status('Wait'), timeoutMs: 30_000 };
  }
}

/** Nominates the first node it is given. */
@SchedulerPluginClass({ name: 'NominateFirst' })
class NominateFirst implements PostFilterPlugin {
  readonly name = 'NominateFirst';
  postFilter(_s: CycleState, _p: Pod, statuses: ReadonlyMap<string, Status>): PostFilterResult {
    return { status: Status.success, nominatedNodeName: [...statuses.keys()][0]! };
  }
}

/** Fails as preemption does when nothing can be evicted. */
@SchedulerPluginClass({ name: 'NoPreemption' })
class NoPreemption implements PostFilterPlugin {
  readonly name = 'NoPreemption';
  postFilter(): PostFilterResult {
    return { status: Status.unschedulable('preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.') };
  }
}
