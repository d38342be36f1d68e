import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, openWatch, startTestServer, type TestServer } from '../testing/test-server.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ maxRequestBodyBytes: 64 * 1024, historySize: 5 });
});
afterAll(async () => {
  await t?.close();
});

const cm = (name: string, extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra } });

/**
 * The exact bytes Kubernetes writes for a failure: Go's field order (kind, apiVersion, metadata,
 * status, message, reason, details, code), empty fields left out, and a final newline. Written
 * out by hand here, not by the code under test.
 */
function expected(code: number, reason: string, message: string, details?: string): string {
  return `{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":${JSON.stringify(message)},"reason":"${reason}",${details !== undefined ? `"details":${details},` : ''}"code":${code}}\n`;
}

describe('Status bodies, byte for byte as Kubernetes writes them', () => {
  it('AlreadyExists (409) has details before code', async () => {
    await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: cm('dup') });
    const r = await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: cm('dup') });
    expect(r.status).toBe(409);
    expect(r.text).toBe(expected(409, 'AlreadyExists', 'configmaps "dup" already exists', '{"name":"dup","kind":"configmaps"}'));
  });

  it('NotFound (404), of an object and of a path', async () => {
    const obj = await call(t.api, { path: '/api/v1/namespaces/default/configmaps/none' });
    expect(obj.text).toBe(expected(404, 'NotFound', 'configmaps "none" not found', '{"name":"none","kind":"configmaps"}'));
    const path = await call(t.api, { path: '/apis/nope.example.com/v1/things' });
    expect(path.text).toBe(expected(404, 'NotFound', 'the server could not find the requested resource', '{}'));
  });

  it('Conflict (409)', async () => {
    const r = await call(t.api, {
      method: 'PUT',
      path: '/api/v1/namespaces/default/configmaps/dup',
      body: cm('dup', { resourceVersion: '1' }),
    });
    expect(r.text).toBe(
      expected(
        409,
        'Conflict',
        'Operation cannot be fulfilled on configmaps "dup": the object has been modified; please apply your changes to the latest version and try again',
        '{"name":"dup","kind":"configmaps"}',
      ),
    );
  });

  it('Invalid (422) with its causes as reason, message, field', async () => {
    const r = await call(t.api, {
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: { ...cm('ok'), data: { 'bad key': 'x' } },
    });
    expect(r.status).toBe(422);
    const status = r.json<{ message: string; details: { causes: { message: string }[] } }>();
    const cause = status.details.causes[0]!.message;
    expect(r.text).toBe(
      expected(
        422,
        'Invalid',
        status.message,
        `{"name":"ok","kind":"ConfigMap","causes":[{"reason":"FieldValueInvalid","message":${JSON.stringify(cause)},"field":"data"}]}`,
      ),
    );
  });

  it('BadRequest (400) has no details', async () => {
    const r = await call(t.api, { method: 'PUT', path: '/api/v1/namespaces/default/configmaps/dup', body: cm('other') });
    expect(r.text).toBe(expected(400, 'BadRequest', 'the name of the object (other) does not match the name on the URL (dup)'));
  });

  it('Expired (410) for a list from a resourceVersion no longer kept, and as a watch ERROR event', async () => {
    for (let i = 0; i < 8; i++)
      await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: cm(`churn-${i}`) });
    const w = await openWatch(t.api, '/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=2');
    await w.ended;
    const line = `{"type":"ERROR","object":${expected(410, 'Expired', 'too old resource version: 2 (4)').trimEnd()}}`;
    expect(w.events).toHaveLength(1);
    expect(JSON.stringify(w.events[0])).toBe(JSON.stringify(JSON.parse(line)));
    expect(Object.keys(w.events[0]!.object)).toEqual(['kind', 'apiVersion', 'metadata', 'status', 'message', 'reason', 'code']);
  });

  it('Unauthorized (401), MethodNotAllowed (405), NotAcceptable (406), UnsupportedMediaType (415), RequestEntityTooLarge (413)', async () => {
    expect((await call(t.api, { path: '/api/v1/namespaces', token: null })).text).toBe(expected(401, 'Unauthorized', 'Unauthorized'));
    expect((await call(t.api, { method: 'PUT', path: '/api/v1/namespaces/default/configmaps' })).text).toBe(
      expected(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'),
    );
    expect((await call(t.api, { path: '/api/v1/namespaces/default/configmaps/dup', headers: { Accept: 'text/html' } })).text).toBe(
      expected(
        406,
        'NotAcceptable',
        'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf',
      ),
    );
    expect(
      (
        await call(t.api, {
          method: 'POST',
          path: '/api/v1/namespaces/default/configmaps',
          body: 'x',
          headers: { 'Content-Type': 'text/plain' },
        })
      ).text,
    ).toBe(
      expected(
        415,
        'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
      ),
    );
    expect((await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: 'x'.repeat(70 * 1024) })).text).toBe(
      expected(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 65536'),
    );
  });

  it('Forbidden (403) and ServiceUnavailable (503)', async () => {
    expect((await call(t.api, { method: 'DELETE', path: '/api/v1/namespaces/default' })).text).toBe(
      expected(
        403,
        'Forbidden',
        'namespaces "default" is forbidden: this namespace may not be deleted',
        '{"name":"default","kind":"namespaces"}',
      ),
    );
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] },
    };
    expect((await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/pods', body: pod })).status).toBe(201);
    const r = await call(t.api, { path: '/api/v1/namespaces/default/pods/p/log' });
    expect(r.status).toBe(503);
    expect(r.text).toBe(expected(503, 'ServiceUnavailable', r.json<{ message: string }>().message));
  });

  it('ends object and list bodies with a newline too', async () => {
    const obj = await call(t.api, { path: '/api/v1/namespaces/default/configmaps/dup' });
    expect(obj.text.endsWith('}\n')).toBe(true);
    expect(obj.text.indexOf('\n')).toBe(obj.text.length - 1);
    const list = await call(t.api, { path: '/api/v1/namespaces/default/configmaps' });
    expect(list.text.endsWith(']}\n')).toBe(true);
    const created = await call(t.api, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: cm('nl') });
    expect(created.text).toMatch(/^\{"kind":"ConfigMap","apiVersion":"v1","metadata":\{.*\}\n$/s);
  });
});

describe('pretty', () => {
  it('indents objects, lists and Status bodies by two spaces for any true value of pretty, and not for false', async () => {
    const obj = await call(t.api, { path: '/api/v1/namespaces/default/configmaps/dup?pretty=True' });
    expect(obj.text).toBe(`${JSON.stringify(obj.json(), null, 2)}\n`);
    expect(obj.text.startsWith('{\n  "kind": "ConfigMap",\n  "apiVersion": "v1",\n  "metadata": {')).toBe(true);
    const list = await call(t.api, { path: '/api/v1/namespaces/default/configmaps?pretty' });
    expect(list.text).toBe(`${JSON.stringify(list.json(), null, 2)}\n`);
    const err = await call(t.api, { path: '/api/v1/namespaces/default/configmaps/none?pretty=1' });
    expect(err.text).toBe(
      '{\n  "kind": "Status",\n  "apiVersion": "v1",\n  "metadata": {},\n  "status": "Failure",\n  "message": "configmaps \\"none\\" not found",\n  "reason": "NotFound",\n  "details": {\n    "name": "none",\n    "kind": "configmaps"\n  },\n  "code": 404\n}\n',
    );
    const plain = await call(t.api, { path: '/api/v1/namespaces/default/configmaps/dup?pretty=false' });
    expect(plain.text.indexOf('\n')).toBe(plain.text.length - 1);
  });
});
