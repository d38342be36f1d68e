import { Writable } from 'node:stream';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/meta.js';
import type { ResourceType } from '../../api/resource-type.js';
import { VirtualClock } from '../../util/virtual-clock.js';
import { createLogger } from '../logging/logger.js';
import { RuntimeMetrics } from '../metrics/runtime-metrics.js';
import { ItemExponentialRateLimiter } from '../queue/rate-limiters.js';
import { TerminalError, type ReconcileContext, type Request, type Result } from '../reconciler/reconciler.js';
import { ControllerRunner } from './controller.js';
import { enqueueForObject } from './event-handlers.js';
import { ScriptedInformer } from '../../../test/fakes/scripted-informer.fake.js';
import { kindSource, observableSource } from './sources.js';
import { settleUntil } from '../../../test/support/until.js';

const Widgets: ResourceType = { group: 'example.com', version: 'v1', resource: 'widgets', kind: 'Widget', namespaced: true };

function widget(name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { namespace: 'ns', name, ...extra } };
}

/** A reconciler that records calls and answers from a script. */
class RecordingReconciler {
  calls: { key: string; at: number; retries: number }[] = [];
  active = new Set<string>();
  maxActive = 0;
  overlap = 0;
  answer: (req: Request, n: number) => Promise<Result | void> | Result | void = () => {};
  constructor(private readonly clock: VirtualClock) {}
  async reconcile(req: Request, ctx: ReconcileContext): Promise<Result | void> {
    const key = `${req.namespace}/${req.name}`;
    if (this.active.has(key)) this.overlap++;
    this.active.add(key);
    this.maxActive = Math.max(this.maxActive, this.active.size);
    this.calls.push({ key, at: this.clock.now(), retries: ctx.retries });
    try {
      return await this.answer(req, this.calls.filter((c) => c.key === key).length);
    } finally {
      this.active.delete(key);
    }
  }
  keys(): string[] {
    return this.calls.map((c) => c.key);
  }
}

function setup(options: { workers?: number; autoSync?: boolean; metrics?: RuntimeMetrics; cacheSyncTimeoutMs?: number } = {}) {
  const clock = new VirtualClock({ start: 0 });
  const informer = new ScriptedInformer(Widgets, {}, { clock, autoSync: options.autoSync ?? true });
  const reconciler = new RecordingReconciler(clock);
  const controller = new ControllerRunner({
    name: 'widgets',
    reconciler,
    sources: [kindSource(informer, enqueueForObject())],
    clock,
    maxConcurrentReconciles: options.workers ?? 1,
    rateLimiter: () => new ItemExponentialRateLimiter({ baseDelayMs: 5, maxDelayMs: 1000 }),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.cacheSyncTimeoutMs ? { cacheSyncTimeoutMs: options.cacheSyncTimeoutMs } : {}),
  });
  const stop = new AbortController();
  return { clock, informer, reconciler, controller, stop };
}

