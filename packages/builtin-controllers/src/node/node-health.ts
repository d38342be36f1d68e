/**
 * What the node lifecycle controller remembers of each node between looks: when it last
 * heard from the node's kubelet (through a new Ready heartbeat or a renewed Lease), on its
 * own clock, as Kubernetes' `nodeHealthData` does, so clock skew between nodes and the
 * controller does not matter.
 */
import { findCondition, type Lease, type Node } from '@converge/core';

/** One node's health as last observed. */
export interface NodeHealth {
  /** When (controller clock, ms) the kubelet was last heard from. */
  probeTimestamp: number;
  /** The Ready condition's `lastHeartbeatTime` last seen. */
  readyHeartbeat: string | undefined;
  /** The Lease's `renewTime` last seen (ms since the epoch). */
  leaseRenewTime: number | undefined;
  /** The node's uid, for the events about a node that is gone. */
  uid: string | undefined;
}

/** Every node's health, updated from each observation. */
export class NodeHealthTable {
  private readonly table = new Map<string, NodeHealth>();

  /** Whether the node was seen before. */
  has(name: string): boolean {
    return this.table.has(name);
  }

  /** The health last recorded for the node. */
  get(name: string): NodeHealth | undefined {
    return this.table.get(name);
  }

  /** Forgets a node. */
  forget(name: string): NodeHealth | undefined {
    const h = this.table.get(name);
    this.table.delete(name);
    return h;
  }

  /**
   * Records what the node and its Lease say now, and returns its health: the probe time moves
   * to `now` when the node is first seen, when the Ready heartbeat changed, or when the Lease
   * was renewed later than last seen. A node that never posted Ready counts from its creation;
   * a node deleted and created again under the same name (a new uid) starts afresh.
   */
  observe(node: Node, lease: Lease | undefined, now: number): NodeHealth {
    const name = node.metadata.name!;
    const ready = findCondition(node.status?.conditions, 'Ready');
    const heartbeat = ready?.lastHeartbeatTime;
    const renew = lease?.spec?.renewTime ? Date.parse(lease.spec.renewTime) : undefined;
    let h = this.table.get(name);
    if (!h || h.uid !== node.metadata.uid) {
      const created = Date.parse(node.metadata.creationTimestamp ?? '');
      h = {
        probeTimestamp: !ready && Number.isFinite(created) ? Math.min(created, now) : now,
        readyHeartbeat: heartbeat,
        leaseRenewTime: renew,
        uid: node.metadata.uid,
      };
      this.table.set(name, h);
      return h;
    }
    if (heartbeat !== h.readyHeartbeat) {
      h.readyHeartbeat = heartbeat;
      h.probeTimestamp = now;
    }
    if (renew !== undefined && Number.isFinite(renew) && (h.leaseRenewTime === undefined || renew > h.leaseRenewTime)) {
      h.leaseRenewTime = renew;
      h.probeTimestamp = now;
    }
    h.uid = node.metadata.uid;
    return h;
  }
}
