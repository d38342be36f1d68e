import { createLogger } from '@converge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../testing/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const pod = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

describe('the API server over HTTPS', () => {
  it('answers /version with Kubernetes 1.32 and the Converge version', async () => {
    const r = await call(t.api, { path: '/version', token: null });
    expect(r.status).toBe(200);
    const v = r.json();
    expect(v['major']).toBe('1');
    expect(v['minor']).toBe('32');
    expect(String(v['gitVersion'])).toMatch(/^v1\.32\.0\+converge\./);
  });

  it('answers the health endpoints without credentials', async () => {
    for (const p of ['/healthz', '/livez', '/readyz']) {
      const r = await call(t.api, { path: p, token: null });
      expect(r.status).toBe(200);
      expect(r.text).toBe('ok');
    }
    const verbose = await call(t.api, { path: '/readyz?verbose', token: null });
    expect(verbose.text).toContain('readyz check passed');
  });

  it('refuses requests without credentials with a 401 Status', async () => {
    const r = await call(t.api, { path: '/api/v1/namespaces', token: null });
    expect(r.status).toBe(401);
    expect(r.json()).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401, message: 'Unauthorized' });
  });

  it('refuses an unknown bearer token with a 401 Status', async () => {
    const r = await call(t.api, { path: '/api/v1/namespaces', token: 'nope' });
    expect(r.status).toBe(401);
  });

  it('answers objects with kind, apiVersion and metadata first, however the client ordered them', async () => {
    const body = { metadata: { name: 'ordered' }, data: { a: '1' }, apiVersion: 'v1', kind: 'ConfigMap' };
    const created = await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body });
    expect(created.status).toBe(201);
    expect(created.text).toMatch(/^\{"kind":"ConfigMap","apiVersion":"v1","metadata":\{/);
    const read = await call(t.api, { path: '/api/v1/namespaces/default/configmaps/ordered' });
    expect(read.text).toMatch(/^\{"kind":"ConfigMap","apiVersion":"v1","metadata":\{/);
  });

  it('creates the system namespaces at start', async () => {
    const r = await call(t.api, { path: '/api/v1/namespaces' });
    expect(r.status).toBe(200);
    const names = r.json<{ items: { metadata: { name: string } }[] }>().items.map((i) => i.metadata.name);
    expect(names).toEqual(expect.arrayContaining(['default', 'kube-system', 'kube-public', 'kube-node-lease']));
  });

  it('creates, reads, lists, updates and deletes a pod', async () => {
    const created = await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/pods', body: pod('crud', { app: 'web' }) });
    expect(created.status).toBe(201);
    const obj = created.json<{ metadata: { uid: string; resourceVersion: string; namespace: string } }>();
    expect(obj.metadata.namespace).toBe('default');
    expect(obj.metadata.uid).toMatch(/[0-9a-f-]{36}/);

    const got = await call(t.api, { path: '/api/v1/namespaces/default/pods/crud' });
    expect(got.status).toBe(200);
    expect(got.json<{ metadata: { uid: string } }>().metadata.uid).toBe(obj.metadata.uid);

    const list = await call(t.api, { path: '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb' });
    expect(list.status).toBe(200);
    const l = list.json<{ kind: string; items: unknown[]; metadata: { resourceVersion: string } }>();
    expect(l.kind).toBe('PodList');
    expect(l.items).toHaveLength(1);
    expect(l.metadata.resourceVersion).toBeTruthy();

    const all = await call(t.api, { path: '/api/v1/pods' });
    expect(all.json<{ items: unknown[] }>().items.length).toBeGreaterThanOrEqual(1);

    const current = got.json<Record<string, unknown> & { metadata: Record<string, unknown> }>();
    current.metadata['labels'] = { app: 'web', tier: 'fe' };
    const updated = await call(t.api, { method: 'PUT', path: '/api/v1/namespaces/default/pods/crud', body: current });
    expect(updated.status).toBe(200);
    expect(updated.json<{ metadata: { labels: Record<string, string> } }>().metadata.labels).toEqual({ app: 'web', tier: 'fe' });

    const deleted = await call(t.api, { method: 'DELETE', path: '/api/v1/namespaces/default/pods/crud' });
    expect(deleted.status).toBe(200);
    expect(deleted.json()).toMatchObject({ kind: 'Pod', metadata: { name: 'crud', uid: obj.metadata.uid } });
    const gone = await call(t.api, { path: '/api/v1/namespaces/default/pods/crud' });
    expect(gone.status).toBe(404);
    expect(gone.json()).toMatchObject({ reason: 'NotFound', message: 'pods "crud" not found', code: 404 });
  });

  it('words errors as Kubernetes does', async () => {
    const missing = await call(t.api, { path: '/apis/apps/v1/namespaces/default/deployments/web' });
    expect(missing.json()).toMatchObject({ message: 'deployments.apps "web" not found', reason: 'NotFound' });
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { metadata: { name: 'dup' } } });
    const again = await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { metadata: { name: 'dup' } } });
    expect(again.status).toBe(409);
    expect(again.json()).toMatchObject({ reason: 'AlreadyExists', message: 'configmaps "dup" already exists' });
  });

  it('answers 404 for an unknown resource and 405 for a method a path does not serve', async () => {
    const r = await call(t.api, { path: '/api/v1/namespaces/default/widgets' });
    expect(r.status).toBe(404);
    expect(r.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'the server could not find the requested resource' });
    const p = await call(t.api, { method: 'POST', path: '/api/v1/pods', body: pod('x') });
    expect(p.status).toBe(405);
    expect(p.json()).toMatchObject({ reason: 'MethodNotAllowed' });
  });

  it('refuses malformed JSON and YAML with a 400 Status and keeps serving', async () => {
    const bad = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: '{"metadata": {',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    const badYaml = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: 'metadata: [\n  name: x',
      headers: { 'Content-Type': 'application/yaml' },
    });
    expect(badYaml.status).toBe(400);
    const ok = await call(t.api, { path: '/version' });
    expect(ok.status).toBe(200);
  });

  it('refuses bodies over 3 MiB with a 413 Status', async () => {
    const big = JSON.stringify({ metadata: { name: 'big' }, data: { x: 'a'.repeat(3 * 1024 * 1024 + 10) } });
    const r = await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: big });
    expect(r.status).toBe(413);
    expect(r.json()).toMatchObject({ reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' });
    const stored = await call(t.api, { path: '/api/v1/namespaces/default/configmaps/big' });
    expect(stored.status).toBe(404);
  });

  it('refuses a body of another kind than the path with a 400', async () => {
    const r = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/pods',
      body: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: {} },
    });
    expect(r.status).toBe(400);
    expect(r.json<{ message: string }>().message).toContain('Service');
  });

  it('answers an unsupported Accept with 406 and an unsupported Content-Type with 415', async () => {
    const a = await call(t.api, { path: '/api/v1/namespaces', headers: { Accept: 'text/html' } });
    expect(a.status).toBe(406);
    expect(a.json()).toMatchObject({ reason: 'NotAcceptable' });
    const c = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: 'x',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(c.status).toBe(415);
    expect(c.json()).toMatchObject({ reason: 'UnsupportedMediaType' });
  });

  it('speaks YAML both ways', async () => {
    const r = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yaml-cm\ndata:\n  a: "1"\n',
      headers: { 'Content-Type': 'application/yaml', Accept: 'application/yaml' },
    });
    expect(r.status).toBe(201);
    expect(r.headers['content-type']).toBe('application/yaml');
    expect(r.text).toContain('name: yaml-cm');
  });

  it('rejects an invalid object with 422 and one cause per field', async () => {
    const r = await call(t.api, {
      method: 'POST',
      path: '/apis/apps/v1/namespaces/default/deployments',
      body: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: {
          replicas: -1,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
        },
      },
    });
    expect(r.status).toBe(422);
    expect(r.json()).toMatchObject({
      reason: 'Invalid',
      message: expect.stringContaining('"web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'),
      details: { name: 'web', group: 'apps', kind: 'Deployment' },
    });
  });

  it('reports duplicate and unknown fields under fieldValidation=Strict, and warns under Warn', async () => {
    const body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"strict"},"data":{"a":"1"},"data":{"b":"2"},"bogus":1}';
    const strict = await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', body });
    expect(strict.status).toBe(400);
    expect(strict.json<{ message: string }>().message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "bogus", duplicate field "data"',
    );
    expect((await call(t.api, { path: '/api/v1/namespaces/default/configmaps/strict' })).status).toBe(404);
    const warn = await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', body });
    expect(warn.status).toBe(201);
    expect(String(warn.headers['warning'])).toContain('299 - "unknown field \\"bogus\\""');
    expect(String(warn.headers['warning'])).toContain('duplicate field \\"data\\"');
  });

  it('does not store anything for dryRun=All', async () => {
    const r = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps?dryRun=All',
      body: { metadata: { name: 'dry' } },
    });
    expect(r.status).toBe(201);
    expect((await call(t.api, { path: '/api/v1/namespaces/default/configmaps/dry' })).status).toBe(404);
  });

  it('refuses to start on a port in use, and plain HTTP off the loopback interface', async () => {
    await expect(startTestServer({ port: t.api.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await expect(startTestServer({ tls: false, host: '0.0.0.0' })).rejects.toThrow(/only allowed on a loopback address/);
  });

  it('serves plain HTTP on 127.0.0.1 when asked', async () => {
    const s = await startTestServer({ tls: false });
    try {
      expect(s.api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(s.api.caCertPem).toBeUndefined();
      expect((await call(s.api, { path: '/api/v1/namespaces/default' })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('writes one structured access-log line per request', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    });
    const s = await startTestServer({ logger });
    try {
      await call(s.api, { path: '/api/v1/namespaces/default/configmaps?limit=1' });
      await call(s.api, { path: '/api/v1/namespaces/default/configmaps/nope' });
      const requests = lines.filter((l) => l['uri'] !== undefined);
      expect(requests).toEqual([
        expect.objectContaining({
          verb: 'LIST',
          method: 'GET',
          uri: '/api/v1/namespaces/default/configmaps?limit=1',
          resource: 'configmaps',
          namespace: 'default',
          user: 'admin',
          code: 200,
        }),
        expect.objectContaining({ verb: 'GET', name: 'nope', code: 404 }),
      ]);
      expect(typeof requests[0]!['latencyMs']).toBe('number');
    } finally {
      await s.close();
    }
  });

  it('serves /metrics with request counts by verb, resource and code', async () => {
    await call(t.api, { path: '/api/v1/namespaces/default/configmaps' });
    const r = await call(t.api, { path: '/metrics' });
    expect(r.status).toBe(200);
    expect(r.text).toMatch(/apiserver_request_total\{[^}]*verb="LIST"[^}]*resource="configmaps"[^}]*code="200"[^}]*\} \d+/);
    expect(r.text).toContain('apiserver_request_duration_seconds_bucket');
  });
});
