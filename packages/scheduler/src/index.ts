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

// schedpreempt: DefaultPreemption (PostFilter)
export { PREEMPTION_PLUGINS } from './plugins/preemption-plugins.js';
export {
  DefaultPreemption,
  DEFAULT_PREEMPTION,
  PREEMPTION_NOT_HELPFUL_REASON,
} from './plugins/defaultpreemption/default-preemption.plugin.js';
export type { DefaultPreemptionArgs } from './plugins/defaultpreemption/default-preemption-args.js';
export { DefaultPreemptionArgsSchema, parseDefaultPreemptionArgs } from './plugins/defaultpreemption/default-preemption-args.js';
export type { PreemptionCandidate } from './plugins/defaultpreemption/candidate.js';
export { pickBestCandidate } from './plugins/defaultpreemption/candidate.js';
export type { SelectVictimsOptions, VictimSelection } from './plugins/defaultpreemption/victim-selection.js';
export { selectVictimsOnNode, NO_VICTIMS_REASON } from './plugins/defaultpreemption/victim-selection.js';
export { runFilterPluginsWithNominatedPods } from './plugins/defaultpreemption/filter-with-nominated-pods.js';
export type { FitErrorMessageOptions } from './plugins/defaultpreemption/fit-error-message.js';
export { fitErrorMessage } from './plugins/defaultpreemption/fit-error-message.js';
export { podPriority, moreImportantPod } from './plugins/defaultpreemption/pod-importance.js';
export { DISRUPTION_TARGET, PREEMPTION_BY_SCHEDULER } from './plugins/defaultpreemption/prepare-candidate.js';
