import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect as tlsConnect } from 'node:tls';
import { call, startTestServer, type TestServer } from '../testing/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t?.close();
});

const deployment = (name: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});

describe('a write whose warnings cannot go into a header as they are', () => {
  it('creates the object and answers 201 with the unknown field escaped in the Warning header', async () => {
    const text = JSON.stringify(deployment('ctl-char')).replace('"replicas"', '"re\\u0000plicas"');
    const r = await call(t.api, { method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', body: text });
    expect(r.status).toBe(201);
    expect(String(r.headers['warning'])).toBe('299 - "unknown field \\"spec.re\\u0000plicas\\""');
    const again = await call(t.api, { method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', body: text });
    expect(again.status).toBe(409);
  });

  it('creates the object and answers 201 when a field name holds a byte that is not UTF-8', async () => {
    const json = Buffer.from(JSON.stringify(deployment('bad-utf8')).replace('"replicas"', '"re__licas"'));
    const at = json.indexOf('re__licas');
    json[at + 2] = 0x88;
    json[at + 3] = 0x88;
    const r = await call(t.api, { method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', body: json });
    expect(r.status).toBe(201);
    // The decoder reads each bad byte as U+FFFD; the header carries it escaped.
    expect(r.headers['warning']).toBe('299 - "unknown field \\"spec.re\\ufffd\\ufffdlicas\\""');
  });

  it('keeps the Warning header of a reply bounded when the unknown fields are huge', async () => {
    const body = deployment('huge-field') as Record<string, unknown>;
    const spec = body['spec'] as Record<string, unknown>;
    for (let i = 0; i < 40; i++) spec[`${'x'.repeat(1000)}${i}`] = 1;
    const r = await call(t.api, { method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', body });
    expect(r.status).toBe(201);
    const warnings = r.headers['warning'] as unknown as string | string[];
    const joined = Array.isArray(warnings) ? warnings.join(', ') : warnings;
    expect(joined.length).toBeLessThan(8 * 1024);
    expect(joined).toContain('299 - "unknown field \\"spec.xxx');
  });
});

describe('writes whose body names another object than the URL', () => {
  const path = '/api/v1/namespaces/default/configmaps/target';
  const setUp = async () => {
    await call(t.api, { method: 'DELETE', path });
    const r = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'target' }, data: { keep: 'me' } },
    });
    expect(r.status).toBe(201);
  };
  const unchanged = async () => {
    const r = await call(t.api, { path });
    expect(r.json()['data']).toEqual({ keep: 'me' });
  };

  it('refuses a PUT whose body has no name with a 400, leaving the object alone', async () => {
    await setUp();
    const r = await call(t.api, { method: 'PUT', path, body: { apiVersion: 'v1', kind: 'ConfigMap' } });
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      message: 'the name of the object () does not match the name on the URL (target)',
    });
    await unchanged();
  });

  it('refuses a PUT naming another object or another namespace', async () => {
    await setUp();
    const other = await call(t.api, { method: 'PUT', path, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } } });
    expect(other.status).toBe(400);
    expect(other.json()['message']).toBe('the name of the object (other) does not match the name on the URL (target)');
    const ns = await call(t.api, {
      method: 'PUT',
      path,
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'target', namespace: 'kube-system' } },
    });
    expect(ns.status).toBe(400);
    expect(ns.json()['message']).toBe('the namespace of the object (kube-system) does not match the namespace on the URL (default)');
    const status = await call(t.api, {
      method: 'PUT',
      path: '/api/v1/namespaces/default/pods/nope/status',
      body: { apiVersion: 'v1', kind: 'Pod', metadata: {} },
    });
    expect(status.status).toBe(400);
    await unchanged();
  });

  it('accepts a PUT that leaves the namespace out', async () => {
    await setUp();
    const r = await call(t.api, {
      method: 'PUT',
      path,
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'target' }, data: { new: 'data' } },
    });
    expect(r.status).toBe(200);
    expect(r.json()['metadata']).toMatchObject({ name: 'target', namespace: 'default' });
  });

  it('refuses merge and apply patches that rename the object or remove its name', async () => {
    await setUp();
    for (const [type, body] of [
      ['application/merge-patch+json', { metadata: { name: 'other' } }],
      ['application/merge-patch+json', { metadata: { name: null }, data: { x: 'y' } }],
      ['application/strategic-merge-patch+json', { metadata: { namespace: 'kube-system' } }],
      ['application/apply-patch+yaml', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } }],
    ] as const) {
      const r = await call(t.api, { method: 'PATCH', path: `${path}?fieldManager=m`, body, headers: { 'Content-Type': type } });
      expect(r.status, `${type} ${JSON.stringify(body)}`).toBe(400);
    }
    await unchanged();
  });
});

/** Sends raw bytes over TLS and reads everything the server answers before it closes ('' = dropped without a word). */
function rawExchange(request: string | Buffer): Promise<string> {
  const url = new URL(t.api.url);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: url.hostname, port: Number(url.port), ca: t.api.caCertPem }, () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNRESET' || err.code === 'EPIPE' ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(err),
    );
  });
}

const get = (path: string, extraHeaders = '') =>
  `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.api.adminToken}\r\nConnection: close\r\n${extraHeaders}\r\n`;

describe('requests with long request lines and headers', () => {
  it('answers a GET whose path is 100,000 characters (a 404 for an object of that name)', async () => {
    const answer = await rawExchange(get(`/api/v1/namespaces/default/configmaps/${'a'.repeat(100_000)}`));
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
    expect(answer).toContain('"reason":"NotFound"');
  });

  it('accepts a request line and headers just under 1 MiB', async () => {
    const path = `/api/v1/namespaces/default/configmaps/${'b'.repeat(1024 * 1024 - 1000)}`;
    expect(await rawExchange(get(path))).toMatch(/^HTTP\/1\.1 404 /);
    const header = `X-Big: ${'h'.repeat(1024 * 1024 - 1000)}\r\n`;
    expect(await rawExchange(get('/api/v1/namespaces/default/configmaps', header))).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('answers 431 to a request line or headers over the limit instead of closing the connection', async () => {
    const long = await rawExchange(get(`/api/v1/namespaces/default/configmaps/${'c'.repeat(1024 * 1024 + 8192)}`));
    expect(long).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    const headers = Array.from({ length: 40 }, (_, i) => `X-H${i}: ${'h'.repeat(32 * 1024)}\r\n`).join('');
    expect(await rawExchange(get('/version', headers))).toMatch(/^HTTP\/1\.1 431 /);
  });

  it('answers 400 to bytes that are not an HTTP request', async () => {
    expect(await rawExchange('NOT HTTP AT ALL\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(await rawExchange(`GET / HTTP/1.1\r\nHost: x\r\nBad\u0000Header: y\r\n\r\n`)).toMatch(/^HTTP\/1\.1 400 /);
  });
});
