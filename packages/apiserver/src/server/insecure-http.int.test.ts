import { createLogger } from '@converge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../testing/test-server.js';
import { isLoopbackAddress } from './insecure-loopback.authenticator.js';

let t: TestServer;
const warnings: string[] = [];
beforeAll(async () => {
  t = await startTestServer({
    tls: false,
    logger: createLogger({ level: 'warn', destination: { write: (line: string) => void warnings.push(JSON.parse(line).msg ?? '') } }),
  });
});
afterAll(async () => {
  await t?.close();
});

describe('plain HTTP on a loopback address (the old insecure port)', () => {
  it('says loudly at start-up that it serves without authentication', () => {
    expect(warnings.some((w) => /WITHOUT AUTHENTICATION/.test(w))).toBe(true);
  });

  it('lets requests without credentials act as system:unsecured, a cluster administrator', async () => {
    const r = await call(t.api, { path: '/api/v1/namespaces/default', token: null });
    expect(r.status).toBe(200);
    const review = await call(t.api, {
      method: 'POST',
      path: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      token: null,
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
    });
    expect(review.json()['status']).toMatchObject({
      userInfo: { username: 'system:unsecured', groups: expect.arrayContaining(['system:masters']) },
    });
  });

  it('still checks credentials a request carries', async () => {
    expect((await call(t.api, { path: '/api/v1/namespaces', token: 'not-a-token' })).status).toBe(401);
    expect((await call(t.api, { path: '/api/v1/namespaces' })).status).toBe(200);
  });

  it('is usable from kubectl, which sends no token over http://', async () => {
    const kubectl = t.kubectl();
    await kubectl.ok(['create', 'configmap', 'from-kubectl', '--from-literal=a=b']);
    expect(await kubectl.ok(['get', 'configmap', 'from-kubectl', '-o', 'jsonpath={.data.a}'])).toBe('b');
    expect(await kubectl.ok(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'])).toBe('system:unsecured');
  });

  it('is refused on any address that is not loopback', async () => {
    for (const host of ['0.0.0.0', '::'])
      await expect(startTestServer({ tls: false, host })).rejects.toThrow(/only allowed on a loopback address/);
    expect(['127.0.0.1', '127.3.2.1', '::1', 'localhost', '::ffff:127.0.0.1'].every(isLoopbackAddress)).toBe(true);
    expect(['0.0.0.0', '10.0.0.1', '::', '127.example.com', '::ffff:10.0.0.1'].some(isLoopbackAddress)).toBe(false);
  });
});
