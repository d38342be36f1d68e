import { randomUUID } from 'node:crypto';
import { parseKey } from '../../api/meta.js';
import { realClock, type Clock } from '../../util/clock.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import type { Runnable } from '../manager/runnable.js';
import type { ControllerMetrics, ReconcileOutcome, RuntimeMetrics } from '../metrics/runtime-metrics.js';
import { defaultControllerRateLimiter, type RateLimiter } from '../queue/rate-limiters.js';
import { WorkQueue } from '../queue/work-queue.js';
import { isTerminalError, type ReconcileContext, type Reconciler, type Request } from '../reconciler/reconciler.js';
import { requestKey, type Source } from './sources.js';

/** Options of a ControllerRunner (the "hard mode" API; most users go through the builder or `@Controller`). */
export interface ControllerOptions {
  /** The controller's name: in metrics (`controller` label), logs and the queue name. Must be unique per manager. */
  name: string;
  reconciler: Reconciler;
  /** Where requests come from; more can be added with `watch`. */
  sources?: Source[];
  /** How many reconciles may run at once (for different keys); default 1. */
  maxConcurrentReconciles?: number;
  /** Makes the rate limiter of each run's queue; default `defaultControllerRateLimiter` on `clock`. */
  rateLimiter?: () => RateLimiter<string>;
  /** Time for delays, back-off and durations; default the wall clock. */
  clock?: Clock;
  /** The logger; each line gets `controller`, and reconcile lines `key` and `reconcileID`. Default silent. */
  logger?: Logger;
  /** Where to report metrics; default nowhere. */
  metrics?: RuntimeMetrics;
  /** How long to wait for the sources' caches to sync before failing; default 120 s. */
  cacheSyncTimeoutMs?: number;
  /** Whether it runs only on the elected leader; default true. */
  needLeaderElection?: boolean;
}

/** After this many items in a row without waiting, a worker lets the event loop run once. */
const YIELD_EVERY = 256;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const noMetrics: ControllerMetrics = { reconciled() {}, failed() {}, activeWorkers() {}, maxConcurrentReconciles() {} };

/** Resolves when `signal` aborts. */
export function whenAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/**
 * The running part of a controller: sources → event handlers → a work queue of keys → N workers calling the
 * reconciler, with the requeue rules of the `Reconciler` contract.
 *
 * `start(signal)` starts the sources, waits for their caches to sync, then runs
 * `maxConcurrentReconciles` workers until `signal` aborts. Stopping shuts the queue down,
 * lets in-flight reconciles finish (their context's signal is aborted) and drops what is
 * still queued. A controller can be started again after it stopped (e.g. on a new leader
 * term); each run has a fresh queue and re-reads the caches.
 */
export class ControllerRunner implements Runnable {
  /** The controller's name. */
  readonly name: string;
  /** Whether it runs only on the elected leader. */
  readonly needLeaderElection: boolean;
  private readonly reconciler: Reconciler;
  private readonly sources: Source[];
  private readonly workers: number;
  private readonly rateLimiter: () => RateLimiter<string>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly metrics: ControllerMetrics;
  private readonly runtimeMetrics: RuntimeMetrics | undefined;
  private readonly cacheSyncTimeoutMs: number;
  private run: { queue: WorkQueue<string>; signal: AbortSignal; stops: { unsubscribe(): void }[]; synced: boolean } | undefined;

  /** Makes a stopped controller. */
  constructor(options: ControllerOptions) {
    this.name = options.name;
    this.reconciler = options.reconciler;
    this.sources = [...(options.sources ?? [])];
    this.workers = Math.max(1, options.maxConcurrentReconciles ?? 1);
    this.clock = options.clock ?? realClock;
    const clock = this.clock;
    this.rateLimiter = options.rateLimiter ?? (() => defaultControllerRateLimiter<string>({ clock }));
    this.log = (options.logger ?? silentLogger()).child({ controller: this.name });
    this.runtimeMetrics = options.metrics;
    this.metrics = options.metrics?.forController(this.name) ?? noMetrics;
    this.metrics.maxConcurrentReconciles(this.workers);
    this.cacheSyncTimeoutMs = options.cacheSyncTimeoutMs ?? 120_000;
    this.needLeaderElection = options.needLeaderElection ?? true;
  }

  /** The queue of the current run; undefined while stopped. */
  get queue(): WorkQueue<string> | undefined {
    return this.run?.queue;
  }

  /** Adds a source; if the controller is running, the source starts at once. */
  watch(source: Source): void {
    this.sources.push(source);
    const run = this.run;
    if (run) run.stops.push(source.start({ enqueue: (r) => run.queue.add(requestKey(r)), log: this.log }));
  }

