import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConfigMaps } from '@converge/core';
import { createBuiltinCatalog } from '@converge/core/kinds';
import { EtcdBackend } from '../backend/etcd.backend.js';
import { startEtcd, type EtcdProcess } from '../backend/etcd-process.js';
import { Registry } from './registry.js';

const root = resolve(import.meta.dirname, '../../../..');
let etcd: EtcdProcess;
let dataDir: string;

/** Vite's Node entry, found through vitest (which depends on it). */
function viteEntry(): string {
  const vitestPkg = realpathSync(createRequire(join(root, 'package.json')).resolve('vitest/package.json'));
  const entry = join(dirname(realpathSync(createRequire(vitestPkg).resolve('vite/package.json'))), 'dist', 'node', 'index.js');
  if (!existsSync(entry)) throw new Error(`vite's entry not found at ${entry}`);
  return entry;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'converge-durable-'));
  etcd = await startEtcd({ dataDir });
});

afterAll(async () => {
  await etcd?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it('keeps every write acknowledged to a process killed with SIGKILL, even when etcd is killed too', async () => {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'durable-writer.child.mjs')], {
    env: {
      ...process.env,
      CONVERGE_VITE_ENTRY: viteEntry(),
      CONVERGE_ROOT: root,
      CONVERGE_ETCD: etcd.endpoints[0],
      CONVERGE_PREFIX: '/durable',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const acked: { name: string; uid: string; resourceVersion: string }[] = [];
  const lines = createInterface({ input: child.stdout });
  await new Promise<void>((resolveAcks, reject) => {
    const deadline = setTimeout(
      () => reject(new Error(`the writer acknowledged ${acked.length} writes in time; stderr:\n${stderr}`)),
      45_000,
    );
    lines.on('line', (line) => {
      acked.push(JSON.parse(line));
      if (acked.length === 20) {
        clearTimeout(deadline);
        resolveAcks();
      }
    });
    child.once('exit', (code) => reject(new Error(`the writer exited (${code}) early; stderr:\n${stderr}`)));
  });
  process.kill(child.pid!, 'SIGKILL');
  await exited;
  expect(child.signalCode).toBe('SIGKILL');
  // etcd dies too, without warning, and comes back from its data directory.
  process.kill(etcd.pid, 'SIGKILL');
  await etcd.stop();
  etcd = await startEtcd({ dataDir });

  const registry = new Registry({
    backend: new EtcdBackend({ endpoints: etcd.endpoints, keyPrefix: '/durable' }),
    catalog: createBuiltinCatalog(),
  });
  try {
    for (const ack of acked) {
      const cm = await registry.get(ConfigMaps, { namespace: 'durable', name: ack.name });
      expect(cm.metadata.uid).toBe(ack.uid);
      expect(cm.metadata.resourceVersion).toBe(ack.resourceVersion);
    }
  } finally {
    await registry.close();
  }
}, 90_000);
