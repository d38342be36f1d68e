import type { ServiceAllocations } from '../service-allocations.js';
import type { StoreOps } from '../store-ops.js';
import type { KindRouting } from './kind-routing.js';
import type { KindStorage, ServedSubresource } from './kind-storage.js';

/** What a kind's storage is made with: the generic store's operations and the store-wide state some kinds share. */
export interface StorageContext {
  ops: StoreOps;
  /** The Service cluster IP and node port allocations of this store. */
  services: ServiceAllocations;
}

/** One row of the kinds table: a kind (by group and resource) and what its storage adds to the generic store. */
export interface KindTableEntry {
  /** The API group of the kind (`''` for core). */
  readonly group: string;
  /** The plural resource name. */
  readonly resource: string;
  /** Subresources the API server serves itself (proxies, kubelet connections, tokens), by name; known without a store. */
  readonly served?: Readonly<Record<string, ServedSubresource>>;
  /** How the API server routes the kind's requests where its definition does not say; known without a store. */
  readonly routing?: KindRouting;
  /** Makes the kind's storage for one store (hooks and subresources); absent when the kind has only `served`. */
  storage?(context: StorageContext): KindStorage;
}