describe('ControllerRunner', () => {
  it('reconciles every object already in the cache once it starts, by key', async () => {
    const { clock, informer, reconciler, controller, stop } = setup();
    informer.put(widget('a'));
    informer.put(widget('b'));
    const run = controller.start(stop.signal);
    await settleUntil(clock, () => reconciler.calls.length === 2);
    expect(reconciler.keys()).toEqual(['ns/a', 'ns/b']);
    expect(controller.hasSynced()).toBe(true);
    stop.abort();
    await run;
    expect(controller.isRunning()).toBe(false);
  });

  it('reconciles once for many events that arrive before the key is processed, and again for events during processing', async () => {
    const { clock, informer, reconciler, controller, stop } = setup();
    let release!: () => void;
    reconciler.answer = (_r, n) => (n === 1 ? new Promise<void>((r) => (release = r)) : undefined);
    const run = controller.start(stop.signal);
    informer.put(widget('a'));
    await settleUntil(clock, () => reconciler.calls.length === 1);
    for (let i = 0; i < 5; i++) informer.put(widget('a', { labels: { v: String(i) } }));
    await clock.settle();
    expect(reconciler.calls.length).toBe(1);
    release();
    await settleUntil(clock, () => reconciler.calls.length === 2);
    await clock.settle();
    expect(reconciler.calls.length).toBe(2);
    expect(reconciler.overlap).toBe(0);
    stop.abort();
    await run;
  });

  it('retries a failing reconcile with per-key exponential back-off and resets it on success', async () => {
    const { clock, informer, reconciler, controller, stop } = setup();
    reconciler.answer = (_r, n) => {
      if (n <= 3) throw new Error('boom');
    };
    informer.put(widget('a'));
    const run = controller.start(stop.signal);
    await settleUntil(clock, () => reconciler.calls.length === 1);
    await clock.advance(5);
    await clock.advance(10);
    await clock.advance(20);
    await settleUntil(clock, () => reconciler.calls.length === 4);
    expect(reconciler.calls.map((c) => c.at)).toEqual([0, 5, 15, 35]);
    expect(reconciler.calls.map((c) => c.retries)).toEqual([0, 1, 2, 3]);
    expect(controller.queue!.numRequeues('ns/a')).toBe(0);
    expect(controller.queue!.isIdle()).toBe(true);
    stop.abort();
    await run;
  });

  it('does not retry a TerminalError and counts it', async () => {
    const metrics = new RuntimeMetrics({ processMetrics: false });
    const { clock, informer, reconciler, controller, stop } = setup({ metrics });
    reconciler.answer = () => {
      throw new TerminalError('spec.size must be positive');
    };
    informer.put(widget('a'));
    const run = controller.start(stop.signal);
    await settleUntil(clock, () => reconciler.calls.length === 1);
    await clock.advance(10_000);
    expect(reconciler.calls.length).toBe(1);
    expect(controller.queue!.isIdle()).toBe(true);
    const text = await metrics.text();
    expect(text).toContain('controller_runtime_terminal_reconcile_errors_total{controller="widgets"} 1');
    expect(text).toContain('controller_runtime_reconcile_errors_total{controller="widgets"} 1');
    expect(text).toContain('controller_runtime_reconcile_total{controller="widgets",result="error"} 1');
    stop.abort();
    await run;
  });

  it('requeues after exactly requeueAfter, and with back-off for requeue: true', async () => {
    const { clock, informer, reconciler, controller, stop } = setup();
    reconciler.answer = (_r, n) => (n === 1 ? { requeueAfter: 30_000 } : n <= 3 ? { requeue: true } : {});
    informer.put(widget('a'));
    const run = controller.start(stop.signal);
    await settleUntil(clock, () => reconciler.calls.length === 1);
    await clock.advance(29_999);
    expect(reconciler.calls.length).toBe(1);
    await clock.advance(1);
    await settleUntil(clock, () => reconciler.calls.length === 2);
    await clock.runAll();
    expect(reconciler.calls.map((c) => c.at)).toEqual([0, 30_000, 30_005, 30_015]);
    stop.abort();
    await run;
  });

  it('runs up to maxConcurrentReconciles different keys at once, never one key twice', async () => {
    const { clock, informer, reconciler, controller, stop } = setup({ workers: 3 });
    reconciler.answer = () => new Promise<void>((r) => clock.setTimeout(r, 100));
    for (let i = 0; i < 10; i++) informer.put(widget(`w${i}`));
    const run = controller.start(stop.signal);
    await settleUntil(clock, () => reconciler.active.size === 3);
    for (let i = 0; i < 10; i++) informer.put(widget(`w${i}`, { labels: { again: 'yes' } }));
    await clock.runAll();
    expect(reconciler.maxActive).toBe(3);
    expect(reconciler.overlap).toBe(0);
    // each key once, plus once more for the keys that were being reconciled when updated
    expect(reconciler.calls.length).toBe(13);
    stop.abort();
    await run;
  });

  it('lets in-flight reconciles finish on stop, aborts their signal, and drops what is queued', async () => {
    const { clock, informer, reconciler, controller, stop } = setup();
    let sawAbort = false;
    reconciler.answer = async (req) => {
      if (req.name !== 'a') return;
      await new Promise<void>((r) => clock.setTimeout(r, 1000));
      sawAbort = stop.signal.aborted;
    };
    informer.put(widget('a'));
    informer.put(widget('b'));
    const run = controller.start(stop.signal);
    await settleUntil(clock, () => reconciler.calls.length === 1);
    stop.abort();
    let finished = false;
    void run.then(() => (finished = true));
    await clock.settle();
    expect(finished).toBe(false);
    await clock.advance(1000);
    await run;
    expect(sawAbort).toBe(true);
    expect(reconciler.keys()).toEqual(['ns/a']);
  });

  it('can be started again after it stopped, reading the cache afresh', async () => {
    const { clock, informer, reconciler, controller } = setup();
    informer.put(widget('a'));
    const first = new AbortController();
    const run1 = controller.start(first.signal);
    await settleUntil(clock, () => reconciler.calls.length === 1);
    first.abort();
    await run1;
    informer.put(widget('b'));
    const second = new AbortController();
    const run2 = controller.start(second.signal);
    await settleUntil(clock, () => reconciler.calls.length === 3);
    expect(reconciler.keys().slice(1).sort()).toEqual(['ns/a', 'ns/b']);
    second.abort();
    await run2;
  });

  it('fails to start when the caches do not sync in time', async () => {
    const { clock, controller, stop } = setup({ autoSync: false, cacheSyncTimeoutMs: 5000 });
    const run = controller.start(stop.signal);
    const failed = expect(run).rejects.toThrow(/timed out waiting for Widget cache to sync/);
    await clock.advance(5000);
    await failed;
    expect(controller.isRunning()).toBe(false);
  });

  it('starts no workers until synced and stops cleanly if stopped before that', async () => {
    const { clock, informer, reconciler, controller, stop } = setup({ autoSync: false });
    informer.put(widget('a'));
    const run = controller.start(stop.signal);
    await clock.settle();
    expect(reconciler.calls.length).toBe(0);
    informer.markSynced();
    await settleUntil(clock, () => reconciler.calls.length === 1);
    stop.abort();
    await run;
  });

  it('lets the event loop run during a long burst of reconciles that do no I/O', async () => {
    const { clock, informer, reconciler, controller, stop } = setup();
    for (let i = 0; i < 2000; i++) informer.put(widget(`w${i}`));
    const run = controller.start(stop.signal);
    const seenAtImmediate = await new Promise<number>((resolve) => setImmediate(() => resolve(reconciler.calls.length)));
    expect(seenAtImmediate).toBeLessThan(2000);
    await settleUntil(clock, () => reconciler.calls.length === 2000);
    stop.abort();
    await run;
  });

  it('takes requests from an observable source and by hand', async () => {
    const clock = new VirtualClock({ start: 0 });
    const reconciler = new RecordingReconciler(clock);
    const requests = new Subject<Request | Request[]>();
    const controller = new ControllerRunner({ name: 'ext', reconciler, sources: [observableSource(requests)], clock });
    const stop = new AbortController();
    const run = controller.start(stop.signal);
    await settleUntil(clock, () => controller.hasSynced());
    requests.next({ namespace: 'ns', name: 'x' });
    requests.next([
      { namespace: 'ns', name: 'y' },
      { namespace: 'ns', name: 'x' },
    ]);
    controller.enqueue({ namespace: 'ns', name: 'z' });
    await settleUntil(clock, () => reconciler.calls.length === 4);
    // x went straight to the idle worker, so the second x arrived while it was processing: once more afterwards
    expect(reconciler.keys()).toEqual(['ns/x', 'ns/y', 'ns/z', 'ns/x']);
    stop.abort();
    await run;
  });

  it('logs each reconcile with the controller name and the object key', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _enc, cb) {
        for (const l of String(chunk).split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
        cb();
      },
    });
    const clock = new VirtualClock({ start: 0 });
    const informer = new ScriptedInformer(Widgets, {}, { clock });
    const controller = new ControllerRunner({
      name: 'widgets',
      clock,
      logger: createLogger({ level: 'info', destination, clock }),
      sources: [kindSource(informer, enqueueForObject())],
      reconciler: { reconcile: (_req, ctx) => ctx.log.info('reconciling') },
    });
    informer.put(widget('a'));
    const stop = new AbortController();
    const run = controller.start(stop.signal);
    await settleUntil(clock, () => lines.some((l) => l.msg === 'reconciling'));
    stop.abort();
    await run;
    const line = lines.find((l) => l.msg === 'reconciling')!;
    expect(line).toMatchObject({ controller: 'widgets', key: 'ns/a', time: 0 });
    expect(typeof line.reconcileID).toBe('string');
    expect(lines.find((l) => l.msg === 'Starting workers')).toMatchObject({ controller: 'widgets', workerCount: 1 });
  });

  it('exports the reconcile and work queue metrics with controller-runtime names', async () => {
    const metrics = new RuntimeMetrics({ processMetrics: false });
    const { clock, informer, reconciler, controller, stop } = setup({ metrics });
    reconciler.answer = (req) => (req.name === 'slow' ? new Promise<void>((r) => clock.setTimeout(r, 2000)) : undefined);
    informer.put(widget('a'));
    informer.put(widget('slow'));
    const run = controller.start(stop.signal);
    await settleUntil(clock, () => reconciler.calls.length === 2);
    await clock.advance(500);
    const during = await metrics.text();
    expect(during).toContain('controller_runtime_active_workers{controller="widgets"} 1');
    expect(during).toContain('workqueue_longest_running_processor_seconds{name="widgets",controller="widgets"} 0.5');
    expect(during).toContain('workqueue_unfinished_work_seconds{name="widgets",controller="widgets"} 0.5');
    await clock.advance(1500);
    await settleUntil(clock, () => reconciler.active.size === 0);
    await clock.settle();
    const text = await metrics.text();
    expect(text).toContain('controller_runtime_reconcile_total{controller="widgets",result="success"} 2');
    expect(text).toContain('controller_runtime_max_concurrent_reconciles{controller="widgets"} 1');
    expect(text).toContain('controller_runtime_reconcile_time_seconds_count{controller="widgets"} 2');
    expect(text).toContain('workqueue_adds_total{name="widgets",controller="widgets"} 2');
    expect(text).toContain('workqueue_depth{name="widgets",controller="widgets",priority=""} 0');
    expect(text).toContain('workqueue_work_duration_seconds_count{name="widgets",controller="widgets"} 2');
    expect(text).toContain('workqueue_queue_duration_seconds_count{name="widgets",controller="widgets"} 2');
    expect(text).toContain('workqueue_retries_total{name="widgets",controller="widgets"} 0');
    stop.abort();
    await run;
  });
});