  /** Enqueues a request by hand (ignored while stopped). */
  enqueue(request: Request): void {
    this.run?.queue.add(requestKey(request));
  }

  /** True while running with every source synced (workers started). */
  hasSynced(): boolean {
    return this.run?.synced === true;
  }

  /** True between `start` and the end of the run. */
  isRunning(): boolean {
    return this.run !== undefined;
  }

  /** Runs the controller until `signal` aborts; rejects if the caches do not sync in time. */
  async start(signal: AbortSignal): Promise<void> {
    if (this.run) throw new Error(`controller ${this.name} is already running`);
    // prefer-const: the metrics closure below reads the queue before it is made (undefined until then).
    // eslint-disable-next-line prefer-const
    let queue: WorkQueue<string> | undefined;
    const queueOptions: ConstructorParameters<typeof WorkQueue<string>>[0] = {
      name: this.name,
      clock: this.clock,
      rateLimiter: this.rateLimiter(),
    };
    if (this.runtimeMetrics)
      queueOptions.metrics = this.runtimeMetrics.forQueue(this.name, () => queue as WorkQueue<NonNullable<unknown>> | undefined);
    queue = new WorkQueue<string>(queueOptions);
    const q = queue;
    const run = { queue: q, signal, stops: [] as { unsubscribe(): void }[], synced: false };
    this.run = run;
    try {
      const ctx = { enqueue: (r: Request) => q.add(requestKey(r)), log: this.log };
      for (const source of this.sources) {
        this.log.info({ source: String(source) }, 'Starting EventSource');
        run.stops.push(source.start(ctx));
      }
      this.log.info('Starting Controller');
      const synced = Promise.all(this.sources.map((s) => s.waitForSync(this.cacheSyncTimeoutMs)));
      const outcome = await Promise.race([synced.then(() => 'synced' as const), whenAborted(signal).then(() => 'aborted' as const)]);
      if (outcome === 'aborted') {
        synced.catch(() => {});
        return;
      }
      run.synced = true;
      this.log.info({ workerCount: this.workers }, 'Starting workers');
      const workers = Array.from({ length: this.workers }, () => this.worker(q, signal));
      await whenAborted(signal);
      this.log.info('Shutdown signal received, waiting for all workers to finish');
      q.shutDown();
      await Promise.all(workers);
      this.log.info('All workers finished');
    } finally {
      for (const s of run.stops) s.unsubscribe();
      q.shutDown();
      this.run = undefined;
    }
  }

  private async worker(queue: WorkQueue<string>, signal: AbortSignal): Promise<void> {
    let streak = 0;
    for (;;) {
      if (signal.aborted) return;
      if (streak >= YIELD_EVERY) {
        // A long run of ready items and reconciles that finish without I/O would otherwise
        // keep the microtask queue busy and starve timers and sockets (health probes, watches).
        streak = 0;
        await yieldToEventLoop();
        continue;
      }
      let key = queue.tryGet();
      if (key === undefined) {
        streak = 0;
        key = await queue.get();
        if (key === undefined) return;
      } else {
        streak++;
      }
      if (signal.aborted) {
        queue.done(key);
        return;
      }
      try {
        await this.reconcileKey(queue, key, signal);
      } finally {
        queue.done(key);
      }
    }
  }

  private async reconcileKey(queue: WorkQueue<string>, key: string, signal: AbortSignal): Promise<void> {
    const request = parseKey(key);
    const reconcileID = randomUUID();
    const log = this.log.child({ key, reconcileID });
    const context: ReconcileContext = {
      controller: this.name,
      log,
      signal,
      clock: this.clock,
      retries: queue.numRequeues(key),
      reconcileID,
    };
    this.metrics.activeWorkers(1);
    const start = this.clock.now();
    let outcome: ReconcileOutcome = 'success';
    try {
      const result = await this.reconciler.reconcile(request, context);
      if (result && typeof result.requeueAfter === 'number' && result.requeueAfter > 0) {
        queue.forget(key);
        queue.addAfter(key, result.requeueAfter);
        outcome = 'requeue_after';
      } else if (result && result.requeue) {
        queue.addRateLimited(key);
        outcome = 'requeue';
      } else {
        queue.forget(key);
      }
    } catch (err) {
      outcome = 'error';
      const terminal = isTerminalError(err);
      this.metrics.failed(terminal);
      if (terminal) {
        queue.forget(key);
        log.error({ err }, 'Reconciler error (terminal: not requeued)');
      } else {
        queue.addRateLimited(key);
        if (signal.aborted) log.info({ err }, 'Reconcile failed while stopping');
        else log.error({ err }, 'Reconciler error');
      }
    } finally {
      this.metrics.activeWorkers(-1);
      this.metrics.reconciled(outcome, (this.clock.now() - start) / 1000);
    }
  }
}
