import 'reflect-metadata';
import { setMaxListeners } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Container, injectable, type Newable } from 'inversify';
import type { ObjectStore } from '../../store/object-store.js';
import { realClock, type Clock } from '../../util/clock.js';
import { ControllerBlueprint } from '../controller/builder.js';
import { ControllerRunner, whenAborted } from '../controller/controller.js';
import type { InformerProvider } from '../controller/informer-provider.js';
import { SharedInformerFactory } from '../informer/shared-informer-factory.js';
import { CachedObjectStore, type CachedObjectStoreOptions, type FieldIndexFunc } from '../client/cached-object-store.js';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceType } from '../../api/resource-type.js';
import { controllerBlueprintOf, isDecoratedController } from '../decorators/controller.decorators.js';
import { pluginMetadataOf } from '../decorators/plugin.decorators.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { RuntimeMetrics } from '../metrics/runtime-metrics.js';
import type { Reconciler } from '../reconciler/reconciler.js';
import { HealthServer, type HealthCheck } from './health-server.js';
import { LeaderElector, type LeaderElectionOptions } from './leader-election.js';
import { isRunnable, type Runnable } from './runnable.js';
import { ClockToken, DirectStoreToken, InformersToken, LoggerToken, ManagerToken, MetricsToken, ObjectStoreToken } from './tokens.js';

/** Leader election settings of a manager (durations in ms; defaults 15 s / 10 s / 2 s). */
export type ManagerLeaderElectionOptions = Omit<LeaderElectionOptions, 'store' | 'clock' | 'logger' | 'metrics'>;

/** Options of a Manager. */
export interface ManagerOptions {
  /** The ObjectStore everything talks to (the registry, a remote API server, or a FakeStore). */
  store: ObjectStore;
  /**
   * The shared informers: default a `SharedInformerFactory` over `store` with the manager's
   * clock and logger. Pass a provider (e.g. a factory with a transform or indexers), or a
   * function making one from the manager's store, clock and logger.
   */
  informers?: InformerProvider | ((deps: { store: ObjectStore; clock: Clock; logger: Logger }) => InformerProvider);
  /** Time for everything the manager runs; default the wall clock. */
  clock?: Clock;
  /** The root logger; default `createLogger()` (quiet under vitest). */
  logger?: Logger;
  /** The metrics; default a new RuntimeMetrics with its own registry. */
  metrics?: RuntimeMetrics;
  /** Serve `/healthz`, `/readyz` and `/metrics` on this port (0 = any free port) and host (default 127.0.0.1). Off by default. */
  http?: { port: number; host?: string };
  /** Elect a leader on a Lease before starting leader-only runnables; off by default (then this manager always leads). */
  leaderElection?: ManagerLeaderElectionOptions;
  /** How long a stop waits for runnables (in-flight reconciles) to finish; default 30 s. */
  gracefulShutdownTimeoutMs?: number;
  /** A container to create the manager's container as a child of (for bindings of your own). */
  parentContainer?: Container;
  /**
   * Whether `ObjectStoreToken` injects the cached client (reads from the shared informers'
   * caches; see `CachedObjectStore`) rather than the store itself; default true.
   */
  cachedReads?: boolean;
  /**
   * Settings of the cached client: `selectionFor` confines the cache of a kind (e.g. to the
   * one namespace RBAC allows), `syncTimeoutMs` bounds a first read's wait for its informer.
   */
  client?: Pick<CachedObjectStoreOptions, 'selectionFor' | 'syncTimeoutMs'>;
}

/** Options of `Manager.add` for a runnable. */
export interface AddOptions {
  /** A name for logs; default the runnable's own name. */
  name?: string;
  /** Override whether it runs only on the leader. */
  needLeaderElection?: boolean;
}

/** A controller (duck-typed, so it works across copies of this package). */
function isController(r: Runnable): r is ControllerRunner {
  return r instanceof ControllerRunner || typeof (r as Partial<ControllerRunner>).hasSynced === 'function';
}

interface Entry {
  runnable: Runnable;
  name: string;
  leaderOnly: boolean;
  /** The current run, if any; a new run waits for the previous one to end. */
  running: Promise<void> | undefined;
}

