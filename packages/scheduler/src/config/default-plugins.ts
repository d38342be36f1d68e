/**
 * Kubernetes 1.32's default profile: the multi-point plugins kube-scheduler enables when a
 * profile names none, with their Score weights.
 */
import type { PluginRef } from '../runtime/profile-config.js';

/** The default scheduler name. */
export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

/** Kubernetes 1.32's default multi-point plugins, in order, with their weights. */
export const DEFAULT_MULTI_POINT_PLUGINS: readonly PluginRef[] = [
  { name: 'SchedulingGates' },
  { name: 'PrioritySort' },
  { name: 'NodeUnschedulable' },
  { name: 'NodeName' },
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'NodePorts' },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'VolumeRestrictions' },
  { name: 'NodeVolumeLimits' },
  { name: 'VolumeBinding' },
  { name: 'VolumeZone' },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'DefaultPreemption' },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
  { name: 'DefaultBinder' },
];

/**
 * Plugins whose work the scheduler's runtime does itself rather than through a plugin
 * instance: PrioritySort (the queue's order) and SchedulingGates (gated pods are not queued).
 */
export const BUILT_IN_PLUGINS: ReadonlySet<string> = new Set(['PrioritySort', 'SchedulingGates']);
