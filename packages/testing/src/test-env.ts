import {
  ControllerBlueprint,
  Manager,
  RuntimeMetrics,
  SharedInformerFactory,
  silentLogger,
  type KubeObject,
  type Logger,
  type ObjectKey,
  type Reconciler,
  type ResourceDefinition,
  type ResourceType,
  type Runnable,
} from '@converge/core';
import { ControllerRunner, controllerBlueprintOf, isDecoratedController, type VirtualClock } from '@converge/core/runtime';
import { injectable, type Newable } from 'inversify';
import { FakeStore } from './fake-store.js';
import { runUntilQuiescent, type QuiescenceOptions, type QuiescenceReport } from './quiescence.js';
import { ReconcileLog } from './reconcile-log.js';

/** What a test environment can run: a `@Controller` or `@Plugin` class, a builder blueprint, or any Runnable. */
export type TestEnvItem = Newable<unknown> | ControllerBlueprint | Runnable;

/** Options of `startTestEnv`. */
export interface TestEnvOptions {
  /** The store; default a new FakeStore made from `objects`, `kinds` and `clock`. */
  store?: FakeStore;
  /** Objects to seed a new FakeStore with. */
  objects?: readonly KubeObject[];
  /** Custom kinds a new FakeStore serves (e.g. from `defineCustomResource`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any object type: a definition's type parameter is invariant
  kinds?: readonly ResourceDefinition<any>[];
  /** The virtual clock of a new FakeStore. */
  clock?: VirtualClock;
  /** Controllers and plugins to add before the manager starts. */
  controllers?: readonly TestEnvItem[];
  /** The logger of the manager, controllers and informers; default silent. */
  logger?: Logger;
}

/**
 * A running manager with shared informers over a FakeStore, on virtual time: the place for
 * integration-style tests of several controllers together (or one controller with the
 * whole runtime: the inversify container, shared informers, metrics).
 *
 * Controllers added through `add` (or `options.controllers`) have their reconciles recorded,
 * so `runUntilQuiescent` can bound them and explain a controller that does not settle.
 */
export class TestEnv {
  /** The store everything talks to. */
  readonly store: FakeStore;
  /** The manager, started. */
  readonly manager: Manager;
  /** The manager's shared informers. */
  readonly informers: SharedInformerFactory;
  /** The reconciles of the controllers added through `add`. */
  readonly reconciles = new ReconcileLog();
  private running: Promise<void> | undefined;
  private failure: unknown;

  /** Made by `startTestEnv`. */
  constructor(options: TestEnvOptions) {
    this.store =
      options.store ??
      new FakeStore({
        ...(options.objects ? { objects: options.objects } : {}),
        ...(options.kinds ? { kinds: options.kinds } : {}),
        ...(options.clock ? { clock: options.clock } : {}),
      });
    const logger = options.logger ?? silentLogger();
    this.informers = new SharedInformerFactory({ store: this.store, clock: this.store.clock, logger });
    this.manager = new Manager({
      store: this.store,
      informers: this.informers,
      clock: this.store.clock,
      logger,
      metrics: new RuntimeMetrics({ processMetrics: false }),
      gracefulShutdownTimeoutMs: 60_000,
    });
    for (const item of options.controllers ?? []) this.add(item);
  }

  /** The virtual clock of the store, the informers and the manager. */
  get clock(): VirtualClock {
    return this.store.clock;
  }

  /**
   * Adds a controller or plugin, as `manager.add` does (a `@Controller` class is created
   * through the manager's container, with constructor injection), recording its reconciles.
   * Adding while running starts it at once.
   */
  add(item: TestEnvItem): Runnable {
    let blueprint: ControllerBlueprint | undefined;
    if (item instanceof ControllerBlueprint) blueprint = item;
    else if (typeof item === 'function' && isDecoratedController(item))
      blueprint = controllerBlueprintOf(this.instantiate(item) as Reconciler);
    if (!blueprint) return this.manager.add(item);
    const recorded = new ControllerBlueprint(
      blueprint.name,
      blueprint.forType,
      blueprint.watches,
      blueprint.sources,
      blueprint.options,
      this.reconciles.wrap(blueprint.reconciler),
    );
    return this.manager.add(recorded);
  }

