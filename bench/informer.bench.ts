/**
 * Informer benchmarks.
 *
 * - `informer.list.100k`: the initial list of 100,000 realistic Pods (~920 bytes of JSON each)
 *   served over HTTP on 127.0.0.1 into a cache, three ways in the same run: Converge's
 *   informer through the RemoteObjectStore; @kubernetes/client-node's `makeInformer` over
 *   `CoreV1Api.listPodForAllNamespaces`; and the floor, `http.get` + `JSON.parse` + a `Map`.
 *   Time and retained heap (after full GCs) for each; `informer.list.ratio` = client-node's
 *   time / Converge's; `informer.list.floor-ratio` = Converge's time / the floor's.
 *   The pods are served by a minimal HTTP server in this file that answers the LIST and WATCH
 *   paths the same way for all three (the body is serialized once, before timing).
 * - `informer.list.100k.inprocess`: the same Pods listed from the in-process registry
 *   (`@converge/store`, memory backend) into the informer's cache.
 * - `informer.watch.events`: watch events per second through the informer into the cache and
 *   out to a handler: over HTTP (Converge and client-node side by side, the same stream of
 *   MODIFIED events) and in-process (the registry replaying its history to a resumed watch).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
// client-node is a dependency of @converge/core, not of the workspace root.
import * as k8s from '../packages/core/node_modules/@kubernetes/client-node/dist/index.js';
import { createBuiltinCatalog, Namespaces, Pods, RemoteObjectStore, SharedInformer, silentLogger, type KubeObject, type Pod } from '../packages/core/src/index.js';
import { MemoryBackend, Registry } from '../packages/store/src/index.js';
import { benchmark, report } from './kit.js';

const N = Number(process.env.INFORMER_BENCH_PODS ?? 100_000);
const WATCH_EVENTS = Number(process.env.INFORMER_BENCH_EVENTS ?? 50_000);

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
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, uid: uid(Math.floor(i / 10), 0x1b873593), controller: true }],
    },
    spec: { nodeName: `node-${i % 100}`, containers: [{ name: 'app', image: 'nginx:1.25.3', ports: [{ containerPort: 8080 }], resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
    status: {
      phase: 'Running',
      podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:05Z' },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: '2024-01-01T00:00:01Z' },
      ],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'nginx:1.25.3', imageID: 'sha256:9f86d081', state: { running: { startedAt: '2024-01-01T00:00:04Z' } } }],
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
  list = Buffer.alloc(0);
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

const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (v8.setFlagsFromString('--expose-gc'), vm.runInNewContext('gc') as () => void);

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

async function floorRun(url: string, n: number): Promise<Run> {
  const base = await heapAfterGc();
  const t0 = performance.now();
  const body = await new Promise<Buffer>((resolve, reject) => {
    http
      .get(`${url}/api/v1/pods`, (res) => {
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

async function convergeRun(url: string, n: number): Promise<Run> {
  const store = await RemoteObjectStore.forServer({ server: url });
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

function clientNodeConfig(url: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'bench', server: url, skipTLSVerify: true }],
    users: [{ name: 'bench' }],
    contexts: [{ name: 'bench', cluster: 'bench', user: 'bench' }],
    currentContext: 'bench',
  });
  return kc;
}

async function clientNodeRun(url: string, n: number): Promise<Run> {
  const kc = clientNodeConfig(url);
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

benchmark(['informer.list.100k', 'informer.list.ratio', 'informer.list.floor-ratio'], async () => {
  const server = new PodServer();
  await server.start();
  try {
    // Warm up every path (JIT, agents, the client-node import) on a small list first.
    server.list = listBody(5_000);
    await floorRun(server.url, 5_000);
    await convergeRun(server.url, 5_000);
    await clientNodeRun(server.url, 5_000);
    server.endWatches();
    server.list = listBody(N);
    const floor: Run[] = [];
    const converge: Run[] = [];
    const clientNode: Run[] = [];
    for (let round = 0; round < 3; round++) {
      floor.push(await floorRun(server.url, N));
      converge.push(await convergeRun(server.url, N));
      server.endWatches();
      if (round < 2) clientNode.push(await clientNodeRun(server.url, N));
      server.endWatches();
    }
    const f = { ms: median(floor.map((r) => r.ms)), mb: median(floor.map((r) => r.retainedMB)) };
    const c = { ms: median(converge.map((r) => r.ms)), mb: median(converge.map((r) => r.retainedMB)) };
    const k = { ms: median(clientNode.map((r) => r.ms)), mb: median(clientNode.map((r) => r.retainedMB)) };
    report('informer.list.100k.converge', c.ms, 'ms');
    report('informer.list.100k.converge.heap', c.mb, 'MB');
    report('informer.list.100k.client-node', k.ms, 'ms');
    report('informer.list.100k.client-node.heap', k.mb, 'MB');
    report('informer.list.100k.floor', f.ms, 'ms');
    report('informer.list.100k.floor.heap', f.mb, 'MB');
    report('informer.list.ratio', k.ms / c.ms, 'x');
    report('informer.list.floor-ratio', c.ms / f.ms, 'x');
    report('informer.list.heap-ratio', c.mb / f.mb, 'x');
    process.stdout.write(`bench-detail: informer.list runs (ms) floor=${floor.map((r) => r.ms.toFixed(0))} converge=${converge.map((r) => r.ms.toFixed(0))} client-node=${clientNode.map((r) => r.ms.toFixed(0))}\n`);
  } finally {
    await server.stop();
  }
});

async function seededRegistry(count: number): Promise<Registry> {
  const registry = new Registry({ backend: new MemoryBackend({ historySize: Math.max(100_000, WATCH_EVENTS + 1_000) }), catalog: createBuiltinCatalog() });
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
    for (let round = 0; round < 3; round++) {
      const t0 = performance.now();
      const informer = new SharedInformer<Pod>({ store: registry, type: Pods, logger: silentLogger() });
      informer.start();
      await informer.waitForCacheSync();
      times.push(performance.now() - t0);
      if (informer.cache.size() !== N) throw new Error(`cached ${informer.cache.size()} of ${N}`);
      informer.stop();
    }
    report('informer.list.100k.inprocess', median(times), 'ms');
  } finally {
    await registry.close();
  }
});

benchmark('informer.watch.events', async () => {
  const span = 10_000;
  // Over HTTP: the same stream of MODIFIED events to each informer, after a list of `span` pods.
  const server = new PodServer();
  await server.start();
  try {
    server.list = listBody(span);
    server.watch = watchBody(WATCH_EVENTS, span, 1_000_000);
    const convergeRate = async (): Promise<number> => {
      const store = await RemoteObjectStore.forServer({ server: server.url });
      const informer = new SharedInformer<Pod>({ store, type: Pods, logger: silentLogger() });
      let updates = 0;
      let done!: () => void;
      const finished = new Promise<void>((r) => (done = r));
      informer.events.subscribe((e) => {
        if (e.type === 'update' && ++updates === WATCH_EVENTS) done();
      });
      informer.start();
      await finished;
      const rate = WATCH_EVENTS / ((performance.now() - server.watchArrivedAt) / 1000);
      informer.stop();
      store.close();
      server.endWatches();
      return rate;
    };
    const clientNodeRate = async (): Promise<number> => {
      const kc = clientNodeConfig(server.url);
      const api = kc.makeApiClient(k8s.CoreV1Api);
      const informer = k8s.makeInformer(kc, '/api/v1/pods', () => api.listPodForAllNamespaces());
      let updates = 0;
      let done!: () => void;
      const finished = new Promise<void>((r) => (done = r));
      informer.on('update', () => {
        if (++updates === WATCH_EVENTS) done();
      });
      informer.on('error', () => undefined);
      await informer.start();
      await finished;
      const rate = WATCH_EVENTS / ((performance.now() - server.watchArrivedAt) / 1000);
      await informer.stop();
      server.endWatches();
      return rate;
    };
    await convergeRate();
    await clientNodeRate();
    const c = median([await convergeRate(), await convergeRate(), await convergeRate()]);
    const k = median([await clientNodeRate(), await clientNodeRate(), await clientNodeRate()]);
    report('informer.watch.events.http.converge', Math.round(c), 'events/s');
    report('informer.watch.events.http.client-node', Math.round(k), 'events/s');
    report('informer.watch.events.http.ratio', c / k, 'x');
  } finally {
    await server.stop();
  }

  // In-process: the informer resumes a watch `WATCH_EVENTS` revisions back; the registry replays them.
  const registry = await seededRegistry(span);
  try {
    const informer = new SharedInformer<Pod>({ store: registry, type: Pods, logger: silentLogger() });
    informer.start();
    await informer.waitForCacheSync();
    informer.stop();
    const rates: number[] = [];
    for (let round = 0; round < 3; round++) {
      const pods = informer.cache.list();
      for (let i = 0; i < WATCH_EVENTS; i++) {
        const p = pods[i % span]!;
        await registry.patch(Pods, { namespace: p.metadata.namespace!, name: p.metadata.name! }, { type: 'merge', body: { metadata: { labels: { round: `${round}-${i}` } } } });
      }
      let updates = 0;
      let done!: () => void;
      const finished = new Promise<void>((r) => (done = r));
      const sub = informer.events.subscribe((e) => {
        if (e.type === 'update' && ++updates === WATCH_EVENTS) done();
      });
      const t0 = performance.now();
      informer.start();
      await finished;
      rates.push(WATCH_EVENTS / ((performance.now() - t0) / 1000));
      informer.stop();
      sub.unsubscribe();
    }
    report('informer.watch.events.inprocess', Math.round(median(rates)), 'events/s');
  } finally {
    await registry.close();
  }
});
