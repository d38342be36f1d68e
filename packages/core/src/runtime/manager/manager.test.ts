import 'reflect-metadata';
import { inject } from 'inversify';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceType } from '../../api/resource-type.js';
import type { ObjectStore } from '../../store/object-store.js';
import type { Clock } from '../../util/clock.js';
import { VirtualClock } from '../../util/virtual-clock.js';
import { controllerFor } from '../controller/builder.js';
import { ControllerRunner } from '../controller/controller.js';
import { ScriptedInformerProvider } from '../../../test/fakes/scripted-informer.fake.js';
import { SharedInformerFactory } from '../informer/shared-informer-factory.js';
import { ScriptedStore } from '../../../test/fakes/scripted-store.fake.js';
import { Controller, LeaderOnly, Owns } from '../decorators/controller.decorators.js';
import { Plugin } from '../decorators/plugin.decorators.js';
import { RuntimeMetrics } from '../metrics/runtime-metrics.js';
import type { Request } from '../reconciler/reconciler.js';
import { Leases } from '../../kinds/misc/lease.kind.js';
import { LeaseStoreFake } from '../../../test/fakes/lease-store.fake.js';
import { Manager, type ManagerOptions } from './manager.js';
import { CachedObjectStore } from '../client/cached-object-store.js';
import { ClockToken, DirectStoreToken, ObjectStoreToken } from './tokens.js';
import { settleUntil } from '../../../test/support/until.js';

const Foos: ResourceType = { group: 'example.com', version: 'v1', resource: 'foos', kind: 'Foo', namespaced: true };
const Pods: ResourceType = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };

const foo = (name: string): KubeObject => ({ metadata: { namespace: 'ns', name } });

@Controller({ for: Foos })
@Owns(Pods)
class FooController {
  static seen: string[] = [];
  constructor(
    @inject(ObjectStoreToken) readonly store: ObjectStore,
    @inject(ClockToken) readonly clock: Clock,
  ) {}
  reconcile(req: Request): void {
    FooController.seen.push(`${req.namespace}/${req.name}`);
  }
}

function newManager(extra: Partial<ManagerOptions> = {}) {
  const clock = (extra.clock as VirtualClock | undefined) ?? new VirtualClock({ start: 0 });
  const informers = (extra.informers as ScriptedInformerProvider | undefined) ?? new ScriptedInformerProvider({ clock });
  const store = (extra.store as ObjectStore | undefined) ?? (new LeaseStoreFake().as('m') as ObjectStore);
  const manager = new Manager({ store, clock, informers, metrics: new RuntimeMetrics({ processMetrics: false }), ...extra });
  return { clock, informers, manager };
}

