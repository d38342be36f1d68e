// @converge/scheduler: kube-scheduler's framework and plugins, as Converge plugins.
export type { StatusCode } from './framework/status.js';
export { Status } from './framework/status.js';
export type { StateData } from './framework/cycle-state.js';
export { CycleState } from './framework/cycle-state.js';
export type { Resource, PodRequestsOptions } from './framework/resource.js';
export {
  emptyResource,
  cloneResource,
  addResource,
  resourceAmount,
  resourceFromList,
  podRequests,
  DEFAULT_MILLI_CPU_REQUEST,
  DEFAULT_MEMORY_REQUEST,
} from './framework/resource.js';
export type { PodInfo, HostPort } from './framework/node-info.js';
export { NodeInfo, HostPortInfo, podInfoOf, podKey, hostPortsOf } from './framework/node-info.js';
export type {
  ActionTypeFlags,
  EventResource,
  ClusterEvent,
  QueueingHint,
  QueueingHintFn,
  ClusterEventWithHint,
} from './framework/cluster-event.js';
export { ActionType, eventMatches } from './framework/cluster-event.js';
export type {
  SchedulerPlugin,
  PreFilterResult,
  PreFilterExtensions,
  PreFilterPlugin,
  FilterPlugin,
  PostFilterResult,
  PostFilterPlugin,
  PreScorePlugin,
  NodeScore,
  ScorePlugin,
  ReservePlugin,
  PermitResult,
  PermitPlugin,
  PreBindPlugin,
  BindPlugin,
  PostBindPlugin,
  EnqueueExtensions,
} from './framework/plugin.js';
export {
  MAX_NODE_SCORE,
  MIN_NODE_SCORE,
  isPreFilterPlugin,
  isFilterPlugin,
  isPostFilterPlugin,
  isPreScorePlugin,
  isScorePlugin,
  isReservePlugin,
  isPermitPlugin,
  isPreBindPlugin,
  isBindPlugin,
  isPostBindPlugin,
  isEnqueueExtensions,
} from './framework/plugin.js';
export type { Snapshot, Nominator, WaitingPod, FrameworkHandle } from './framework/handle.js';
export { FrameworkHandleToken, PluginArgsToken } from './framework/handle.js';
export type { SchedulerPluginOptions, SchedulerPluginType } from './framework/plugin.decorator.js';
export { SchedulerPluginClass, schedulerPluginMetadataOf, PluginRegistry } from './framework/plugin.decorator.js';

// schedplug2: topology plugins (InterPodAffinity, PodTopologySpread)
export { TOPOLOGY_PLUGINS } from './plugins/topology-plugins.js';
export { InterPodAffinity } from './plugins/interpodaffinity/inter-pod-affinity.plugin.js';
export type { InterPodAffinityArgs } from './plugins/interpodaffinity/inter-pod-affinity.args.js';
export { InterPodAffinityArgsSchema } from './plugins/interpodaffinity/inter-pod-affinity.args.js';
export { PodTopologySpread } from './plugins/podtopologyspread/pod-topology-spread.plugin.js';
export type { PodTopologySpreadArgs } from './plugins/podtopologyspread/pod-topology-spread.args.js';
export { PodTopologySpreadArgsSchema, SYSTEM_DEFAULT_CONSTRAINTS } from './plugins/podtopologyspread/pod-topology-spread.args.js';
export { ListerCache } from './plugins/interpodaffinity/lister-cache.js';
