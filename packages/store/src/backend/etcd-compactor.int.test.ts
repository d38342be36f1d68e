import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { KubeObject } from '@converge/core';
import { VirtualClock } from '@converge/core/runtime';
import { EtcdBackend } from './etcd.backend.js';
import { EtcdCompactor } from './etcd-compactor.js';
import { startEtcd, type EtcdProcess } from './etcd-process.js';

let etcd: EtcdProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'converge-etcd-compact-'));
  etcd = await startEtcd({ dataDir });
});

afterAll(async () => {
  await etcd?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const obj = (name: string): KubeObject => ({ metadata: { name } });

it('compacts to the revision of the previous round, one compactor per round among several', async () => {
  const backend = new EtcdBackend({ endpoints: etcd.endpoints, keyPrefix: '/c1', compactionIntervalMs: 0 });
  try {
    const client = backend.etcd;
    const a = new EtcdCompactor({ client, key: '/c1/compact_rev_key', intervalMs: 1000, clock: new VirtualClock() });
    const b = new EtcdCompactor({ client, key: '/c1/compact_rev_key', intervalMs: 1000, clock: new VirtualClock() });
    await backend.create('/r/0', obj('0'));
    expect(await a.round()).toBeUndefined(); // the first round only records where it stands
    const seen = await backend.currentRevision();
    await backend.create('/r/1', obj('1'));
    expect(await b.round()).toBeUndefined(); // a took this round
    const compacted = await a.round();
    expect(compacted).toBeGreaterThanOrEqual(seen - 1);
    await expect(backend.list({ prefix: '/r/', revision: compacted! - 1 })).rejects.toMatchObject({ code: 410 });
    await backend.list({ prefix: '/r/', revision: compacted! });
  } finally {
    await backend.close();
  }
});

it('runs by itself on the backend clock', async () => {
  const clock = new VirtualClock();
  const backend = new EtcdBackend({ endpoints: etcd.endpoints, keyPrefix: '/c2', compactionIntervalMs: 60_000, clock });
  try {
    const old = (await backend.currentRevision()) - 1;
    await backend.create('/r/0', obj('0'));
    await clock.advance(60_000);
    await backend.create('/r/1', obj('1'));
    const deadline = Date.now() + 10_000;
    for (;;) {
      await clock.advance(60_000);
      // Let the round's etcd calls complete (virtual time does not move I/O).
      await backend.currentRevision();
      if ((await backend.compactedRevision()) > old) break;
      if (Date.now() > deadline) throw new Error('no compaction happened');
    }
    await expect(backend.list({ prefix: '/r/', revision: old })).rejects.toMatchObject({ code: 410 });
  } finally {
    await backend.close();
  }
});

it('writes nothing in rounds that find etcd idle, and resumes compacting after the next write', async () => {
  const backend = new EtcdBackend({ endpoints: etcd.endpoints, keyPrefix: '/c3', compactionIntervalMs: 0 });
  try {
    const client = backend.etcd;
    const a = new EtcdCompactor({ client, key: '/c3/compact_rev_key', intervalMs: 1000, clock: new VirtualClock() });
    const b = new EtcdCompactor({ client, key: '/c3/compact_rev_key', intervalMs: 1000, clock: new VirtualClock() });
    await backend.create('/r/0', obj('0'));
    await a.round();
    await b.round();
    await backend.create('/r/1', obj('1'));
    await a.round(); // compacts and writes the coordination key
    await b.round(); // loses the round
    const idle = await backend.currentRevision();
    for (let i = 0; i < 3; i++) {
      // Idle rounds may still compact (not a write), never past where etcd stands.
      expect((await a.round()) ?? idle).toBe(idle);
      expect((await b.round()) ?? idle).toBe(idle);
    }
    expect(await backend.currentRevision()).toBe(idle);
    await backend.create('/r/2', obj('2'));
    const next = await b.round();
    expect(next).toBe(idle);
    expect(await backend.currentRevision()).toBe(idle + 2);
  } finally {
    await backend.close();
  }
});
