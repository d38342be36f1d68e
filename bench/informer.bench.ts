/**
 * Informer benchmarks.
 *
 * - `informer.list.100k`: the initial list of 100,000 realistic Pods (~920 bytes of JSON each)
 *   served over HTTP on 127.0.0.1 into a cache, three ways in the same run: Converge's
 *   informer through the RemoteObjectStore; @kubernetes/client-node's `makeInformer` over
 *   `CoreV1Api.listPodForAllNamespaces`; and the floor, `http.get` + `JSON.parse` + a `Map`.
 *   Time and retained heap (after full GCs) for each; `informer.list.ratio` = client-node's
 *   time / Converge's; `informer.list.floor-ratio` = Converge's time / the floor's.
 *   Served twice: by Converge's API server (in this process, plain HTTP, over the registry),
 *   and, as `informer.list.100k.isolated.*`, by a minimal HTTP server in this file that
 *   answers LIST with a body serialized once before timing, so the figures show the
 *   clients' own cost. Times are the best of the rounds (the machine is shared), heaps the
 *   median.
 * - `informer.list.100k.inprocess`: the same Pods listed from the in-process registry
 *   (`@converge/store`, memory backend) into the informer's cache.
 * - `informer.watch.events`: watch events per second through the informer into the cache and
 *   out to a handler: over HTTP (Converge and client-node side by side, the same stream of
 *   MODIFIED events) and in-process (the registry replaying its history to a resumed watch).
 *   Each HTTP run starts after full GCs (so no run collects the garbage its predecessor left);
 *   the best of three rounds is reported (through the API server the two clients take turns at
 *   going first), by wall-clock time and, as `*.cpu-ratio`, by this process's CPU time, which a
 *   busy machine disturbs less.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
// client-node is a dependency of @converge/core, not of the workspace root.
import * as k8s from '../packages/core/node_modules/@kubernetes/client-node/dist/index.js';
import { startApiServer, type RunningApiServer } from '../packages/apiserver/src/index.js';
import {
  Namespaces,
  Pods,
  RemoteObjectStore,
  SharedInformer,
  silentLogger,
  type KubeObject,
  type Pod,
} from '../packages/core/src/index.js';
import { createBuiltinCatalog } from '../packages/core/src/kinds/index.js';
import { MemoryBackend, Registry } from '../packages/store/src/index.js';
import { benchmark, report } from './kit.js';

const N = Number(process.env.INFORMER_BENCH_PODS ?? 100_000);
const WATCH_EVENTS = Number(process.env.INFORMER_BENCH_EVENTS ?? 20_000);
/**
 * Events replayed through the API server: it cuts off a watcher with more than 16 MiB unsent,
 * and a replayed backlog is queued at once, so stay under that (~1 KB per event).
 */
const REPLAY_EVENTS = Math.min(WATCH_EVENTS, 12_000);

function uid(i: number, salt: number): string {
  const s = (((i * 2654435761) ^ salt) >>> 0).toString(16).padStart(8, '0');
  return `${s}-${s.slice(0, 4)}-4${s.slice(1, 4)}-a${s.slice(4, 7)}-${s}${s.slice(0, 4)}`;
}

