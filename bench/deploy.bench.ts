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
 */
import { Deployments, type Deployment } from '../packages/core/src/index.js';
import { DeploymentController, ReplicaSetController } from '../packages/builtin-controllers/src/index.js';
import { startTestEnv, testKubelet } from '../packages/testing/src/index.js';
import { benchmark, report } from './kit.js';

// BENCH_DEPLOY_N runs another size (for profiling); its figures are then reported as `deploy.scale.<N>.*`.
const N = Number(process.env.BENCH_DEPLOY_N ?? 10_000);
const ID = `deploy.scale.${N === 10_000 ? '10k' : N}`;

benchmark(['deploy.scale.10k.pods-per-s', 'deploy.scale.10k.seconds', 'deploy.scale.10k.ready-seconds'], async () => {
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'registry.example/web:1.0', ports: [{ containerPort: 8080 }] }] } },
    },
  };
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
  if (replicasAt === undefined || readyAt === undefined) throw new Error(`the Deployment never reported ${N} replicas: ${JSON.stringify(env.peek(Deployments, { namespace: 'default', name: 'web' })?.status)}`);
  const seconds = (replicasAt - t0) / 1000;
  report(`${ID}.pods-per-s`, N / seconds, 'pods/s');
  report(`${ID}.seconds`, seconds, 's');
  report(`${ID}.ready-seconds`, (readyAt - t0) / 1000, 's');
});
