import { describeObjectStoreConformance } from '@converge/store/conformance';
import { FakeStore } from './fake-store.js';

describeObjectStoreConformance('the FakeStore', async () => {
  const store = new FakeStore({ namespaces: [], bookmarkIntervalMs: 1000 });
  await store.ready();
  return {
    store,
    advanceClock: (ms) => store.clock.advance(ms),
    compact: async () => store.backend.compact(await store.backend.currentRevision()),
    bookmarkIntervalMs: 1000,
    close: () => store.close(),
  };
});
