/**
 * Work queue throughput: items per second through add → get → done.
 *
 * `queue.add-get-done`: batches of 10,000 distinct keys are added, then taken by 4 async
 * workers (`tryGet() ?? await get()`, as a controller's workers do) and marked done. The
 * machine is shared by several busy processes, so the figure is items per second of this
 * process's CPU time (user + system), which neighbours do not distort;
 * `queue.add-get-done.wall` is the same run per wall-clock second.
 * `queue.add-get-done.metrics` adds a no-op metrics sink (clock reads per item),
 * `queue.add-get-done.prom` the real Prometheus metrics, and `queue.add-get-done.waiting`
 * hands every item to a worker already waiting in `get()` (the idle-controller path, one
 * Promise per item). `queue.controller.noop-reconciles` runs the whole controller path
 * (worker, reconcile context and logger, requeue rules, metrics) with a no-op reconciler.
 */
import { benchmark, report } from './kit.js';
import { WorkQueue, type WorkQueueMetricsSink } from '../packages/core/src/runtime/queue/work-queue.js';

const KEYS = Array.from({ length: 10_000 }, (_, i) => `default/pod-${i}`);

interface Rate {
  cpu: number;
  wall: number;
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

async function batched(q: WorkQueue<string>, ms: number): Promise<Rate> {
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
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (const k of KEYS) q.add(k);
    // let the workers take the batch
    await new Promise<void>((r) => setImmediate(r));
  }
  const elapsed = (performance.now() - start) / 1000;
  const cpu = cpuSeconds(cpu0);
  q.shutDown();
  await Promise.all(workers);
  return { cpu: n / cpu, wall: n / elapsed };
}

async function waiting(q: WorkQueue<string>, ms: number): Promise<Rate> {
  let n = 0;
  const cpu0 = process.cpuUsage();
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
  return { cpu: n / cpuSeconds(cpu0), wall: n / ((performance.now() - start) / 1000) };
}

const noopSink: WorkQueueMetricsSink = { added() {}, queued() {}, worked() {}, retried() {} };

benchmark(['queue.add-get-done', 'queue.add-get-done.wall', 'queue.add-get-done.metrics', 'queue.add-get-done.waiting'], async () => {
  await batched(new WorkQueue<string>({ name: 'warmup' }), 300);
  const main = await batched(new WorkQueue<string>({ name: 'bench' }), 2000);
  report('queue.add-get-done', Math.round(main.cpu), 'items/s (per CPU second)');
  report('queue.add-get-done.wall', Math.round(main.wall), 'items/s (wall clock)');
  report(
    'queue.add-get-done.metrics',
    Math.round((await batched(new WorkQueue<string>({ name: 'bench', metrics: noopSink }), 1000)).cpu),
    'items/s (per CPU second)',
  );
  report(
    'queue.add-get-done.waiting',
    Math.round((await waiting(new WorkQueue<string>({ name: 'bench' }), 1000)).cpu),
    'items/s (per CPU second)',
  );
});

benchmark(['queue.add-get-done.prom', 'queue.controller.noop-reconciles'], async () => {
  const { RuntimeMetrics } = await import('../packages/core/src/runtime/metrics/runtime-metrics.js');
  const { ControllerRunner } = await import('../packages/core/src/runtime/controller/controller.js');
  const metrics = new RuntimeMetrics({ processMetrics: false });
  const prom = await batched(new WorkQueue<string>({ name: 'bench', metrics: metrics.forQueue('bench', () => undefined) }), 1000);
  report('queue.add-get-done.prom', Math.round(prom.cpu), 'items/s (per CPU second)');

  // the whole controller path: queue → worker → reconcile (no-op) → requeue rules → metrics → done
  let reconciled = 0;
  const controller = new ControllerRunner({
    name: 'noop',
    reconciler: { reconcile: () => void reconciled++ },
    metrics,
    maxConcurrentReconciles: 4,
  });
  const stop = new AbortController();
  const run = controller.start(stop.signal);
  while (!controller.hasSynced()) await new Promise<void>((r) => setImmediate(r));
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < 1000) {
    for (let i = 0; i < 1000; i++) controller.enqueue({ namespace: 'default', name: KEYS[i]! });
    await new Promise<void>((r) => setImmediate(r));
  }
  const rate = reconciled / cpuSeconds(cpu0);
  stop.abort();
  await run;
  report('queue.controller.noop-reconciles', Math.round(rate), 'reconciles/s (per CPU second)');
});
