import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBuiltinCatalog } from '@converge/core/kinds';
import { VirtualClock } from '@converge/core/runtime';
import { OPENAPI_V2_PROTOBUF_CONTENT_TYPE, OpenAPIService } from './openapi-service.js';

const clock = new VirtualClock();
const service = new OpenAPIService({ catalog: createBuiltinCatalog(), clock });
let server: Server;
let port = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!service.handle(req, res, url)) {
      res.writeHead(418);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  service.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function get(
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serving the documents over HTTP', () => {
  test('the index is JSON, not cached by intermediaries, and points at hashed documents', async () => {
    const r = await get('/openapi/v3', { accept: 'application/json, */*' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['cache-control']).toBe('no-cache, private');
    expect(r.headers.etag).toBe(service.v3Index().etag);
    const index = JSON.parse(r.body) as { paths: Record<string, { serverRelativeURL: string }> };
    expect(index.paths['apis/apps/v1']!.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
  });

  test('a hashed URL is immutable with an ETag; If-None-Match gets a 304', async () => {
    const url = service.v3Document('apis/apps/v1')!;
    const r = await get(`/openapi/v3/apis/apps/v1?hash=${url.hash}`, { accept: 'application/json' });
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('public, immutable');
    expect(r.headers.etag).toBe(`"${url.hash}"`);
    expect(new Date(String(r.headers.expires)).getTime()).toBeGreaterThan(clock.now() + 300 * 24 * 3600 * 1000);
    expect(JSON.parse(r.body).openapi).toBe('3.0.0');
    const again = await get(`/openapi/v3/apis/apps/v1?hash=${url.hash}`, { accept: 'application/json', 'if-none-match': `"${url.hash}"` });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
  });

  test('a stale hash is redirected to the current one; an unhashed URL is served uncached', async () => {
    const current = service.v3Document('api/v1')!;
    const r = await get('/openapi/v3/api/v1?hash=0123', { accept: 'application/json' });
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe(`/openapi/v3/api/v1?hash=${current.hash}`);
    const plain = await get('/openapi/v3/api/v1');
    expect(plain.status).toBe(200);
    expect(plain.headers['cache-control']).toBe('no-cache, private');
  });

  test('/openapi/v2 is JSON by default and protobuf when asked for first; only v3 declines protobuf with a 406 Status', async () => {
    const json = await get('/openapi/v2', { accept: 'application/json' });
    expect(json.status).toBe(200);
    expect(JSON.parse(json.body).swagger).toBe('2.0');
    expect((await get('/openapi/v2')).headers['content-type']).toBe('application/json');
    const v2pb = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
    const pb = await get('/openapi/v2', { accept: v2pb });
    expect(pb.status).toBe(200);
    expect(pb.headers['content-type']).toBe(OPENAPI_V2_PROTOBUF_CONTENT_TYPE); // the dotted form: `@` is no MIME token character
    expect(pb.headers.etag).toBe(service.v2Protobuf().etag);
    expect(Number(pb.headers['content-length'])).toBe(service.v2Protobuf().body.length);
    expect((await get('/openapi/v2', { accept: v2pb, 'if-none-match': service.v2Protobuf().etag })).status).toBe(304);
    expect((await get('/openapi/v2', { accept: `application/json, ${v2pb}` })).headers['content-type']).toBe('application/json');
    expect((await get('/openapi/v2', { accept: `${v2pb}, application/json;q=0.9` })).headers['content-type']).toBe(
      OPENAPI_V2_PROTOBUF_CONTENT_TYPE,
    );
    expect((await get('/openapi/v2', { accept: OPENAPI_V2_PROTOBUF_CONTENT_TYPE })).status).toBe(200);
    const v3pb = await get('/openapi/v3/apis/apps/v1', { accept: 'application/com.github.proto-openapi.spec.v3@v1.0+protobuf' });
    expect(v3pb.status).toBe(406);
    expect(JSON.parse(v3pb.body)).toMatchObject({ kind: 'Status', reason: 'NotAcceptable', code: 406 });
  });

  test('unknown documents are a 404, writes a 405, other paths are left to the server', async () => {
    expect((await get('/openapi/v3/apis/nope.example.com/v1')).status).toBe(404);
    expect((await get('/openapi/v3/apis/apps/v1', {}, 'POST')).status).toBe(405);
    expect((await get('/api/v1')).status).toBe(418);
  });
});