/** A realistic running Pod of a ReplicaSet: ~920 bytes of JSON. */
function benchPod(i: number, rv = 1000 + i): KubeObject {
  const rs = `web-${Math.floor(i / 10)}-7d9f8c6b5`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${rs}-${(i % 10).toString(36)}${((i * 7919) % 46656).toString(36).padStart(3, '0')}`,
      namespace: `team-${i % 50}`,
      uid: uid(i, 0x5bd1e995),
      resourceVersion: String(rv),
      labels: { app: `web-${Math.floor(i / 10)}`, 'pod-template-hash': '7d9f8c6b5' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: uid(Math.floor(i / 10), 0x1b873593), controller: true },
      ],
    },
    spec: {
      nodeName: `node-${i % 100}`,
      containers: [
        { name: 'app', image: 'nginx:1.25.3', ports: [{ containerPort: 8080 }], resources: { requests: { cpu: '100m', memory: '128Mi' } } },
      ],
    },
    status: {
      phase: 'Running',
      podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:05Z' },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: '2024-01-01T00:00:01Z' },
      ],
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          restartCount: 0,
          image: 'nginx:1.25.3',
          imageID: 'sha256:9f86d081',
          state: { running: { startedAt: '2024-01-01T00:00:04Z' } },
        },
      ],
    },
  };
}

/** A list body as an API server serves it (items without apiVersion/kind), serialized once. */
function listBody(count: number): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const { apiVersion: _a, kind: _k, ...item } = benchPod(i);
    parts.push(JSON.stringify(item));
  }
  return Buffer.from(`{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"${1000 + count}"},"items":[${parts.join(',')}]}`);
}

/** `count` MODIFIED events of the first `span` pods, one JSON line each. */
function watchBody(count: number, span: number, firstRv: number): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(JSON.stringify({ type: 'MODIFIED', object: benchPod(i % span, firstRv + i) }));
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** A minimal API server for one collection: LIST answers `list`, WATCH streams `watch` (if set) and stays open. */
class PodServer {
  list: Buffer = Buffer.alloc(0);
  watch: Buffer | undefined;
  watchArrivedAt = 0;
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private readonly open = new Set<http.ServerResponse>();
  url = '';

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Ends every open watch. */
  endWatches(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }

  async stop(): Promise<void> {
    this.endWatches();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/api/v1/pods') {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'not found' }));
      return;
    }
    if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') {
      this.watchArrivedAt = performance.now();
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders(); // as an API server does: the watch is established before any event
      this.open.add(res);
      res.on('close', () => this.open.delete(res));
      if (this.watch) res.write(this.watch);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': this.list.length });
    res.end(this.list);
  }
}

const gc: () => void =
  (globalThis as { gc?: () => void }).gc ?? (v8.setFlagsFromString('--expose-gc'), vm.runInNewContext('gc') as () => void);

/** heapUsed after full collections. */
async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setImmediate(r));
  }
  return process.memoryUsage().heapUsed;
}

interface Run {
  ms: number;
  retainedMB: number;
}

/** Where the pods are served, and the bearer token to send (if any). */
interface Target {
  url: string;
  token?: string;
}

async function floorRun(target: Target, n: number): Promise<Run> {
  const base = await heapAfterGc();
  const t0 = performance.now();
  const body = await new Promise<Buffer>((resolve, reject) => {
    http
      .get(`${target.url}/api/v1/pods`, { headers: target.token ? { Authorization: `Bearer ${target.token}` } : {} }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', reject);
      })
      .on('error', reject);
  });
  const list = JSON.parse(body.toString('utf8')) as { items: KubeObject[] };
  const cache = new Map<string, KubeObject>();
  for (const p of list.items) cache.set(`${p.metadata.namespace}/${p.metadata.name}`, p);
  const ms = performance.now() - t0;
  list.items = [];
  const retainedMB = ((await heapAfterGc()) - base) / 1e6;
  if (cache.size !== n) throw new Error(`floor cached ${cache.size} of ${n}`);
  return { ms, retainedMB };
}

async function convergeRun(target: Target, n: number): Promise<Run> {
  const store = await RemoteObjectStore.forServer({ server: target.url, ...(target.token ? { token: target.token } : {}) });
  const base = await heapAfterGc();
  const t0 = performance.now();
  const informer = new SharedInformer<Pod>({ store, type: Pods, logger: silentLogger() });
  informer.start();
  await informer.waitForCacheSync();
  const ms = performance.now() - t0;
  const retainedMB = ((await heapAfterGc()) - base) / 1e6;
  if (informer.cache.size() !== n) throw new Error(`converge cached ${informer.cache.size()} of ${n}`);
  informer.stop();
  store.close();
  return { ms, retainedMB };
}

function clientNodeConfig(target: Target): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'bench', server: target.url, skipTLSVerify: true }],
    users: [{ name: 'bench', ...(target.token ? { token: target.token } : {}) }],
    contexts: [{ name: 'bench', cluster: 'bench', user: 'bench' }],
    currentContext: 'bench',
  });
  return kc;
}

async function clientNodeRun(target: Target, n: number): Promise<Run> {
  const kc = clientNodeConfig(target);
  const api = kc.makeApiClient(k8s.CoreV1Api);
  const base = await heapAfterGc();
  const t0 = performance.now();
  const informer = k8s.makeInformer(kc, '/api/v1/pods', () => api.listPodForAllNamespaces());
  informer.on('error', () => undefined);
  await informer.start();
  const ms = performance.now() - t0;
  const retainedMB = ((await heapAfterGc()) - base) / 1e6;
  const size = informer.list().length;
  await informer.stop();
  if (size !== n) throw new Error(`client-node cached ${size} of ${n}`);
  return { ms, retainedMB };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const best = (xs: number[]) => Math.min(...xs);

/** Lists `n` pods from `target` the three ways, `rounds` times (client-node `clientNodeRounds` times), and reports under `prefix`. */
async function compareLists(
  target: Target,
  n: number,
  rounds: number,
  clientNodeRounds: number,
  ids: { prefix: string; ratio: string; floorRatio: string; heapRatio: string },
  endWatches: () => void,
): Promise<void> {
  const floor: Run[] = [];
  const converge: Run[] = [];
  const clientNode: Run[] = [];
  for (let round = 0; round < rounds; round++) {
    floor.push(await floorRun(target, n));
    converge.push(await convergeRun(target, n));
    endWatches();
    if (round < clientNodeRounds) clientNode.push(await clientNodeRun(target, n));
    endWatches();
  }
  const f = { ms: best(floor.map((r) => r.ms)), mb: median(floor.map((r) => r.retainedMB)) };
  const c = { ms: best(converge.map((r) => r.ms)), mb: median(converge.map((r) => r.retainedMB)) };
  const k = { ms: best(clientNode.map((r) => r.ms)), mb: median(clientNode.map((r) => r.retainedMB)) };
  report(`${ids.prefix}.converge`, c.ms, 'ms');
  report(`${ids.prefix}.converge.heap`, c.mb, 'MB');
  report(`${ids.prefix}.client-node`, k.ms, 'ms');
  report(`${ids.prefix}.client-node.heap`, k.mb, 'MB');
  report(`${ids.prefix}.floor`, f.ms, 'ms');
  report(`${ids.prefix}.floor.heap`, f.mb, 'MB');
  report(ids.ratio, k.ms / c.ms, 'x');
  report(ids.floorRatio, c.ms / f.ms, 'x');
  report(ids.heapRatio, c.mb / f.mb, 'x');
  const ms = (rs: Run[]) => rs.map((r) => r.ms.toFixed(0)).join(',');
  process.stdout.write(
    `bench-detail: ${ids.prefix} rounds (ms) floor=${ms(floor)} converge=${ms(converge)} client-node=${ms(clientNode)}\n`,
  );
}

/** Serves the seeded registry through Converge's API server (plain HTTP on 127.0.0.1). */
async function apiServerOver(registry: Registry): Promise<RunningApiServer> {
  return startApiServer({
    store: registry,
    catalog: registry.catalog,
    port: 0,
    tls: false,
    bootstrap: false,
    openapi: false,
    accessLog: false,
  });
}

benchmark(['informer.list.100k', 'informer.list.ratio', 'informer.list.floor-ratio'], async () => {
  // Isolated: a minimal server answering LIST with a body serialized once, before timing.
  const server = new PodServer();
  await server.start();
  try {
    // Warm up every path (JIT, agents, the client-node import) on a small list first.
    server.list = listBody(5_000);
    await floorRun(server, 5_000);
    await convergeRun(server, 5_000);
    await clientNodeRun(server, 5_000);
    server.endWatches();
    server.list = listBody(N);
    await compareLists(
      server,
      N,
      3,
      2,
      {
        prefix: 'informer.list.100k.isolated',
        ratio: 'informer.list.isolated.ratio',
        floorRatio: 'informer.list.isolated.floor-ratio',
        heapRatio: 'informer.list.isolated.heap-ratio',
      },
      () => server.endWatches(),
    );
  } finally {
    await server.stop();
  }
  // End to end: the same pods from the registry through Converge's API server.
  const registry = await seededRegistry(N);
  const api = await apiServerOver(registry);
  try {
    const target = { url: api.url, token: api.adminToken };
    await compareLists(
      target,
      N,
      2,
      2,
      {
        prefix: 'informer.list.100k',
        ratio: 'informer.list.ratio',
        floorRatio: 'informer.list.floor-ratio',
        heapRatio: 'informer.list.heap-ratio',
      },
      () => undefined,
    );
  } finally {
    await api.stop();
    await registry.close();
  }
});

async function seededRegistry(count: number): Promise<Registry> {
  const registry = new Registry({
    backend: new MemoryBackend({ historySize: Math.max(100_000, WATCH_EVENTS + 1_000) }),
    catalog: createBuiltinCatalog(),
  });
  for (let ns = 0; ns < 50; ns++) await registry.create(Namespaces, { metadata: { name: `team-${ns}` } });
  const batch = 500;
  for (let i = 0; i < count; i += batch) {
    const writes: Promise<unknown>[] = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      const p = benchPod(j);
      const { uid: _u, resourceVersion: _r, ...metadata } = p.metadata;
      writes.push(registry.create(Pods, { ...p, metadata } as Pod));
    }
    await Promise.all(writes);
  }
  return registry;
}

benchmark('informer.list.100k.inprocess', async () => {
  const registry = await seededRegistry(N);
  try {
    const times: number[] = [];
    for (let round = 0; round < 5; round++) {
      await heapAfterGc();
      const t0 = performance.now();
      const informer = new SharedInformer<Pod>({ store: registry, type: Pods, logger: silentLogger() });
      informer.start();
      await informer.waitForCacheSync();
      times.push(performance.now() - t0);
      if (informer.cache.size() !== N) throw new Error(`cached ${informer.cache.size()} of ${N}`);
      informer.stop();
    }
    report('informer.list.100k.inprocess', best(times), 'ms');
    process.stdout.write(`bench-detail: informer.list.100k.inprocess rounds (ms) ${times.map((t) => t.toFixed(0)).join(',')}\n`);
  } finally {
    await registry.close();
  }
});

/** Events per second of wall-clock time, and per second of this process's CPU time (user + system, every thread). */
interface Rate {
  wall: number;
  cpu: number;
}

/**
 * Counts `update` events from the first to the `count`th; resolves with events per second
 * between them, or rejects after `timeoutMs` saying how many arrived. The CPU figure is
 * steadier than the wall-clock one on a shared machine (it leaves out the time other
 * processes had the CPU), and counts the work of every thread (including the GC's).
 */
function updateRate(count: number, on: (handler: () => void) => void, timeoutMs = 120_000): Promise<Rate> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    let first = 0;
    let firstCpu = process.cpuUsage();
    const timer = setTimeout(() => reject(new Error(`only ${seen} of ${count} updates arrived within ${timeoutMs} ms`)), timeoutMs);
    on(() => {
      seen++;
      if (seen === 1) {
        first = performance.now();
        firstCpu = process.cpuUsage();
      }
      if (seen === count) {
        clearTimeout(timer);
        const cpu = process.cpuUsage(firstCpu);
        resolve({
          wall: (count - 1) / ((performance.now() - first) / 1000),
          cpu: (count - 1) / ((cpu.user + cpu.system) / 1e6),
        });
      }
    });
  });
}

async function convergeWatchRate(target: Target, count: number, prepare?: () => Promise<void>): Promise<Rate> {
  const store = await RemoteObjectStore.forServer({ server: target.url, ...(target.token ? { token: target.token } : {}) });
  const informer = new SharedInformer<Pod>({ store, type: Pods, logger: silentLogger() });
  let handler: () => void = () => undefined;
  const sub = informer.events.subscribe((e) => {
    if (e.type === 'update') handler();
  });
  if (prepare) {
    // Sync, stop, let the server gather `count` changes, then resume the watch from before them.
    informer.start();
    await informer.waitForCacheSync();
    informer.stop();
    await prepare();
  }
  // Start with no garbage from the previous run (or the writes) left for this one to collect.
  await heapAfterGc();
  const rate = updateRate(count, (h) => (handler = h));
  informer.start();
  try {
    return await rate;
  } finally {
    informer.stop();
    sub.unsubscribe();
    store.close();
  }
}

async function clientNodeWatchRate(target: Target, count: number, listResourceVersion?: string): Promise<Rate> {
  const kc = clientNodeConfig(target);
  const api = kc.makeApiClient(k8s.CoreV1Api);
  const list = listResourceVersion
    ? () => api.listPodForAllNamespaces({ resourceVersion: listResourceVersion, resourceVersionMatch: 'Exact' })
    : () => api.listPodForAllNamespaces();
  const informer = k8s.makeInformer(kc, '/api/v1/pods', list);
  informer.on('error', () => undefined);
  const rate = updateRate(count, (h) => informer.on('update', h));
  await heapAfterGc();
  await informer.start();
  try {
    return await rate;
  } finally {
    await informer.stop();
  }
}

/** Reports the best rates of each client and their ratio, by wall-clock and by CPU time, and every round's figures. */
function reportRates(prefix: string, converge: Rate[], clientNode: Rate[]): void {
  const bestOf = (rs: Rate[], k: keyof Rate) => Math.max(...rs.map((r) => r[k]));
  report(`${prefix}.converge`, Math.round(bestOf(converge, 'wall')), 'events/s');
  report(`${prefix}.client-node`, Math.round(bestOf(clientNode, 'wall')), 'events/s');
  report(`${prefix}.ratio`, bestOf(converge, 'wall') / bestOf(clientNode, 'wall'), 'x');
  report(`${prefix}.cpu-ratio`, bestOf(converge, 'cpu') / bestOf(clientNode, 'cpu'), 'x');
  const rounds = (rs: Rate[]) => rs.map((r) => `${r.wall.toFixed(0)}/${r.cpu.toFixed(0)}`).join(',');
  process.stdout.write(
    `bench-detail: ${prefix} rounds (events per wall/CPU second) converge=${rounds(converge)} client-node=${rounds(clientNode)}\n`,
  );
}

benchmark('informer.watch.events', async () => {
  const span = 10_000;
  // Isolated: a minimal server streams the same pre-serialized MODIFIED events to each informer.
  const server = new PodServer();
  await server.start();
  try {
    server.list = listBody(span);
    server.watch = watchBody(WATCH_EVENTS, span, 1_000_000);
    const converge: Rate[] = [];
    const clientNode: Rate[] = [];
    await convergeWatchRate(server, WATCH_EVENTS);
    server.endWatches();
    await clientNodeWatchRate(server, WATCH_EVENTS);
    server.endWatches();
    for (let round = 0; round < 3; round++) {
      converge.push(await convergeWatchRate(server, WATCH_EVENTS));
      server.endWatches();
      clientNode.push(await clientNodeWatchRate(server, WATCH_EVENTS));
      server.endWatches();
    }
    reportRates('informer.watch.events.isolated', converge, clientNode);
  } finally {
    await server.stop();
  }

  const registry = await seededRegistry(span);
  const writeRound = async (round: number, count = WATCH_EVENTS): Promise<void> => {
    const pods = (await registry.list(Pods)).items;
    for (let i = 0; i < count; i++) {
      const p = pods[i % span]!;
      await registry.patch(
        Pods,
        { namespace: p.metadata.namespace!, name: p.metadata.name! },
        { type: 'merge', body: { metadata: { labels: { round: `${round}-${i}` } } } },
      );
    }
  };
  try {
    // Through the API server: each informer resumes a watch `WATCH_EVENTS` changes back and the
    // server replays them from its history (client-node lists exactly at that resourceVersion).
    const api = await apiServerOver(registry);
    const target = { url: api.url, token: api.adminToken };
    try {
      const converge: Rate[] = [];
      const clientNode: Rate[] = [];
      const convergeRound = async (round: number) =>
        converge.push(await convergeWatchRate(target, REPLAY_EVENTS, () => writeRound(round * 2, REPLAY_EVENTS)));
      const clientNodeRound = async (round: number) => {
        const before = (await registry.list(Pods, { limit: 1 })).metadata.resourceVersion!;
        await writeRound(round * 2 + 1, REPLAY_EVENTS);
        clientNode.push(await clientNodeWatchRate(target, REPLAY_EVENTS, before));
      };
      // Best of three rounds, taking turns at going first (the heap grows with the registry's history).
      for (let round = 0; round < 3; round++) {
        if (round % 2 === 0) {
          await convergeRound(round);
          await clientNodeRound(round);
        } else {
          await clientNodeRound(round);
          await convergeRound(round);
        }
      }
      reportRates('informer.watch.events.http', converge, clientNode);
    } finally {
      await api.stop();
    }

    // In process: the informer resumes its watch on the registry `WATCH_EVENTS` changes back.
    const rates: number[] = [];
    for (let round = 0; round < 2; round++) {
      const informer = new SharedInformer<Pod>({ store: registry, type: Pods, logger: silentLogger() });
      let handler: () => void = () => undefined;
      informer.events.subscribe((e) => {
        if (e.type === 'update') handler();
      });
      informer.start();
      await informer.waitForCacheSync();
      informer.stop();
      await writeRound(100 + round);
      const rate = updateRate(WATCH_EVENTS, (h) => (handler = h));
      informer.start();
      rates.push((await rate).wall);
      informer.stop();
    }
    report('informer.watch.events.inprocess', Math.round(Math.max(...rates)), 'events/s');
  } finally {
    await registry.close();
  }
});
