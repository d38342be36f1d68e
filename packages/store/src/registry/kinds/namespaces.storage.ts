import type { KubeObject } from '@converge/core';
import { cloneJson, isObject } from '../json-values.js';
import { checkIdentity, validatePrepared } from '../object-prep.js';
import type { StoreOps, UpdateSpec } from '../store-ops.js';
import type { KindStorage, UpdateSubresource } from './kind-storage.js';
import type { KindTableEntry } from './kind-table-entry.js';

/**
 * Namespaces (core/v1), as Kubernetes' namespace storage: a delete first marks the Namespace
 * Terminating, and it is removed only once its `spec.finalizers` (which change only through
 * the `finalize` subresource, which the Namespace definition lists) and its
 * `metadata.finalizers` are empty. A Namespace is cluster-scoped yet addressed as the
 * namespace path of its name.
 */
export const namespacesEntry: KindTableEntry = {
  group: '',
  resource: 'namespaces',
  routing: { addressedAsNamespace: true },
  storage: ({ ops }) => namespaceStorage(ops),
};

function namespaceStorage(ops: StoreOps): KindStorage {
  return {
    prepareUpdate: keepSpecFinalizers,
    deletion: { mark: markTerminating, pendingFinalizers: specFinalizers },
    update: { finalize: finalize(ops) },
  };
}

/** The `spec.finalizers` of a Namespace. */
function specFinalizers(obj: KubeObject): readonly string[] {
  const spec = obj.spec;
  return isObject(spec) && Array.isArray(spec.finalizers) ? (spec.finalizers as string[]) : [];
}

function markTerminating(obj: KubeObject): KubeObject {
  return { ...obj, status: { ...(isObject(obj.status) ? obj.status : {}), phase: 'Terminating' } };
}

/** A Namespace's `spec.finalizers` change only through `namespaces/finalize`, as in Kubernetes. */
function keepSpecFinalizers(obj: KubeObject, current: KubeObject): void {
  const before = isObject(current.spec) ? current.spec.finalizers : undefined;
  const spec = isObject(obj.spec) ? { ...obj.spec } : {};
  if (before === undefined) delete spec.finalizers;
  else spec.finalizers = before;
  obj.spec = spec;
}

/** `namespaces/<name>/finalize`: replaces `spec.finalizers` (and removes the Namespace once nothing holds it). */
function finalize(ops: StoreOps): UpdateSubresource {
  return (def, key, body, options) => {
    const info = ops.kind(def);
    const spec: UpdateSpec = {
      mutate: (current) => {
        checkIdentity(info, body, current);
        const finalizers = isObject(body.spec) && Array.isArray(body.spec.finalizers) ? cloneJson(body.spec.finalizers) : [];
        const next = cloneJson(current);
        next.spec = { ...(isObject(next.spec) ? next.spec : {}), finalizers };
        delete next.metadata.resourceVersion;
        return validatePrepared(info, next, current, options);
      },
    };
    if (body.metadata.resourceVersion) spec.resourceVersion = body.metadata.resourceVersion;
    if (options.dryRun) spec.dryRun = true;
    return ops.guaranteedUpdate(info, key, spec);
  };
}
