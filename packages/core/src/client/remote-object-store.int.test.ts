/**
 * The remote ObjectStore against small HTTP(S) servers started by the tests on 127.0.0.1:
 * what goes on the wire for each verb, credentials and TLS from a kubeconfig, errors, and
 * watch streaming. (Against the real API server: `@converge/testing`'s integration tests.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { firstValueFrom, toArray } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isGone, StatusError } from '../api/errors.js';
import type { KubeObject, WatchEvent } from '../api/meta.js';
import type { ResourceType } from '../api/resource-type.js';
import { VirtualClock } from '../util/virtual-clock.js';
import { RemoteObjectStore } from './remote-object-store.js';
import { waitFor } from '../../test/support/until.js';

const Pods: ResourceType = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
const Deployments: ResourceType = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true };
const Nodes: ResourceType = { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false };

interface Recorded {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Handler = (req: Recorded, res: ServerResponse, raw: IncomingMessage) => void;

class TestServer {
  readonly requests: Recorded[] = [];
  handler: Handler = (_req, res) => json(res, 200, { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'x' } });
  closedWatches = 0;
  private server!: http.Server | https.Server;

  async start(tls?: https.ServerOptions): Promise<string> {
    const onRequest = (raw: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      raw.on('data', (c: Buffer) => chunks.push(c));
      raw.on('end', () => {
        const rec = { method: raw.method ?? '', url: raw.url ?? '', headers: raw.headers, body: Buffer.concat(chunks).toString() };
        this.requests.push(rec);
        this.handler(rec, res, raw);
      });
    };
    this.server = tls ? https.createServer(tls, onRequest) : http.createServer(onRequest);
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return `${tls ? 'https' : 'http'}://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

function json(res: ServerResponse, code: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  res.writeHead(code, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function kubeConfig(
  server: string,
  user: Record<string, unknown> = { token: 'secret-token' },
  cluster: Record<string, unknown> = {},
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: false, ...cluster }],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u', namespace: 'team-a' }],
    currentContext: 'ctx',
  });
  return kc;
}

describe('RemoteObjectStore over HTTP', () => {
  const server = new TestServer();
  let store: RemoteObjectStore;
  let url: string;

  beforeAll(async () => {
    url = await server.start();
    store = RemoteObjectStore.fromKubeConfig(kubeConfig(url));
  });
  afterAll(async () => {
    store.close();
    await server.stop();
  });
  afterEach(() => {
    server.requests.length = 0;
  });

  it('sends the kubeconfig bearer token to a plain-HTTP server and reads the context namespace', async () => {
    await store.get(Pods, { namespace: 'default', name: 'web' });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer secret-token');
    expect(server.requests[0]!.headers.accept).toBe('application/json');
    expect(store.connection.contextNamespace).toBe('team-a');
  });

  it('addresses core, grouped, namespaced, cluster-scoped and subresource paths', async () => {
    await store.get(Pods, { namespace: 'default', name: 'web' });
    await store.get(Deployments, { namespace: 'prod', name: 'api' }, { subresource: 'scale', resourceVersion: '0' });
    await store.get(Nodes, { name: 'n1' });
    await store.list(Pods);
    await store.list(Deployments, { namespace: 'prod' });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/namespaces/default/pods/web',
      'GET /apis/apps/v1/namespaces/prod/deployments/api/scale?resourceVersion=0',
      'GET /api/v1/nodes/n1',
      'GET /api/v1/pods',
      'GET /apis/apps/v1/namespaces/prod/deployments',
    ]);
  });

  it('passes every list option as a query parameter and hands out complete, frozen items', async () => {
    server.handler = (_req, res) =>
      json(res, 200, {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '42', continue: 'next' },
        items: [{ metadata: { name: 'a', namespace: 'ns' }, spec: { containers: [{ name: 'c' }] } }],
      });
    const list = await store.list(Pods, {
      namespace: 'ns',
      labelSelector: 'app in (a,b)',
      fieldSelector: 'spec.nodeName=n1',
      limit: 10,
      continue: 'tok',
      resourceVersion: '5',
      resourceVersionMatch: 'NotOlderThan',
    });
    const q = new URL(server.requests[0]!.url, url).searchParams;
    expect(Object.fromEntries(q)).toEqual({
      labelSelector: 'app in (a,b)',
      fieldSelector: 'spec.nodeName=n1',
      limit: '10',
      continue: 'tok',
      resourceVersion: '5',
      resourceVersionMatch: 'NotOlderThan',
    });
    expect(list.metadata).toEqual({ resourceVersion: '42', continue: 'next' });
    expect(list.items[0]).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } });
    expect(Object.isFrozen(list.items[0]!.spec)).toBe(true);
    expect(() => (list.items as KubeObject[]).push({ metadata: {} })).toThrow(TypeError);
  });

  it('creates, updates, patches with each content type, and deletes with DeleteOptions', async () => {
    server.handler = (req, res) =>
      json(res, req.method === 'POST' ? 201 : 200, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'web', namespace: 'default', resourceVersion: '7' },
      });
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' } };
    await store.create(Pods, pod, { dryRun: true, fieldManager: 'me', fieldValidation: 'Strict' });
    await store.create(
      Pods,
      { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web', namespace: 'default' }, target: { kind: 'Node', name: 'n1' } },
      { subresource: 'binding' },
    );
    await store.update(Pods, pod, { subresource: 'status' });
    await store.patch(
      Pods,
      { namespace: 'default', name: 'web' },
      { type: 'json', body: [{ op: 'add', path: '/metadata/labels', value: { a: 'b' } }] },
    );
    await store.patch(Pods, { namespace: 'default', name: 'web' }, { type: 'merge', body: { metadata: { labels: { a: null } } } });
    await store.patch(Pods, { namespace: 'default', name: 'web' }, { type: 'strategic', body: { spec: {} } }, { subresource: 'status' });
    await store.patch(Pods, { namespace: 'default', name: 'web' }, { type: 'apply', body: pod }, { fieldManager: 'ctl', force: true });
    await store.delete(
      Pods,
      { namespace: 'default', name: 'web' },
      { propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: 'u1' }, dryRun: true },
    );
    const lines = server.requests.map((r) => `${r.method} ${r.url} ${r.headers['content-type'] ?? ''}`);
    expect(lines).toEqual([
      'POST /api/v1/namespaces/default/pods?dryRun=All&fieldManager=me&fieldValidation=Strict application/json',
      'POST /api/v1/namespaces/default/pods/web/binding application/json',
      'PUT /api/v1/namespaces/default/pods/web/status application/json',
      'PATCH /api/v1/namespaces/default/pods/web application/json-patch+json',
      'PATCH /api/v1/namespaces/default/pods/web application/merge-patch+json',
      'PATCH /api/v1/namespaces/default/pods/web/status application/strategic-merge-patch+json',
      'PATCH /api/v1/namespaces/default/pods/web?fieldManager=ctl&force=true application/apply-patch+yaml',
      'GET /api/v1/namespaces/default/pods/web ',
      'DELETE /api/v1/namespaces/default/pods/web application/json',
    ]);
    expect(JSON.parse(server.requests[3]!.body)).toEqual([{ op: 'add', path: '/metadata/labels', value: { a: 'b' } }]);
    expect(JSON.parse(server.requests[8]!.body)).toEqual({
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: 'Foreground',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'u1' },
      dryRun: ['All'],
    });
  });

  it('reads the object before a delete answered with a bare Status, deleting on its uid, and returns the list of a collection delete', async () => {
    let deleted = false;
    server.handler = (req, res) => {
      if (req.url.startsWith('/api/v1/namespaces/ns/configmaps/cm1')) {
        if (req.method === 'GET')
          return deleted
            ? json(res, 404, { kind: 'Status', code: 404, reason: 'NotFound', message: 'configmaps "cm1" not found' })
            : json(res, 200, { metadata: { name: 'cm1', namespace: 'ns', uid: 'u-9', resourceVersion: '4' }, data: { k: 'v' } });
        deleted = true;
        return json(res, 200, {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Success',
          details: { name: 'cm1', kind: 'configmaps', uid: 'u-9' },
        });
      }
      if (req.url.startsWith('/api/v1/namespaces/ns/pods/p1')) {
        // A pod with a grace period: the server answers with the object, now carrying deletionTimestamp.
        return json(res, 200, {
          metadata: {
            name: 'p1',
            namespace: 'ns',
            uid: 'p',
            resourceVersion: req.method === 'GET' ? '5' : '6',
            ...(req.method === 'DELETE' ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
          },
        });
      }
      return json(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: {}, items: [{ metadata: { name: 'a', namespace: 'ns' } }] });
    };
    const ConfigMaps: ResourceType = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true };
    const gone = await store.delete(ConfigMaps, { namespace: 'ns', name: 'cm1' });
    expect(gone).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm1', namespace: 'ns', uid: 'u-9', resourceVersion: '4' },
      data: { k: 'v' },
    });
    expect(JSON.parse(server.requests[1]!.body).preconditions).toEqual({ uid: 'u-9' });
    await expect(store.delete(ConfigMaps, { namespace: 'ns', name: 'cm1' })).rejects.toMatchObject({ reason: 'NotFound' });
    const pending = await store.delete(Pods, { namespace: 'ns', name: 'p1' });
    expect(pending.metadata).toMatchObject({ resourceVersion: '6', deletionTimestamp: '2024-01-01T00:00:00Z' });
    server.requests.length = 0;
    const list = await store.deleteCollection(Pods, { namespace: 'ns', labelSelector: 'a=b' });
    expect(server.requests[0]!.url).toBe('/api/v1/namespaces/ns/pods?labelSelector=a%3Db');
    expect(list.items.map((p) => p.kind)).toEqual(['Pod']);
  });

  it('refuses an empty name, a non-string selector and a negative limit before sending anything', async () => {
    await expect(store.get(Pods, { namespace: 'ns', name: '' })).rejects.toMatchObject({
      reason: 'BadRequest',
      message: 'resource name may not be empty',
    });
    await expect(store.list(Pods, { labelSelector: 5 as never })).rejects.toMatchObject({ reason: 'BadRequest' });
    await expect(store.list(Pods, { limit: -1 })).rejects.toMatchObject({ reason: 'BadRequest' });
    const cyclic: Record<string, unknown> = { metadata: { name: 'c', namespace: 'ns' } };
    cyclic['self'] = cyclic;
    await expect(store.create(Pods, cyclic as KubeObject)).rejects.toMatchObject({ reason: 'BadRequest' });
    expect(server.requests).toHaveLength(0);
  });

  it('turns error responses into StatusErrors from the Status body, or from the code', async () => {
    server.handler = (req, res) =>
      req.url.includes('missing')
        ? json(res, 404, {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            reason: 'NotFound',
            message: 'pods "missing" not found',
            code: 404,
            details: { name: 'missing', kind: 'pods' },
          })
        : (res.writeHead(502), res.end('bad gateway'));
    const err = await store.get(Pods, { namespace: 'default', name: 'missing' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StatusError);
    expect(err).toMatchObject({ reason: 'NotFound', code: 404, message: 'pods "missing" not found', details: { name: 'missing' } });
    const other = await store.get(Pods, { namespace: 'default', name: 'x' }).catch((e: unknown) => e);
    expect(other).toMatchObject({ code: 502, message: 'bad gateway' });
  });

  it('reports warnings from Warning headers to onWarning', async () => {
    server.handler = (_req, res) =>
      json(res, 201, { metadata: { name: 'a' } }, { Warning: ['299 - "unknown field \\"spec.foo\\""', '299 - "second, with a comma"'] });
    const warnings: string[] = [];
    await store.create(Pods, { metadata: { name: 'a', namespace: 'ns' } }, { fieldValidation: 'Warn', onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual(['unknown field "spec.foo"', 'second, with a comma']);
  });

  it('streams watch events line by line, frozen, with every watch option in the query', async () => {
    server.handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const a = JSON.stringify({
        type: 'ADDED',
        object: { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'a', namespace: 'ns', resourceVersion: '11' } },
      });
      res.write(`${a.slice(0, 20)}`);
      setTimeout(() => {
        res.write(`${a.slice(20)}\n{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"12"}}}\n`);
        res.end(
          `${JSON.stringify({ type: 'DELETED', object: { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'a', namespace: 'ns', resourceVersion: '13' } } })}\n`,
        );
      }, 10);
    };
    const events = await firstValueFrom(
      store
        .watch(Pods, { namespace: 'ns', resourceVersion: '10', allowWatchBookmarks: true, timeoutSeconds: 30, labelSelector: 'a=b' })
        .pipe(toArray()),
    );
    expect(events.map((e: WatchEvent) => `${e.type}@${e.object.metadata.resourceVersion}`)).toEqual([
      'ADDED@11',
      'BOOKMARK@12',
      'DELETED@13',
    ]);
    expect(Object.isFrozen(events[0]!.object.metadata)).toBe(true);
    const q = Object.fromEntries(new URL(server.requests[0]!.url, url).searchParams);
    expect(q).toEqual({ labelSelector: 'a=b', watch: 'true', resourceVersion: '10', allowWatchBookmarks: 'true', timeoutSeconds: '30' });
    expect(server.requests[0]!.url.startsWith('/api/v1/namespaces/ns/pods?')).toBe(true);
  });

  it('reuses the unchanged parts of the previous version a watch is given, delivering equal frozen objects', async () => {
    const spec = { containers: [{ name: 'app', image: 'nginx' }] };
    const cached = Object.freeze({
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: Object.freeze({ name: 'a', namespace: 'ns', resourceVersion: '11' }),
      spec: Object.freeze({ containers: Object.freeze([Object.freeze({ name: 'app', image: 'nginx' })]) }),
    });
    server.handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(
        `${JSON.stringify({ type: 'MODIFIED', object: { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'a', namespace: 'ns', resourceVersion: '12' }, spec } })}\n`,
      );
      res.end(
        `${JSON.stringify({ type: 'MODIFIED', object: { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'b', namespace: 'ns', resourceVersion: '13' }, spec } })}\n`,
      );
    };
    const asked: string[] = [];
    const previous = (obj: KubeObject): KubeObject | undefined => {
      asked.push(obj.metadata.name!);
      return obj.metadata.name === 'a' ? cached : undefined;
    };
    const events = await firstValueFrom(store.watch(Pods, { previous }).pipe(toArray()));
    expect(asked).toEqual(['a', 'b']);
    expect(events.map((e) => e.object)).toEqual([
      { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'a', namespace: 'ns', resourceVersion: '12' }, spec },
      { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'b', namespace: 'ns', resourceVersion: '13' }, spec },
    ]);
    expect(events[0]!.object.spec).toBe(cached.spec);
    expect(Object.isFrozen(events[0]!.object) && Object.isFrozen(events[0]!.object.metadata)).toBe(true);
    expect(Object.isFrozen(events[1]!.object.spec) && Object.isFrozen((events[1]!.object.spec as typeof spec).containers[0])).toBe(true);
    expect(new URL(server.requests[0]!.url, url).searchParams.has('previous')).toBe(false);
  });

  it('errors a watch with Gone on an ERROR event carrying a 410 Status', async () => {
    server.handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'too old resource version: 1 (50)', reason: 'Expired', code: 410 } })}\n`,
      );
    };
    const err = await firstValueFrom(store.watch(Pods, { resourceVersion: '1' })).catch((e: unknown) => e);
    expect(isGone(err)).toBe(true);
    expect((err as Error).message).toBe('too old resource version: 1 (50)');
  });

  it('closes the watch connection when the subscriber unsubscribes', async () => {
    let closed = false;
    server.handler = (_req, res, raw) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a', namespace: 'ns', resourceVersion: '1' } } })}\n`);
      raw.socket.on('close', () => (closed = true));
    };
    const seen: WatchEvent[] = [];
    const sub = store.watch(Pods).subscribe((e) => seen.push(e));
    await waitFor('the first event', () => seen.length === 1, { timeoutMs: 5_000 });
    expect(seen[0]!.object.kind).toBe('Pod');
    sub.unsubscribe();
    await waitFor('the server to see the connection close', () => closed, { timeoutMs: 5_000 });
  });

  it('errors a watch whose connection breaks, as ServiceUnavailable', async () => {
    server.handler = (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"type":"ADDED","obj');
      setTimeout(() => res.socket?.destroy(), 10);
    };
    const err = await firstValueFrom(store.watch(Pods).pipe(toArray())).catch((e: unknown) => e);
    expect(err).toMatchObject({ reason: 'ServiceUnavailable', code: 503 });
  });

  it('retries a request answered 429 after its Retry-After on the clock', async () => {
    const clock = new VirtualClock();
    const retrying = RemoteObjectStore.fromKubeConfig(kubeConfig(url), { clock });
    let n = 0;
    server.handler = (_req, res) =>
      n++ === 0
        ? json(res, 429, { kind: 'Status', code: 429, reason: 'TooManyRequests', message: 'slow down' }, { 'Retry-After': '2' })
        : json(res, 200, { metadata: { name: 'x' } });
    const got = retrying.get(Pods, { namespace: 'ns', name: 'x' });
    await waitFor('the retry to wait', () => clock.pending() === 1, { timeoutMs: 5_000 });
    await clock.advance(2_000);
    expect((await got).metadata.name).toBe('x');
    expect(server.requests).toHaveLength(2);
    retrying.close();
  });

  it('fails with ServiceUnavailable when nothing listens', async () => {
    const dead = await RemoteObjectStore.forServer({ server: 'http://127.0.0.1:1' });
    await expect(dead.get(Pods, { namespace: 'a', name: 'b' })).rejects.toMatchObject({ reason: 'ServiceUnavailable', code: 503 });
  });
});

describe('RemoteObjectStore over HTTPS', () => {
  let dir: string;
  const server = new TestServer();
  let url: string;
  const pem = (name: string) => readFileSync(join(dir, name), 'utf8');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'converge-remote-store-'));
    const sh = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    sh(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=test-ca']);
    sh(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
    writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    sh([
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '1',
      '-extfile',
      'san.ext',
    ]);
    sh(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=alice/O=devs']);
    sh(['x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '1']);
    url = await server.start({
      key: pem('server.key'),
      cert: pem('server.crt'),
      ca: pem('ca.crt'),
      requestCert: true,
      rejectUnauthorized: false,
    });
    server.handler = (_req, res) => {
      const peer = (res.socket as import('node:tls').TLSSocket).getPeerCertificate();
      json(res, 200, { kind: 'Pod', apiVersion: 'v1', metadata: { name: peer?.subject?.CN ?? 'anonymous' } });
    };
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies the server against the kubeconfig CA and presents the client certificate', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const store = RemoteObjectStore.fromKubeConfig(
      kubeConfig(url, { certData: b64(pem('client.crt')), keyData: b64(pem('client.key')) }, { caData: b64(pem('ca.crt')) }),
    );
    const got = await store.get(Pods, { namespace: 'ns', name: 'whoami' });
    expect(got.metadata.name).toBe('alice');
    store.close();
  });

  it('refuses a server whose certificate the CA did not sign', async () => {
    const store = RemoteObjectStore.fromKubeConfig(kubeConfig(url, { token: 't' }));
    await expect(store.get(Pods, { namespace: 'ns', name: 'x' })).rejects.toMatchObject({ reason: 'ServiceUnavailable' });
    store.close();
  });
});
