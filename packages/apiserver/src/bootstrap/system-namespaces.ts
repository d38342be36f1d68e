/**
 * What every cluster has from its first start: the namespaces `default`, `kube-system`,
 * `kube-public` and `kube-node-lease`, and a `default` ServiceAccount in every namespace
 * (kept by a small reconciler that follows namespaces and recreates a deleted `default`).
 */
import { isAlreadyExists, type Clock, type ObjectStore, type Logger } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import { PerNamespaceObjectReconciler } from './per-namespace-object.reconciler.js';

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

/** Options of the DefaultServiceAccountReconciler. */
export interface DefaultServiceAccountOptions {
  store: ObjectStore;
  catalog: ResourceCatalog;
  clock: Clock;
  logger: Logger;
}

/** Keeps a `default` ServiceAccount in every active namespace (recreated when deleted). */
export class DefaultServiceAccountReconciler {
  private readonly keeper: PerNamespaceObjectReconciler;

  constructor(o: DefaultServiceAccountOptions) {
    this.keeper = new PerNamespaceObjectReconciler({
      ...o,
      resource: { group: '', version: 'v1', resource: 'serviceaccounts' },
      name: 'default',
      spec: (namespace) => ({ desired: () => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace } }) }),
    });
  }

  /** Creates the missing ServiceAccounts of existing namespaces, then follows changes. */
  start(): Promise<void> {
    return this.keeper.start();
  }

  /** Stops following changes. */
  stop(): void {
    this.keeper.stop();
  }
}
