import type { Clock, KubeObject, Logger, ObjectKey, ResourceType } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import type { Backend, StoredObject } from '../backend/backend.js';
import type { KeyLayout, KindInfo } from './kind-info.js';

/** A change computed from the stored object: the object to store, or null when nothing changes. */
export type Mutation = (current: KubeObject) => KubeObject | null;

/** How `guaranteedUpdate` conditions and performs a read-modify-write. */
export interface UpdateSpec {
  /** Fail with Conflict unless the stored object has this resourceVersion (otherwise retry on conflicts). */
  resourceVersion?: string;
  dryRun?: boolean;
  mutate: Mutation;
}

/**
 * The operations of the generic store that the registry's helpers and the kinds' storages
 * use (the narrow interface they get instead of the Registry): reading, keyed by a kind's
 * info; read-modify-write; managedFields; timestamps. It knows no kind: what differs per
 * kind is the `KindStorage` in a KindInfo.
 */
export interface StoreOps {
  readonly backend: Backend;
  readonly catalog: ResourceCatalog;
  readonly clock: Clock;
  readonly layout: KeyLayout;
  /** Where background failures are reported. */
  readonly logger: Logger;
  /** How often watches with bookmarks get one, in clock milliseconds. */
  readonly bookmarkIntervalMs: number;
  /** The KindInfo of a served, stored kind; NotFound otherwise, MethodNotAllowed when the kind does not serve `verb`. */
  kind(type: ResourceType, verb?: string): KindInfo;
  /** Validates a key against its kind: a name, and a namespace exactly when namespaced. */
  checkKey(info: KindInfo, key: ObjectKey): void;
  /** The (checked) key of an object addressed by its metadata. */
  keyOf(info: KindInfo, meta: { readonly namespace?: string | undefined; readonly name?: string | undefined }): ObjectKey;
  /** Reads one object (the stored form); NotFound when absent. */
  read(info: KindInfo, key: ObjectKey): Promise<StoredObject>;
  /** The served view of a stored object (itself, for a kind stored as itself). */
  view(info: KindInfo, stored: KubeObject): KubeObject;
  /**
   * A read-modify-write that retries on conflicting writes (unless conditioned on a
   * resourceVersion), skips writes that change nothing, and removes an object whose last
   * finalizer is gone once it is being deleted.
   */
  guaranteedUpdate(info: KindInfo, key: ObjectKey, spec: UpdateSpec): Promise<KubeObject>;
  /** Records a non-apply write in managedFields. */
  track(
    info: KindInfo,
    old: KubeObject | undefined,
    next: KubeObject,
    fieldManager: string | undefined,
    subresource: string | undefined,
  ): KubeObject;
  /** The current time as Kubernetes writes it in metadata (RFC 3339, seconds), `offsetSeconds` from now. */
  timestamp(offsetSeconds?: number): string;
}
