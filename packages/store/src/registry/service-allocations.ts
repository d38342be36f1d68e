import type { Clock, KubeObject, Logger, ResourceType } from '@converge/core';
import type { ResourceCatalog } from '@converge/core/kinds';
import type { Backend } from '../backend/backend.js';
import type { KeyLayout } from './kind-info.js';
import { ServiceAllocator, type RepairReport } from './service-allocator.js';

const SERVICES: ResourceType = { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true };

/** What the registry hands its Service allocations. */
export interface ServiceAllocationsOptions {
  backend: Backend;
  catalog: ResourceCatalog;
  layout: KeyLayout;
  clock: Clock;
  random: () => number;
  /** Where failures of the repair loop are reported. */
  logger: Logger;
  /** The service CIDR (default `10.96.0.0/12`). */
  serviceClusterIPRange?: string | undefined;
  /** The node port range (default `30000-32767`). */
  serviceNodePortRange?: string | undefined;
  /** How often leaked claims are repaired, in clock milliseconds (default 3 min; 0 = once). */
  serviceAllocationRepairIntervalMs?: number | undefined;
}

/**
 * The registry's Service cluster IP and node port allocations over their lifetime: the
 * allocator (made on first use), and the repair loop that starts with the first Service
 * write and reconciles claims with the stored Services until the registry closes.
 */
export class ServiceAllocations {
  private allocator: ServiceAllocator | undefined;
  private repairTimer: ReturnType<Clock['setTimeout']> | undefined;
  private closed = false;

  constructor(private readonly options: ServiceAllocationsOptions) {
    // Fail at construction, not on the first Service, when a range is malformed.
    if (options.serviceClusterIPRange !== undefined || options.serviceNodePortRange !== undefined) this.get();
  }

  /** The allocator of Service cluster IPs and node ports (made on first use). */
  get(): ServiceAllocator {
    if (!this.allocator) {
      const o = this.options;
      this.allocator = new ServiceAllocator({
        backend: o.backend,
        root: o.layout.root,
        clock: o.clock,
        random: o.random,
        serviceClusterIPRange: o.serviceClusterIPRange ?? '10.96.0.0/12',
        serviceNodePortRange: o.serviceNodePortRange ?? '30000-32767',
      });
    }
    return this.allocator;
  }

  /** Reconciles the claims with the stored Services (see `Registry.repairServiceAllocations`). */
  async repair(): Promise<RepairReport> {
    const { catalog, layout, backend } = this.options;
    const def = catalog.get(SERVICES);
    if (!def) return { released: [], restored: [] };
    const info = layout.info(def);
    const services: KubeObject[] = [];
    let page = await backend.list({ prefix: info.collectionPrefix, limit: 1000 });
    for (;;) {
      for (const s of page.items) services.push(s.object);
      if (!page.more || page.items.length === 0) break;
      page = await backend.list({
        prefix: info.collectionPrefix,
        limit: 1000,
        revision: page.revision,
        startAfter: page.items[page.items.length - 1]!.key,
      });
    }
    return this.get().repair(services);
  }

  /** Starts the repair loop after the first Service write (a no-op once started). */
  started(): void {
    if (this.repairTimer !== undefined || this.closed) return;
    const { clock } = this.options;
    const interval = this.options.serviceAllocationRepairIntervalMs ?? 180_000;
    let running = false;
    const run = (): void => {
      if (this.closed) return;
      if (interval > 0) this.repairTimer = unref(clock.setTimeout(run, interval));
      if (running) return;
      running = true;
      this.repair()
        .then((report) => {
          if (report.released.length > 0 || report.restored.length > 0)
            this.options.logger.info({ released: report.released, restored: report.restored }, 'service allocations repaired');
        })
        .catch((err: unknown) => this.options.logger.error({ err }, 'service allocations: repair failed; retrying at the next interval'))
        .finally(() => {
          running = false;
        });
    };
    this.repairTimer = unref(clock.setTimeout(run, 0));
  }

  /** Stops the repair loop. */
  close(): void {
    this.closed = true;
    if (this.repairTimer) this.options.clock.clearTimeout(this.repairTimer);
  }
}

/** Lets a wall-clock timer not keep the process alive (a no-op for virtual clocks' timers). */
function unref<T>(timer: T): T {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
