import {
  keyString,
  parseKey,
  silentLogger,
  type Logger,
  type ReconcileContext,
  type Reconciler,
  type Request,
  type Result,
} from '@converge/core';
import { createReconcileContext } from '@converge/core/runtime';
import { WRITE_VERBS, type Action } from './actions.js';
import { FakeStore } from './fake-store.js';
import { formatMs, outcomeOf, type ReconcileOutcome } from './reconcile-log.js';

/** Options of a ReconcilerHarness. */
export interface ReconcilerHarnessOptions {
  /** The reconciler under test (a `@Controller` instance or any `Reconciler`). */
  reconciler: Reconciler;
  /** The store it talks to; its clock is the reconcile's clock. Default: a new FakeStore. */
  store?: FakeStore;
  /** The controller name the context carries; default `test`. */
  name?: string;
  /** The logger reconciles log through; default silent. */
  logger?: Logger;
  /**
   * How much virtual time one reconcile may wait (on injected latency, `sleep(clock)`, ...)
   * before `reconcile` fails; default 10 minutes.
   */
  maxVirtualMs?: number;
}

/** Options of one `ReconcilerHarness.reconcile`. */
export interface ReconcileOnceOptions {
  /** The back-off count passed as `context.retries`; default 0. */
  retries?: number;
  /** Aborts the reconcile's `context.signal` (as a controller does when it stops). */
  signal?: AbortSignal;
}

/** What one reconcile did: its Result or error, and the store calls it made. */
export interface ReconcileRun {
  readonly request: Request;
  /** `namespace/name`, or `name`. */
  readonly key: string;
  /** The Result returned (`{}` when it returned nothing); `undefined` when it threw. */
  readonly result: Result | undefined;
  /** What it threw, if anything. */
  readonly error: unknown;
  /** How the controller would treat the ending (requeue rules of the `Reconciler` contract). */
  readonly outcome: ReconcileOutcome;
  /** Every store call the reconcile made, in order. */
  readonly actions: readonly Action[];
  /** Its writes (create, update, patch, delete, deletecollection). */
  readonly writes: readonly Action[];
  /** Virtual milliseconds it took (waits on injected latency count; computation does not). */
  readonly virtualMs: number;
}

/**
 * Runs a reconciler for one key at a time and tells what happened: the Result or error,
 * and the store calls it made. Virtual time is driven for you: when the reconcile waits on
 * the clock (injected latency, a sleep), the harness advances the store's clock to the next
 * timer until the reconcile finishes.
 *
 * ```ts
 * const store = new FakeStore({ objects: [app], kinds: [Apps] });
 * const harness = new ReconcilerHarness({ reconciler: new AppController(store), store });
 * const run = await harness.reconcile('default/web');
 * expect(run.error).toBeUndefined();
 * expect(run.writes.map((a) => `${a.verb} ${a.kind}`)).toEqual(['create ConfigMap', 'create Deployment']);
 * ```
 *
 * This calls the reconciler directly: no queue, no informers, no requeue. To run a whole
 * controller (watches, requeues, back-off) until it settles, use `ControllerHarness`. A
 * reconciler reading through a cached client (`cachedClient(store)`) finds the cache caught
 * up with every earlier write at the start of each reconcile (unless the test delays watch
 * events with `watchLatency`: then only once the clock has moved past the delay).
 */
export class ReconcilerHarness {
  /** The store the reconciler talks to. */
  readonly store: FakeStore;
  /** The reconciler under test. */
  readonly reconciler: Reconciler;
  /** Every run so far, oldest first. */
  readonly runs: ReconcileRun[] = [];
  private readonly name: string;
  private readonly log: Logger;
  private readonly maxVirtualMs: number;

  /** Makes a harness around `options.reconciler`. */
  constructor(options: ReconcilerHarnessOptions) {
    this.reconciler = options.reconciler;
    this.store = options.store ?? new FakeStore();
    this.name = options.name ?? 'test';
    this.log = options.logger ?? silentLogger();
    this.maxVirtualMs = options.maxVirtualMs ?? 600_000;
  }

  /** Reconciles one key (`'namespace/name'`, `'name'` or a Request) and reports what happened; never throws the reconciler's error. */
  async reconcile(request: Request | string, options: ReconcileOnceOptions = {}): Promise<ReconcileRun> {
    const req = typeof request === 'string' ? parseKey(request) : request;
    const key = keyString(req);
    await this.store.ready();
    const clock = this.store.clock;
    // Let pending watch events be delivered, so informer caches (a cached client's) have
    // caught up with earlier writes, as they have when a watch event triggers a reconcile.
    await clock.settle();
    const firstAction = this.store.actions().length;
    const context: ReconcileContext = createReconcileContext(req, {
      controller: this.name,
      logger: this.log,
      clock,
      retries: options.retries ?? 0,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const start = clock.now();
    let settled = false;
    let result: Result | undefined;
    let error: unknown;
    let threw = false;
    const done = (async () => {
      try {
        result = (await this.reconciler.reconcile(req, context)) ?? {};
      } catch (err) {
        threw = true;
        error = err;
      } finally {
        settled = true;
      }
    })();
    // Drive virtual time while the reconcile waits on it.
    while (!settled) {
      await Promise.race([done, clock.settle()]);
      if (settled) break;
      const next = clock.nextTimer();
      if (next === undefined) {
        await clock.settle(10);
        if (settled) break;
        throw new Error(
          `ReconcilerHarness: the reconcile of ${key} is waiting on something other than virtual time (no timer is pending): a promise that never resolves?`,
        );
      }
      if (next - start > this.maxVirtualMs)
        throw new Error(`ReconcilerHarness: the reconcile of ${key} did not finish within ${formatMs(this.maxVirtualMs)} of virtual time`);
      await clock.advanceTo(next);
    }
    await done;
    const actions = this.store.actions().slice(firstAction);
    const run: ReconcileRun = {
      request: req,
      key,
      result: threw ? undefined : result,
      error,
      outcome: outcomeOf(result, error, threw),
      actions,
      writes: actions.filter((a) => WRITE_VERBS.includes(a.verb)),
      virtualMs: clock.now() - start,
    };
    this.runs.push(run);
    return run;
  }

  /**
   * Reconciles a key again and again (as the controller would after each change it makes)
   * until a reconcile makes no write and returns no requeue; fails after `maxRuns` (default
   * 20) with the writes of the last run. Useful for a reconciler that makes one change per
   * pass. Requeue delays are not waited for: this checks convergence, not timing.
   */
  async reconcileUntilStable(
    request: Request | string,
    options: ReconcileOnceOptions & { maxRuns?: number } = {},
  ): Promise<ReconcileRun[]> {
    const runs: ReconcileRun[] = [];
    const max = options.maxRuns ?? 20;
    for (let i = 0; i < max; i++) {
      const run = await this.reconcile(request, options);
      runs.push(run);
      if (run.outcome === 'error' || run.outcome === 'terminal') return runs;
      if (run.writes.length === 0 && run.outcome === 'done') return runs;
    }
    const last = runs[runs.length - 1]!;
    throw new Error(
      `ReconcilerHarness: ${last.key} was still changing after ${max} reconciles; the last one ${last.outcome === 'done' ? '' : `returned ${JSON.stringify(last.result)} and `}wrote: ${last.writes.map((w) => `${w.verb} ${w.kind} ${w.name ?? ''}`).join(', ') || 'nothing'}`,
    );
  }
}
