import type { ZoneDisruptionOptions } from './zone-disruption.js';

/** The namespace kubelets keep their heartbeat Leases in, one per node, named after it. */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** Options of the node lifecycle controller, as kube-controller-manager's flags of the same names. */
export interface NodeLifecycleOptions extends ZoneDisruptionOptions {
  /**
   * How long a node may go without renewing its Lease or its Ready heartbeat before its
   * conditions are set to Unknown (`--node-monitor-grace-period`); default 40,000 ms.
   */
  nodeMonitorGracePeriodMs?: number;
  /** The same for a node that never posted a Ready condition, from its creation (`--node-startup-grace-period`); default 60,000 ms. */
  nodeStartupGracePeriodMs?: number;
  /** How often a node that is not ready is looked at again (`--node-monitor-period`); default 5,000 ms. */
  nodeMonitorPeriodMs?: number;
}

/** The inversify token of the node lifecycle controller's options (optional; defaults apply without it). */
export const NodeLifecycleOptionsToken = Symbol.for('converge.builtin-controllers.NodeLifecycleOptions');
