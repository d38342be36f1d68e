import type { KindTableEntry } from './kind-table-entry.js';

/**
 * Services (core/v1): a write claims cluster IPs and node ports from the registry's Service
 * allocations (released when it fails, or when the Service gives them up or is removed);
 * the first write starts the allocations' repair loop. `proxy` is served by the API server,
 * which proxies to the Service's endpoints.
 */
export const servicesEntry: KindTableEntry = {
  group: '',
  resource: 'services',
  served: { proxy: 'service-proxy' },
  storage: ({ services }) => ({
    claimCreate: (obj, dryRun) => services.get().allocateCreate(obj, dryRun),
    claimUpdate: (next, current, dryRun) => services.get().allocateUpdate(next, current, dryRun),
    written: () => services.started(),
    removed: (obj) => services.get().releaseAll(obj),
  }),
};
