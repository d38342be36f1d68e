/**
 * The testing harness: how long a test waits for one reconcile of the example App
 * controller (examples/app-operator) on the FakeStore.
 *
 * `harness.reconcile`: `ReconcilerHarness.reconcile(key)` of a new App, the full round trip:
 * the App read, its finalizer written, its ConfigMap and Deployment created (validated and
 * defaulted by the real registry), its directory entry written and its status updated: 9
 * store calls, 5 writes, each recorded as an action. Mean milliseconds per reconcile (wall
 * clock; virtual time does not move). `harness.reconcile.p99`: the 99th percentile.
 * `harness.reconcile.steady`: a reconcile that finds everything in line (reads only).
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
  spec: { image: `registry.example/app-${i}:1.0`, replicas: 2, port: 8080, config: { LOG_LEVEL: 'info', FEATURE_X: 'on', REGION: 'eu-west' } },
});

benchmark(['harness.reconcile', 'harness.reconcile.p99', 'harness.reconcile.steady'], async () => {
  const N = 2_000;
  const store = new FakeStore({ objects: Array.from({ length: N }, (_, i) => app(i)), kinds: [Apps] });
  await store.ready();
  const harness = new ReconcilerHarness({ store, reconciler: new AppController(store, store.clock) });
  // warm-up: JIT, kind lookups
  for (let i = 0; i < 200; i++) await harness.reconcile({ namespace: `ns-${i % 10}`, name: `app-${i}` });

  const first: number[] = [];
  for (let i = 200; i < N; i++) {
    const t = performance.now();
    const run = await harness.reconcile({ namespace: `ns-${i % 10}`, name: `app-${i}` });
    first.push(performance.now() - t);
    if (run.error || run.writes.length !== 5) throw new Error(`unexpected reconcile of app-${i}: ${String(run.error)} ${run.writes.length} writes`);
  }
  const steady: number[] = [];
  for (let i = 200; i < N; i++) {
    const t = performance.now();
    const run = await harness.reconcile({ namespace: `ns-${i % 10}`, name: `app-${i}` });
    steady.push(performance.now() - t);
    if (run.writes.length !== 0) throw new Error(`app-${i} was not in line`);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  report('harness.reconcile', mean(first), 'ms');
  report('harness.reconcile.p99', percentile(first, 99), 'ms');
  report('harness.reconcile.steady', mean(steady), 'ms');
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
