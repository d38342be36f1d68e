/**
 * The CRD finalizer, as Kubernetes' apiextensions server runs it: deleting a CRD through the
 * API first gives it the `customresourcecleanup.apiextensions.k8s.io` finalizer, so it stays
 * (Terminating) while its custom objects are deleted; each object goes only once its own
 * finalizers are removed; then the finalizer is removed and the CRD goes, after its objects.
 */
import { isConflict, isNotFound, type KubeObject, type ObjectKey, type ObjectStore, type ResourceDefinition } from '@converge/core';

/** The finalizer that keeps a deleted CRD until its custom objects are gone. */
export const CRD_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/** A CRD condition as the finalizer sets it. */
export interface TerminatingCondition {
  type: 'Terminating';
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** How one finalizing pass ended. */
export type FinalizeOutcome =
  /** The objects are gone and the finalizer was removed. */
  | { done: true }
  /** Objects remain (held by their finalizers) or a delete failed: look again later. */
  | { done: false; retryAfterMs: number };

/** How long the finalizer polls for the objects to go before reporting `InstanceDeletionCheck` (as Kubernetes' one-minute poll). */
const CHECK_TIMEOUT_MS = 60_000;
const POLL_MS = 5_000;

/** Whether a CRD carries the cleanup finalizer. */
export function hasCleanupFinalizer(crd: KubeObject): boolean {
  return (crd.metadata.finalizers ?? []).includes(CRD_CLEANUP_FINALIZER);
}

/**
 * Adds the cleanup finalizer to a CRD about to be deleted (not yet being deleted), as
 * Kubernetes' CRD storage does on the first delete request.
 */
export async function addCleanupFinalizer(store: ObjectStore, def: ResourceDefinition, key: ObjectKey): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    let crd: KubeObject;
    try {
      crd = await store.get(def, key);
    } catch (err) {
      if (isNotFound(err)) return; // the delete answers NotFound
      throw err;
    }
    if (crd.metadata.deletionTimestamp || hasCleanupFinalizer(crd)) return;
    const finalizers = [...(crd.metadata.finalizers ?? []), CRD_CLEANUP_FINALIZER];
    try {
      await store.patch(def, key, { type: 'merge', body: { metadata: { finalizers, resourceVersion: crd.metadata.resourceVersion } } });
      return;
    } catch (err) {
      if (isNotFound(err)) return;
      if (!isConflict(err)) throw err;
    }
  }
}

/** Options of a finalizing pass. */
export interface FinalizePassOptions {
  store: ObjectStore;
  /** The CRD's definitions used to reach its objects (one is enough: all versions share the storage); undefined when never established. */
  served: ResourceDefinition | undefined;
  /** Writes the Terminating condition into the CRD's status. */
  setCondition: (condition: TerminatingCondition) => Promise<void>;
  /** The clock's now, in ms. */
  now: number;
  /** When this CRD's finalizing started (ms), for the one-minute check. */
  startedAt: number;
}

/** One pass of finalizing a Terminating CRD: delete its objects; when none is left, remove the finalizer. */
export async function finalizeCrdPass(crdDef: ResourceDefinition, crd: KubeObject, o: FinalizePassOptions): Promise<FinalizeOutcome> {
  const def = o.served;
  if (!def) {
    await o.setCondition({ type: 'Terminating', status: 'False', reason: 'NeverEstablished', message: 'resource was never established' });
  } else {
    await o.setCondition({
      type: 'Terminating',
      status: 'True',
      reason: 'InstanceDeletionInProgress',
      message: 'CustomResource deletion is in progress',
    });
    let left: number;
    try {
      const all = await o.store.list(def);
      const namespaces = new Set(all.items.map((i) => i.metadata.namespace ?? ''));
      const errors: string[] = [];
      for (const ns of namespaces) {
        try {
          await o.store.deleteCollection(def, def.namespaced ? { namespace: ns } : {});
        } catch (err) {
          errors.push((err as Error).message);
        }
      }
      if (errors.length > 0) {
        await o.setCondition({
          type: 'Terminating',
          status: 'True',
          reason: 'InstanceDeletionFailed',
          message: `could not issue all deletes: ${errors.join(', ')}`,
        });
        return { done: false, retryAfterMs: POLL_MS };
      }
      left = (await o.store.list(def)).items.length;
    } catch (err) {
      await o.setCondition({
        type: 'Terminating',
        status: 'True',
        reason: 'InstanceDeletionFailed',
        message: `could not list instances: ${(err as Error).message}`,
      });
      return { done: false, retryAfterMs: POLL_MS };
    }
    if (left > 0) {
      if (o.now - o.startedAt >= CHECK_TIMEOUT_MS) {
        await o.setCondition({
          type: 'Terminating',
          status: 'True',
          reason: 'InstanceDeletionCheck',
          message: 'could not confirm zero CustomResources remaining: timed out waiting for the condition',
        });
      }
      return { done: false, retryAfterMs: POLL_MS };
    }
    await o.setCondition({ type: 'Terminating', status: 'False', reason: 'InstanceDeletionCompleted', message: 'removed all instances' });
  }
  const key = { name: crd.metadata.name ?? '' };
  for (let attempt = 0; attempt < 5; attempt++) {
    let current: KubeObject;
    try {
      current = await o.store.get(crdDef, key);
    } catch (err) {
      if (isNotFound(err)) return { done: true };
      throw err;
    }
    if (current.metadata.uid !== crd.metadata.uid || !hasCleanupFinalizer(current)) return { done: true };
    const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== CRD_CLEANUP_FINALIZER);
    try {
      await o.store.patch(crdDef, key, {
        type: 'merge',
        body: { metadata: { finalizers, resourceVersion: current.metadata.resourceVersion } },
      });
      return { done: true };
    } catch (err) {
      if (isNotFound(err)) return { done: true };
      if (!isConflict(err)) throw err;
    }
  }
  return { done: false, retryAfterMs: POLL_MS };
}
