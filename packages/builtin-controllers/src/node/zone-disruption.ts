/**
 * Zone health for the node lifecycle controller: how many nodes of each zone are not ready,
 * the zone's state (Normal, PartialDisruption, FullDisruption), and the per-zone rate at
 * which nodes get the NoExecute taints that evict their pods, as Kubernetes computes them.
 */
import type { Node } from '@converge/core';

/** The state of a zone, as Kubernetes names it. */
export type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

/** The thresholds and rates of zone handling (`--node-eviction-rate` and friends). */
export interface ZoneDisruptionOptions {
  /** Nodes per second tainted for eviction in a healthy (or fully disrupted) zone; default 0.1. */
  nodeEvictionRate?: number;
  /** Nodes per second in a partially disrupted zone larger than `largeClusterSizeThreshold`; default 0.01. */
  secondaryNodeEvictionRate?: number;
  /** Zones of at most this many nodes stop evicting when partially disrupted; default 50. */
  largeClusterSizeThreshold?: number;
  /** The fraction of not-ready nodes (with more than 2 of them) that makes a zone partially disrupted; default 0.55. */
  unhealthyZoneThreshold?: number;
}

/** The zone a node is in: `region:\0:zone` from its topology labels (Kubernetes' `GetZoneKey`), `''` without them. */
export function zoneOf(node: Node): string {
  const labels = node.metadata.labels ?? {};
  const region = labels['topology.kubernetes.io/region'] ?? labels['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'] ?? '';
  return region === '' && zone === '' ? '' : `${region}:\0:${zone}`;
}

interface Member {
  zone: string;
  ready: boolean;
}

/**
 * What the lifecycle controller knows of every node's zone and readiness, kept up to date
 * one node at a time, and the eviction rate limiter of each zone (a token bucket of burst 1).
 */
export class ZoneDisruption {
  private readonly members = new Map<string, Member>();
  private readonly nextTaintAt = new Map<string, number>();
  private readonly o: Required<ZoneDisruptionOptions>;

  /** Makes an empty tracker. */
  constructor(options: ZoneDisruptionOptions = {}) {
    this.o = {
      nodeEvictionRate: options.nodeEvictionRate ?? 0.1,
      secondaryNodeEvictionRate: options.secondaryNodeEvictionRate ?? 0.01,
      largeClusterSizeThreshold: options.largeClusterSizeThreshold ?? 50,
      unhealthyZoneThreshold: options.unhealthyZoneThreshold ?? 0.55,
    };
  }

  /** Records a node's zone and whether its Ready condition is True. */
  observe(name: string, zone: string, ready: boolean): void {
    this.members.set(name, { zone, ready });
  }

  /** Forgets a deleted node. */
  forget(name: string): void {
    this.members.delete(name);
  }

  /** The state of a zone: FullDisruption when no node is ready, PartialDisruption when more than 2 and at least the threshold are not. */
  stateOf(zone: string): ZoneState {
    const { ready, notReady } = this.count(zone);
    if (ready === 0 && notReady > 0) return 'FullDisruption';
    if (notReady > 2 && notReady / (ready + notReady) >= this.o.unhealthyZoneThreshold) return 'PartialDisruption';
    return 'Normal';
  }

  /**
   * Whether every zone is fully disrupted: no node of the cluster is ready. Kubernetes then
   * assumes the fault is its own (the control plane lost the nodes, not the reverse) and
   * evicts nothing: NoExecute taints are removed and none is added.
   */
  allFullyDisrupted(): boolean {
    if (this.members.size === 0) return false;
    for (const m of this.members.values()) if (m.ready) return false;
    return true;
  }

  /** Nodes per second a zone may taint for eviction, by its state. */
  rateOf(zone: string): number {
    switch (this.stateOf(zone)) {
      case 'PartialDisruption': {
        const { ready, notReady } = this.count(zone);
        return ready + notReady > this.o.largeClusterSizeThreshold ? this.o.secondaryNodeEvictionRate : 0;
      }
      default:
        return this.o.nodeEvictionRate;
    }
  }

  /**
   * Takes the zone's token to taint one node at `now`; when the rate allows none yet, returns
   * the ms to wait (Infinity when the rate is 0).
   */
  tryTaint(zone: string, now: number): { ok: true } | { ok: false; waitMs: number } {
    const rate = this.rateOf(zone);
    if (rate <= 0) return { ok: false, waitMs: Infinity };
    const at = this.nextTaintAt.get(zone) ?? 0;
    if (now < at) return { ok: false, waitMs: at - now };
    this.nextTaintAt.set(zone, now + 1000 / rate);
    return { ok: true };
  }

  private count(zone: string): { ready: number; notReady: number } {
    let ready = 0;
    let notReady = 0;
    for (const m of this.members.values()) {
      if (m.zone !== zone) continue;
      if (m.ready) ready++;
      else notReady++;
    }
    return { ready, notReady };
  }
}
