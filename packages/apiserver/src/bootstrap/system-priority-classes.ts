/**
 * The two PriorityClasses every Kubernetes cluster has from its first start, for the pods the
 * cluster cannot do without: `system-node-critical` (2000001000) and `system-cluster-critical`
 * (2000000000).
 */
import { isAlreadyExists, type KubeObject, type ObjectStore } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';

const PRIORITY_CLASSES = { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' };

/** The system PriorityClasses, as created at start. */
export const SYSTEM_PRIORITY_CLASSES: readonly KubeObject[] = [
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-node-critical' },
    value: 2_000_001_000,
    description: 'For pods the node itself cannot work without: they are never moved off their node.',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: 'system-cluster-critical' },
    value: 2_000_000_000,
    description: 'For pods the cluster cannot work without; they may be moved to another node when needed.',
  },
];

/** Creates the system PriorityClasses that are missing. */
export async function ensureSystemPriorityClasses(store: ObjectStore, catalog: ResourceCatalog): Promise<void> {
  const def = catalog.get(PRIORITY_CLASSES);
  if (!def) return;
  for (const pc of SYSTEM_PRIORITY_CLASSES) {
    try {
      await store.create(def, structuredClone(pc));
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
  }
}
