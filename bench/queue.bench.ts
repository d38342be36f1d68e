/**
 * Work queue throughput: items per second through add → get → done.
 *
 * `queue.add-get-done`: batches of distinct keys are added, then taken by 4 async workers
 * (`tryGet() ?? await get()`, as a controller's workers do) and marked done; the figure is
 * items per second over about two seconds, after a warm-up. `queue.add-get-done.metrics`
 * is the same with a metrics sink attached (clock reads and observations per item), and
 * `queue.add-get-done.waiting` hands every item to a worker that is already waiting in
 * `get()` (the idle-controller path, one Promise per item).
 */
import { benchmark, report } from './kit.js';
import { WorkQueue, type WorkQueueMetricsSink } from '../packages/core/src/runtime/queue/work-queue.js';

const KEYS = Array.from({ length: 10_000 }, (_, i) => `default/pod-${i}`);

async function batched(q: WorkQueue<string>, ms: number): Promise<number> {
  let n = 0;
  const worker = async () => {
    for (;;) {
      const item = q.tryGet() ?? (await q.get());
      if (item === undefined) return;
      n++;
      q.done(item);
    }
  };
  const workers = [worker(), worker(), worker(), worker()];
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (const k of KEYS) q.add(k);
    // let the workers take the batch
    await new Promise<void>((r) => setImmediate(r));
  }
  const elapsed = (performance.now() - start) / 1000;
  q.shutDown();
  await Promise.all(workers);
  return n / elapsed;
}

async function waiting(q: WorkQueue<string>, ms: number): Promise<number> {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 1000; i++) {
      const p = q.get();
      q.add(KEYS[i]!);
      const item = (await p)!;
      n++;
      q.done(item);
    }
  }
  return n / ((performance.now() - start) / 1000);
}

const noopSink: WorkQueueMetricsSink = { added() {}, queued() {}, worked() {}, retried() {} };

benchmark(['queue.add-get-done', 'queue.add-get-done.metrics', 'queue.add-get-done.waiting'], async () => {
  await batched(new WorkQueue<string>({ name: 'warmup' }), 300);
  report('queue.add-get-done', Math.round(await batched(new WorkQueue<string>({ name: 'bench' }), 2000)), 'items/s');
  report('queue.add-get-done.metrics', Math.round(await batched(new WorkQueue<string>({ name: 'bench', metrics: noopSink }), 1000)), 'items/s');
  report('queue.add-get-done.waiting', Math.round(await waiting(new WorkQueue<string>({ name: 'bench' }), 1000)), 'items/s');
});

benchmark(['queue.add-get-done.prom', 'queue.controller.noop-reconciles'], async () => {
  const { RuntimeMetrics } = await import('../packages/core/src/runtime/metrics/runtime-metrics.js');
  const { ControllerRunner } = await import('../packages/core/src/runtime/controller/controller.js');
  const metrics = new RuntimeMetrics({ processMetrics: false });
  report('queue.add-get-done.prom', Math.round(await batched(new WorkQueue<string>({ name: 'bench', metrics: metrics.forQueue('bench', () => undefined) }), 1000)), 'items/s');

  // the whole controller path: queue → worker → reconcile (no-op) → requeue rules → metrics → done
  let reconciled = 0;
  const controller = new ControllerRunner({ name: 'noop', reconciler: { reconcile: () => void reconciled++ }, metrics, maxConcurrentReconciles: 4 });
  const stop = new AbortController();
  const run = controller.start(stop.signal);
  while (!controller.hasSynced()) await new Promise<void>((r) => setImmediate(r));
  const start = performance.now();
  while (performance.now() - start < 1000) {
    for (let i = 0; i < 1000; i++) controller.enqueue({ namespace: 'default', name: KEYS[i]! });
    await new Promise<void>((r) => setImmediate(r));
  }
  const rate = reconciled / ((performance.now() - start) / 1000);
  stop.abort();
  await run;
  report('queue.controller.noop-reconciles', Math.round(rate), 'reconciles/s');
});
