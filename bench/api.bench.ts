/**
 * API server benchmarks, over HTTPS with keep-alive connections, server and client in one
 * process (so every figure includes the client's own work on the same two cores):
 *
 * - `api.latency.get|patch|create` (p50 and p99): one request at a time against a namespace
 *   of 3,000 pods while a churn loop writes 20 patches per second;
 * - `api.list.10k` and `api.list.10k.table`: a LIST of 10,000 pods as JSON and as a Table; the
 *   client counts bytes without parsing, so the heap growth sampled during the request is the
 *   server's (`*.peak-heap`);
 * - `api.watch.fanout`: 100 watchers of one namespace while 1,000 updates per second are
 *   written; delivery latency p99 (write to line received).
 */
import { Agent, request } from 'node:https';
import { Namespaces, Pods, type KubeObject } from '../packages/core/src/index.js';
import { createBuiltinCatalog } from '../packages/core/src/kinds/index.js';
import { MemoryBackend, Registry } from '../packages/store/src/index.js';
import { startApiServer, type RunningApiServer } from '../packages/apiserver/src/index.js';
import { benchmark, percentile, report } from './kit.js';

function pod(name: string, namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'bench', shard: String(name.length % 7) } },
    spec: {
      nodeName: 'node-1',
      containers: [{ name: 'main', image: 'busybox:1.36', ports: [{ containerPort: 8080 }], env: [{ name: 'A', value: 'b' }] }],
    },
  };
}

interface Setup {
  registry: Registry;
  api: RunningApiServer;
  agent: Agent;
  close(): Promise<void>;
}

async function setup(namespace: string, pods: number): Promise<Setup> {
  const catalog = createBuiltinCatalog();
  const registry = new Registry({ backend: new MemoryBackend(), catalog });
  const api = await startApiServer({ store: registry, catalog, port: 0, accessLog: false });
  await registry.create(Namespaces, { metadata: { name: namespace } });
  for (let i = 0; i < pods; i++) await registry.create(Pods, pod(`p-${i}`, namespace));
  const agent = new Agent({ keepAlive: true, maxSockets: 64, ca: api.caCertPem });
  return {
    registry,
    api,
    agent,
    async close() {
      agent.destroy();
      await api.stop();
      await registry.close();
    },
  };
}

