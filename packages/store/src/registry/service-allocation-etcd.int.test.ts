import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Namespaces, Services, type Service } from '@converge/core';
import { createBuiltinCatalog } from '@converge/core/kinds';
import { EtcdBackend } from '../backend/etcd.backend.js';
import { startEtcd, type EtcdProcess } from '../backend/etcd-process.js';
import { Registry } from './registry.js';

let etcd: EtcdProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'converge-etcd-'));
  etcd = await startEtcd({ dataDir });
});

afterAll(async () => {
  await etcd?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const svc = (name: string): Service => ({
  metadata: { name, namespace: 'default' },
  spec: { selector: { app: name }, ports: [{ port: 80 }] },
});

function open(keyPrefix: string): Registry {
  return new Registry({
    backend: new EtcdBackend({ endpoints: etcd.endpoints, keyPrefix }),
    catalog: createBuiltinCatalog(),
    serviceClusterIPRange: '10.0.0.0/29',
    serviceAllocationRepairIntervalMs: 0,
  });
}

describe('service allocation on etcd', () => {
  it('sees addresses another registry released when its own view says the range is full, and keeps them across a restart', async () => {
    const a = open('/alloc-1');
    const b = open('/alloc-1');
    await a.create(Namespaces, { metadata: { name: 'default' } });
    const ips = new Set<string>();
    for (let i = 0; i < 5; i++) ips.add((await a.create(Services, svc(`s${i}`))).spec!.clusterIP!);
    expect(ips.size).toBe(5);
    const freed = (await b.delete(Services, { namespace: 'default', name: 's2' })).spec!.clusterIP!;
    // a believes every address taken; it reads the claims again and finds the freed one.
    expect((await a.create(Services, svc('again'))).spec!.clusterIP).toBe(freed);
    await expect(b.create(Services, svc('more'))).rejects.toMatchObject({ code: 500 });
    await a.close();
    await b.close();

    const restarted = open('/alloc-1');
    await expect(restarted.create(Services, svc('after-restart'))).rejects.toMatchObject({
      message: 'Internal error occurred: failed to allocate a serviceIP: range is full',
    });
    await restarted.delete(Services, { namespace: 'default', name: 's0' });
    expect(ips.has((await restarted.create(Services, svc('after-restart'))).spec!.clusterIP!)).toBe(true);
    await restarted.close();
  });
});
