/**
 * The node-level plugins of kube-scheduler's default profile that look at one pod and one
 * node at a time: resources, node name, host ports, cordoning, taints and node affinity.
 */
import type { SchedulerPluginType } from '../framework/plugin.decorator.js';
import { NodeAffinityPlugin } from './nodeaffinity/node-affinity.plugin.js';
import { NodeNamePlugin } from './nodename/node-name.plugin.js';
import { NodePortsPlugin } from './nodeports/node-ports.plugin.js';
import { BalancedAllocationPlugin } from './noderesources/balanced-allocation.plugin.js';
import { NodeResourcesFitPlugin } from './noderesources/node-resources-fit.plugin.js';
import { NodeUnschedulablePlugin } from './nodeunschedulable/node-unschedulable.plugin.js';
import { TaintTolerationPlugin } from './tainttoleration/taint-toleration.plugin.js';

/**
 * The classes of NodeResourcesFit, NodeResourcesBalancedAllocation, NodeName, NodePorts,
 * NodeUnschedulable, TaintToleration and NodeAffinity, to register in a PluginRegistry.
 */
export const BASIC_PLUGINS: SchedulerPluginType[] = [
  NodeUnschedulablePlugin,
  NodeNamePlugin,
  TaintTolerationPlugin,
  NodeAffinityPlugin,
  NodePortsPlugin,
  NodeResourcesFitPlugin,
  BalancedAllocationPlugin,
];
