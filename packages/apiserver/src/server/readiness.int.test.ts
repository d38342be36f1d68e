import { createBuiltinCatalog } from '@converge/core/kinds';
import { MemoryBackend, Registry } from '@converge/store';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../testing/test-server.js';

/** A memory backend whose health can be switched off: its revision reads then fail as an unreachable etcd's do. */
class SwitchableBackend extends MemoryBackend {
  down = false;

  override currentRevision(): Promise<number> {
    return this.down ? Promise.reject(new Error('etcdserver: request timed out')) : super.currentRevision();
  }
}

const backend = new SwitchableBackend();
let t: TestServer;
beforeAll(async () => {
  const catalog = createBuiltinCatalog();
  t = await startTestServer({ catalog, store: new Registry({ backend, catalog }) });
});
afterAll(async () => {
  backend.down = false;
  await t?.close();
});

it('checks the storage backend for real on /readyz, and fails with the reason while it does not answer', async () => {
  const up = await call(t.api, { path: '/readyz?verbose', token: null });
  expect(up.status).toBe(200);
  expect(up.text).toContain('[+]storage-memory ok');

  backend.down = true;
  const short = await call(t.api, { path: '/readyz', token: null });
  expect(short.status).toBe(500);
  expect(short.text).toContain('[-]storage-memory failed: reason withheld');
  const verbose = await call(t.api, { path: '/readyz?verbose', token: null });
  expect(verbose.status).toBe(500);
  expect(verbose.text).toContain('[-]storage-memory failed: etcdserver: request timed out');
  expect(verbose.text).toContain('readyz check failed');
  expect((await call(t.api, { path: '/healthz', token: null })).status).toBe(500);

  backend.down = false;
  expect((await call(t.api, { path: '/readyz', token: null })).text).toBe('ok');
});
