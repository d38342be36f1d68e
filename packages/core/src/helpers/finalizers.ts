import { isNotFound } from '../api/errors.js';
import { objectKey, type KubeObject, type ObjectMeta } from '../api/meta.js';
import type { ResourceType } from '../api/resource-type.js';
import type { ObjectStore } from '../store/object-store.js';

/** Whether the object carries the finalizer. */
export function hasFinalizer(obj: { metadata: ObjectMeta }, finalizer: string): boolean {
  return obj.metadata.finalizers?.includes(finalizer) ?? false;
}

/** Adds the finalizer to a mutable object in place; returns whether it was missing. */
export function addFinalizer(obj: { metadata: ObjectMeta }, finalizer: string): boolean {
  if (hasFinalizer(obj, finalizer)) return false;
  obj.metadata.finalizers = [...(obj.metadata.finalizers ?? []), finalizer];
  return true;
}

/** Removes the finalizer from a mutable object in place; returns whether it was there. */
export function removeFinalizer(obj: { metadata: ObjectMeta }, finalizer: string): boolean {
  const list = obj.metadata.finalizers ?? [];
  if (!list.includes(finalizer)) return false;
  const kept = list.filter((f) => f !== finalizer);
  if (kept.length > 0) obj.metadata.finalizers = kept;
  else delete obj.metadata.finalizers;
  return true;
}

/** Whether the object is being deleted (its deletionTimestamp is set). */
export function isBeingDeleted(obj: { metadata: ObjectMeta }): boolean {
  return obj.metadata.deletionTimestamp !== undefined;
}

/** Options of `finalize`. */
export interface FinalizeOptions<T extends KubeObject> {
  /** The finalizer this controller owns, e.g. `example.com/cleanup`. */
  finalizer: string;
  /**
   * Releases what the object holds outside the cluster (or anything its owner references do
   * not cover). Runs only while the object is being deleted and still carries the finalizer;
   * it may run more than once (a failed finalizer removal retries), so make it idempotent.
   * Throw to keep the finalizer (the reconcile is retried).
   */
  cleanup: (obj: T) => Promise<void> | void;
  /** The field manager of the patches. */
  fieldManager?: string;
}

/** What `finalize` did. */
export interface FinalizeResult<T extends KubeObject> {
  /**
   * True when the object is being deleted: the reconcile should stop here (after a cleanup
   * the finalizer is gone, and the object may be too).
   */
  deleting: boolean;
  /** Whether a patch was sent (the finalizer added or removed). */
  changed: boolean;
  /** The object as it now stands (after the patch, if any). */
  object: T;
}

/**
 * The finalizer flow of a reconcile, in one call:
 *
 * - the object is not being deleted: make sure it carries the finalizer (a patch if it
 *   does not), so it cannot vanish before the cleanup ran;
 * - it is being deleted and carries the finalizer: run `cleanup`, then remove the finalizer
 *   (the store deletes the object once no finalizer is left);
 * - it is being deleted without the finalizer: nothing to do.
 *
 * Patches are merge patches of the whole finalizer list with the object's resourceVersion
 * as a precondition, so a concurrent change makes them fail with Conflict (the reconcile is
 * retried on the newer object) instead of dropping another controller's finalizer.
 *
 * ```ts
 * const f = await finalize(store, Widgets, widget, { finalizer: 'example.com/cleanup', cleanup: (w) => releaseBucket(w) });
 * if (f.deleting) return {};
 * ```
 */
export async function finalize<T extends KubeObject>(
  store: ObjectStore,
  type: ResourceType<T>,
  obj: T,
  options: FinalizeOptions<T>,
): Promise<FinalizeResult<T>> {
  const { finalizer } = options;
  const present = hasFinalizer(obj, finalizer);
  const patchOptions = options.fieldManager ? { fieldManager: options.fieldManager } : {};
  const finalizers = (list: string[]) => ({
    metadata: { finalizers: list.length ? list : null, resourceVersion: obj.metadata.resourceVersion },
  });
  if (!isBeingDeleted(obj)) {
    if (present) return { deleting: false, changed: false, object: obj };
    const list = [...(obj.metadata.finalizers ?? []), finalizer];
    const object = await store.patch(type, objectKey(obj), { type: 'merge', body: finalizers(list) }, patchOptions);
    return { deleting: false, changed: true, object };
  }
  if (!present) return { deleting: true, changed: false, object: obj };
  await options.cleanup(obj);
  const list = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  try {
    const object = await store.patch(type, objectKey(obj), { type: 'merge', body: finalizers(list) }, patchOptions);
    return { deleting: true, changed: true, object };
  } catch (err) {
    if (isNotFound(err)) return { deleting: true, changed: true, object: obj };
    throw err;
  }
}
