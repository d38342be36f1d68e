/**
 * The proxy subresources over HTTPS: services/<id>/proxy forwarding to an endpoint (a local
 * HTTP server standing in for a pod), or answering Kubernetes' 503s; pods/proxy and nodes/proxy
 * handed to the kubelet plug point.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeletConnectRequest, KubeletConnector, NodeConnectRequest } from '../kubelet/kubelet-connector.js';
import { call, startTestServer, type TestServer } from '../testing/test-server.js';
import { parseProxyId } from './proxy.handler.js';

let t: TestServer;
let backend: Server;
let backendPort: number;
const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  t = await startTestServer();
  backend = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200, { 'Content-Type': 'text/plain', 'X-Backend': 'yes' });
      res.end(`hello from ${req.url}`);
    });
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  backendPort = (backend.address() as AddressInfo).port;
  const svc = (name: string, ports: unknown[]) =>
    call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/services',
      body: { metadata: { name }, spec: { clusterIP: 'None', ports } },
    });
  await svc('app', [{ name: 'web', port: 80, targetPort: 8080 }]);
  await svc('served', [{ name: 'web', port: 80, targetPort: backendPort }]);
  await call(t.api, {
    method: 'POST',
    path: '/api/v1/namespaces/default/endpoints',
    body: {
      metadata: { name: 'served' },
      subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ name: 'web', port: backendPort, protocol: 'TCP' }] }],
    },
  });
});
afterAll(async () => {
  await t?.close();
  await new Promise((r) => backend?.close(r));
});

describe('services/<id>/proxy', () => {
  it('answers 503 "no endpoints available" for a service without endpoints, 404 for no service', async () => {
    const r = await call(t.api, { path: '/api/v1/namespaces/default/services/app/proxy/' });
    expect(r.status).toBe(503);
    expect(r.json()).toMatchObject({
      kind: 'Status',
      reason: 'ServiceUnavailable',
      code: 503,
      message: 'no endpoints available for service "app"',
    });
    expect((await call(t.api, { path: '/api/v1/namespaces/default/services/nope/proxy/' })).status).toBe(404);
    const port = await call(t.api, { path: '/api/v1/namespaces/default/services/served:81/proxy/' });
    expect(port.status).toBe(503);
    expect(port.json()).toMatchObject({ message: 'no service port 81 found for service "served"' });
  });

  it("forwards to an endpoint: path, query, method, body and answer, without the caller's credentials", async () => {
    const get = await call(t.api, {
      path: '/api/v1/namespaces/default/services/served:web/proxy/a/b%20c?x=1',
      headers: { 'X-Custom': 'kept' },
    });
    expect(get.status).toBe(200);
    expect(get.text).toBe('hello from /a/b%20c?x=1');
    expect(get.headers['x-backend']).toBe('yes');
    const last = seen.at(-1)!;
    expect(last.headers['x-custom']).toBe('kept');
    expect(last.headers['authorization']).toBeUndefined();
    const post = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/services/http:served:80/proxy/submit',
      body: 'payload',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(post.text).toBe('hello from /submit');
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: 'payload' });
    expect((await call(t.api, { path: '/api/v1/namespaces/default/services/served:web/proxy/missing' })).status).toBe(404);
    // A named port must be named (or numbered), as in Kubernetes: the bare name asks for the unnamed port.
    expect((await call(t.api, { path: '/api/v1/namespaces/default/services/served/proxy/' })).json()).toMatchObject({
      code: 503,
      message: 'no endpoints available for service "served"',
    });
  });

  it('answers 503 when the endpoint does not answer', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/services',
      body: { metadata: { name: 'dead' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } },
    });
    await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/endpoints',
      body: { metadata: { name: 'dead' }, subsets: [{ addresses: [{ ip: '127.0.0.1' }], ports: [{ port: deadPort }] }] },
    });
    const r = await call(t.api, { path: '/api/v1/namespaces/default/services/dead/proxy/' });
    expect(r.status).toBe(503);
    expect(r.json<{ message: string }>().message).toMatch(/^error trying to reach service: .*ECONNREFUSED/);
  });

  it('is reachable with kubectl get --raw', async () => {
    const k = t.kubectl();
    try {
      expect(await k.ok(['get', '--raw', '/api/v1/namespaces/default/services/served:web/proxy/raw'])).toBe('hello from /raw');
      const r = await k.run(['get', '--raw', '/api/v1/namespaces/default/services/app/proxy/']);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('ServiceUnavailable');
    } finally {
      k.dispose();
    }
  });
});

describe('pods/<id>/proxy and nodes/<id>/proxy', () => {
  it('answer a clear 503 while no kubelet is connected', async () => {
    await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/pods',
      body: { metadata: { name: 'bound' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] } },
    });
    const pod = await call(t.api, { path: '/api/v1/namespaces/default/pods/bound:8080/proxy/healthz' });
    expect(pod.status).toBe(503);
    expect(pod.json<{ message: string }>().message).toContain('no kubelet is connected for node "n1"');
    await call(t.api, { method: 'POST', path: '/api/v1/nodes', body: { metadata: { name: 'n1' } } });
    const node = await call(t.api, { path: '/api/v1/nodes/n1/proxy/metrics' });
    expect(node.status).toBe(503);
    expect(node.json()).toMatchObject({
      reason: 'ServiceUnavailable',
      message: expect.stringContaining('no kubelet is connected for node "n1"'),
    });
    expect((await call(t.api, { path: '/api/v1/nodes/n2/proxy/' })).status).toBe(404);
  });

  it('hand the pod or node, the port and the path to the kubelet plug point', async () => {
    const got: { pod?: KubeletConnectRequest; node?: NodeConnectRequest } = {};
    const kubelet: KubeletConnector = {
      async connect(r) {
        got.pod = r;
        r.res!.end('from the kubelet');
      },
      async connectNode(r) {
        got.node = r;
        r.res.end('node');
      },
    };
    const s = await startTestServer({ kubelet });
    try {
      await call(s.api, {
        method: 'POST',
        path: '/api/v1/namespaces/default/pods',
        body: { metadata: { name: 'p' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] } },
      });
      await call(s.api, { method: 'POST', path: '/api/v1/nodes', body: { metadata: { name: 'n1' } } });
      expect((await call(s.api, { path: '/api/v1/namespaces/default/pods/https:p:8443/proxy/x/y/' })).text).toBe('from the kubelet');
      expect(got.pod).toMatchObject({ subresource: 'proxy', nodeName: 'n1', proxy: { scheme: 'https', port: '8443', path: '/x/y/' } });
      expect(got.pod!.pod.metadata.name).toBe('p');
      expect((await call(s.api, { path: '/api/v1/nodes/n1:10250/proxy/stats' })).text).toBe('node');
      expect(got.node).toMatchObject({ proxy: { port: '10250', path: '/stats' } });
    } finally {
      await s.close();
    }
  });
});

describe('discovery and ids', () => {
  it('lists the proxy subresources as Kubernetes does', async () => {
    const list = (await call(t.api, { path: '/api/v1' })).json<{ resources: { name: string; kind: string; verbs: string[] }[] }>();
    for (const [name, kind] of [
      ['pods/proxy', 'PodProxyOptions'],
      ['services/proxy', 'ServiceProxyOptions'],
      ['nodes/proxy', 'NodeProxyOptions'],
    ] as const) {
      expect(list.resources.find((r) => r.name === name)).toMatchObject({ kind, verbs: ['create', 'delete', 'get', 'patch', 'update'] });
    }
  });

  it('parses name, name:port and scheme:name:port', () => {
    expect(parseProxyId('app')).toEqual({ name: 'app' });
    expect(parseProxyId('app:80')).toEqual({ name: 'app', port: '80' });
    expect(parseProxyId('https:app:web')).toEqual({ scheme: 'https', name: 'app', port: 'web' });
    expect(parseProxyId('ftp:app:80')).toBeUndefined();
    expect(parseProxyId(':80')).toBeUndefined();
  });
});
