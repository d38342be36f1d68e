/**
 * The testing harness: how long a test waits for one reconcile of the example App
 * controller (examples/app-operator) on the FakeStore.
 *
 * `harness.reconcile`: `ReconcilerHarness.reconcile(key)` of a new App, the full round trip:
 * the App read, its finalizer patched, its ConfigMap and Deployment created (validated and
 * defaulted by the real registry), an Event recorded, its directory entry written and its
 * status patched: a dozen store calls, 6 writes, each recorded as an action. Milliseconds of
 * this process's CPU time per reconcile (the machine is shared by busy processes, which
 * distort wall-clock figures; virtual time does not move). `harness.reconcile.wall`: mean
 * wall-clock milliseconds; `harness.reconcile.p99`: their 99th percentile (GC pauses and
 * neighbours included). `harness.reconcile.steady`: CPU ms of a reconcile that finds
 * everything in line (reads only).
 * `harness.settle.100-apps`: `ControllerHarness.runUntilQuiescent()` for 100 new Apps, the
 * controller running for real (informers, queue, owner watches) on virtual time.
 */
import { benchmark, percentile, report } from './kit.js';
import { FakeStore } from '../packages/testing/src/fake-store.js';
import { ReconcilerHarness } from '../packages/testing/src/reconciler-harness.js';
import { startController } from '../packages/testing/src/controller-harness.js';
import { AppController } from '../examples/app-operator/src/app.controller.js';
import { Apps, type App } from '../examples/app-operator/src/app.kind.js';

const app = (i: number): App => ({
  apiVersion: 'example.converge.dev/v1alpha1',
  kind: 'App',
  metadata: { name: `app-${i}`, namespace: `ns-${i % 10}` },
  spec: {
    image: `registry.example/app-${i}:1.0`,
    replicas: 2,
    port: 8080,
    config: { LOG_LEVEL: 'info', FEATURE_X: 'on', REGION: 'eu-west' },
  },
});

/** Milliseconds of this process's CPU time (user + system) since `since`: busy neighbours on the machine do not inflate it. */
function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

benchmark(['harness.reconcile', 'harness.reconcile.wall', 'harness.reconcile.p99', 'harness.reconcile.steady'], async () => {
  const N = 2_000;
  const store = new FakeStore({ objects: Array.from({ length: N }, (_, i) => app(i)), kinds: [Apps] });
  await store.ready();
  const controller = new AppController(store, store.clock);
  const harness = new ReconcilerHarness({ store, reconciler: controller });
  // warm-up: JIT, kind lookups
  for (let i = 0; i < 200; i++) await harness.reconcile({ namespace: `ns-${i % 10}`, name: `app-${i}` });

  const first: number[] = [];
  let cpu0 = process.cpuUsage();
  for (let i = 200; i < N; i++) {
    const t = performance.now();
    const run = await harness.reconcile({ namespace: `ns-${i % 10}`, name: `app-${i}` });
    first.push(performance.now() - t);
    if (run.error || run.writes.filter((w) => w.kind !== 'Event').length !== 5)
      throw new Error(`unexpected reconcile of app-${i}: ${String(run.error)} ${run.writes.length} writes`);
  }
  await controller.events.flush();
  const firstCpu = cpuMs(cpu0) / (N - 200);
  const steady: number[] = [];
  cpu0 = process.cpuUsage();
  for (let i = 200; i < N; i++) {
    const t = performance.now();
    const run = await harness.reconcile({ namespace: `ns-${i % 10}`, name: `app-${i}` });
    steady.push(performance.now() - t);
    if (run.writes.length !== 0) throw new Error(`app-${i} was not in line`);
  }
  const steadyCpu = cpuMs(cpu0) / (N - 200);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  report('harness.reconcile', firstCpu, 'ms');
  report('harness.reconcile.wall', mean(first), 'ms');
  report('harness.reconcile.p99', percentile(first, 99), 'ms');
  report('harness.reconcile.steady', steadyCpu, 'ms');
});

benchmark('harness.settle.100-apps', async () => {
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    const store = new FakeStore({ objects: Array.from({ length: 100 }, (_, i) => app(i)), kinds: [Apps] });
    await store.ready();
    const t = performance.now();
    const h = await startController({ store, controller: new AppController(store, store.clock) });
    const result = await h.runUntilQuiescent();
    times.push(performance.now() - t);
    await h.stop();
    if (result.reconciles.length === 0 && h.reconciles.length < 100) throw new Error('the controller did not reconcile every App');
  }
  report('harness.settle.100-apps', Math.min(...times), 'ms');
});
