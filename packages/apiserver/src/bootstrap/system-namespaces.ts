/**
 * What every cluster has from its first start: the namespaces `default`, `kube-system`,
 * `kube-public` and `kube-node-lease`, as kube-apiserver creates them. (Their `default`
 * ServiceAccounts come from the controller-manager's service-account controller.)
 */
import { isAlreadyExists, type ObjectStore } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';

/** The namespaces created at start. */
export const SYSTEM_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };

/** Creates the system namespaces that are missing. */
export async function ensureSystemNamespaces(store: ObjectStore, catalog: ResourceCatalog): Promise<void> {
  const def = catalog.get(NAMESPACES);
  if (!def) return;
  for (const name of SYSTEM_NAMESPACES) {
    try {
      await store.create(def, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}