/**
 * Runs controllers and other plugins: the piece a controller binary's `main` creates.
 *
 * ```ts
 * const manager = new Manager({ store, leaderElection: { leaseName: 'foo-controller' } });
 * manager.add(FooController);                      // a @Controller class, built through the container
 * manager.add(controllerFor(Bars).complete(r));    // or a builder blueprint, or any Runnable
 * await manager.start(shutdownSignal());
 * ```
 *
 * The manager owns an inversify container (with the cached client, the store, clock, logger,
 * informers, metrics and itself bound under the tokens in `tokens.ts`: controllers injecting
 * `ObjectStoreToken` read from the shared caches and write to the store), gets every informer from one
 * shared provider (two controllers watching Pods share one list/watch and cache), starts
 * runnables that need no leader at once and leader-only ones (controllers by default) when
 * it holds the Lease, stopping them the moment the Lease is lost. It serves health, readiness
 * and Prometheus metrics, and on stop gives in-flight reconciles up to
 * `gracefulShutdownTimeoutMs` to finish.
 */
export class Manager {
  /** The inversify container controllers and plugins are created in. */
  readonly container: Container;
  /** The metrics (serve `metrics.registry`). */
  readonly metrics: RuntimeMetrics;
  /** The shared informers. */
  readonly informers: InformerProvider;
  /** The ObjectStore itself (every read a request), also injected as `DirectStoreToken`. */
  readonly store: ObjectStore;
  /** The cached client over `store` and `informers` (injected as `ObjectStoreToken` unless `cachedReads` is false). */
  readonly client: CachedObjectStore;
  /** The clock. */
  readonly clock: Clock;
  /** The root logger. */
  readonly log: Logger;
  private readonly options: ManagerOptions;
  private readonly entries: Entry[] = [];
  private readonly healthz = new Map<string, HealthCheck>([['ping', () => {}]]);
  private readonly readyz = new Map<string, HealthCheck>([['ping', () => {}]]);
  private readonly elector: LeaderElector | undefined;
  private server: HealthServer | undefined;
  private stopper: AbortController | undefined;
  private runSignal: AbortSignal | undefined;
  private leaderSignal: AbortSignal | undefined;
  private failure: unknown;
  private done: Promise<void> | undefined;
  private electedWaiters: (() => void)[] = [];

  /** Makes a stopped manager. */
  constructor(options: ManagerOptions) {
    this.options = options;
    this.store = options.store;
    this.clock = options.clock ?? realClock;
    this.log = options.logger ?? createLogger();
    this.metrics = options.metrics ?? new RuntimeMetrics();
    const deps = { store: this.store, clock: this.clock, logger: this.log };
    this.informers =
      typeof options.informers === 'function' ? options.informers(deps) : (options.informers ?? new SharedInformerFactory(deps));
    const checkable = this.informers as InformerProvider & { check?: () => void };
    if (typeof checkable.check === 'function') this.readyz.set('informers', () => checkable.check!());
    this.container = options.parentContainer ? new Container({ parent: options.parentContainer }) : new Container();
    this.client = new CachedObjectStore({ ...options.client, store: this.store, informers: this.informers });
    this.container.bind(ObjectStoreToken).toConstantValue(options.cachedReads === false ? this.store : this.client);
    this.container.bind(DirectStoreToken).toConstantValue(this.store);
    this.container.bind(ClockToken).toConstantValue(this.clock);
    this.container.bind(LoggerToken).toConstantValue(this.log);
    this.container.bind(InformersToken).toConstantValue(this.informers);
    this.container.bind(MetricsToken).toConstantValue(this.metrics);
    this.container.bind(ManagerToken).toConstantValue(this);
    if (options.leaderElection) {
      this.elector = new LeaderElector({
        ...options.leaderElection,
        store: this.store,
        clock: this.clock,
        logger: this.log,
        metrics: this.metrics,
      });
      const elector = this.elector;
      this.healthz.set('leader-election', () => {
        const err = elector.check(20_000);
        if (err) throw err;
      });
    }
    this.readyz.set('controllers-synced', () => {
      const waiting = this.entries.filter((e) => e.running && isController(e.runnable) && !e.runnable.hasSynced());
      if (waiting.length > 0) throw new Error(`caches not synced: ${waiting.map((e) => e.name).join(', ')}`);
    });
  }

