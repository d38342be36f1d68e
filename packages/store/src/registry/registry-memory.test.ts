import { createBuiltinCatalog } from '@converge/core/kinds';
import { VirtualClock } from '@converge/core/runtime';
import { MemoryBackend } from '../backend/memory.backend.js';
import { describeObjectStoreConformance } from '../conformance/index.js';
import { Registry } from './registry.js';

describeObjectStoreConformance('the registry on the memory backend', async () => {
  const clock = new VirtualClock();
  const backend = new MemoryBackend();
  const registry = new Registry({ backend, catalog: createBuiltinCatalog(), clock, bookmarkIntervalMs: 1000 });
  return {
    store: registry,
    // A second registry over the same backend: as a second API server, or this one restarted.
    openPeer: async () => new Registry({ backend, catalog: createBuiltinCatalog(), clock, bookmarkIntervalMs: 1000 }),
    advanceClock: (ms) => clock.advance(ms),
    compact: async () => backend.compact(await backend.currentRevision()),
    bookmarkIntervalMs: 1000,
    close: () => registry.close(),
  };
});
