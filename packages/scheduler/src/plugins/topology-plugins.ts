/**
 * The topology plugins: InterPodAffinity and PodTopologySpread, for a profile's registry.
 */
import type { SchedulerPluginType } from '../framework/plugin.decorator.js';
import { InterPodAffinity } from './interpodaffinity/inter-pod-affinity.plugin.js';
import { PodTopologySpread } from './podtopologyspread/pod-topology-spread.plugin.js';

/** The plugin classes placing pods relative to other pods: InterPodAffinity and PodTopologySpread. */
export const TOPOLOGY_PLUGINS: SchedulerPluginType[] = [InterPodAffinity, PodTopologySpread];
