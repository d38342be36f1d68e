import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EtcdBackend } from '../backend/etcd.backend.js';
import { startEtcd, type EtcdProcess } from '../backend/etcd-process.js';
import { EtcdPeerDirectory } from './etcd-peer-directory.js';

let etcd: EtcdProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'converge-etcd-peers-'));
  etcd = await startEtcd({ dataDir });
});

afterAll(async () => {
  await etcd?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function until(probe: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 20));
  }
}

it('lets the first claim of an identity win, across directories', async () => {
  const one = new EtcdPeerDirectory({ endpoints: etcd.endpoints, keyPrefix: '/p1' });
  const two = new EtcdPeerDirectory({ endpoints: etcd.endpoints, keyPrefix: '/p1' });
  try {
    expect(await one.claimIdentity({ ca: 'c', serviceAccountKey: 'k' })).toEqual({ ok: true, created: true });
    expect(await two.claimIdentity({ ca: 'c', serviceAccountKey: 'k' })).toEqual({ ok: true, created: false });
    expect(await two.claimIdentity({ ca: 'c', serviceAccountKey: 'other' })).toEqual({
      ok: false,
      stored: { ca: 'c', serviceAccountKey: 'k' },
    });
  } finally {
    await one.close();
    await two.close();
  }
});

it('shows each announced server to every directory, tells watchers, keeps records alive without writing, and removes a withdrawn one at once', async () => {
  const one = new EtcdPeerDirectory({ endpoints: etcd.endpoints, keyPrefix: '/p2' });
  const two = new EtcdPeerDirectory({ endpoints: etcd.endpoints, keyPrefix: '/p2' });
  const revisions = new EtcdBackend({ endpoints: etcd.endpoints, compactionIntervalMs: 0 });
  try {
    let changes = 0;
    const unwatch = two.watch(() => changes++);
    await new Promise((r) => setTimeout(r, 200)); // the watch is opened asynchronously
    const a = await one.announce({ id: 'a', address: '127.0.0.2', port: 6443 }, { ttlSeconds: 1 });
    await two.announce({ id: 'b', address: '127.0.0.3', port: 6443 }, { ttlSeconds: 1 });
    expect(await two.list()).toEqual([
      { id: 'a', address: '127.0.0.2', port: 6443 },
      { id: 'b', address: '127.0.0.3', port: 6443 },
    ]);
    await until(async () => changes >= 2);
    // Keep-alives every third of the 1 s TTL for 2.5 s: the records stay, the revision does not move.
    const before = await revisions.currentRevision();
    await new Promise((r) => setTimeout(r, 2500));
    expect((await one.list()).map((r) => r.id)).toEqual(['a', 'b']);
    expect(await revisions.currentRevision()).toBe(before);
    await a.withdraw();
    expect((await two.list()).map((r) => r.id)).toEqual(['b']);
    await until(async () => changes >= 3);
    unwatch();
  } finally {
    await one.close();
    await two.close();
    await revisions.close();
  }
});
