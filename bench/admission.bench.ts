/**
 * What admission costs the in-process writers of `converge up`.
 *
 * - `deploy.admitted.10k`: a Deployment scaled from 0 to 10,000 replicas by the Deployment and
 *   ReplicaSet controllers of the controller-manager (`createControllerManager`, no client rate
 *   limit, as `converge up` runs it), over the registry on the memory backend beside a running
 *   API server (plain HTTP, port 0: the server only provides the admission chain and its
 *   bootstrap objects), the real clock. Run twice per round, alternately: `direct`, the
 *   controllers writing to the registry itself (how `converge up` ran them before), and
 *   `admitted`, writing through `server.admittedStore({ user: CONTROLLER_MANAGER_USER })`
 *   (every pod create passes NamespaceLifecycle, ServiceAccount, Priority and
 *   DefaultTolerationSeconds). Best of BENCH_ADMISSION_ROUNDS rounds (default 2) each:
 *   `deploy.admitted.10k.direct.pods-per-s`, `deploy.admitted.10k.admitted.pods-per-s`: 10,000
 *   / the seconds until the Deployment's `status.replicas` is 10,000;
 *   `deploy.admitted.10k.admitted-over-direct`: their ratio (1 = admission costs nothing).
 *   No kubelet runs: pods stay Pending. Most of the difference is not the chain (about 50 µs a
 *   pod here) but the registry storing the fuller pod admission makes (the projected
 *   credentials volume and the two tolerations roughly double the cost of a pod create): the
 *   cost every pod created over HTTP already pays.
 */
import { Deployments, ServiceAccounts, silentLogger, type Deployment, type ObjectStore } from '../packages/core/src/index.js';
import { createBuiltinCatalog } from '../packages/core/src/kinds/index.js';
import { MemoryBackend, Registry } from '../packages/store/src/index.js';
import { CONTROLLER_MANAGER_USER, startApiServer } from '../packages/apiserver/src/index.js';
import { catalogDiscovery, createControllerManager } from '../packages/builtin-controllers/src/index.js';
import { benchmark, report } from './kit.js';

// BENCH_ADMISSION_N runs another size; its figures are then reported as `deploy.admitted.<N>.*`.
const N = Number(process.env.BENCH_ADMISSION_N ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ADMISSION_ROUNDS ?? 2);
const ID = `deploy.admitted.${N === 10_000 ? '10k' : N}`;

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

/** One scale from 0 to N; returns pods per second until `status.replicas` is N. */
async function scale(admitted: boolean): Promise<number> {
  const catalog = createBuiltinCatalog();
  const registry = new Registry({ backend: new MemoryBackend(), catalog });
  const server = await startApiServer({ store: registry, catalog, tls: false, port: 0, accessLog: false });
  await registry.create(Deployments, webDeployment(0));
  // What the service-account controller of `converge up` keeps in every namespace.
  await registry.create(ServiceAccounts, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'default' } });
  const store: ObjectStore = admitted ? server.admittedStore({ user: CONTROLLER_MANAGER_USER }) : registry;
  const cm = createControllerManager({
    store,
    discovery: catalogDiscovery(catalog),
    controllers: ['deployment-controller', 'replicaset-controller'],
    leaderElection: false,
    logger: silentLogger(),
  });
  const done = cm.manager.start();
  let reached!: () => void;
  const replicasReached = new Promise<void>((resolve) => (reached = resolve));
  let replicasAt: number | undefined;
  const sub = registry.watch(Deployments, { namespace: 'default' }).subscribe((e) => {
    if (e.type === 'BOOKMARK' || replicasAt !== undefined) return;
    if ((e.object as Deployment).status?.replicas === N) {
      replicasAt = performance.now();
      reached();
    }
  });
  // Let the controllers settle on the 0-replica Deployment.
  await new Promise((r) => setTimeout(r, 500));
  const t0 = performance.now();
  await registry.patch(Deployments, { namespace: 'default', name: 'web' }, { type: 'merge', body: { spec: { replicas: N } } });
  const timer = setTimeout(reached, 600_000);
  await replicasReached;
  clearTimeout(timer);
  sub.unsubscribe();
  await cm.manager.stop();
  await done.catch(() => undefined);
  await server.stop();
  await registry.close();
  if (replicasAt === undefined) throw new Error(`the Deployment never reported ${N} replicas (${admitted ? 'admitted' : 'direct'})`);
  return N / ((replicasAt - t0) / 1000);
}

benchmark([`${ID}.direct.pods-per-s`, `${ID}.admitted.pods-per-s`, `${ID}.admitted-over-direct`], async () => {
  let direct = 0;
  let admitted = 0;
  for (let round = 0; round < ROUNDS; round++) {
    direct = Math.max(direct, await scale(false));
    admitted = Math.max(admitted, await scale(true));
  }
  report(`${ID}.direct.pods-per-s`, direct, 'pods/s');
  report(`${ID}.admitted.pods-per-s`, admitted, 'pods/s');
  report(`${ID}.admitted-over-direct`, admitted / direct, '');
});