  /**
   * Registers something to run:
   * - a `@Controller` class: created through the container, then built as its decorators say;
   * - a `@Plugin` class (or any class whose instances have `start`): created through the container;
   * - a `ControllerBlueprint` from the builder: built over the manager's informers;
   * - any `Runnable`.
   *
   * Returns the runnable (a `ControllerRunner` for controllers). If the manager is already
   * running, the runnable starts at once (leader-only ones only while leading).
   */
  add(item: ControllerBlueprint | Runnable | Newable<unknown>, options: AddOptions = {}): Runnable {
    let runnable: Runnable;
    let name = options.name;
    let leaderOnly = options.needLeaderElection;
    if (ControllerBlueprint.is(item)) {
      runnable = this.build(item);
    } else if (typeof item === 'function') {
      const cls = item as Newable<unknown>;
      const instance = this.instantiate(cls);
      if (isDecoratedController(cls)) {
        runnable = this.build(controllerBlueprintOf(instance as Reconciler));
      } else if (isRunnable(instance)) {
        runnable = instance;
        const meta = pluginMetadataOf(cls);
        name ??= meta?.name ?? cls.name;
        leaderOnly ??= meta?.needLeaderElection;
      } else {
        throw new Error(`${cls.name} is neither a @Controller nor a runnable (a class with start(signal))`);
      }
    } else if (isRunnable(item)) {
      runnable = item;
    } else {
      throw new Error('Manager.add: expected a @Controller or @Plugin class, a ControllerBlueprint or a Runnable');
    }
    name ??= runnable.name ?? `runnable-${this.entries.length}`;
    if (isController(runnable) && this.entries.some((e) => e.name === name && isController(e.runnable))) {
      throw new Error(`a controller named ${name} is already registered; controller names must be unique`);
    }
    const entry: Entry = { runnable, name, leaderOnly: leaderOnly ?? runnable.needLeaderElection ?? false, running: undefined };
    this.entries.push(entry);
    if (this.runSignal && !this.runSignal.aborted) {
      if (!entry.leaderOnly) this.launch(entry, this.runSignal);
      else if (this.leaderSignal && !this.leaderSignal.aborted) this.launch(entry, this.leaderSignal);
    }
    return runnable;
  }

  /**
   * Registers an index on the shared informer of a kind, for `list(type, { index })` on the
   * cached client (see `CachedObjectStore.addIndex`): call it before adding the controllers
   * that list by it.
   */
  addIndex<T extends KubeObject>(type: ResourceType<T>, name: string, fn: FieldIndexFunc<T>): void {
    this.client.addIndex(type, name, fn);
  }

  /** Adds a liveness check served on `/healthz` (and `/healthz/<name>`). */
  addHealthzCheck(name: string, check: HealthCheck): void {
    this.healthz.set(name, check);
  }

  /** Adds a readiness check served on `/readyz` (and `/readyz/<name>`). */
  addReadyzCheck(name: string, check: HealthCheck): void {
    this.readyz.set(name, check);
  }

  /** True while this manager may run leader-only runnables (always true without leader election, once started). */
  isLeader(): boolean {
    return this.leaderSignal !== undefined && !this.leaderSignal.aborted;
  }

  /** Resolves once this manager leads (at start when leader election is off). */
  elected(): Promise<void> {
    if (this.isLeader()) return Promise.resolve();
    return new Promise((resolve) => this.electedWaiters.push(resolve));
  }

  /** The address of the health/metrics server while it listens. */
  address(): AddressInfo | undefined {
    return this.server?.address();
  }

  /** The registered runnables with their names, in order. */
  runnables(): { name: string; runnable: Runnable; needLeaderElection: boolean }[] {
    return this.entries.map((e) => ({ name: e.name, runnable: e.runnable, needLeaderElection: e.leaderOnly }));
  }

