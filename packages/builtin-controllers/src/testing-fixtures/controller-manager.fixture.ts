/**
 * A controller manager run by a test over a FakeStore, stopped after the test.
 * A test fixture: not part of the package build (`*.fixture.ts` is excluded in tsconfig.json).
 */
import { afterEach } from 'vitest';
import { silentLogger } from '@converge/core';
import type { FakeStore } from '@converge/testing';
import { catalogDiscovery } from '../discovery/kind-discovery.js';
import { createControllerManager } from '../controller-manager/controller-manager.js';

/** Options of the controller manager a test starts. */
export interface TestControllerManagerOptions {
  /** The controllers to run (names of the controller-manager table); default all. */
  controllers?: readonly string[];
}

/**
 * Registers an `afterEach` that stops the controller manager a test started, and returns the
 * function that starts one over a store: it waits for the store, starts the manager (on the
 * store's fake clock, without leader election) and settles the clock. Call it at the top of a
 * test file (or in a `describe`).
 */
export function controllerManagerPerTest(): (store: FakeStore, options?: TestControllerManagerOptions) => Promise<void> {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    const s = stop;
    stop = undefined;
    await s?.();
  });
  return async (store, options = {}) => {
    await store.ready();
    const cm = createControllerManager({
      store,
      discovery: catalogDiscovery(store.catalog),
      clock: store.clock,
      logger: silentLogger(),
      leaderElection: false,
      ...(options.controllers ? { controllers: options.controllers } : {}),
    });
    const done = cm.manager.start();
    stop = async () => {
      await cm.manager.stop();
      await done.catch(() => undefined);
    };
    await store.clock.settle();
  };
}
