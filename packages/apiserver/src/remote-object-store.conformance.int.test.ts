/**
 * The ObjectStore conformance suite through core's RemoteObjectStore against this API server
 * (plain HTTP on 127.0.0.1, a fresh registry per test): what a controller sees over the wire
 * must be what it sees in process.
 */
import { RemoteObjectStore } from '@converge/core';
import { createBuiltinCatalog } from '@converge/core/kinds';
import { VirtualClock } from '@converge/core/runtime';
import { MemoryBackend, Registry } from '@converge/store';
import { describeObjectStoreConformance } from '@converge/store/conformance';
import { startApiServer } from './server/api-server.js';

describeObjectStoreConformance('the remote ObjectStore against the API server', async () => {
  const clock = new VirtualClock();
  const backend = new MemoryBackend();
  const catalog = createBuiltinCatalog();
  const registry = new Registry({ backend, catalog, clock, bookmarkIntervalMs: 1000 });
  const api = await startApiServer({ store: registry, catalog, clock, port: 0, tls: false, bootstrap: false, openapi: false });
  const store = await RemoteObjectStore.forServer({ server: api.url, token: api.adminToken });
  return {
    store,
    advanceClock: (ms) => clock.advance(ms),
    compact: async () => backend.compact(await backend.currentRevision()),
    bookmarkIntervalMs: 1000,
    close: async () => {
      store.close();
      await api.stop();
      await registry.close();
    },
  };
});