/** Sends one request; resolves with the status and body (or only its length when `drain`). */
function send(
  s: Setup,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
  options: { drain?: boolean; accept?: string } = {},
): Promise<{ status: number; text: string; bytes: number }> {
  const url = new URL(path, s.api.url);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent: s.agent,
        method,
        hostname: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        headers: {
          Authorization: `Bearer ${s.api.adminToken}`,
          ...(options.accept ? { Accept: options.accept } : {}),
          ...(payload ? { 'Content-Type': contentType, 'Content-Length': payload.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (c: Buffer) => {
          bytes += c.length;
          if (!options.drain) chunks.push(c);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: options.drain ? '' : Buffer.concat(chunks).toString('utf8'), bytes }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

async function timed(n: number, op: (i: number) => Promise<{ status: number }>, ok: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await op(i);
    out.push(performance.now() - t0);
    if (r.status !== ok) throw new Error(`request ${i} answered ${r.status}`);
  }
  return out;
}

benchmark(['api.latency.get', 'api.latency.patch', 'api.latency.create'], async () => {
  const s = await setup('lat', 3000);
  let churn = 0;
  let stopped = false;
  const loop = setInterval(() => {
    if (stopped) return;
    const name = `p-${Math.floor(Math.random() * 3000)}`;
    void send(
      s,
      'PATCH',
      `/api/v1/namespaces/lat/pods/${name}`,
      { metadata: { labels: { churn: String(churn++) } } },
      'application/merge-patch+json',
    );
  }, 50);
  try {
    await timed(200, (i) => send(s, 'GET', `/api/v1/namespaces/lat/pods/p-${i}`), 200); // warm-up
    const gets = await timed(2000, (i) => send(s, 'GET', `/api/v1/namespaces/lat/pods/p-${(i * 7) % 3000}`), 200);
    const patches = await timed(
      1000,
      (i) =>
        send(
          s,
          'PATCH',
          `/api/v1/namespaces/lat/pods/p-${(i * 13) % 3000}`,
          { metadata: { annotations: { n: String(i) } } },
          'application/merge-patch+json',
        ),
      200,
    );
    const creates = await timed(1000, (i) => send(s, 'POST', '/api/v1/namespaces/lat/pods', pod(`new-${i}`, 'lat')), 201);
    for (const [id, v] of [
      ['api.latency.get', gets],
      ['api.latency.patch', patches],
      ['api.latency.create', creates],
    ] as const) {
      report(`${id}.p50`, percentile(v, 50), 'ms');
      report(`${id}.p99`, percentile(v, 99), 'ms');
    }
    report('api.latency.churn', churn, 'writes');
  } finally {
    stopped = true;
    clearInterval(loop);
    await s.close();
  }
});

async function peakHeapDuring<T>(fn: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  global.gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => {
    const h = process.memoryUsage().heapUsed;
    if (h > peak) peak = h;
  }, 1);
  try {
    const result = await fn();
    const h = process.memoryUsage().heapUsed;
    if (h > peak) peak = h;
    return { result, peakMb: (peak - base) / (1024 * 1024) };
  } finally {
    clearInterval(timer);
  }
}

benchmark(['api.list.10k', 'api.list.10k.table'], async () => {
  const s = await setup('list', 10_000);
  try {
    const check = await send(s, 'GET', '/api/v1/namespaces/list/pods');
    const items = (JSON.parse(check.text) as { items: unknown[] }).items.length;
    if (items !== 10_000) throw new Error(`listed ${items} pods`);
    const table = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
    for (const [id, accept] of [
      ['api.list.10k', 'application/json'],
      ['api.list.10k.table', table],
    ] as const) {
      await send(s, 'GET', '/api/v1/namespaces/list/pods', undefined, undefined, { drain: true, accept });
      const times: number[] = [];
      let peak = 0;
      let bytes = 0;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const r = await peakHeapDuring(() => send(s, 'GET', '/api/v1/namespaces/list/pods', undefined, undefined, { drain: true, accept }));
        times.push(performance.now() - t0);
        peak = Math.max(peak, r.peakMb);
        bytes = r.result.bytes;
      }
      report(id, percentile(times, 50), 'ms');
      report(`${id}.peak-heap`, peak, 'MB');
      report(`${id}.size`, bytes / (1024 * 1024), 'MB');
    }
  } finally {
    await s.close();
  }
});

/**
 * The watch clients of `api.watch.fanout`, in a worker thread so that reading 100 streams does not
 * compete with the server for the same core. Plain JavaScript: workers are not transpiled.
 */
const WATCH_CLIENT = `
const { parentPort, workerData } = require('node:worker_threads');
const https = require('node:https');
const { url, token, ca, watchers } = workerData;
const agent = new https.Agent({ keepAlive: false, maxSockets: Infinity, ca });
const latencies = [];
const reqs = [];
let open = 0;
for (let i = 0; i < watchers; i++) {
  const u = new URL(url);
  const req = https.request({ agent, hostname: u.hostname, port: u.port, path: u.pathname + u.search, headers: { Authorization: 'Bearer ' + token } }, (res) => {
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      const now = performance.timeOrigin + performance.now();
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf('\\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const m = /"sent":"([0-9.]+)"/.exec(line);
        if (m) latencies.push(now - Number(m[1]));
      }
    });
    if (++open === watchers) parentPort.postMessage({ type: 'ready' });
  });
  req.on('error', () => undefined);
  req.end();
  reqs.push(req);
}
parentPort.on('message', (m) => {
  if (m === 'reset') latencies.length = 0;
  if (m === 'count') parentPort.postMessage({ type: 'count', count: latencies.length });
  if (m === 'stop') {
    for (const r of reqs) r.destroy();
    agent.destroy();
    parentPort.postMessage({ type: 'done', latencies });
  }
});
`;

benchmark('api.watch.fanout', async () => {
  const { Worker } = await import('node:worker_threads');
  const s = await setup('fan', 100);
  const watchers = Number(process.env['WATCHERS'] ?? 100);
  const now = () => performance.timeOrigin + performance.now();
  try {
    const rv = (JSON.parse((await send(s, 'GET', '/api/v1/namespaces/fan/pods?limit=1')).text) as { metadata: { resourceVersion: string } })
      .metadata.resourceVersion;
    const worker = new Worker(WATCH_CLIENT, {
      eval: true,
      workerData: {
        url: new URL(`/api/v1/namespaces/fan/pods?watch=1&resourceVersion=${rv}`, s.api.url).href,
        token: s.api.adminToken,
        ca: s.api.caCertPem,
        watchers,
      },
    });
    const messages: { type: string; count?: number; latencies?: number[] }[] = [];
    let wake: () => void = () => undefined;
    worker.on('message', (m: { type: string }) => {
      messages.push(m);
      wake();
    });
    const next = async (type: string) => {
      for (;;) {
        const i = messages.findIndex((m) => m.type === type);
        if (i >= 0) return messages.splice(i, 1)[0]!;
        await new Promise<void>((r) => (wake = r));
      }
    };
    await next('ready');
    const rate = 1000;
    const warmup = 1;
    const seconds = 3;
    let start = performance.now();
    let sent = 0;
    let measuring = false;
    for (;;) {
      const elapsed = performance.now() - start;
      if (!measuring && elapsed >= warmup * 1000) {
        // Warm-up done (JIT, TLS sessions): count from here.
        await new Promise((r) => setTimeout(r, 200));
        worker.postMessage('reset');
        measuring = true;
        start = performance.now();
        sent = 0;
        continue;
      }
      if (measuring && elapsed >= seconds * 1000) break;
      const due = Math.floor(((performance.now() - start) / 1000) * rate);
      while (sent < due) {
        await s.registry.patch(
          Pods,
          { namespace: 'fan', name: `p-${sent % 100}` },
          { type: 'merge', body: { metadata: { annotations: { sent: String(now()) } } } },
        );
        sent++;
      }
      await new Promise((r) => setImmediate(r));
    }
    const deadline = performance.now() + 15_000;
    for (;;) {
      worker.postMessage('count');
      const c = (await next('count')).count ?? 0;
      if (c >= sent * watchers || performance.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    worker.postMessage('stop');
    const latencies = (await next('done')).latencies ?? [];
    await worker.terminate();
    report('api.watch.fanout.p50', percentile(latencies, 50), 'ms');
    report('api.watch.fanout.p99', percentile(latencies, 99), 'ms');
    report('api.watch.fanout.delivered', latencies.length / (sent * watchers), 'ratio');
    report('api.watch.fanout.rate', sent / seconds, 'updates/s');
  } finally {
    await s.close();
  }
});
