import { isNotFound, Namespaces, type Namespace, type ObjectStore } from '@converge/core';

/**
 * Whether a namespace takes new objects: it exists, is not being deleted and its phase is not
 * `Terminating`. The per-namespace controllers (ServiceAccount, root CA publisher) leave other
 * namespaces alone, as the API server would refuse their creates there anyway.
 */
export function isNamespaceActive(ns: Namespace): boolean {
  return !ns.metadata.deletionTimestamp && ns.status?.phase !== 'Terminating';
}

/** Reads a namespace (from the controller's cache), or undefined when there is none. */
export async function namespaceOrUndefined(store: ObjectStore, name: string): Promise<Namespace | undefined> {
  try {
    return await store.get(Namespaces, { name });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
