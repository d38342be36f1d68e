import { createBuiltinCatalog, RemoteObjectStore } from '@converge/core';
import { MemoryBackend, Registry } from '@converge/store';
import { describeObjectStoreConformance } from '@converge/store/conformance';
import { startApiServer } from './server/api-server.js';

describeObjectStoreConformance('the remote ObjectStore against the API server', async () => {
  const backend = new MemoryBackend();
  const catalog = createBuiltinCatalog();
  const registry = new Registry({ backend, catalog });
  const api = await startApiServer({ store: registry, catalog, port: 0, tls: false, bootstrap: false, openapi: false });
  const store = await RemoteObjectStore.forServer({ server: api.url, token: api.adminToken });
  return {
    store,
    compact: async () => backend.compact(await backend.currentRevision()),
    close: async () => {
      store.close();
      await api.stop();
      await registry.close();
    },
  };
});
