/**
 * The pods bound to one node, read through the cached client's `spec.nodeName` index when
 * the store is a cached client (a Manager's), else with a field selector (a FakeStore, a
 * remote store).
 */
import { CachedObjectStore, Pods, type CachedListOptions, type ObjectStore, type Pod } from '@converge/core';

/** The name of the Pods index by `spec.nodeName` the node controllers register on the cached client. */
export const POD_NODE_NAME_INDEX = 'spec.nodeName';

const indexed = new WeakSet<CachedObjectStore>();

/**
 * Registers the `spec.nodeName` index of Pods on a cached client, once per client however
 * many controllers ask (several controllers of one manager share it); a store that is not a
 * cached client is left alone.
 */
export function ensurePodNodeNameIndex(store: ObjectStore): void {
  if (!(store instanceof CachedObjectStore) || indexed.has(store)) return;
  try {
    store.addIndex(Pods, POD_NODE_NAME_INDEX, (pod) => [pod.spec?.nodeName]);
  } catch (err) {
    // registered under this name by another component of the same manager: the same index
    if (!(err instanceof Error && /already exists/.test(err.message))) throw err;
  }
  indexed.add(store);
}

/** The pods bound to `nodeName`: from the index on a cached client, else through a `spec.nodeName` field selector. */
export async function podsOnNode(store: ObjectStore, nodeName: string): Promise<readonly Pod[]> {
  if (store instanceof CachedObjectStore) {
    ensurePodNodeNameIndex(store);
    const options: CachedListOptions = { index: { name: POD_NODE_NAME_INDEX, value: nodeName } };
    return (await store.list(Pods, options)).items;
  }
  return (await store.list(Pods, { fieldSelector: `spec.nodeName=${nodeName}` })).items;
}
