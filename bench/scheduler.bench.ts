/**
 * Scheduler benchmarks, in one process over the registry (memory backend), with the shared
 * informers and the real clock, as kube-scheduler's scheduler_perf SchedulingBasic shapes:
 *
 * - `sched.basic.pods-per-s`: 5,000 nodes (4 CPU, 32 GiB, 110 pods), 1,000 pods already
 *   placed, then 10,000 pods (100m CPU, 500 MiB) created and scheduled; pods bound per second
 *   from the first creation to the last binding seen by the informer.
 * - `sched.affinity.pods-per-s`: the same, each pod with required pod anti-affinity on
 *   `kubernetes.io/hostname` against its group of 10 and a preferred pod affinity to its app
 *   in the same zone (nodes spread over 10 zones).
 * - `sched.spread.pods-per-s`: the same, each pod with topology spread constraints: zone
 *   (maxSkew 1, DoNotSchedule) and hostname (maxSkew 1, ScheduleAnyway).
 *
 * The scheduler runs Kubernetes' default profile with the in-tree plugins (`inTreeRegistry()`;
 * the default profile skips the names Converge does not implement, e.g. the volume plugins). `sched.*.create-seconds` is the time
 * the creations alone took (they run concurrently with scheduling);
 * `sched.*.pods-per-cpu-s` divides by the CPU time the process used instead of the wall clock
 * (a steadier figure on a shared machine: it includes the creations, the registry, the
 * informers and the events, not only the scheduler). BENCH_SCHED_PODS and
 * BENCH_SCHED_NODES run other sizes.
 */
import {
  Namespaces,
  Nodes,
  Pods,
  SharedInformerFactory,
  silentLogger,
  realClock,
  type Node,
  type Pod,
} from '../packages/core/src/index.js';
import { createBuiltinCatalog } from '../packages/core/src/kinds/index.js';
import { MemoryBackend, Registry } from '../packages/store/src/index.js';
import { createScheduler, defaultSchedulerConfiguration, inTreeRegistry } from '../packages/scheduler/src/index.js';
import { benchmark, report } from './kit.js';

const NODES = Number(process.env.BENCH_SCHED_NODES ?? 5000);
const PLACED = 1000;
const PODS = Number(process.env.BENCH_SCHED_PODS ?? 10_000);
const ZONES = 10;

function benchNode(i: number): Node {
  const name = `node-${i}`;
  const zone = `zone-${i % ZONES}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone } },
    spec: {},
    status: {
      capacity: { cpu: '4', memory: '32Gi', pods: '110' },
      allocatable: { cpu: '4', memory: '32Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  } as Node;
}

type Shape = 'basic' | 'affinity' | 'spread';

function benchPod(name: string, i: number, shape: Shape, nodeName?: string): Pod {
  const group = `g${Math.floor(i / 10)}`;
  const labels: Record<string, string> = { app: `app-${i % 100}`, group };
  const spec: Record<string, unknown> = {
    containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '500Mi' } } }],
  };
  if (nodeName) spec['nodeName'] = nodeName;
  if (shape === 'affinity')
    spec['affinity'] = {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { group } } },
        ],
      },
      podAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 1,
            podAffinityTerm: { topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: labels.app } } },
          },
        ],
      },
    };
  if (shape === 'spread')
    spec['topologySpreadConstraints'] = [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: { app: labels.app } },
      },
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { app: labels.app } },
      },
    ];
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec } as Pod;
}

async function inBatches(n: number, size: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < n; start += size) {
    const batch: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(n, start + size); i++) batch.push(fn(i));
    await Promise.all(batch);
  }
}

async function run(shape: Shape): Promise<void> {
  const id = `sched.${shape}`;
  const registry = new Registry({ backend: new MemoryBackend(), catalog: createBuiltinCatalog() });
  await registry.create(Namespaces, { metadata: { name: 'default' } });
  await inBatches(NODES, 500, (i) => registry.create(Nodes, benchNode(i)));
  await inBatches(PLACED, 500, (i) => registry.create(Pods, benchPod(`placed-${i}`, i, shape, `node-${i % NODES}`)));
  const logger = silentLogger();
  const informers = new SharedInformerFactory({ store: registry, clock: realClock, logger });
  const plugins = inTreeRegistry();
  const scheduler = createScheduler({
    store: registry,
    informers,
    clock: realClock,
    logger,
    registry: plugins,
    config: defaultSchedulerConfiguration({ registry: plugins }),
    needLeaderElection: false,
  });
  let bound = 0;
  let doneAt = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const sub = informers.informerFor(Pods).events.subscribe((e) => {
    if (e.type === 'update' && !e.old.spec?.nodeName && e.object.spec?.nodeName && ++bound === PODS) {
      doneAt = performance.now();
      resolveDone();
    }
  });
  const abort = new AbortController();
  const running = scheduler.start(abort.signal);
  await informers.waitForCacheSync(120_000);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await inBatches(PODS, 200, (i) => registry.create(Pods, benchPod(`pod-${i}`, PLACED + i, shape)));
  const createSeconds = (performance.now() - t0) / 1000;
  const timeout = setTimeout(() => resolveDone(), 300_000);
  await done;
  clearTimeout(timeout);
  const cpu = process.cpuUsage(cpu0);
  abort.abort();
  await running;
  sub.unsubscribe();
  informers.stop();
  await registry.close();
  if (bound < PODS) throw new Error(`${id}: only ${bound} of ${PODS} pods were bound in 300 s`);
  const seconds = (doneAt - t0) / 1000;
  report(
    `${id}.pods-per-s`,
    PODS / seconds,
    `pods/s (${NODES} nodes, ${PLACED} placed, ${PODS} scheduled; plugins: ${plugins.names().join(', ')})`,
  );
  report(
    `${id}.pods-per-cpu-s`,
    PODS / ((cpu.user + cpu.system) / 1e6),
    'pods per CPU-second of this process (creations, informers, events and scheduling)',
  );
  report(`${id}.create-seconds`, createSeconds, 's');
}

benchmark(['sched.basic.pods-per-s', 'sched.basic.pods-per-cpu-s', 'sched.basic.create-seconds'], () => run('basic'));
benchmark(['sched.affinity.pods-per-s', 'sched.affinity.pods-per-cpu-s', 'sched.affinity.create-seconds'], () => run('affinity'));
benchmark(['sched.spread.pods-per-s', 'sched.spread.pods-per-cpu-s', 'sched.spread.create-seconds'], () => run('spread'));
