import type { Observable } from 'rxjs';
import type { KubeObject, ObjectKey } from '../../api/meta.js';
import type { ResourceType } from '../../api/resource-type.js';

/**
 * What an informer emits after its cache has changed: the object added, updated (with the
 * previous version) or deleted (its last known state). `initial` marks events of the first
 * list, so handlers can tell start-up from change.
 */
export type InformerEvent<T extends KubeObject = KubeObject> =
  { type: 'add'; object: T; initial?: boolean } | { type: 'update'; object: T; old: T } | { type: 'delete'; object: T };

/** A function that files an object under zero or more index values. */
export type IndexFunc<T extends KubeObject = KubeObject> = (obj: T) => readonly string[];

/** A read-only, indexed view of an informer's cache. Objects are shared and frozen. */
export interface CacheReader<T extends KubeObject = KubeObject> {
  get(key: ObjectKey): T | undefined;
  /** Every object, or those of one namespace. */
  list(namespace?: string): T[];
  /** Objects filed under `value` by the named index (`namespace` and `controller-owner` are built in). */
  byIndex(index: string, value: string): T[];
  /** Keys (`ns/name`) filed under `value` by the named index. */
  keysByIndex(index: string, value: string): string[];
  size(): number;
}

/** What selects an informer's objects; one shared informer exists per type and selection. */
export interface InformerSelection {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** A running (or startable) informer over one kind and selection. */
export interface Informer<T extends KubeObject = KubeObject> {
  readonly type: ResourceType<T>;
  readonly selection: InformerSelection;
  readonly cache: CacheReader<T>;
  /** Hot stream of cache changes; a late subscriber should read the cache for the current state. */
  readonly events: Observable<InformerEvent<T>>;
  /** Adds a named index; allowed before and after start. */
  addIndex(name: string, fn: IndexFunc<T>): void;
  /** True once the first list has been put in the cache. */
  hasSynced(): boolean;
  /** Resolves when synced; rejects after `timeoutMs`. */
  waitForCacheSync(timeoutMs?: number): Promise<void>;
  /** Starts list/watch (idempotent). */
  start(): void;
  /** Stops list/watch; the cache stays readable. */
  stop(): void;
}
