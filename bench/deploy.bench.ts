/**
 * Built-in workload controllers.
 *
 * - `deploy.scale.10k`: a Deployment scaled from 0 to 10,000 replicas on the memory store
 *   (the FakeStore: the registry over the memory backend, virtual time, no client rate
 *   limit), with the Deployment and ReplicaSet controllers and the test kubelet (no start
 *   delay) running in one manager with shared informers. The ReplicaSet controller creates
 *   at most 500 pods per reconcile, in slow-start batches, and waits for its creations to
 *   come back through the pod informer before the next burst, as Kubernetes' does.
 *   `deploy.scale.10k.seconds`: wall-clock seconds from the scale until the Deployment's
 *   `status.replicas` is 10,000; `deploy.scale.10k.pods-per-s`: 10,000 / those seconds;
 *   `deploy.scale.10k.ready-seconds`: until `status.readyReplicas` is 10,000 too (every pod
 *   bound and marked Running and Ready by the test kubelet).
 * - `deploy.scale.ratelimited.*`: the same scale through the controller-manager as `converge
 *   up` composes it (`createControllerManager`, the Deployment and ReplicaSet controllers,
 *   the registry over the memory backend, the real clock), with kube-controller-manager's
 *   default client limit of 20 writes/s and bursts of 30 (`kubeApiQps`, `kubeApiBurst`:
 *   `rateLimitedWrites`). Every pod is one create, so 10,000 pods are predicted to take
 *   (10,000 - 30) / 20 ≈ 500 s. Measured for 500 pods only (BENCH_DEPLOY_LIMITED_N), then
 *   extrapolated linearly:
 *   `deploy.scale.ratelimited.500.seconds`: wall-clock seconds until `status.replicas` is 500;
 *   `deploy.scale.ratelimited.500.predicted-seconds`: (500 - 30) / 20;
 *   `deploy.scale.ratelimited.500.writes-per-s`: the controllers' writes in that time (pods,
 *   ReplicaSet and Deployment status) per second: at most 20 plus the burst;
 *   `deploy.scale.ratelimited.10k.extrapolated-seconds`: the measured seconds plus the other
 *   9,500 pods at the sustained rate measured ((500 - 30) / seconds: the pods after the
 *   burst), EXTRAPOLATED from the 500-pod run, not measured.
 */
import { Deployments, Namespaces, silentLogger, type Deployment, type ObjectStore } from '../packages/core/src/index.js';
import { createBuiltinCatalog } from '../packages/core/src/kinds/index.js';
import { MemoryBackend, Registry } from '../packages/store/src/index.js';
import {
  catalogDiscovery,
  createControllerManager,
  DeploymentController,
  ReplicaSetController,
} from '../packages/builtin-controllers/src/index.js';
import { startTestEnv, testKubelet } from '../packages/testing/src/index.js';
import { benchmark, report } from './kit.js';

// BENCH_DEPLOY_N runs another size (for profiling); its figures are then reported as `deploy.scale.<N>.*`.
const N = Number(process.env.BENCH_DEPLOY_N ?? 10_000);
const ID = `deploy.scale.${N === 10_000 ? '10k' : N}`;

function webDeployment(replicas: number): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'registry.example/web:1.0', ports: [{ containerPort: 8080 }] }] },
      },
    },
  };
}

benchmark(['deploy.scale.10k.pods-per-s', 'deploy.scale.10k.seconds', 'deploy.scale.10k.ready-seconds'], async () => {
  const deployment = webDeployment(0);
  const env = await startTestEnv({ objects: [deployment], controllers: [DeploymentController, ReplicaSetController] });
  env.add(testKubelet({ store: env.store, clock: env.clock, delayMs: 0 }));
  await env.runUntilQuiescent();

  let replicasAt: number | undefined;
  let readyAt: number | undefined;
  const sub = env.store.watch(Deployments, { namespace: 'default' }).subscribe((e) => {
    if (e.type === 'BOOKMARK') return;
    const s = (e.object as Deployment).status;
    if (replicasAt === undefined && s?.replicas === N) replicasAt = performance.now();
    if (readyAt === undefined && s?.readyReplicas === N) readyAt = performance.now();
  });
  const t0 = performance.now();
  await env.store.patch(Deployments, { namespace: 'default', name: 'web' }, { type: 'merge', body: { spec: { replicas: N } } });
  await env.runUntilQuiescent({ maxReconciles: 10_000_000 });
  sub.unsubscribe();
  await env.stop();
  if (replicasAt === undefined || readyAt === undefined)
    throw new Error(
      `the Deployment never reported ${N} replicas: ${JSON.stringify(env.peek(Deployments, { namespace: 'default', name: 'web' })?.status)}`,
    );
  const seconds = (replicasAt - t0) / 1000;
  report(`${ID}.pods-per-s`, N / seconds, 'pods/s');
  report(`${ID}.seconds`, seconds, 's');
  report(`${ID}.ready-seconds`, (readyAt - t0) / 1000, 's');
});

