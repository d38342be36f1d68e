/**
 * Several API servers on one etcd:
 *
 * - `api.ha.idle-writes`: writes per minute to etcd (growth of etcd's revision, which moves
 *   with every write and only with writes) while two API servers share one etcd and nobody
 *   uses them. Each server runs its compactor every 10 s (so the window sees compaction rounds)
 *   and keeps its 15 s etcd lease alive. The window is 60 s; `BENCH_HA_IDLE_MS` shortens it.
 *   Measured after the servers settled (etcd's revision still for two compaction intervals:
 *   the round after start-up compacts the start-up's writes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEtcd } from '../packages/store/src/index.js';
import { etcdRevision, portFreeOn, startEtcdApiServer } from '../packages/apiserver/src/testing/etcd-api-server.js';
import { benchmark, report } from './kit.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

benchmark('api.ha.idle-writes', async () => {
  const windowMs = Number(process.env.BENCH_HA_IDLE_MS ?? 60_000);
  const compactionIntervalMs = 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'converge-bench-ha-'));
  const etcd = await startEtcd({ dataDir: join(dir, 'etcd') });
  const servers = [];
  try {
    const port = await portFreeOn(['127.0.0.2', '127.0.0.3']);
    const common = { endpoints: etcd.endpoints, keyPrefix: '/bench', port, compactionIntervalMs };
    const a = await startEtcdApiServer({ ...common, host: '127.0.0.2', dataDir: join(dir, 'a') });
    servers.push(a);
    const { readClusterCredentials } = await import('../packages/apiserver/src/index.js');
    servers.push(
      await startEtcdApiServer({
        ...common,
        host: '127.0.0.3',
        dataDir: join(dir, 'b'),
        credentials: readClusterCredentials({ identityDir: join(dir, 'a') }),
      }),
    );
    // Settle: etcd's revision still for two compaction intervals.
    for (;;) {
      const r = await etcdRevision(etcd.endpoints);
      await sleep(2 * compactionIntervalMs);
      if ((await etcdRevision(etcd.endpoints)) === r) break;
    }
    const before = await etcdRevision(etcd.endpoints);
    await sleep(windowMs);
    const writes = (await etcdRevision(etcd.endpoints)) - before;
    report('api.ha.idle-writes', (writes * 60_000) / windowMs, 'writes/min');
  } finally {
    for (const s of servers) await s.stop().catch(() => undefined);
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
