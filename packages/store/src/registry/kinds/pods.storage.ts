import type { DeleteOptions, KubeObject } from '@converge/core';
import { isObject } from '../json-values.js';
import { bindPod } from '../pod-binding.js';
import { evictPod } from '../pod-eviction.js';
import type { StoreOps } from '../store-ops.js';
import type { KindStorage } from './kind-storage.js';
import type { KindTableEntry } from './kind-table-entry.js';

/**
 * Pods (core/v1): a delete gives a Pod on a node its grace period; `binding` assigns it to a
 * node and `eviction` deletes it within its disruption budgets; `log`, `exec`, `attach`,
 * `portforward` and `proxy` are connections the API server makes to the Pod's kubelet.
 */
export const podsEntry: KindTableEntry = {
  group: '',
  resource: 'pods',
  served: { log: 'kubelet', exec: 'kubelet', attach: 'kubelet', portforward: 'kubelet', proxy: 'kubelet' },
  storage: ({ ops }) => podStorage(ops),
};

function podStorage(ops: StoreOps): KindStorage {
  return {
    deletion: { gracePeriod },
    create: {
      binding: (def, body, options) => bindPod(ops, ops.kind(def), body, options),
      eviction: (def, body, options) => evictPod(ops, ops.kind(def), body, options),
    },
  };
}

/**
 * The grace period of a Pod's delete: the requested period, else
 * `spec.terminationGracePeriodSeconds` (default 30); zero when the Pod was never scheduled
 * or has finished.
 */
function gracePeriod(obj: KubeObject, options: DeleteOptions): number {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const status = isObject(obj.status) ? obj.status : {};
  if (!spec.nodeName) return 0;
  if (status.phase === 'Succeeded' || status.phase === 'Failed') return 0;
  const requested =
    options.gracePeriodSeconds ?? (typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30);
  return Math.max(0, requested);
}
