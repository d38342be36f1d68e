/**
 * Store benchmarks: registry operations on the memory backend, the registry's overhead over
 * raw etcd writes at the same concurrency, and watch fan-out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigMaps, createBuiltinCatalog, Namespaces, Pods, type KubeObject } from '../packages/core/src/index.js';
import { EtcdBackend, MemoryBackend, Registry, startEtcd } from '../packages/store/src/index.js';
import { benchmark, opsPerSecond, report } from './kit.js';

function smallPod(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'bench', labels: { app: 'bench' } },
    spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] },
  };
}

async function memoryRegistry(): Promise<Registry> {
  const registry = new Registry({ backend: new MemoryBackend(), catalog: createBuiltinCatalog() });
  await registry.create(Namespaces, { metadata: { name: 'bench' } });
  return registry;
}

/** Runs `op` with `concurrency` callers in flight for about `ms`; returns operations per second. */
async function concurrentOps(op: (i: number) => Promise<unknown>, concurrency: number, ms: number): Promise<number> {
  let next = 0;
  let done = 0;
  const start = performance.now();
  const worker = async (): Promise<void> => {
    while (performance.now() - start < ms) {
      await op(next++);
      done++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return done / ((performance.now() - start) / 1000);
}

benchmark(['store.memory.create', 'store.memory.get'], async () => {
  const registry = await memoryRegistry();
  await opsPerSecond((i) => registry.create(Pods, smallPod(`warm-${i}`)), 300);
  const creates = await opsPerSecond((i) => registry.create(Pods, smallPod(`pod-${i}`)), 2000);
  report('store.memory.create', Math.round(creates), 'ops/s');
  const names = Math.floor(creates * 2);
  const gets = await opsPerSecond((i) => registry.get(Pods, { namespace: 'bench', name: `pod-${(i * 7919) % names}` }), 2000);
  report('store.memory.get', Math.round(gets), 'ops/s');
  await registry.close();
});

benchmark(['store.etcd.create', 'store.etcd.raw-put', 'store.etcd.ratio'], async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'converge-bench-etcd-'));
  const etcd = await startEtcd({ dataDir });
  // A second client of its own for the raw puts (the etcd3 client an EtcdBackend wraps).
  const rawBackend = new EtcdBackend({ endpoints: etcd.endpoints });
  const raw = rawBackend.etcd;
  const registry = new Registry({ backend: new EtcdBackend({ endpoints: etcd.endpoints }), catalog: createBuiltinCatalog() });
  try {
    await registry.create(Namespaces, { metadata: { name: 'bench' } });
    const concurrency = 64;
    const ms = 3000;
    // The raw put writes the value a registry create stores for the same pod.
    const sample = await registry.create(Pods, smallPod('sample'));
    const value = JSON.stringify({ ...sample, metadata: { ...sample.metadata, resourceVersion: undefined } });
    await concurrentOps((i) => raw.put(`/raw/warm/${i}`).value(value).exec(), concurrency, 500);
    await concurrentOps((i) => registry.create(Pods, smallPod(`warm-${i}`)), concurrency, 500);
    const rawPuts = await concurrentOps((i) => raw.put(`/raw/pods/bench/pod-${i}`).value(value).exec(), concurrency, ms);
    const creates = await concurrentOps((i) => registry.create(Pods, smallPod(`pod-${i}`)), concurrency, ms);
    report('store.etcd.create', Math.round(creates), 'ops/s');
    report('store.etcd.raw-put', Math.round(rawPuts), 'ops/s');
    report('store.etcd.ratio', creates / rawPuts, 'ratio');
  } finally {
    await registry.close();
    await rawBackend.close();
    await etcd.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

benchmark('store.watch.fanout', async () => {
  const registry = await memoryRegistry();
  const objects = 1000;
  for (let i = 0; i < objects; i++) await registry.create(ConfigMaps, { metadata: { name: `cm-${i}`, namespace: 'bench' }, data: { n: '0' } });
  const start = await registry.list(ConfigMaps, { namespace: 'bench', limit: 1 });
  let delivered = 0;
  const subs = Array.from({ length: 10 }, () =>
    registry.watch(ConfigMaps, { namespace: 'bench', resourceVersion: start.metadata.resourceVersion! }).subscribe(() => delivered++),
  );
  const t0 = performance.now();
  let writes = 0;
  while (performance.now() - t0 < 2000) {
    const i = writes++;
    await registry.update(ConfigMaps, { metadata: { name: `cm-${i % objects}`, namespace: 'bench' }, data: { n: String(i) } });
  }
  // Let the last batch be delivered.
  await new Promise((r) => setImmediate(r));
  const seconds = (performance.now() - t0) / 1000;
  report('store.watch.fanout', Math.round(delivered / seconds), 'events/s');
  for (const s of subs) s.unsubscribe();
  await registry.close();
});
