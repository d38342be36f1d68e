import type { Clock } from '@converge/core';

/** How long an unmet expectation holds a controller back before it acts anyway (Kubernetes' 5 minutes). */
export const EXPECTATIONS_TTL_MS = 5 * 60_000;

interface Expectation {
  /** Pod creations issued and not yet seen by the informer. */
  adds: number;
  /** Uids of pods whose deletion was issued and not yet seen. */
  deletes: Set<string>;
  /** When the expectation was last raised, on the clock. */
  since: number;
}

/** What a controller still waits to see. */
export interface PendingWrites {
  /** Creations not yet seen. */
  adds: number;
  /** Deletions not yet seen. */
  deletes: number;
}

/** Options of `PodExpectations`. */
export interface PodExpectationsOptions {
  /** The clock the time-to-live runs on. */
  clock: Clock;
  /** After how long an unmet expectation is given up on; default `EXPECTATIONS_TTL_MS`. */
  ttlMs?: number;
}

/**
 * What a controller is still waiting to see of its own pod writes, per controller key
 * (`namespace/name`), as Kubernetes' ControllerExpectations: a reconcile that created or
 * deleted pods raises them, the informer's pod events lower them, and the next reconcile
 * acts only once they are met. Reads from a cache lag behind writes; without this a
 * reconcile running before its own creations came back would create the pods again.
 *
 * Invariants: `adds >= 0` for every key; an entry is `satisfied` when `adds === 0` and
 * `deletes` is empty, or when it is older than the time-to-live (a lost event must not
 * wedge the controller forever), or when there is no entry (nothing was ever expected).
 */
export class PodExpectations {
  private readonly byKey = new Map<string, Expectation>();
  private readonly clock: Clock;
  private readonly ttlMs: number;

  /** Makes an empty set of expectations. */
  constructor(options: PodExpectationsOptions) {
    this.clock = options.clock;
    this.ttlMs = options.ttlMs ?? EXPECTATIONS_TTL_MS;
  }

  /** Whether the controller of `key` may act: nothing it wrote is still outstanding (or it waited long enough). */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.deletes.size === 0) return true;
    return this.clock.now() - e.since >= this.ttlMs;
  }

  /** Records that `count` pods are about to be created for `key` (replacing what was expected before). */
  expectCreations(key: string, count: number): void {
    this.byKey.set(key, { adds: Math.max(0, count), deletes: new Set(), since: this.clock.now() });
  }

  /** Records that the pods with these uids are about to be deleted for `key` (replacing what was expected before). */
  expectDeletions(key: string, uids: readonly string[]): void {
    this.byKey.set(key, { adds: 0, deletes: new Set(uids), since: this.clock.now() });
  }

  /** One creation for `key` was seen (or failed, so it will never be seen). */
  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e && e.adds > 0) e.adds--;
  }

  /** The deletion of the pod `uid` for `key` was seen (or failed, so it will never be seen). */
  deletionObserved(key: string, uid: string): void {
    this.byKey.get(key)?.deletes.delete(uid);
  }

  /** What is still outstanding for `key`, for logs and tests. */
  pending(key: string): PendingWrites {
    const e = this.byKey.get(key);
    return { adds: e?.adds ?? 0, deletes: e?.deletes.size ?? 0 };
  }

  /** Forgets `key` (its controller object is gone). */
  forget(key: string): void {
    this.byKey.delete(key);
  }
}
