import {
  ControllerBlueprint,
  parseKey,
  silentLogger,
  SharedInformerFactory,
  type Logger,
  type Reconciler,
  type Request,
} from '@converge/core';
import { ControllerRunner, controllerBlueprintOf, isDecoratedController } from '@converge/core/runtime';
import { FakeStore, seededRandom } from './fake-store.js';
import { runUntilQuiescent, type QuiescenceOptions, type QuiescenceReport } from './quiescence.js';
import { ReconcileLog, type ReconcileRecord } from './reconcile-log.js';

/** Options of a ControllerHarness. */
export interface ControllerHarnessOptions {
  /**
   * The controller: an instance of a `@Controller` class, a builder blueprint
   * (`controllerFor(X)...complete(r)`), or a plain `Reconciler` (then it has no watches and
   * reconciles only what is enqueued).
   */
  controller: Reconciler | ControllerBlueprint;
  /** The store; its clock drives everything. Default: a new FakeStore. */
  store?: FakeStore;
  /** The name of a plain reconciler's controller; default `test`. */
  name?: string;
  /** How many reconciles may run at once for a plain reconciler; default 1. */
  maxConcurrentReconciles?: number;
  /** The informers the controller's watches use; default a new SharedInformerFactory over the store, on its clock. */
  informers?: SharedInformerFactory;
  /** The logger of the controller and informers; default silent. */
  logger?: Logger;
}

/**
 * Runs one controller for real (its informers over a FakeStore, its work queue, rate
 * limiter and workers) on the store's virtual clock, and lets a test run it until it
 * settles.
 *
 * ```ts
 * const store = new FakeStore({ objects: [app], kinds: [Apps] });
 * const harness = await startController({ store, controller: new AppController(store) });
 * await harness.runUntilQuiescent();           // follows requeues and back-off on virtual time
 * expect(store).toHaveObject(Deployments, 'default/web', { spec: { replicas: 3 } });
 * await harness.stop();
 * ```
 */
export class ControllerHarness {
  /** The store. */
  readonly store: FakeStore;
  /** The informers of the controller's watches. */
  readonly informers: SharedInformerFactory;
  /** The running controller. */
  readonly runner: ControllerRunner;
  /** Every reconcile of the controller. */
  readonly log = new ReconcileLog();
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private failure: unknown;

  /** Builds the controller (stopped); `start()` runs it. */
  constructor(options: ControllerHarnessOptions) {
    this.store = options.store ?? new FakeStore();
    const logger = options.logger ?? silentLogger();
    this.informers =
      options.informers ??
      new SharedInformerFactory({ store: this.store, clock: this.store.clock, logger, defaults: { random: seededRandom(7) } });
    const c = options.controller;
    let blueprint: ControllerBlueprint | undefined;
    if (c instanceof ControllerBlueprint) blueprint = c;
    else if (isDecoratedController((c as object).constructor)) blueprint = controllerBlueprintOf(c);
    if (blueprint) {
      const wrapped = new ControllerBlueprint(
        blueprint.name,
        blueprint.forType,
        blueprint.watches,
        blueprint.sources,
        blueprint.options,
        this.log.wrap(blueprint.reconciler),
      );
      this.runner = wrapped.build({ informers: this.informers, clock: this.store.clock, logger });
    } else {
      this.runner = new ControllerRunner({
        name: options.name ?? 'test',
        reconciler: this.log.wrap(c as Reconciler),
        clock: this.store.clock,
        logger,
        maxConcurrentReconciles: options.maxConcurrentReconciles ?? 1,
      });
    }
  }

  /** The store's virtual clock. */
  get clock() {
    return this.store.clock;
  }

  /** Every reconcile so far, oldest first. */
  get reconciles(): readonly ReconcileRecord[] {
    return this.log.records;
  }

  /** Starts the controller and resolves once its informers have synced and its workers run. */
  async start(): Promise<void> {
    if (this.running) throw new Error('ControllerHarness: already started');
    await this.store.ready();
    this.abort = new AbortController();
    this.running = this.runner.start(this.abort.signal).catch((err: unknown) => {
      this.failure = err;
    });
    for (let i = 0; i < 1000 && !this.runner.hasSynced(); i++) {
      if (this.failure !== undefined) throw this.failure;
      await this.clock.settle();
      if (this.runner.hasSynced()) break;
      // an informer waiting on a backoff timer (e.g. an injected list error) needs time to move
      if (i % 5 === 4) {
        const next = this.clock.nextTimer();
        if (next !== undefined) await this.clock.advanceTo(next);
      }
    }
    if (this.failure !== undefined) throw this.failure;
    if (!this.runner.hasSynced()) throw new Error(`ControllerHarness: controller ${this.runner.name} did not sync its caches`);
  }

  /** Enqueues requests (`'ns/name'`, `'name'` or Requests), as an event would. */
  enqueue(...requests: (Request | string)[]): void {
    if (!this.runner.isRunning()) throw new Error('ControllerHarness: start() the controller before enqueueing');
    for (const r of requests) this.runner.enqueue(typeof r === 'string' ? parseKey(r) : r);
  }

  /** Runs until the controller is quiescent (see `runUntilQuiescent`); fails clearly when it does not settle within the bounds. */
  runUntilQuiescent(options: QuiescenceOptions = {}): Promise<QuiescenceReport> {
    return runUntilQuiescent(
      { clock: this.clock, runners: () => [this.runner], log: this.log, store: this.store, failure: () => this.failure },
      options,
    );
  }

  /** Lets `ms` of virtual time pass, processing whatever falls due on the way. */
  async runFor(ms: number): Promise<void> {
    await this.clock.advance(ms);
    await this.clock.settle();
    if (this.failure !== undefined) throw this.failure;
  }

  /** Stops the controller (in-flight reconciles finish) and its informers. */
  async stop(): Promise<void> {
    this.abort?.abort();
    // in-flight reconciles may wait on virtual time (latency); let it pass until they end
    for (let i = 0; i < 1000 && this.runner.isRunning(); i++) {
      await this.clock.settle();
      if (!this.runner.isRunning()) break;
      const next = this.clock.nextTimer();
      if (next !== undefined && this.log.inProgress() > 0) await this.clock.advanceTo(next);
    }
    await this.running;
    this.informers.stop();
  }
}

/** Makes a ControllerHarness and starts it: `const h = await startController({ store, controller })`. */
export async function startController(options: ControllerHarnessOptions): Promise<ControllerHarness> {
  const harness = new ControllerHarness(options);
  await harness.start();
  return harness;
}
