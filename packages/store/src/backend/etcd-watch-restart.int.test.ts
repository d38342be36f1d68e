import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { KubeObject } from '@converge/core';
import type { BackendEvent } from './backend.js';
import { EtcdBackend } from './etcd.backend.js';
import { freePort, startEtcd, type EtcdProcess } from './etcd-process.js';
import { waitFor } from '../conformance/wait-for.js';

let etcd: EtcdProcess;
let dataDir: string;
let clientPort: number;
let peerPort: number;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'converge-etcd-restart-'));
  clientPort = await freePort();
  peerPort = await freePort();
  etcd = await startEtcd({ dataDir, clientPort, peerPort });
});

afterAll(async () => {
  await etcd?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const obj = (name: string): KubeObject => ({ metadata: { name }, data: { v: name } });

async function retry<T>(fn: () => Promise<T>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

it('keeps delivering every change exactly once across a restart of etcd', async () => {
  const backend = new EtcdBackend({ endpoints: etcd.endpoints, keyPrefix: '/restart' });
  try {
    const start = await backend.currentRevision();
    const events: BackendEvent[] = [];
    const errors: unknown[] = [];
    const watch = backend.watch(
      { prefix: '/r/', afterRevision: start },
      { events: (b) => events.push(...b), error: (e) => errors.push(e) },
    );
    await backend.create('/r/a', obj('a'));
    await waitFor('the first event', () => events.length === 1, { timeoutMs: 10_000 });
    await etcd.stop();
    etcd = await startEtcd({ dataDir, clientPort, peerPort });
    await retry(() => backend.create('/r/b', obj('b')), 20_000);
    await backend.create('/r/c', obj('c'));
    await waitFor('the events after the restart', () => events.length >= 3, { timeoutMs: 20_000 });
    // Nothing more arrives: no duplicates.
    await backend.create('/r/d', obj('d'));
    await waitFor('the last event', () => events.length >= 4, { timeoutMs: 10_000 });
    expect(events.map((e) => e.key)).toEqual(['/r/a', '/r/b', '/r/c', '/r/d']);
    expect(errors).toEqual([]);
    watch.close();
  } finally {
    await backend.close();
  }
}, 60_000);
