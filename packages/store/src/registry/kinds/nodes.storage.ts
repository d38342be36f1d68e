import type { KindTableEntry } from './kind-table-entry.js';

/** Nodes (core/v1): a create keeps the status (the kubelet registers with it); `proxy` is served by the node's kubelet. */
export const nodesEntry: KindTableEntry = {
  group: '',
  resource: 'nodes',
  served: { proxy: 'node-proxy' },
  storage: () => ({ keepsStatusOnCreate: true }),
};