  /** The controllers the manager runs. */
  controllers(): ControllerRunner[] {
    return this.manager
      .runnables()
      .map((r) => r.runnable)
      .filter((r): r is ControllerRunner => r instanceof ControllerRunner);
  }

  /** Starts the manager and resolves once every controller's caches have synced. */
  async start(): Promise<void> {
    if (this.running) throw new Error('TestEnv: already started');
    await this.store.ready();
    this.running = this.manager.start().catch((err: unknown) => {
      this.failure = err;
    });
    for (let i = 0; i < 1000; i++) {
      await this.clock.settle();
      if (this.failure !== undefined) throw this.failure;
      if (this.manager.isLeader() && this.controllers().every((c) => c.hasSynced())) return;
      if (i % 5 === 4) {
        const next = this.clock.nextTimer();
        if (next !== undefined) await this.clock.advanceTo(next);
      }
    }
    throw new Error(
      `TestEnv: controllers did not sync: ${this.controllers()
        .filter((c) => !c.hasSynced())
        .map((c) => c.name)
        .join(', ')}`,
    );
  }

  /** Runs until every controller is quiescent (see `runUntilQuiescent`). */
  runUntilQuiescent(options: QuiescenceOptions = {}): Promise<QuiescenceReport> {
    return runUntilQuiescent(
      { clock: this.clock, runners: () => this.controllers(), log: this.reconciles, store: this.store, failure: () => this.failure },
      options,
    );
  }

  /** Lets `ms` of virtual time pass, processing whatever falls due on the way. */
  async runFor(ms: number): Promise<void> {
    await this.clock.advance(ms);
    await this.clock.settle();
    if (this.failure !== undefined) throw this.failure;
  }

  /** Reads an object from the store synchronously (no action recorded). */
  peek<T extends KubeObject>(type: ResourceType<T>, key: ObjectKey): T | undefined {
    return this.store.peek(type, key);
  }

  /** Stops the manager (in-flight reconciles finish, informers stop); safe to call twice. */
  async stop(): Promise<void> {
    if (!this.running) return;
    const stopped = this.manager.stop();
    let done = false;
    void stopped.then(() => (done = true));
    // reconciles held up on virtual time (injected latency) need time to pass to finish
    for (let i = 0; i < 1000 && !done; i++) {
      await this.clock.settle();
      if (done) break;
      if (this.reconciles.inProgress() > 0) {
        const next = this.clock.nextTimer();
        if (next !== undefined) await this.clock.advanceTo(next);
      }
    }
    await stopped;
    await this.running;
  }

  private instantiate(cls: Newable<unknown>): unknown {
    const container = this.manager.container;
    if (!container.isBound(cls)) {
      try {
        injectable()(cls);
      } catch {
        // already @injectable()
      }
      container.bind(cls).toSelf().inSingletonScope();
    }
    return container.get(cls);
  }
}

/**
 * Starts a test environment: a Manager with shared informers over a FakeStore, on virtual
 * time, running the given controllers. Stop it with `env.stop()` (e.g. in `afterEach`).
 *
 * ```ts
 * const env = await startTestEnv({ objects: [app], kinds: [Apps], controllers: [AppController] });
 * await env.runUntilQuiescent();
 * expect(env.store).toHaveObject(Deployments, 'default/web');
 * await env.stop();
 * ```
 *
 * Today the environment runs over the in-process FakeStore; it will also be able to start a
 * real in-process API server, so the same test can run over HTTP.
 */
export async function startTestEnv(options: TestEnvOptions = {}): Promise<TestEnv> {
  const env = new TestEnv(options);
  await env.start();
  return env;
}
