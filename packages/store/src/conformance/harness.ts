import type { ObjectStore } from '@converge/core';

/**
 * One ObjectStore under test, as `describeObjectStoreConformance` gets it for each test: a
 * fresh, empty store serving the built-in kinds, and the hooks it can offer.
 */
export interface ConformanceHarness {
  /** The store under test. */
  store: ObjectStore;
  /**
   * Advances the clock the store uses (timestamps, watch timeouts, bookmarks) by `ms`.
   * Without it, the tests that need to move time are skipped.
   */
  advanceClock?(ms: number): Promise<void>;
  /**
   * Discards the store's history up to now, so that every resourceVersion handed out before
   * is too old (410 Expired). Without it, the tests of expiry are skipped.
   */
  compact?(): Promise<void>;
  /** How often (in clock milliseconds) a watch with `allowWatchBookmarks` gets a BOOKMARK; needed with `advanceClock`. */
  bookmarkIntervalMs?: number;
  /**
   * Opens another ObjectStore over the same storage, as a second API server sharing one etcd
   * or the same server after a restart would see it (it starts with no state of its own).
   * The harness closes it in `close`. Without it, the tests of shared and restarted storage
   * are skipped.
   */
  openPeer?(): Promise<ObjectStore>;
  /** Releases the store. */
  close(): Promise<void>;
}

/** Makes a fresh harness; called before every test. */
export type HarnessFactory = () => Promise<ConformanceHarness>;

/** Gives a test the harness of the running test. */
export type HarnessAccessor = () => ConformanceHarness;
