/**
 * The ObjectStore conformance suite: one set of vitest tests that every ObjectStore
 * implementation (the registry on each backend, the FakeStore, the remote client) must pass,
 * so that a behaviour differing between them shows up as a failing test.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import { createSuite } from './create.suite.js';
import { deleteSuite } from './delete.suite.js';
import type { ConformanceHarness, HarnessFactory } from './harness.js';
import { listSuite } from './list.suite.js';
import { servicesSuite } from './services.suite.js';
import { storageVersionsSuite } from './storage-versions.suite.js';
import { subresourcesSuite } from './subresources.suite.js';
import { updateSuite } from './update.suite.js';
import { watchSuite } from './watch.suite.js';

export type { ConformanceHarness, HarnessFactory, HarnessAccessor } from './harness.js';
export { EventRecorder, nextEvents, statusErrorOf } from './fixtures.js';
export type { WaitForOptions } from './wait-for.js';
export { waitFor } from './wait-for.js';

/**
 * Declares the conformance suite (a vitest `describe` named `name`) for an ObjectStore.
 * `makeHarness` is called before every test and must give a fresh, empty store serving the
 * built-in kinds; `close` is called after it.
 *
 * @example
 * ```ts
 * describeObjectStoreConformance('registry on memory', async () => {
 *   const registry = new Registry({ backend: new MemoryBackend(), catalog: createBuiltinCatalog() });
 *   return { store: registry, close: () => registry.close() };
 * });
 * ```
 */
export function describeObjectStoreConformance(name: string, makeHarness: HarnessFactory): void {
  describe(name, () => {
    let harness: ConformanceHarness | undefined;
    beforeEach(async () => {
      harness = await makeHarness();
    });
    afterEach(async () => {
      await harness?.close();
      harness = undefined;
    });
    const h = (): ConformanceHarness => {
      if (!harness) throw new Error('no conformance harness: the suite runs only inside its tests');
      return harness;
    };
    createSuite(h);
    updateSuite(h);
    deleteSuite(h);
    listSuite(h);
    watchSuite(h);
    subresourcesSuite(h);
    servicesSuite(h);
    storageVersionsSuite(h);
  });
}
