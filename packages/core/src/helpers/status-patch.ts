import { objectKey, type KubeObject } from '../api/meta.js';
import type { ResourceType } from '../api/resource-type.js';
import type { ObjectStore, PatchOptions } from '../store/object-store.js';
import { createMergePatch } from './merge-patch.js';

/** Options of `patchStatus` and `patchFrom`. */
export interface MergePatchOptions extends Omit<PatchOptions, 'subresource' | 'force'> {
  /**
   * Send `metadata.resourceVersion` of the original as a precondition, so the patch fails
   * with Conflict if the object changed since it was read; default false (a merge patch of
   * the changed fields applies to whatever is stored, as controller-runtime's MergeFrom).
   */
  optimistic?: boolean;
}

function withPrecondition(patch: Record<string, unknown>, original: KubeObject, optimistic: boolean | undefined): Record<string, unknown> {
  if (!optimistic) return patch;
  const metadata = (patch['metadata'] as Record<string, unknown> | undefined) ?? {};
  return { ...patch, metadata: { ...metadata, resourceVersion: original.metadata.resourceVersion } };
}

function patchOptions(options: MergePatchOptions): PatchOptions {
  const { optimistic: _o, ...rest } = options;
  return rest;
}

/**
 * Writes a new status through the `status` subresource as a merge patch of what changed
 * between `original.status` and `status`; sends nothing (and returns `original`) when
 * nothing changed, so a reconcile that recomputes an unchanged status costs no write.
 *
 * ```ts
 * const status = { ...mutable(widget.status ?? {}), readyReplicas: 3 };
 * setCondition(status.conditions ??= [], { type: 'Ready', status: 'True', reason: 'AllReady' }, clock);
 * await patchStatus(store, Widgets, widget, status);
 * ```
 */
export async function patchStatus<T extends KubeObject>(
  store: ObjectStore,
  type: ResourceType<T>,
  original: T,
  status: unknown,
  options: MergePatchOptions = {},
): Promise<T> {
  const diff = createMergePatch({ status: original['status'] }, { status });
  if (diff === undefined) return original;
  const body = withPrecondition(diff as Record<string, unknown>, original, options.optimistic);
  return store.patch(type, objectKey(original), { type: 'merge', body }, { ...patchOptions(options), subresource: 'status' });
}

/**
 * Writes the difference between `original` and `modified` (a changed mutable copy of it) as
 * a merge patch of the main resource (controller-runtime's `client.MergeFrom`); sends
 * nothing when they are equal. `status` is left out: write it with `patchStatus`.
 */
export async function patchFrom<T extends KubeObject>(
  store: ObjectStore,
  type: ResourceType<T>,
  original: T,
  modified: T,
  options: MergePatchOptions = {},
): Promise<T> {
  const { status: _a, ...before } = original;
  const { status: _b, ...after } = modified;
  const diff = createMergePatch(before, after);
  if (diff === undefined) return original;
  const body = withPrecondition(diff as Record<string, unknown>, original, options.optimistic);
  return store.patch(type, objectKey(original), { type: 'merge', body }, patchOptions(options));
}
