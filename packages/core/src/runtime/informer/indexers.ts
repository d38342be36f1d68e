import type { KubeObject } from '../../api/meta.js';
import type { IndexFunc } from './types.js';

/** The name of the built-in index filing objects under their namespace. */
export const NAMESPACE_INDEX = 'namespace';

/** The name of the built-in index filing objects under the uid of their controller owner. */
export const CONTROLLER_OWNER_INDEX = 'controller-owner';

const NONE: readonly string[] = Object.freeze([]);

/** Files a namespaced object under its namespace; cluster-scoped objects under nothing. */
export const namespaceIndexFunc: IndexFunc = (obj: KubeObject) => {
  const ns = obj.metadata.namespace;
  return ns ? [ns] : NONE;
};

/**
 * Files an object under the uid of its controller owner (the owner reference with
 * `controller: true`); objects without one under nothing.
 */
export const controllerOwnerIndexFunc: IndexFunc = (obj: KubeObject) => {
  const refs = obj.metadata.ownerReferences;
  if (refs) for (const r of refs) if (r.controller === true && r.uid) return [r.uid];
  return NONE;
};

/** Builds an index function filing objects under the value of one label (objects without it under nothing). */
export function labelIndexFunc(label: string): IndexFunc {
  return (obj: KubeObject) => {
    const v = obj.metadata.labels?.[label];
    return v === undefined ? NONE : [v];
  };
}
