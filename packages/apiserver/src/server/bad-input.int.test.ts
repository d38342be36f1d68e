import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
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
