/**
 * Several API servers on one etcd (a real one), as an operator runs them: the first server
 * makes the cluster's identity in its data dir, the second is started with that data dir as
 * its identity dir, each listens on its own loopback address (127.0.0.2, 127.0.0.3) with the
 * same port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEtcd, type EtcdProcess } from '@converge/store';
import { call, openWatch } from '../testing/test-server.js';
import { etcdRevision, portFreeOn, startEtcdApiServer, type EtcdApiServer, type EtcdApiServerOptions } from '../testing/etcd-api-server.js';
import { readClusterCredentials } from './cluster-identity.js';

const A_HOST = '127.0.0.2';
const B_HOST = '127.0.0.3';
const C_HOST = '127.0.0.4';
const KEY_PREFIX = '/ha';
const IDLE_WINDOW_MS = Number(process.env['CONVERGE_HA_IDLE_WINDOW_MS'] ?? 4000);

let etcd: EtcdProcess;
let a: EtcdApiServer;
let b: EtcdApiServer;
let port: number;
let aDir: string;
const dirs: string[] = [];
const started: EtcdApiServer[] = [];

function tempDir(name: string): string {
  const d = mkdtempSync(join(tmpdir(), `converge-ha-${name}-`));
  dirs.push(d);
  return d;
}

async function start(o: Omit<EtcdApiServerOptions, 'endpoints' | 'keyPrefix'>): Promise<EtcdApiServer> {
  // Compaction rounds every second: they must not write while the cluster is idle either.
  const s = await startEtcdApiServer({
    endpoints: etcd.endpoints,
    keyPrefix: KEY_PREFIX,
    apiServerLeaseSeconds: 2,
    compactionIntervalMs: 1000,
    ...o,
  });
  started.push(s);
  return s;
}

beforeAll(async () => {
  etcd = await startEtcd({ dataDir: tempDir('etcd') });
  port = await portFreeOn([A_HOST, B_HOST, C_HOST]);
  aDir = tempDir('a');
  a = await start({ host: A_HOST, port, dataDir: aDir });
  b = await start({ host: B_HOST, port, dataDir: tempDir('b'), credentials: readClusterCredentials({ identityDir: aDir }) });
}, 60_000);

afterAll(async () => {
  for (const s of started) await s.stop().catch(() => undefined);
  await etcd?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Resolves with the value once `probe` returns one (polling; fails after `timeoutMs`). */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met before the deadline${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function endpointAddresses(server: EtcdApiServer): Promise<{ endpoints: string[]; slice: string[] }> {
  const ep = (await call(server.api, { path: '/api/v1/namespaces/default/endpoints/kubernetes' })).json<{
    subsets?: { addresses?: { ip: string }[]; ports?: { port: number }[] }[];
  }>();
  const slice = (await call(server.api, { path: '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices/kubernetes' })).json<{
    endpoints?: { addresses: string[] }[];
    ports?: { port: number }[];
  }>();
  return {
    endpoints: (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((x) => `${x.ip}:${s.ports?.[0]?.port}`)),
    slice: (slice.endpoints ?? []).flatMap((e) => e.addresses.map((x) => `${x}:${slice.ports?.[0]?.port}`)),
  };
}

async function whoami(
  server: EtcdApiServer,
  auth: { token?: string | null; cert?: { certPem: string; keyPem: string } },
): Promise<{ status: number; username?: string; groups?: string[] }> {
  const r = await call(server.api, {
    method: 'POST',
    path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    ...auth,
  });
  if (r.status !== 201 && r.status !== 200) return { status: r.status };
  const info = r.json<{ status: { userInfo: { username: string; groups: string[] } } }>().status.userInfo;
  return { status: r.status, username: info.username, groups: info.groups };
}

describe('two API servers on one etcd', () => {
  it('are one cluster identity: the CA, the admin token, client certificates and service-account tokens of one work against the other', async () => {
    expect(b.api.caCertPem).toBe(a.api.caCertPem);
    expect(b.api.adminToken).toBe(a.api.adminToken);
    const cert = a.api.issueClientCertificate('alice', ['devs']);
    expect(await whoami(b, { token: null, cert })).toMatchObject({ username: 'alice', groups: expect.arrayContaining(['devs']) });
    // API servers alone make no `default` ServiceAccounts (the controller-manager does).
    for (const namespace of ['default', 'kube-system']) {
      await call(a.api, {
        method: 'POST',
        path: `/api/v1/namespaces/${namespace}/serviceaccounts`,
        body: { metadata: { name: 'default' } },
      });
    }
    const token = await a.api.serviceAccountToken('default', 'default');
    expect(await whoami(b, { token })).toMatchObject({ username: 'system:serviceaccount:default:default' });
    const back = await b.api.serviceAccountToken('kube-system', 'default');
    expect(await whoami(a, { token: back })).toMatchObject({ username: 'system:serviceaccount:kube-system:default' });
  });

  it('serve one store: a write through one is read and watched through the other', async () => {
    const w = await openWatch(b.api, '/api/v1/namespaces/default/configmaps?watch=1&fieldSelector=metadata.name%3Dshared');
    try {
      const created = await call(a.api, {
        method: 'POST',
        path: '/api/v1/namespaces/default/configmaps',
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' }, data: { k: 'v' } },
      });
      expect(created.status).toBe(201);
      await w.waitFor(1);
      expect(w.events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'shared' }, data: { k: 'v' } } });
      const read = await call(b.api, { path: '/api/v1/namespaces/default/configmaps/shared' });
      expect(read.json()).toMatchObject({
        data: { k: 'v' },
        metadata: { resourceVersion: created.json<{ metadata: { resourceVersion: string } }>().metadata.resourceVersion },
      });
    } finally {
      w.close();
    }
  });

  it('are both in the kubernetes Endpoints and EndpointSlice, sorted, with their shared port', async () => {
    const want = [`${A_HOST}:${port}`, `${B_HOST}:${port}`];
    for (const server of [a, b]) {
      const got = await eventually(async () => {
        const e = await endpointAddresses(server);
        return e.endpoints.length === 2 && e.slice.length === 2 ? e : undefined;
      });
      expect(got).toEqual({ endpoints: want, slice: want });
    }
    const svc = (await call(a.api, { path: '/api/v1/namespaces/default/services/kubernetes' })).json<{
      spec: { ports: { targetPort: number }[] };
    }>();
    expect(svc.spec.ports[0]!.targetPort).toBe(port);
  });

  it(
    'write nothing to etcd while idle (kubernetes endpoints, compaction, leases)',
    async () => {
      // Settled: both servers in the endpoints, and etcd's revision still for 2.5 compaction
      // intervals (the first compaction round after start-up writes its coordination key once:
      // that write follows the start-up's writes, it is not caused by idleness).
      await eventually(async () => ((await endpointAddresses(a)).slice.length === 2 ? true : undefined));
      await eventually(async () => {
        const r = await etcdRevision(etcd.endpoints);
        await new Promise((res) => setTimeout(res, 2500));
        return (await etcdRevision(etcd.endpoints)) === r ? true : undefined;
      }, 20_000);
      // The window (4 s; CONVERGE_HA_IDLE_WINDOW_MS=60000 for the full minute) covers two lease
      // durations (2 s each: keep-alives every 0.67 s, which are not writes) and four compaction
      // rounds of each server; everything else the servers keep is driven by watches, not timers,
      // so a longer window adds no new kind of event.
      const before = await etcdRevision(etcd.endpoints);
      await new Promise((r) => setTimeout(r, IDLE_WINDOW_MS));
      expect(await etcdRevision(etcd.endpoints)).toBe(before);
    },
    40_000 + IDLE_WINDOW_MS,
  );

  it('refuses to start a server with another identity, naming the flags that give it the cluster’s', async () => {
    await expect(start({ host: C_HOST, port, dataDir: tempDir('stranger') })).rejects.toThrow(
      /another identity.*CA.*service-account signing key.*--identity-dir.*--ca-file.*--ca-key-file.*--service-account-signing-key-file/,
    );
  });

  it('let a watching client fail over: a third server stops mid-watch, the client resumes on another from its last resourceVersion', async () => {
    const c = await start({ host: C_HOST, port, dataDir: tempDir('c'), credentials: readClusterCredentials({ identityDir: aDir }) });
    await eventually(async () => ((await endpointAddresses(b)).endpoints.includes(`${C_HOST}:${port}`) ? true : undefined));
    const path = '/api/v1/namespaces/default/configmaps?watch=1&labelSelector=failover%3Dyes';
    const w = await openWatch(c.api, path);
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { failover: 'yes' } } });
    await call(b.api, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: cm('before') });
    await w.waitFor(1);
    const lastRV = (w.events[0]!.object as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    await c.stop();
    await w.ended;
    // Written while the client has no server.
    await call(b.api, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: cm('during') });
    const resumed = await openWatch(a.api, `${path}&resourceVersion=${lastRV}`);
    try {
      await resumed.waitFor(1);
      expect(resumed.events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'during' } } });
    } finally {
      resumed.close();
    }
    // A stopped server withdraws at once: it leaves the endpoints without waiting for its lease.
    const want = [`${A_HOST}:${port}`, `${B_HOST}:${port}`];
    expect(
      await eventually(async () => {
        const e = await endpointAddresses(a);
        return e.endpoints.length === 2 && e.slice.length === 2 ? e : undefined;
      }, 1500),
    ).toEqual({ endpoints: want, slice: want });
  });
});