const LIMITED_N = Number(process.env.BENCH_DEPLOY_LIMITED_N ?? 500);
const QPS = 20;
const BURST = 30;

/** Counts the writes that reach the store (after the controller-manager's limiter). */
function countingWrites(store: ObjectStore): { store: ObjectStore; writes: () => number } {
  let n = 0;
  const counted =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A) => {
      n++;
      return fn(...args);
    };
  return {
    writes: () => n,
    store: {
      get: (t, k, o) => store.get(t, k, o),
      list: (t, o) => store.list(t, o),
      watch: (t, o) => store.watch(t, o),
      create: counted((t, obj, o) => store.create(t, obj, o)),
      update: counted((t, obj, o) => store.update(t, obj, o)),
      patch: counted((t, k, p, o) => store.patch(t, k, p, o)),
      delete: counted((t, k, o) => store.delete(t, k, o)),
      deleteCollection: counted((t, o) => store.deleteCollection(t, o)),
    } as ObjectStore,
  };
}

benchmark(
  [
    `deploy.scale.ratelimited.${LIMITED_N}.seconds`,
    `deploy.scale.ratelimited.${LIMITED_N}.predicted-seconds`,
    `deploy.scale.ratelimited.${LIMITED_N}.writes-per-s`,
    'deploy.scale.ratelimited.10k.extrapolated-seconds',
  ],
  async () => {
    const catalog = createBuiltinCatalog();
    const registry = new Registry({ backend: new MemoryBackend(), catalog });
    await registry.create(Namespaces, { metadata: { name: 'default' } });
    await registry.create(Namespaces, { metadata: { name: 'kube-system' } });
    await registry.create(Deployments, webDeployment(0));
    const counter = countingWrites(registry);
    const cm = createControllerManager({
      store: counter.store,
      discovery: catalogDiscovery(catalog),
      controllers: ['deployment-controller', 'replicaset-controller'],
      kubeApiQps: QPS,
      kubeApiBurst: BURST,
      leaderElection: false,
      logger: silentLogger(),
    });
    const done = cm.manager.start();
    let replicasAt: number | undefined;
    const sub = registry.watch(Deployments, { namespace: 'default' }).subscribe((e) => {
      if (e.type === 'BOOKMARK') return;
      if (replicasAt === undefined && (e.object as Deployment).status?.replicas === LIMITED_N) replicasAt = performance.now();
    });
    // Let the controllers settle on the 0-replica Deployment and the bucket refill to its burst.
    await new Promise((r) => setTimeout(r, (BURST / QPS) * 1000 + 500));
    const writesBefore = counter.writes();
    const t0 = performance.now();
    await registry.patch(Deployments, { namespace: 'default', name: 'web' }, { type: 'merge', body: { spec: { replicas: LIMITED_N } } });
    const deadline = Date.now() + 10 * ((LIMITED_N / QPS) * 1000) + 30_000;
    while (replicasAt === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const writes = counter.writes() - writesBefore;
    sub.unsubscribe();
    await cm.manager.stop();
    await done.catch(() => undefined);
    await registry.close();
    if (replicasAt === undefined) throw new Error(`the Deployment never reported ${LIMITED_N} replicas in time`);
    const seconds = (replicasAt - t0) / 1000;
    report(`deploy.scale.ratelimited.${LIMITED_N}.seconds`, seconds, 's');
    report(`deploy.scale.ratelimited.${LIMITED_N}.predicted-seconds`, (LIMITED_N - BURST) / QPS, 's');
    report(`deploy.scale.ratelimited.${LIMITED_N}.writes-per-s`, writes / seconds, 'writes/s');
    // The burst served the first pods at once; the rest went at the sustained rate, which the 9,500 more would too.
    const sustainedPodsPerSecond = (LIMITED_N - BURST) / seconds;
    report(
      'deploy.scale.ratelimited.10k.extrapolated-seconds',
      seconds + (10_000 - LIMITED_N) / sustainedPodsPerSecond,
      `s (extrapolated from the ${LIMITED_N}-pod run, not measured)`,
    );
  },
);
