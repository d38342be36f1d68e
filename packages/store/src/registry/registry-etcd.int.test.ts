import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createBuiltinCatalog } from '@converge/core/kinds';
import { VirtualClock } from '@converge/core/runtime';
import { EtcdBackend } from '../backend/etcd.backend.js';
import { startEtcd, type EtcdProcess } from '../backend/etcd-process.js';
import { describeObjectStoreConformance } from '../conformance/index.js';
import { Registry } from './registry.js';

let etcd: EtcdProcess;
let dataDir: string;
let n = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'converge-etcd-'));
  etcd = await startEtcd({ dataDir });
});

afterAll(async () => {
  await etcd?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describeObjectStoreConformance('the registry on the etcd backend', async () => {
  const clock = new VirtualClock();
  const keyPrefix = `/test-${++n}`;
  const backend = new EtcdBackend({ endpoints: etcd.endpoints, keyPrefix });
  const registry = new Registry({ backend, catalog: createBuiltinCatalog(), clock, bookmarkIntervalMs: 1000 });
  const peers: Registry[] = [];
  return {
    store: registry,
    advanceClock: (ms) => clock.advance(ms),
    compact: async () => backend.compact(await backend.currentRevision()),
    bookmarkIntervalMs: 1000,
    // A second registry with its own connection to the same etcd keys: a second API server, or this one restarted.
    openPeer: async () => {
      const peer = new Registry({
        backend: new EtcdBackend({ endpoints: etcd.endpoints, keyPrefix }),
        catalog: createBuiltinCatalog(),
        clock,
        bookmarkIntervalMs: 1000,
      });
      peers.push(peer);
      return peer;
    },
    close: async () => {
      for (const p of peers) await p.close();
      await registry.close();
    },
  };
});
