import type { KubeObject } from '@converge/core';

/**
 * One stored object as a backend hands it out: its key, the deeply frozen object (whose
 * `metadata.resourceVersion` is its mod revision) and that revision as a number.
 */
export interface StoredObject {
  readonly key: string;
  readonly object: KubeObject;
  /** The revision of the write that produced this state (etcd's mod revision). */
  readonly revision: number;
}

/** The outcome of a conditional write: the new state, or why it failed (with the current state when there is one). */
export type WriteResult =
  | { readonly ok: true; readonly stored: StoredObject }
  | { readonly ok: false; readonly reason: 'exists' | 'not-found' | 'conflict'; readonly current?: StoredObject };

/** Options of `Backend.list`. */
export interface BackendListOptions {
  /** Only keys starting with this prefix (it should end in `/`). */
  prefix: string;
  /** Read the state as of this revision (fails with a 410 StatusError when compacted); unset = now. */
  revision?: number;
  /** Start strictly after this key (pagination). */
  startAfter?: string;
  /** Return at most this many entries; `more` says whether others follow. */
  limit?: number;
}

/** The answer of `Backend.list`: entries in key order, the revision they were read at, and whether more follow. */
export interface BackendListResult {
  items: StoredObject[];
  revision: number;
  more: boolean;
  /** How many entries follow the returned ones (when `more`). */
  remaining?: number;
}

/**
 * One change seen by a backend watch. For `put` the object is the new state; for `delete`
 * it is the last state, stamped with the revision of the deletion. `prev` is the state
 * before the change (absent for a creation).
 */
export interface BackendEvent {
  readonly type: 'put' | 'delete';
  readonly key: string;
  readonly object: KubeObject;
  readonly prev?: KubeObject;
  readonly revision: number;
}

/** Callbacks of a backend watch: batches of events in revision order, each exactly once, then at most one error. */
export interface BackendWatchListener {
  events(batch: readonly BackendEvent[]): void;
  /** The watch has ended for good (e.g. a 410 StatusError after compaction); no events follow. */
  error(err: unknown): void;
}

/** A running backend watch. */
export interface BackendWatch {
  /**
   * A revision up to which every event of this watch has been delivered: the basis of a
   * BOOKMARK. Never goes backwards.
   */
  progressRevision(): number;
  /** Stops the watch; no callbacks follow. */
  close(): void;
}

/** Options of `Backend.watch`. */
export interface BackendWatchOptions {
  prefix: string;
  /** Deliver every change with a revision strictly greater than this one. */
  afterRevision: number;
}

/**
 * A small key-value storage interface with revisions, the only thing the registry needs from
 * a database: reads (current or at a revision), conditional writes, ordered watches and
 * compaction. Implementations: `MemoryBackend` (embedded) and `EtcdBackend`.
 *
 * Contract:
 * - Every write gets a new revision from one global, increasing counter; a stored object's
 *   `metadata.resourceVersion` is the decimal string of its revision.
 * - Writes take ownership of the object passed in: the backend stamps its resourceVersion
 *   and deeply freezes it. Objects handed out are deeply frozen and may be shared.
 * - A watch delivers every change after its start revision in order, exactly once, or ends
 *   with a 410 StatusError when that history is no longer kept.
 */
export interface Backend {
  /** A short name for diagnostics: `memory` or `etcd`. */
  readonly kind: string;
  /**
   * Reads one key synchronously; only backends that keep objects in this process have it
   * (memory). Callers use it to skip a promise on hot paths and fall back to `get`.
   */
  peek?(key: string): StoredObject | undefined;
  /** `create` without a promise; only in-process backends have it (memory). */
  createNow?(key: string, object: KubeObject): WriteResult;
  /** The newest revision. */
  currentRevision(): Promise<number>;
  /** The oldest revision that reads and watches can still start from (history before it is compacted). */
  compactedRevision(): Promise<number>;
  /** Reads one key. */
  get(key: string): Promise<StoredObject | undefined>;
  /** Lists keys under a prefix in key order, optionally at a past revision and from a start key. */
  list(options: BackendListOptions): Promise<BackendListResult>;
  /** Stores `object` under `key` unless the key exists. */
  create(key: string, object: KubeObject): Promise<WriteResult>;
  /** Replaces the object under `key` if its revision is still `expectedRevision`. */
  update(key: string, object: KubeObject, expectedRevision: number): Promise<WriteResult>;
  /** Deletes `key` if its revision is still `expectedRevision`; `stored` is the last state stamped with the deletion revision. */
  delete(key: string, expectedRevision: number): Promise<WriteResult>;
  /** Watches a prefix from a revision. Errors (410 for compacted history) arrive through the listener. */
  watch(options: BackendWatchOptions, listener: BackendWatchListener): BackendWatch;
  /** Discards history older than `revision`: later reads and watches before it fail with 410. */
  compact(revision: number): Promise<void>;
  /** Releases connections and ends every watch. */
  close(): Promise<void>;
}

/** The end of the key range of a prefix (the smallest string greater than every key starting with it). */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