describe('Manager', () => {
  it('creates @Controller classes through its container and runs them', async () => {
    FooController.seen = [];
    const { clock, informers, manager } = newManager();
    const runner = manager.add(FooController);
    expect(runner).toBeInstanceOf(ControllerRunner);
    expect(manager.container.get(FooController).clock).toBe(clock);
    informers.of(Foos).put(foo('a'));
    const run = manager.start();
    await settleUntil(clock, () => FooController.seen.length === 1);
    expect(FooController.seen).toEqual(['ns/a']);
    expect(manager.isLeader()).toBe(true);
    await manager.stop();
    await run;
  });

  it('by default shares real informers over its store: one list/watch for two controllers of the same kind', async () => {
    const clock = new VirtualClock({ start: 0 });
    const store = new ScriptedStore();
    store.put(foo('a'));
    const manager = new Manager({ store, clock, metrics: new RuntimeMetrics({ processMetrics: false }) });
    expect(manager.informers).toBeInstanceOf(SharedInformerFactory);
    const seen: string[] = [];
    manager.add(
      controllerFor(Foos)
        .named('first')
        .complete({ reconcile: (r: Request) => void seen.push(`first:${r.name}`) }),
    );
    manager.add(
      controllerFor(Foos)
        .named('second')
        .complete({ reconcile: (r: Request) => void seen.push(`second:${r.name}`) }),
    );
    const run = manager.start();
    await settleUntil(clock, () => seen.length === 2, 'initial reconciles');
    expect(seen.sort()).toEqual(['first:a', 'second:a']);
    expect((manager.informers as SharedInformerFactory).all()).toHaveLength(1);
    expect(store.lists).toHaveLength(1);
    expect(store.open()).toHaveLength(1);
    store.put(foo('b'));
    await settleUntil(clock, () => seen.length === 4, 'reconciles after a watch event');
    await manager.stop();
    await run;
    expect(store.open()).toHaveLength(0);
  });

  it('injects its cached client as ObjectStoreToken, reading from the shared informers, and the store itself as DirectStoreToken', async () => {
    const clock = new VirtualClock({ start: 0 });
    const store = new ScriptedStore();
    store.put(foo('a'));
    const manager = new Manager({ store, clock, metrics: new RuntimeMetrics({ processMetrics: false }) });
    manager.addIndex(Foos, 'first-letter', (o) => [o.metadata.name?.[0]]);
    const client = manager.container.get<CachedObjectStore>(ObjectStoreToken);
    expect(client).toBe(manager.client);
    expect(client).toBeInstanceOf(CachedObjectStore);
    expect(manager.container.get(DirectStoreToken)).toBe(store);
    expect((await client.get(Foos, { namespace: 'ns', name: 'a' })).metadata.name).toBe('a');
    expect((await client.list(Foos, { index: { name: 'first-letter', value: 'a' } })).items).toHaveLength(1);
    // the controllers' informer and the client's are the same one: one list between them
    const seen: string[] = [];
    manager.add(controllerFor(Foos).complete({ reconcile: (r: Request) => void seen.push(r.name) }));
    const run = manager.start();
    await settleUntil(clock, () => seen.length === 1, 'the initial reconcile');
    expect(store.lists).toHaveLength(1);
    await manager.stop();
    await run;
    const direct = new Manager({ store, clock, cachedReads: false, metrics: new RuntimeMetrics({ processMetrics: false }) });
    expect(direct.container.get(ObjectStoreToken)).toBe(store);
  });

  it('shares one informer between controllers that watch the same kind', async () => {
    const { clock, informers, manager } = newManager();
    const seen: string[] = [];
    manager.add(
      controllerFor(Foos)
        .owns(Pods)
        .complete({ reconcile: (r: Request) => void seen.push(`foo:${r.name}`) }),
    );
    manager.add(controllerFor(Pods).complete({ reconcile: (r: Request) => void seen.push(`pod:${r.name}`) }));
    const run = manager.start();
    await settleUntil(clock, () => manager.runnables().every((r) => (r.runnable as ControllerRunner).hasSynced()));
    expect(informers.informers.size).toBe(2);
    informers.of(Pods).put({
      metadata: {
        namespace: 'ns',
        name: 'p',
        ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Foo', name: 'f', uid: 'u', controller: true }],
      },
    });
    await settleUntil(clock, () => seen.length === 2);
    expect(seen.sort()).toEqual(['foo:f', 'pod:p']);
    await manager.stop();
    await run;
  });

  it('runs more than ten controllers without a MaxListenersExceededWarning on its signals', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const { clock, manager } = newManager();
      for (let i = 0; i < 12; i++)
        manager.add(
          controllerFor(Foos)
            .named(`foo-${i}`)
            .complete({ reconcile: () => undefined }),
        );
      const run = manager.start();
      await settleUntil(clock, () => manager.isLeader());
      await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on a later tick
      await manager.stop();
      await run;
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('runs plugins and accepts runnables added after start', async () => {
    const { clock, manager } = newManager();
    const events: string[] = [];
    @Plugin({ name: 'heartbeat' })
    class Heartbeat {
      constructor(@inject(ClockToken) private readonly clock: Clock) {}
      async start(signal: AbortSignal): Promise<void> {
        events.push(`start@${this.clock.now()}`);
        await new Promise<void>((r) => signal.addEventListener('abort', () => r()));
        events.push('stop');
      }
    }
    manager.add(Heartbeat);
    expect(manager.runnables().map((r) => [r.name, r.needLeaderElection])).toEqual([['heartbeat', false]]);
    const run = manager.start();
    await settleUntil(clock, () => events.length === 1);
    manager.add({ name: 'late', start: () => void events.push('late') });
    await settleUntil(clock, () => events.includes('late'));
    await manager.stop();
    await run;
    expect(events).toEqual(['start@0', 'late', 'stop']);
  });

  it('fails and stops when a runnable fails', async () => {
    const { clock, manager } = newManager();
    let stopped = false;
    manager.add({ name: 'steady', start: (s) => new Promise<void>((r) => s.addEventListener('abort', () => ((stopped = true), r()))) });
    manager.add({
      name: 'broken',
      start: async () => {
        throw new Error('cannot bind');
      },
    });
    const run = manager.start();
    await expect(run).rejects.toThrow('cannot bind');
    expect(stopped).toBe(true);
    void clock;
  });

  it('fails when a controller cache never syncs', async () => {
    const clock = new VirtualClock({ start: 0 });
    const { manager } = newManager({ clock, informers: new ScriptedInformerProvider({ clock, autoSync: false }) });
    manager.add(
      controllerFor(Foos)
        .withOptions({ cacheSyncTimeoutMs: 1000 })
        .complete({ reconcile: () => {} }),
    );
    const run = manager.start();
    const failed = expect(run).rejects.toThrow(/timed out waiting for Foo cache to sync/);
    await clock.advance(1000);
    await failed;
  });

  it('lets in-flight reconciles finish on stop', async () => {
    const { clock, informers, manager } = newManager();
    const log: string[] = [];
    manager.add(
      controllerFor(Foos).complete({
        reconcile: async (r: Request, ctx) => {
          log.push(`begin ${r.name}`);
          await new Promise<void>((res) => clock.setTimeout(res, 5000));
          log.push(`end ${r.name} aborted=${ctx.signal.aborted}`);
        },
      }),
    );
    informers.of(Foos).put(foo('a'));
    const run = manager.start();
    await settleUntil(clock, () => log.length === 1);
    const stopping = manager.stop();
    await clock.advance(5000);
    await stopping;
    await run;
    expect(log).toEqual(['begin a', 'end a aborted=true']);
  });

  it('gives up waiting after the graceful shutdown timeout', async () => {
    const { clock, informers, manager } = newManager({ gracefulShutdownTimeoutMs: 2000 });
    manager.add(controllerFor(Foos).complete({ reconcile: () => new Promise<void>(() => {}) }));
    informers.of(Foos).put(foo('stuck'));
    const run = manager.start();
    const failed = expect(run).rejects.toThrow(/grace period of 2s: foo/);
    await settleUntil(clock, () => (manager.runnables()[0]!.runnable as ControllerRunner).queue?.inFlight().count === 1);
    void manager.stop();
    await clock.advance(2000);
    await failed;
  });
});

describe('Manager with leader election', () => {
  function replica(store: LeaseStoreFake, clock: VirtualClock, id: string) {
    const informers = new ScriptedInformerProvider({ clock });
    const seen: string[] = [];
    const events: string[] = [];
    const { manager } = newManager({
      clock,
      informers,
      store: store.as(id),
      leaderElection: { leaseName: 'foo-controller', leaseNamespace: 'ns', identity: id, random: () => 0 },
    });
    const runner = manager.add(controllerFor(Foos).complete({ reconcile: (r: Request) => void seen.push(r.name) })) as ControllerRunner;
    @Plugin({ name: 'everywhere' })
    class Everywhere {
      start(signal: AbortSignal): Promise<void> {
        events.push('everywhere');
        return new Promise((r) => signal.addEventListener('abort', () => r()));
      }
    }
    @Plugin({ name: 'leader-only' })
    @LeaderOnly()
    class LeaderWork {
      start(signal: AbortSignal): Promise<void> {
        events.push('leader-only:start');
        return new Promise((r) => signal.addEventListener('abort', () => (events.push('leader-only:stop'), r())));
      }
    }
    manager.add(Everywhere);
    manager.add(LeaderWork);
    informers.of(Foos).put(foo('a'));
    return { manager, runner, seen, events, run: undefined as Promise<void> | undefined };
  }

  it('runs leader-only runnables on the leader only, and fails over when it stops', async () => {
    const clock = new VirtualClock({ start: 0 });
    const store = new LeaseStoreFake();
    const one = replica(store, clock, 'one');
    const two = replica(store, clock, 'two');
    one.run = one.manager.start();
    await settleUntil(clock, () => one.seen.length === 1, 'leader reconcile');
    two.run = two.manager.start();
    await clock.advance(5000);
    expect(one.manager.isLeader()).toBe(true);
    expect(two.manager.isLeader()).toBe(false);
    expect(two.events).toEqual(['everywhere']);
    expect(two.seen).toEqual([]);
    expect(two.runner.isRunning()).toBe(false);

    await one.manager.stop();
    await one.run;
    // the lease was released: two takes over on its next try (retry period 2 s, no jitter here)
    await clock.advance(2000);
    await settleUntil(clock, () => two.seen.length === 1, 'standby reconcile');
    expect(two.manager.isLeader()).toBe(true);
    expect(two.events).toEqual(['everywhere', 'leader-only:start']);
    expect((await store.get(Leases, { namespace: 'ns', name: 'foo-controller' })).spec?.holderIdentity).toBe('two');
    await two.manager.stop();
    await two.run;
  });

  it('stops leader-only runnables the moment the lease is lost, and restarts them on a new term', async () => {
    const clock = new VirtualClock({ start: 0 });
    const store = new LeaseStoreFake();
    const one = replica(store, clock, 'one');
    one.run = one.manager.start();
    await settleUntil(clock, () => one.seen.length === 1);
    expect(one.runner.isRunning()).toBe(true);
    store.partitioned.add('one');
    // renewals fail from 2 s; the renew deadline (10 s) passes at 12 s
    await clock.advance(11_999);
    expect(one.manager.isLeader()).toBe(true);
    await clock.advance(1);
    expect(one.manager.isLeader()).toBe(false);
    expect(one.events).toContain('leader-only:stop');
    await settleUntil(clock, () => !one.runner.isRunning(), 'controller stopped');
    expect(one.events).toEqual(['everywhere', 'leader-only:start', 'leader-only:stop']);
    // the partition heals; the lease has expired (nobody else took it), so it leads again
    store.partitioned.delete('one');
    await clock.advance(20_000);
    expect(one.manager.isLeader()).toBe(true);
    await settleUntil(clock, () => one.seen.length === 2, 'reconcile on the new term');
    expect(one.events).toEqual(['everywhere', 'leader-only:start', 'leader-only:stop', 'leader-only:start']);
    await one.manager.stop();
    await one.run;
  });
});