  /**
   * Runs everything until `signal` aborts or `stop()` is called, then shuts down gracefully.
   * Rejects when a runnable failed (e.g. a cache did not sync) or shutdown timed out.
   */
  start(signal?: AbortSignal): Promise<void> {
    if (this.done) throw new Error('the manager was already started');
    const stopper = new AbortController();
    // every runnable listens on the run signal (and the leader term's): no listener limit
    setMaxListeners(0, stopper.signal);
    this.stopper = stopper;
    if (signal) {
      if (signal.aborted) stopper.abort();
      else signal.addEventListener('abort', () => stopper.abort(), { once: true });
    }
    this.done = this.run(stopper.signal);
    return this.done;
  }

  /** Stops the manager and resolves when it has shut down (never rejects). */
  async stop(): Promise<void> {
    this.stopper?.abort();
    await this.done?.catch(() => {});
  }

  private async run(signal: AbortSignal): Promise<void> {
    this.runSignal = signal;
    this.log.info('starting manager');
    if (this.options.http) {
      const serverOptions: ConstructorParameters<typeof HealthServer>[0] = {
        port: this.options.http.port,
        healthz: this.healthz,
        readyz: this.readyz,
        registry: this.metrics.registry,
        logger: this.log,
      };
      if (this.options.http.host) serverOptions.host = this.options.http.host;
      this.server = new HealthServer(serverOptions);
      await this.server.listen();
    }
    for (const e of this.entries) if (!e.leaderOnly) this.launch(e, signal);
    let election: Promise<void> | undefined;
    if (this.elector) {
      election = this.elector
        .run(signal, {
          onStartedLeading: (term) => this.lead(term),
          onNewLeader: (identity) => this.log.info({ leader: identity }, 'new leader elected'),
        })
        .catch((err: unknown) => this.fail('leader election', err));
    } else {
      this.lead(signal);
    }
    await whenAborted(signal);
    this.log.info('stopping manager: waiting for runnables to finish');
    const timeoutMs = this.options.gracefulShutdownTimeoutMs ?? 30_000;
    const all = Promise.all([...this.entries.map((e) => e.running), election]).then(() => 'done' as const);
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = this.clock.setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([all, timedOut]);
    if (timer !== undefined) this.clock.clearTimeout(timer);
    const stoppable = this.informers as InformerProvider & { stop?: () => void };
    if (typeof stoppable.stop === 'function') stoppable.stop();
    await this.server?.close();
    this.server = undefined;
    if (outcome === 'timeout') {
      const pending = this.entries.filter((e) => e.running !== undefined).map((e) => e.name);
      this.log.error({ pending, timeoutMs }, 'graceful shutdown timed out');
      throw new Error(`failed waiting for all runnables to end within grace period of ${timeoutMs / 1000}s: ${pending.join(', ')}`);
    }
    this.log.info('manager stopped');
    if (this.failure !== undefined) throw this.failure;
  }

  /** Starts the leader-only runnables for one term. */
  private lead(term: AbortSignal): void {
    setMaxListeners(0, term);
    this.leaderSignal = term;
    for (const w of this.electedWaiters.splice(0)) w();
    for (const e of this.entries) if (e.leaderOnly) this.launch(e, term);
  }

  private launch(entry: Entry, signal: AbortSignal): void {
    const previous = entry.running ?? Promise.resolve();
    const run: Promise<void> = previous
      .then(async () => {
        if (signal.aborted) return;
        this.log.info({ runnable: entry.name }, 'starting runnable');
        await entry.runnable.start(signal);
      })
      .catch((err: unknown) => {
        if (!signal.aborted) this.fail(entry.name, err);
        else this.log.warn({ runnable: entry.name, err }, 'runnable failed while stopping');
      })
      .finally(() => {
        if (entry.running === run) entry.running = undefined;
      });
    entry.running = run;
  }

  private fail(name: string, err: unknown): void {
    this.log.error({ runnable: name, err }, 'runnable failed; stopping the manager');
    if (this.failure === undefined) this.failure = err;
    this.stopper?.abort();
  }

  private build(blueprint: ControllerBlueprint): ControllerRunner {
    return blueprint.build({ informers: this.informers, clock: this.clock, logger: this.log, metrics: this.metrics });
  }

  private instantiate<T>(cls: Newable<T>): T {
    if (!this.container.isBound(cls)) {
      try {
        injectable()(cls);
      } catch {
        // already @injectable()
      }
      this.container.bind(cls).toSelf().inSingletonScope();
    }
    return this.container.get(cls);
  }
}
